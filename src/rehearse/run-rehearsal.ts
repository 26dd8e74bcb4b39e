import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startReplayServer, type ReplayServer } from '../replay/replay-server.js';
import { chatLoad, crossConversation, percentile, smsLoad, type ChatLoad, type ConversationOutcome, type LoadTarget, type Sample } from './load.js';
import { startRedisServer, type RedisProcess } from './redis-process.js';
import { startReplica, type ReplicaProcess } from './replica-process.js';
import { phaseFaults, phaseLabel, type Phase, type Scenario } from './scenario.js';

export interface RehearsalOptions {
  scenario: Scenario;
  /** Replay data: a BikePoint JSON file or a tfl/ folder (stations.csv + occupancy/). */
  from: string;
  questions: readonly string[];
  /** Use this Redis (a unique prefix keeps it apart); restart events are then skipped. Default: start redis-server on a free port. */
  redisUrl?: string | null;
  /** Overrides the scenario's replica count. */
  replicas?: number;
  /** Progress: called about every second and at each phase boundary. */
  onProgress?: (p: { phase: number; phases: number; name: string; elapsedS: number; totalS: number }) => void;
  /** Told about what happens (kills, restarts, takeovers), for the console. */
  onNote?: (note: string) => void;
}

/** A point in time for the plots. */
export interface TimePoint {
  t: number;
  upstream: number;
  holder: string | null;
  stations: Record<string, number | null>;
}

export interface RehearsalEvent {
  t: number;
  label: string;
}

export interface PhaseResult {
  name: string;
  label: string;
  startT: number;
  endT: number;
  requests: number;
  p50: number | null;
  p99: number | null;
  status: Record<string, number>;
  shed: number;
  errors: number;
  stale: number;
  upstream: number;
  upstreamBudget: number;
  holder: string | null;
  conversations: Record<ConversationOutcome, number>;
  takeoverMs: number | null;
  /** takeoverMs in poll intervals. */
  takeoverIntervals: number | null;
  minStations: number | null;
  broken: string[];
}

export interface RehearsalResult {
  scenario: Scenario;
  startedAt: string;
  durationS: number;
  phases: PhaseResult[];
  samples: Sample[];
  timeline: TimePoint[];
  events: RehearsalEvent[];
  broken: string[];
  replicas: string[];
  baselineStations: number | null;
}

const AUTH_TOKEN = 'rehearsal-auth-token';
const PUBLIC_URL = 'http://bikebot.rehearsal.invalid';
/** A central London point every TfL snapshot has stations around (Waterloo). */
const PLACE = { lat: 51.5033, lon: -0.1136 };
/** A station list this much smaller than the best seen is a damaged feed that got through. */
const SUSPECT_LOSS = 0.1;

