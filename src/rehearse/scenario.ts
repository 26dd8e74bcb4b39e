import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BikeBotError } from '../domain/errors.js';
import { NO_FAULTS } from '../replay/faults.js';

const share = z.number().min(0).max(1);
const FaultsSchema = z
  .object({
    errorRate: share,
    latencyMs: z.number().min(0).max(60_000),
    timeoutRate: share,
    truncateRate: share,
    malformedRate: share,
    rateLimitRate: share,
    retryAfterS: z.number().min(0).max(86_400),
    stationLoss: share,
  })
  .partial()
  .strict();

const EventSchema = z
  .object({
    /** Seconds into the phase. */
    at: z.number().min(0),
    do: z.enum(['kill-lease-holder', 'restart-redis']),
    /** restart-redis: how long Redis stays down before it comes back (empty). */
    downSeconds: z.number().min(0).max(120).default(3),
  })
  .strict();

const PhaseSchema = z
  .object({
    name: z.string().min(1).max(60),
    seconds: z.number().min(1).max(600),
    /** Chat API load, requests per second over all replicas (autocannon). */
    chat: z.object({ rate: z.number().min(0).max(5000), connections: z.number().int().min(1).max(500).default(4) }).strict().optional(),
    /** Signed Twilio SMS webhooks per second over all replicas. */
    sms: z.object({ rate: z.number().min(0).max(200) }).strict().optional(),
    /** Two-turn conversations begun on one replica and finished on the next. */
    conversations: z.number().int().min(0).max(1000).default(3),
    /** Upstream faults during the phase (the replay server's fault API); unset ones are off. */
    faults: FaultsSchema.default({}),
    events: z.array(EventSchema).default([]),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string().min(1),
    replicas: z.number().int().min(1).max(8).default(2),
    /** The replicas' poll interval (test-only --poll-interval-ms), so a rehearsal takes minutes. */
    pollIntervalMs: z.number().int().min(200).max(600_000).default(2000),
    /** Replay clock speed: how fast the recorded occupancy changes. */
    replaySpeed: z.number().min(0.001).max(100_000).default(60),
    /** Upstream requests a phase may make beyond one per interval (a takeover or a Redis restart may poll early once). */
    upstreamSlack: z.number().int().min(0).max(100).default(1),
    phases: z.array(PhaseSchema).min(1),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type Phase = Scenario['phases'][number];
export type PhaseFaults = z.infer<typeof FaultsSchema>;

export const DEFAULT_SCENARIO = fileURLToPath(new URL('../../scenarios/default.yaml', import.meta.url));
export const CI_SCENARIO = fileURLToPath(new URL('../../scenarios/ci.yaml', import.meta.url));

export function parseScenario(text: string, where: string): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new BikeBotError('CONFIG_INVALID', `scenario ${where} is not valid YAML: ${(e as Error).message}`);
  }
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new BikeBotError('CONFIG_INVALID', `scenario ${where} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return r.data;
}

export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BikeBotError('CONFIG_INVALID', `cannot read scenario ${path}: ${(e as Error).message}`);
  }
  return parseScenario(text, path);
}

/** The replay server's full fault set for a phase: what the phase names, everything else off. */
export function phaseFaults(f: PhaseFaults): typeof NO_FAULTS {
  return { ...NO_FAULTS, ...f };
}

export function scenarioSeconds(s: Scenario): number {
  return s.phases.reduce((n, p) => n + p.seconds, 0);
}

/** Short label of a phase's faults and events, for tables and plots. */
export function phaseLabel(p: Phase): string {
  const parts = Object.entries(p.faults).map(([k, v]) => `${k}=${v}`);
  for (const e of p.events) parts.push(`${e.do}@${e.at}s`);
  return parts.join(' ');
}
