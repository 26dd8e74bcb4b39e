/**
 * `bikebot serve`: the live core behind every HTTP channel, with metrics and
 * readiness wired from the pollers and the index.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildCore, createLogger, type Core, type CoreOptions } from './app.js';
import { buildHttpApp } from './channels/http-app.js';
import { assessReadiness } from './readiness.js';
import { Metrics, confidenceBand, type ConfidenceBand } from './channels/metrics.js';
import type { Snapshot } from './domain/station.js';
import type { Interpretation } from './domain/understanding.js';
import { createIndexHintSource } from './channels/voice-hints.js';
import { toSpeech } from './dialog/speech.js';
import { SESSION_PREFIX } from './dialog/session.js';
import { ageS } from './util/age.js';
import { systemInfos } from './systems/systems-sources.js';
import { VERSION } from './version.js';
import { hasCoordination } from './store/coordination.js';

export interface ServedApp {
  core: Core;
  app: FastifyInstance;
  metrics: Metrics;
}

export async function buildServedApp(cfg: Config, opts: { processMetrics?: boolean; logStream?: 'stdout' | 'stderr'; beforeAlertSend?: CoreOptions['beforeAlertSend']; beforeAlertEnqueue?: CoreOptions['beforeAlertEnqueue'] } = {}): Promise<ServedApp> {
  const logger = createLogger(cfg, opts.logStream ?? 'stdout');
  let core: Core | null = null;
  const metrics = new Metrics({
    snapshotAges: () => (core ? core.sources.map((s) => ({ feed: s.feedId, ageS: ageS(snapshotTime(core?.live.snapshot(s.feedId))) })) : []),
    // A counter the store keeps (memory, SQLite); only a store without one is walked.
    sessions: async () => (core ? (core.sessions.count?.(SESSION_PREFIX) ?? (await core.sessions.keys(SESSION_PREFIX)).length) : null),
    leases: () => core?.leases?.status() ?? null,
    processMetrics: opts.processMetrics ?? true,
  });
  core = await buildCore(cfg, {
    mode: 'live',
    logger,
    onUpstream: (feed, outcome, seconds) => metrics.recordUpstream(feed, outcome, seconds),
    onRefused: (feed, kind) => metrics.recordRefusedSnapshot(feed, kind),
    onInterpretation: (i) => metrics.recordAnswer(interpretationBand(i)),
    onTurnTimed: (channel, seconds) => metrics.observeTurn(channel, seconds),
    ...(opts.beforeAlertSend ? { beforeAlertSend: opts.beforeAlertSend } : {}),
    ...(opts.beforeAlertEnqueue ? { beforeAlertEnqueue: opts.beforeAlertEnqueue } : {}),
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
    twilio: cfg.twilioAuthToken
      ? { authToken: cfg.twilioAuthToken, publicUrl: cfg.publicUrl, optOuts: c.optOuts, language: cfg.twilioLanguage, ...(cfg.twilioVoice ? { voice: cfg.twilioVoice } : {}) }
      : undefined,
    conversationIds: c.conversationIds,
    mapTiles: cfg.mapTiles,
    voiceHints: createIndexHintSource({ index: () => c.live.index() }),
    toSpeech,
    requestTimeoutMs: 10_000,
    maxConcurrent: cfg.maxInFlight,
    maxEventLoopDelayMs: cfg.maxEventLoopDelayMs,
    maxQueueDelayMs: cfg.maxQueueDelayMs,
    impatientQueueDelayMs: cfg.maxQueueDelayImpatientMs,
    chatPerMinute: cfg.chatRateLimit,
    ...(c.store && hasCoordination(c.store) ? { sharedCounter: c.store } : {}),
    trustProxy: cfg.trustProxy,
    publicUrl: cfg.publicUrl,
    version: VERSION,
    mcp: { handleTurn: c.handleTurn, index: () => c.live.index(), systems: () => systemInfos(c.systems), version: VERSION, alerts: c.alerts?.service ?? null },
    ...(c.alerts ? { alertStream: c.alerts.sse } : {}),
  });
  return { core: c, app, metrics };
}

/** Observation time only: a feed that says nothing about when it observed has no honest age. */
function snapshotTime(s: Snapshot | undefined): string | null {
  return s?.asOf ?? null;
}

function interpretationBand(i: Interpretation): ConfidenceBand {
  switch (i.kind) {
    case 'station':
      return confidenceBand(i.confidence);
    case 'place':
      return confidenceBand(i.place.confidence);
    case 'choose':
      return 'choice';
    default:
      return 'none';
  }
}
