/**
 * Builds BikeBot from a Config: feeds → snapshot store → live index, the geocoder
 * chain, sessions, and the one turn handler every channel calls. Listening and
 * signals live in src/server.ts and src/cli.ts.
 */
import { readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { pollIntervalMs, type Config } from './config.js';
import { BikeBotError } from './domain/errors.js';
import type { Geocoder } from './domain/place.js';
import { createTurnHandler } from './dialog/handle-turn.js';
import type { Brain, HandleTurn } from './dialog/turn-deps.js';
import { defaultBrain } from './dialog/brain.js';
import { IntentModel } from './domain/understand/intent-model.js';
import { INTENT_WEIGHTS } from './domain/understand/intent-weights.js';
import type { Interpretation } from './domain/understanding.js';
import type { FeedSource } from './feeds/feed-source.js';
import { FeedLeases } from './feeds/feed-lease.js';
import { HostLimiter } from './feeds/host-limiter.js';
import { TurnQueue } from './util/turn-queue.js';
import { FeedPoller } from './feeds/poller.js';
import { GbfsValidator, GbfsValidatorThread, schemasDirFrom } from './feeds/gbfs-validate.js';
import { parseBikePoints } from './feeds/tfl-parse.js';
import { buildGeocoder } from './geocode/build-geocoder.js';
import { memoisedBrain } from './dialog/brain-memo.js';
import { WriteBehind } from './store/write-behind.js';
import { LOG_REDACT_PATHS } from './channels/log-redact.js';
import { LiveData } from './live-data.js';
import { OptOutList, serverSecret } from './channels/opt-out-list.js';
import { ConversationIds } from './channels/conversation-ids.js';
import type { KvStore } from './store/kv-store.js';
import { MemoryKvStore } from './store/memory-kv.js';
import { hasCoordination } from './store/coordination.js';
import { openStore } from './store/open-store.js';
import { SnapshotStore } from './store/snapshot-store.js';
import type { Snapshot } from './domain/station.js';
import { loadSystemsConfig, type SystemsConfig } from './systems/systems-config.js';
import { sourceFor, sourceUrlFor, systemInfos } from './systems/systems-sources.js';
import type { SuspectKind } from './domain/snapshot-check.js';
import type { DataOutlook } from './dialog/turn-deps.js';
import { USER_AGENT, VERSION } from './version.js';
import { understandingWarmup } from './understanding-warmup.js';
import { buildAlerts, type Alerts } from './alerts/build-alerts.js';
import type { OutboxOptions } from './alerts/outbox.js';
import type { AlertServiceOptions } from './alerts/alert-service.js';

/**
 * oneshot: `ask`/`eval` — fetch once, keep nothing on disk.
 * live: `serve`/`chat` — restore the stored snapshot, poll, persist, durable sessions.
 */
export type CoreMode = 'oneshot' | 'live';

/** How long after start() a feed restored from the store first fetches (see start()). */
export const FIRST_FETCH_AFTER_RESTORE_MS = 1_000;

export interface Core {
  config: Config;
  systems: SystemsConfig;
  live: LiveData;
  sources: FeedSource[];
  pollers: FeedPoller[];
  /** Redis mode: the feed leases that let one replica poll for all; null otherwise. */
  leases: FeedLeases | null;
  geocoder: Geocoder;
  /** Sessions and snapshots; null in oneshot mode (sessions then live in memory). */
  store: KvStore | null;
  sessions: KvStore;
  /** Who texted STOP: every SMS we send, reply or alert, checks it first. */
  optOuts: OptOutList;
  /** Issues and checks chat conversation ids (signed with the same secret). */
  conversationIds: ConversationIds;
  handleTurn: HandleTurn;
  logger: Logger;
  /** Alert rules, outbox and web stream; null without a durable store (ask, --snapshot). */
  alerts: Alerts | null;
  /** Start polling (live mode). Returns at once, not when data has arrived. */
  start(): void;
  /** Resolves true once some station data is loaded (stored or fetched), false after timeoutMs. */
  whenData(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface CoreOptions {
  mode: CoreMode;
  logger?: Logger;
  /** Upstream request outcomes and their duration in seconds, for metrics. */
  onUpstream?: (feedId: string, outcome: string, seconds: number) => void;
  /** A snapshot refused as FEED_SUSPECT, for metrics. */
  onRefused?: (feedId: string, kind: SuspectKind) => void;
  /** How sure understanding was of each station or place it resolved, for metrics. */
  onInterpretation?: (i: Interpretation) => void;
  /** The understanding to use instead of the default (scripts/tune-overrule.ts tries other intent-model thresholds through it). */
  brain?: Brain;
  /** In-process time of each turn, for metrics. */
  onTurnTimed?: (channel: string, seconds: number) => void;
  /** Test seam for the crash test: runs between persisting an alert and sending it. */
  beforeAlertSend?: OutboxOptions['beforeSend'];
  /** Test seam for the crash test: runs after a snapshot is evaluated and before its alerts are persisted. */
  beforeAlertEnqueue?: AlertServiceOptions['beforeEnqueue'];
}

/**
 * Conversations kept when sessions live in memory (--snapshot, ask, chat): the
 * least recently used go first beyond it. At ~0.5 KB each this bounds sessions to
 * ~10 MB however many one-off clients a public endpoint sees within the TTL.
 */
const MEMORY_SESSIONS_MAX = 20_000;
/** A quiet server's log lines reach the terminal or collector within this. */
const LOG_FLUSH_MS = 500;

export function createLogger(cfg: Config, destination: 'stdout' | 'stderr'): Logger {
  // Message text and phone numbers never reach the logs (see LOG_REDACT_PATHS).
  // Asynchronous and buffered: a synchronous write per request line was 6% of a busy
  // server's CPU. Lines go out in 4 KiB writes, and at least every LOG_FLUSH_MS when
  // quiet; pino flushes what is left when the process exits, signals included.
  const dest = pino.destination({ fd: destination === 'stdout' ? 1 : 2, sync: false, minLength: 4096, periodicFlush: LOG_FLUSH_MS });
  return pino({ level: cfg.logLevel, base: { app: 'bikebot' }, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, dest);
}

export async function buildCore(cfg: Config, opts: CoreOptions): Promise<Core> {
  const logger = opts.logger ?? createLogger(cfg, 'stderr');
  const systems = loadSystemsConfig(cfg.configFile);
  const store = opts.mode === 'live' && !cfg.snapshotFile ? await openStore({ dataDir: cfg.dataDir, redisUrl: cfg.redisUrl, redisPrefix: cfg.redisPrefix, onError: (e) => logger.warn({ err: e.message }, 'store connection trouble') }) : null;
  const snapshots = store ? new SnapshotStore(store, { onWarning: (m) => logger.warn(m) }) : null;
  const sourceUrls = new Map(systems.systems.map((entry) => [entry.id, sourceUrlFor(entry, cfg.tflUrl)]));
  // Feed-side work takes turns of the event loop, one piece a turn (see TurnQueue).
  const turns = new TurnQueue();
  const live = new LiveData(systemInfos(systems), snapshots, (e, what) => logger.error({ err: errText(e) }, `failed ${what}`), {
    turns,
    check: { maxStationLoss: cfg.suspectStationLoss, maxBadCounts: cfg.suspectBadCounts },
    sourceOf: (feedId) => sourceUrls.get(feedId),
  });
  /** Check a fetched snapshot; a suspect one is logged, counted and leaves the last good one in place. */
  const offer = (s: Snapshot, beforeSave?: () => Promise<unknown>): Promise<void> | null => {
    const verdict = live.offer(s, beforeSave);
    if (verdict.ok) return verdict.saved ?? Promise.resolve();
    const err = new BikeBotError('FEED_SUSPECT', `${s.feedId}: ${verdict.reason}`);
    logger.warn({ feed: s.feedId, code: err.code, kind: verdict.kind, stations: s.stations.length, keeping: live.snapshot(s.feedId)?.asOf ?? null }, `snapshot refused as suspect: ${verdict.reason}; ${live.snapshot(s.feedId) ? 'keeping the last good snapshot' : 'there is no earlier snapshot to keep'}`);
    opts.onRefused?.(s.feedId, verdict.kind);
    return null;
  };

  // One validator for every GBFS system: each schema is compiled once per process.
  const hasGbfs = systems.systems.some((s) => s.kind === 'gbfs');
  // A server checks in a worker thread: Ajv, the compiles and the checks stay off its event
  // loop. A one-shot command checks in line, so what it reports is told before it answers.
  const schemasDir = schemasDirFrom(cfg.gbfsSchemas);
  const validator = hasGbfs && !cfg.snapshotFile ? (opts.mode === 'live' ? new GbfsValidatorThread(schemasDir) : new GbfsValidator(schemasDir)) : null;
  if (validator?.note) logger.warn(validator.note);
  // Every system's requests, whatever its poller, queue per host behind this one limiter.
  const limiter = new HostLimiter(cfg.maxPerHost);
  const sources = cfg.snapshotFile
    ? []
    : systems.systems.map((entry) =>
        sourceFor(entry, {
          userAgent: USER_AGENT,
          version: VERSION,
          timeoutMs: cfg.requestTimeoutS * 1000,
          maxBodyBytes: cfg.feedMaxBytes,
          limiter,
          turns,
          tflUrl: cfg.tflUrl,
          tflAppKey: cfg.tflAppKey,
          statusFloorS: pollIntervalMs(cfg) / 1000,
          onRequest: (i) => opts.onUpstream?.(entry.id, i.outcome, i.ms / 1000),
          onNote: (id, note) => logger.debug({ system: id }, note),
          validator,
          onDeviation: (id, r, url) =>
            logger.warn(
              { system: id, file: r.file, schema: r.schema, errors: r.errorCount, deviations: r.deviations.slice(0, 10), url },
              `GBFS ${id} ${r.file} deviates from the official ${r.schema} schema (${r.errorCount} errors); read anyway, told once per file and version`,
            ),
        }),
      );

  const geocoder = buildGeocoder({
    gazetteerPaths: cfg.gazetteer,
    stations: () => live.index()?.stations ?? [],
    // One list per snapshot, each the same list until its system's next snapshot: a
    // new snapshot rebuilds only its own system's station areas.
    stationGroups: () => live.index()?.parts.map((p) => p.stations) ?? [],
    live: cfg.geocoders,
    urls: cfg.geocoderUrls,
    userAgent: USER_AGENT,
    onError: (e) => logger.warn({ err: errText(e) }, 'geocoder failed'),
  });

  // Work that depends only on the station list happens when a snapshot swaps in
  // (the --snapshot file's too: it is accepted below), not inside the first question after it;
  // the matcher's rehearsal runs after, in slices. A one-shot `ask` answers one question:
  // rehearsing the matcher for later messages would only delay it (everything is built on
  // first use anyway).
  // The geocoder's station areas are rebuilt per system whose snapshot changed, one system
  // per step of the warm-up, once arrivals settle, not once per feed inside the swap.
  // One intent model for the turns and the rehearsal: the rehearsal compiles the arbitration turns run.
  const intentModel = new IntentModel(INTENT_WEIGHTS);
  const warmup = understandingWarmup({
    turns,
    model: intentModel,
    onError: (e) => logger.warn({ err: errText(e) }, 'understanding rehearsal failed'),
    afterEach: () => geocoder.prepare?.(),
    alsoOnce: () => geocoder.rehearse?.(),
  });
  if (opts.mode === 'live') live.onChange((index) => warmup(index));
  if (cfg.snapshotFile) await live.accept(loadSnapshotFile(cfg.snapshotFile));

  const sessions = store ?? new MemoryKvStore({ maxEntries: MEMORY_SESSIONS_MAX });
  const secret = await serverSecret(sessions, cfg.serverSecret);
  const optOuts = OptOutList.withSecret(sessions, secret);
  const conversationIds = new ConversationIds(secret);
  // Declared before the pollers exist; read only when a turn finds no data.
  let pollers: FeedPoller[] = [];
  const dataOutlook = (): DataOutlook => {
    const next = pollers.map((p) => p.status.nextPollAt).filter((t): t is string => t !== null).sort()[0];
    const unreachable = pollers.some((p) => p.status.lastError !== null) || sources.some((s) => live.refusal(s.feedId) !== null);
    return { unreachable, nextTryAt: next ? new Date(next) : null };
  };
  const alerts = store ? buildAlerts(cfg, store, logger, optOuts, { ...(opts.beforeAlertSend ? { beforeSend: opts.beforeAlertSend } : {}), ...(opts.beforeAlertEnqueue ? { beforeEnqueue: opts.beforeAlertEnqueue } : {}) }) : null;
  // A server's brain remembers, per index, what each text was understood as and (with no live
  // geocoder) what it referred to: see dialog/brain-memo.ts. One-shot runs (ask, eval and the
  // benchmarks built on them) understand every message afresh, so their timings stay those of
  // understanding. A brain passed in is used as given.
  const real = defaultBrain(intentModel);
  const base = opts.brain ?? (opts.mode === 'live' ? memoisedBrain(real, { interpret: cfg.geocoders.length === 0 }) : real);
  const brain = opts.onInterpretation ? observedBrain(base, opts.onInterpretation) : base;
  // SQLite: a turn's session is written behind its answer, with the writes of the next
  // 10 ms in one commit (store/write-behind.ts). Redis: at once, for the other replicas.
  const turnSessions = sessions.kind === 'sqlite' ? new WriteBehind(sessions, { onError: (e) => logger.error({ err: errText(e) }, 'session write failed') }) : null;
  const handler = createTurnHandler({
    dataOutlook,
    brain,
    ...(alerts ? { alerts: alerts.service } : {}),
    index: () => live.index(),
    geocoder,
    sessions: turnSessions ?? sessions,
    now: () => new Date(),
    staleAfterMs: cfg.staleAfterS * 1000,
    sessionTtlMs: cfg.sessionTtlS * 1000,
    onError: (e, m) => logger.error({ err: errText(e), channel: m.channel }, 'turn failed'),
  });
  const timed = opts.onTurnTimed;
  // No rehearsal step starts while a turn is in progress (see understanding-warmup.ts).
  const handleTurn: HandleTurn = async (msg) => {
    const started = timed ? performance.now() : 0;
    const ended = warmup.turnBegins();
    try {
      return await handler(msg);
    } finally {
      ended();
      timed?.(msg.channel, (performance.now() - started) / 1000);
    }
  };

  const intervalMs = pollIntervalMs(cfg);
  let leases: FeedLeases | null = null;
  pollers = sources.map(
    (source) =>
      new FeedPoller({
        source,
        intervalMs,
        // Many systems started together drift apart (≤ 5% of an interval, ≤ 5 s); a lone feed keeps its exact cadence.
        jitterMs: sources.length > 1 ? Math.min(0.05 * intervalMs, 5000) : 0,
        // Only the test/rehearsal flag --poll-interval-ms lowers the 30 s floor; the back-off
        // ceiling shrinks with it (10 intervals) so a rehearsal's later phases still poll.
        ...(cfg.pollIntervalMs !== null ? { minIntervalMs: 100, maxBackoffMs: 10 * intervalMs } : {}),
        onSnapshot: async (s) => {
          // A suspect snapshot is neither kept nor announced: the last good one stays everywhere.
          // Only the replica holding the feed's lease polls, so only it evaluates alerts;
          // should two ever do, the outbox's setIfAbsent claim still sends each alert once.
          // The snapshot is stored only once its alerts are persisted: the stored one is the
          // "before" of a restart or of a replica taking over, so it must never be ahead of
          // what was evaluated (a kill -9 in between would lose the change's alerts; this
          // way the change is evaluated again, and the outbox's claim sends it once).
          const saved = offer(s, alerts ? () => alerts.service.onSnapshot(s).catch(() => undefined) : undefined);
          if (!saved) return;
          logger.info({ feed: s.feedId, stations: s.stations.length, asOf: s.asOf }, 'new snapshot');
          // Indexed and stored before the round ends; other replicas load it from the
          // store, so it is announced only once it is there (after its alerts were enqueued).
          await saved;
          if (leases) await leases.announce(s.feedId, s.fetchedAt);
        },
        onRound: (_outcome, status) => leases?.roundDone(status),
        onError: (e) => {
          const have = live.snapshot(source.feedId);
          const next = pollers.find((p) => p.feedId === source.feedId)?.status.nextPollAt ?? null;
          logger.warn(
            { feed: source.feedId, code: e.code, err: e.message, nextPollAt: next, ...(have ? { keepingAsOf: have.asOf } : {}) },
            have ? 'feed poll failed; keeping the last good snapshot' : 'feed poll failed; no station data yet',
          );
        },
      }),
  );
  if (opts.mode === 'live' && store && snapshots && hasCoordination(store)) {
    leases = new FeedLeases({
      store,
      pollers,
      intervalMs,
      localFetchedAt: (feedId) => live.snapshot(feedId)?.fetchedAt ?? null,
      loadShared: async (feedId) => {
        const s = await snapshots.load(feedId, sourceUrls.get(feedId));
        if (s && live.adopt(s)) {
          logger.info({ feed: feedId, stations: s.stations.length, asOf: s.asOf }, 'loaded the snapshot another replica fetched');
          // The holder evaluated it: should this replica take over, it is the "before".
          alerts?.service.prime(s);
        }
      },
      storeLocal: async (feedId) => {
        const s = live.snapshot(feedId);
        if (s) await snapshots.save(s, sourceUrls.get(feedId));
      },
      log: logger,
      // The new evaluator reads the rules from the store: any added elsewhere while it
      // followed and missed on the rules channel are indexed before its first poll.
      onTake: () => alerts?.service.reload(),
    });
  }

  if (opts.mode === 'live') {
    const restored = await live.restore(new Set(sources.map((s) => s.feedId)));
    if (restored > 0) logger.info({ snapshots: restored, asOf: live.index()?.oldestAsOf() }, 'answering from the stored snapshot while the first fetch runs');
    if (alerts) {
      // The stored snapshot is the "before" of the first fetch: a change while we were down still fires.
      for (const src of sources) {
        const s = live.snapshot(src.feedId);
        if (s) alerts.service.prime(s);
      }
      await alerts.service.start();
    }
  } else if (sources.length > 0) {
    await fetchOnce(sources, live, offer, logger);
  }

  let closed = false;
  return {
    config: cfg,
    systems,
    live,
    sources,
    pollers,
    leases,
    geocoder,
    store,
    sessions,
    optOuts,
    conversationIds,
    handleTurn,
    logger,
    alerts,
    start() {
      // The matcher's rehearsals run from now, in slices: the first answer does not wait for them.
      warmup.release();
      // With Redis the lease decides which replica polls; alone, we poll ourselves.
      if (leases) leases.start();
      // A feed answering from its stored snapshot fetches a moment later: a process's first
      // fetch loads Node's HTTP client (undici, ~50 ms of CPU), which the first answers
      // after a restart would otherwise wait for. A feed with nothing to answer from fetches at once.
      else for (const p of pollers) p.start(live.snapshot(p.feedId) ? FIRST_FETCH_AFTER_RESTORE_MS : 0);
    },
    whenData(timeoutMs) {
      if (live.index()) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        live.onChange(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await leases?.close();
      await Promise.all(pollers.map((p) => p.stop()));
      if (validator instanceof GbfsValidatorThread) await validator.close();
      await alerts?.service.close();
      await turnSessions?.flush();
      await sessions.close();
    },
  };
}

/** One fetch per feed, all at once; a failing feed is reported, and only all failing is fatal. */
async function fetchOnce(sources: FeedSource[], live: LiveData, offer: (s: Snapshot) => Promise<void> | null, logger: Logger): Promise<void> {
  const controller = new AbortController();
  const results = await Promise.allSettled(sources.map((s) => s.poll(controller.signal)));
  const failures: string[] = [];
  const pending: Array<Promise<void>> = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      // Each is checked (a suspect one is refused) and swapped in; all are indexed before we return.
      const indexed = r.value.snapshot ? offer(r.value.snapshot) : null;
      if (indexed) pending.push(indexed);
      else if (r.value.snapshot) failures.push(`${sources[i].feedId}: ${live.refusal(sources[i].feedId)?.reason ?? 'refused'}`);
    } else {
      failures.push(`${sources[i].feedId}: ${errText(r.reason)}`);
      logger.warn({ feed: sources[i].feedId, err: errText(r.reason) }, 'feed fetch failed');
    }
  });
  await Promise.all(pending);
  if (!live.index()) {
    throw new BikeBotError('FEED_NETWORK', `No station data could be fetched:\n  ${failures.join('\n  ')}`);
  }
}

function loadSnapshotFile(path: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new BikeBotError('FEED_PARSE', `--snapshot ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseBikePoints(json, { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date() });
}

/** The real understanding, telling `seen` what each interpretation resolved to. */
function observedBrain(inner: Brain, seen: (i: Interpretation) => void): Brain {
  return {
    understand: (text, ctx) => inner.understand(text, ctx),
    async interpret(u, ctx) {
      const i = await inner.interpret(u, ctx);
      seen(i);
      return i;
    },
  };
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