/** A shared Redis keeps nothing of the rehearsal. */
async function deletePrefix(url: string, prefix: string): Promise<void> {
  const { RedisKvStore } = await import('../store/redis-kv.js');
  try {
    const kv = await RedisKvStore.connect({ url, prefix });
    for (const k of await kv.keys('')) await kv.delete(k);
    await kv.close();
  } catch {
    // Best effort: the keys expire or can be removed by prefix (see the README's Uninstall).
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scrape(r: ReplicaProcess): Promise<{ held: boolean; stations: number | null }> {
  const get = async (path: string) => {
    const res = await fetch(`${r.url}${path}`, { signal: AbortSignal.timeout(3000) });
    return res.text();
  };
  let held = false;
  let stations: number | null = null;
  try {
    held = /^bikebot_feed_lease_held\{feed="tfl"\} 1$/m.test(await get('/metrics'));
  } catch {
    // A replica too busy to answer within 3 s: counted as not holding in this sample.
  }
  try {
    const body = JSON.parse(await get('/readyz')) as { stations?: unknown };
    stations = typeof body.stations === 'number' ? body.stations : null;
  } catch {
    stations = null;
  }
  return { held, stations };
}

/**
 * Runs a scenario: N `bikebot serve` replicas on one Redis, the replay server as TfL,
 * load and faults phase by phase, and checks every promise as it goes.
 */
export async function runRehearsal(opts: RehearsalOptions): Promise<RehearsalResult> {
  const sc = opts.scenario;
  const replicaCount = opts.replicas ?? sc.replicas;
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-rehearse-'));
  const prefix = `bikebot-rehearse:${randomBytes(5).toString('hex')}:`;
  const note = opts.onNote ?? (() => {});
  let redis: RedisProcess | null = null;
  let replay: ReplayServer | null = null;
  const replicas: ReplicaProcess[] = [];
  const killed = new Set<ReplicaProcess>();
  const broken: string[] = [];
  try {
    redis = opts.redisUrl ? null : await startRedisServer();
    const redisUrl = opts.redisUrl ?? redis!.url;
    replay = await startReplayServer({ source: opts.from, speed: sc.replaySpeed, maxAgeS: 0 });
    note(`replay server ${replay.url} (${opts.from}), Redis ${redisUrl}${redis ? ' (started for this rehearsal)' : ''}`);
    const args = (name: string) => ['--redis-url', redisUrl, '--redis-prefix', prefix, '--tfl-url', replay!.url, '--poll-interval-ms', String(sc.pollIntervalMs), '--request-timeout', String(Math.max(1, Math.ceil((2 * sc.pollIntervalMs) / 1000))), '--data-dir', join(dir, name), '--twilio-auth-token', AUTH_TOKEN, '--public-url', PUBLIC_URL, '--log-level', 'warn'];
    const names = Array.from({ length: replicaCount }, (_, i) => String.fromCharCode(65 + i));
    replicas.push(...(await Promise.all(names.map((name) => startReplica({ name, args: args(name), startTimeoutMs: 120_000 })))));
    note(`replicas ${replicas.map((r) => `${r.name}=${r.url} (pid ${r.pid})`).join(', ')}`);
    const alive = () => replicas.filter((r) => !killed.has(r) && r.exit === null);

    // Wait for data everywhere before the clock starts.
    const readyBy = Date.now() + 60_000;
    for (;;) {
      const s = await Promise.all(replicas.map(scrape));
      if (s.every((x) => (x.stations ?? 0) > 0)) break;
      if (Date.now() > readyBy) throw new Error('replicas had no station data after 60 s');
      await sleep(200);
    }

    const start = Date.now();
    const startedAt = new Date(start).toISOString();
    const samples: Sample[] = [];
    const timeline: TimePoint[] = [];
    const events: RehearsalEvent[] = [];
    const phases: PhaseResult[] = [];
    let baseline: number | null = null;
    const upstreamAtStart = replay.stats().requests;
    const totalS = sc.phases.reduce((n, p) => n + p.seconds, 0);
    const rp = replay;

    // Crashes: any exit we did not cause.
    for (const r of replicas) {
      void r.exited.then((e) => {
        if (!killed.has(r) && !stopping) {
          broken.push(`replica ${r.name} crashed (code ${e.code}, signal ${e.signal})`);
          events.push({ t: Date.now() - start, label: `${r.name} crashed` });
        }
      });
    }
    let stopping = false;

    const sampleOnce = async (): Promise<TimePoint> => {
      const t = Date.now() - start;
      const live = alive();
      const scraped = await Promise.all(live.map(scrape));
      const holder = live.find((_, i) => scraped[i].held)?.name ?? null;
      const stations: Record<string, number | null> = {};
      live.forEach((r, i) => (stations[r.name] = scraped[i].stations));
      const point = { t, upstream: rp.stats().requests - upstreamAtStart, holder, stations };
      timeline.push(point);
      return point;
    };

    for (let pi = 0; pi < sc.phases.length; pi++) {
      const phase = sc.phases[pi];
      const phaseStart = Date.now() - start;
      await fetch(`${rp.url}/__replay/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(phaseFaults(phase.faults)) });
      const upstreamBefore = rp.stats().requests;
      const result = await runPhase(phase, pi);
      const upstream = rp.stats().requests - upstreamBefore;
      result.upstream = upstream;
      result.upstreamBudget = Math.ceil((phase.seconds * 1000) / sc.pollIntervalMs) + sc.upstreamSlack;
      if (upstream > result.upstreamBudget) result.broken.push(`upstream requests ${upstream} over the budget of ${result.upstreamBudget}`);
      result.startT = phaseStart;
      result.endT = Date.now() - start;
      phases.push(result);
      broken.push(...result.broken.map((b) => `${phase.name}: ${b}`));
    }

    async function runPhase(phase: Phase, pi: number): Promise<PhaseResult> {
      const phaseStart = Date.now();
      const endAt = phaseStart + phase.seconds * 1000;
      const res: PhaseResult = {
        name: phase.name,
        label: phaseLabel(phase),
        startT: 0,
        endT: 0,
        requests: 0,
        p50: null,
        p99: null,
        status: {},
        shed: 0,
        errors: 0,
        stale: 0,
        upstream: 0,
        upstreamBudget: 0,
        holder: null,
        conversations: { kept: 0, told: 0, lost: 0, failed: 0 },
        takeoverMs: null,
        takeoverIntervals: null,
        minStations: null,
        broken: [],
      };
      const mine: Sample[] = [];
      const record = (s: Sample) => {
        samples.push(s);
        mine.push(s);
      };
      const loads: Array<{ replica: ReplicaProcess | null; load: ChatLoad }> = [];
      const startLoad = async () => {
        const targets = alive();
        if (phase.chat && phase.chat.rate > 0) {
          const seconds = Math.max(1, Math.round((endAt - Date.now()) / 1000));
          for (const r of targets) {
            loads.push({ replica: r, load: await chatLoad({ target: r, rate: phase.chat.rate / targets.length, connections: phase.chat.connections, seconds, questions: opts.questions, start, record }) });
          }
        }
        if (phase.sms && phase.sms.rate > 0) {
          loads.push({ replica: null, load: smsLoad({ targets: () => alive(), rate: phase.sms.rate, seconds: phase.seconds, questions: opts.questions, authToken: AUTH_TOKEN, publicUrl: PUBLIC_URL, start, record }) });
        }
      };

      const eventTasks: Array<Promise<void>> = [];
      for (const ev of phase.events) {
        eventTasks.push(
          (async () => {
            await sleep(ev.at * 1000);
            if (ev.do === 'kill-lease-holder') {
              const point = await sampleOnce();
              const holder = alive().find((r) => r.name === point.holder);
              if (!holder) {
                res.broken.push('no lease holder to kill');
                return;
              }
              // Stop its load first: a load balancer would route around a dead replica.
              for (const l of loads) if (l.replica === holder) l.load.stop();
              // The holder's own plan: after upstream faults it may be backing off, and its
              // successor keeps that schedule rather than poll early.
              const planned = await plannedPoll(holder);
              const before = rp.stats().requests;
              killed.add(holder);
              const killedAt = Date.now();
              await holder.kill9();
              events.push({ t: killedAt - start, label: `kill -9 ${holder.name}` });
              note(`kill -9 of lease holder ${holder.name} (pid ${holder.pid})`);
              const interval = sc.pollIntervalMs;
              const plannedIn = planned === null ? 0 : planned - killedAt;
              // Two intervals, or half an interval after the poll the dead holder had planned.
              const limit = Math.max(2 * interval, plannedIn + interval / 2);
              while (rp.stats().requests === before && Date.now() - killedAt < 4 * limit) await sleep(10);
              const took = rp.stats().requests > before ? Date.now() - killedAt : null;
              res.takeoverMs = took;
              res.takeoverIntervals = took === null ? null : took / interval;
              const newHolder = (await sampleOnce()).holder;
              const plan = plannedIn > 0 ? `; the dead holder had planned its next poll ${(plannedIn / interval).toFixed(2)} intervals after the kill` : '';
              note(took === null ? 'no replica took over' : `replica ${newHolder ?? '?'} polled ${took} ms = ${(took / interval).toFixed(2)} intervals after the kill${plan}`);
              if (took === null || took > limit) res.broken.push(`takeover took ${took === null ? 'forever' : `${(took / interval).toFixed(2)} intervals (${took} ms)`}; limit ${(limit / interval).toFixed(2)} intervals${plan}`);
              if (took !== null) events.push({ t: Date.now() - start, label: `${newHolder ?? '?'} polls` });
            } else if (ev.do === 'restart-redis') {
              if (!redis) {
                note('restart-redis skipped: the rehearsal did not start this Redis (--redis-url)');
                return;
              }
              await redis.kill9();
              events.push({ t: Date.now() - start, label: 'Redis down' });
              note(`Redis killed for ${ev.downSeconds} s`);
              await sleep(ev.downSeconds * 1000);
              await redis.restart();
              events.push({ t: Date.now() - start, label: 'Redis back' });
              note('Redis back (empty)');
            }
          })(),
        );
      }
      // An event at 0 s happens before the load starts.
      if (phase.events.some((e) => e.at === 0)) await sleep(50);
      await startLoad();

      // Conversations spread over the phase, and a sample every second.
      const convTasks: Array<Promise<void>> = [];
      const convEvery = phase.conversations > 0 ? (phase.seconds * 1000) / (phase.conversations + 1) : Infinity;
      let nextConv = phaseStart + convEvery;
      let convN = 0;
      while (Date.now() < endAt) {
        opts.onProgress?.({ phase: pi + 1, phases: sc.phases.length, name: phase.name, elapsedS: (Date.now() - start) / 1000, totalS });
        if (Date.now() >= nextConv && convN < phase.conversations) {
          const targets = alive();
          const a = targets[convN % targets.length];
          const b = targets[(convN + 1) % targets.length];
          convN++;
          nextConv += convEvery;
          if (a && b) convTasks.push(crossConversation(a, b, PLACE).then((o) => void res.conversations[o]++));
        }
        const point = await sampleOnce();
        for (const n of Object.values(point.stations)) if (n !== null) res.minStations = res.minStations === null ? n : Math.min(res.minStations, n);
        await sleep(Math.min(1000, Math.max(0, endAt - Date.now())));
      }
      await Promise.all(loads.map((l) => l.load.done.then(() => undefined)));
      await Promise.all(eventTasks);
      await Promise.all(convTasks);
      const last = await sampleOnce();
      res.holder = last.holder;

      res.requests = mine.length;
      const latencies = mine.filter((s) => s.status > 0).map((s) => s.ms);
      res.p50 = percentile(latencies, 50);
      res.p99 = percentile(latencies, 99);
      for (const s of mine) {
        const key = s.status === 0 ? 'error' : String(s.status);
        res.status[key] = (res.status[key] ?? 0) + 1;
        if (s.shed) res.shed++;
        if (s.status === 0) res.errors++;
        if (s.stale) res.stale++;
      }
      const bad5xx = mine.filter((s) => s.status >= 500 && !s.shed).length;
      if (bad5xx > 0) res.broken.push(`${bad5xx} responses were 5xx without being a shed 503`);
      if (res.conversations.lost > 0) res.broken.push(`${res.conversations.lost} conversations lost without a word`);
      if (baseline === null && Object.keys(phase.faults).length === 0 && res.minStations !== null) baseline = res.minStations;
      if (baseline !== null && res.minStations !== null && res.minStations < baseline * (1 - SUSPECT_LOSS)) {
        res.broken.push(`a suspect snapshot was accepted: ${res.minStations} stations served, ${baseline} before`);
      }
      return res;
    }

    stopping = true;
    return {
      scenario: sc,
      startedAt,
      durationS: (Date.now() - start) / 1000,
      phases,
      samples,
      timeline,
      events,
      broken: [...broken],
      replicas: replicas.map((r) => r.name),
      baselineStations: baseline,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop(5000).catch(() => undefined)));
    await replay?.close();
    await redis?.stop();
    if (opts.redisUrl) await deletePrefix(opts.redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Epoch ms of the poll a replica has planned for its (first) feed, from /readyz; null when unknown. */
async function plannedPoll(r: ReplicaProcess): Promise<number | null> {
  try {
    const body = (await (await fetch(`${r.url}/readyz`, { signal: AbortSignal.timeout(2000) })).json()) as { feeds?: Array<{ nextPollAt?: string | null }> };
    const at = body.feeds?.[0]?.nextPollAt;
    return at ? Date.parse(at) : null;
  } catch {
    return null;
  }
}
