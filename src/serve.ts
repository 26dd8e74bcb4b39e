/**
 * `bikebot serve`: the live core behind every HTTP channel, with metrics and
 * readiness wired from the pollers and the index.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildCore, createLogger, type Core } from './app.js';
import { buildHttpApp } from './channels/http-app.js';
import { assessReadiness } from './readiness.js';
import { Metrics } from './channels/metrics.js';
import { createIndexHintSource } from './channels/voice-hints.js';
import { toSpeech } from './dialog/speech.js';
import { SESSION_PREFIX } from './dialog/session.js';
import { ageS } from './util/age.js';

export interface ServedApp {
  core: Core;
  app: FastifyInstance;
  metrics: Metrics;
}

export async function buildServedApp(cfg: Config, opts: { processMetrics?: boolean; logStream?: 'stdout' | 'stderr' } = {}): Promise<ServedApp> {
  const logger = createLogger(cfg, opts.logStream ?? 'stdout');
  let core: Core | null = null;
  const metrics = new Metrics({
    snapshotAgeS: () => ageS(core?.live.index()?.oldestAsOf() ?? null),
    sessions: async () => (core ? (await core.sessions.keys(SESSION_PREFIX)).length : null),
    processMetrics: opts.processMetrics ?? true,
  });
  core = await buildCore(cfg, {
    mode: 'live',
    logger,
    onUpstream: (feed, outcome) => metrics.recordUpstream(feed, outcome),
    onRefused: (feed, kind) => metrics.recordRefusedSnapshot(feed, kind),
  });
  const c = core;
  const readiness = () =>
    assessReadiness(
      c.live.index(),
      c.pollers.map((p) => ({ status: p.status, asOf: c.live.snapshot(p.feedId)?.asOf ?? null, refusal: c.live.refusal(p.feedId) })),
      // --snapshot answers from a file by the operator's choice: old data is said, never "not ready".
      { degradedAfterS: cfg.degradedAfterS, notReadyAfterS: c.pollers.length > 0 ? cfg.notReadyAfterS : Number.POSITIVE_INFINITY },
    );
  const app = await buildHttpApp({
    handleTurn: c.handleTurn,
    logger,
    readiness,
    metrics,
    twilio: cfg.twilioAuthToken ? { authToken: cfg.twilioAuthToken, publicUrl: cfg.publicUrl, optOuts: c.sessions } : undefined,
    voiceHints: createIndexHintSource({ index: () => c.live.index() }),
    toSpeech,
    requestTimeoutMs: 10_000,
  });
  return { core: c, app, metrics };
}
