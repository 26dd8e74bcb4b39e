/**
 * Builds BikeBot from a Config: feeds → snapshot store → live index, the geocoder
 * chain, sessions, and the one turn handler every channel calls. Listening and
 * signals live in src/server.ts and src/cli.ts.
 */
import { readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { BikeBotError } from './domain/errors.js';
import type { Geocoder } from './domain/place.js';
import { createTurnHandler } from './dialog/handle-turn.js';
import type { HandleTurn } from './dialog/turn-deps.js';
import type { FeedSource } from './feeds/feed-source.js';
import type { Snapshot } from './domain/station.js';
import { FeedPoller } from './feeds/poller.js';
import { parseBikePoints } from './feeds/tfl-parse.js';
import { buildGeocoder } from './geocode/build-geocoder.js';
import { LOG_REDACT_PATHS } from './channels/log-redact.js';
import { LiveData } from './live-data.js';
import type { KvStore } from './store/kv-store.js';
import { MemoryKvStore } from './store/memory-kv.js';
import { openStore } from './store/open-store.js';
import { SnapshotStore } from './store/snapshot-store.js';
import { loadSystemsConfig, type SystemsConfig } from './systems/systems-config.js';
import { sourceFor, sourceUrlFor, systemInfos } from './systems/systems-sources.js';
import type { SuspectKind } from './domain/snapshot-check.js';
import type { DataOutlook } from './dialog/turn-deps.js';
import { USER_AGENT, VERSION } from './version.js';
import { warmUnderstanding } from './domain/understand/warm.js';

/**
 * oneshot: `ask`/`eval` — fetch once, keep nothing on disk.
 * live: `serve`/`chat` — restore the stored snapshot, poll, persist, durable sessions.
 */
export type CoreMode = 'oneshot' | 'live';

export interface Core {
  config: Config;
  systems: SystemsConfig;
  live: LiveData;
  sources: FeedSource[];
  pollers: FeedPoller[];
  geocoder: Geocoder;
  /** Sessions and snapshots; null in oneshot mode (sessions then live in memory). */
  store: KvStore | null;
  sessions: KvStore;
  handleTurn: HandleTurn;
  logger: Logger;
  /** Start polling (live mode). Returns at once, not when data has arrived. */
  start(): void;
  /** Resolves true once some station data is loaded (stored or fetched), false after timeoutMs. */
  whenData(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface CoreOptions {
  mode: CoreMode;
  logger?: Logger;
  /** Upstream request outcomes, for metrics. */
  onUpstream?: (feedId: string, outcome: string) => void;
  /** A snapshot refused as FEED_SUSPECT, for metrics. */
  onRefused?: (feedId: string, kind: SuspectKind) => void;
}

export function createLogger(cfg: Config, destination: 'stdout' | 'stderr'): Logger {
  // Message text and phone numbers never reach the logs (see LOG_REDACT_PATHS).
  return pino({ level: cfg.logLevel, base: { app: 'bikebot' }, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, pino.destination({ fd: destination === 'stdout' ? 1 : 2, sync: true }));
}

export async function buildCore(cfg: Config, opts: CoreOptions): Promise<Core> {
  const logger = opts.logger ?? createLogger(cfg, 'stderr');
  const systems = loadSystemsConfig(cfg.configFile);
  const store = opts.mode === 'live' && !cfg.snapshotFile ? await openStore({ dataDir: cfg.dataDir, redisUrl: cfg.redisUrl, onError: (e) => logger.warn({ err: e.message }, 'store connection trouble') }) : null;
  const snapshots = store ? new SnapshotStore(store, { onWarning: (m) => logger.warn(m) }) : null;
  const sourceUrls = new Map(systems.systems.map((entry) => [entry.id, sourceUrlFor(entry, cfg.tflUrl)]));
  const live = new LiveData(systemInfos(systems), snapshots, (e, what) => logger.error({ err: errText(e) }, `failed ${what}`), {
    check: { maxStationLoss: cfg.suspectStationLoss, maxBadCounts: cfg.suspectBadCounts },
    sourceOf: (feedId) => sourceUrls.get(feedId),
  });
  /** Check a fetched snapshot; a suspect one is logged, counted and leaves the last good one in place. */
  const offer = (s: Snapshot): boolean => {
    const verdict = live.offer(s);
    if (verdict.ok) return true;
    const err = new BikeBotError('FEED_SUSPECT', `${s.feedId}: ${verdict.reason}`);
    logger.warn({ feed: s.feedId, code: err.code, kind: verdict.kind, stations: s.stations.length, keeping: live.snapshot(s.feedId)?.asOf ?? null }, `snapshot refused as suspect: ${verdict.reason}; ${live.snapshot(s.feedId) ? 'keeping the last good snapshot' : 'there is no earlier snapshot to keep'}`);
    opts.onRefused?.(s.feedId, verdict.kind);
    return false;
  };

  const sources = cfg.snapshotFile
    ? []
    : systems.systems.map((entry) =>
        sourceFor(entry, {
          userAgent: USER_AGENT,
          version: VERSION,
          timeoutMs: cfg.requestTimeoutS * 1000,
          maxBodyBytes: cfg.feedMaxBytes,
          tflUrl: cfg.tflUrl,
          tflAppKey: cfg.tflAppKey,
          statusFloorS: cfg.pollIntervalS,
          onRequest: (i) => opts.onUpstream?.(entry.id, i.outcome),
          onNote: (id, note) => logger.debug({ system: id }, note),
        }),
      );

  const geocoder = buildGeocoder({
    gazetteerPaths: cfg.gazetteer,
    stations: () => live.index()?.stations ?? [],
    live: cfg.geocoders,
    urls: cfg.geocoderUrls,
    userAgent: USER_AGENT,
    onError: (e) => logger.warn({ err: errText(e) }, 'geocoder failed'),
  });

  // Work that depends only on the station list happens when a snapshot swaps in
  // (the --snapshot file's too: it is accepted below), not inside the first question after it.
  live.onChange((index) => {
    warmUnderstanding(index);
    geocoder.prepare?.();
  });
  if (cfg.snapshotFile) await live.accept(loadSnapshotFile(cfg.snapshotFile));

  const sessions = store ?? new MemoryKvStore();
  // Declared before the pollers exist; read only when a turn finds no data.
  let pollers: FeedPoller[] = [];
  const dataOutlook = (): DataOutlook => {
    const next = pollers.map((p) => p.status.nextPollAt).filter((t): t is string => t !== null).sort()[0];
    const unreachable = pollers.some((p) => p.status.lastError !== null) || sources.some((s) => live.refusal(s.feedId) !== null);
    return { unreachable, nextTryAt: next ? new Date(next) : null };
  };
  const handleTurn = createTurnHandler({
    dataOutlook,
    index: () => live.index(),
    geocoder,
    sessions,
    now: () => new Date(),
    staleAfterMs: cfg.staleAfterS * 1000,
    sessionTtlMs: cfg.sessionTtlS * 1000,
    onError: (e, m) => logger.error({ err: errText(e), channel: m.channel }, 'turn failed'),
  });

  pollers = sources.map(
    (source) =>
      new FeedPoller({
        source,
        intervalMs: cfg.pollIntervalS * 1000,
        onSnapshot: (s) => {
          if (offer(s)) logger.info({ feed: s.feedId, stations: s.stations.length, asOf: s.asOf }, 'new snapshot');
        },
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

  if (opts.mode === 'live') {
    const restored = await live.restore(new Set(sources.map((s) => s.feedId)));
    if (restored > 0) logger.info({ snapshots: restored, asOf: live.index()?.oldestAsOf() }, 'answering from the stored snapshot while the first fetch runs');
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
    geocoder,
    store,
    sessions,
    handleTurn,
    logger,
    start() {
      for (const p of pollers) p.start();
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
      await Promise.all(pollers.map((p) => p.stop()));
      await sessions.close();
    },
  };
}

/** One fetch per feed, all at once; a failing feed is reported, and only all failing is fatal. */
async function fetchOnce(sources: FeedSource[], live: LiveData, offer: (s: Snapshot) => boolean, logger: Logger): Promise<void> {
  const controller = new AbortController();
  const results = await Promise.allSettled(sources.map((s) => s.poll(controller.signal)));
  const failures: string[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') {
      if (r.value.snapshot && !offer(r.value.snapshot)) failures.push(`${sources[i].feedId}: ${live.refusal(sources[i].feedId)?.reason ?? 'refused'}`);
    } else {
      failures.push(`${sources[i].feedId}: ${errText(r.reason)}`);
      logger.warn({ feed: sources[i].feedId, err: errText(r.reason) }, 'feed fetch failed');
    }
  });
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

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
