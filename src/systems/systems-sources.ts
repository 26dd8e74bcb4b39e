/**
 * From the systems config to running feeds: one FeedSource per configured system,
 * each built through the feed registry with its kind's own options.
 */
import type { SystemInfo } from '../domain/station.js';
import type { ConditionalHttpOptions } from '../feeds/conditional-http.js';
import type { FeedSource } from '../feeds/feed-source.js';
import type { HostLimiter } from '../feeds/host-limiter.js';
import { createFeedSource } from '../feeds/registry.js';
import type { SchemaChecker, ValidationReport } from '../feeds/gbfs-validate.js';
import type { TurnQueue } from '../util/turn-queue.js';
import { toSystemInfo, type SystemEntry, type SystemsConfig } from './systems-config.js';

export interface SourcesOptions {
  userAgent: string;
  /** BikeBot's version (TfL builds its own User-Agent from it). */
  version: string;
  timeoutMs: number;
  /** Largest upstream body read (config.feedMaxBytes). */
  maxBodyBytes?: number;
  /** One per process: caps the requests in flight to each host over all systems. */
  limiter?: HostLimiter;
  /** TfL API base when the tfl entry has no url (config.tflUrl). */
  tflUrl: string;
  tflAppKey?: string | null;
  /** Floor for GBFS station_status polling, seconds (config.pollIntervalS is a good value). */
  statusFloorS?: number;
  onRequest?: ConditionalHttpOptions['onRequest'];
  /** Tolerated oddities (skipped stations, missing optional files), for the log. */
  onNote?: (systemId: string, note: string) => void;
  /** Checks GBFS documents against the official schemas; one validator serves every system. */
  validator?: SchemaChecker | null;
  /** A GBFS document deviates from its schema: told once per system, file and version. */
  onDeviation?: (systemId: string, report: ValidationReport, url: string) => void;
  /** One per process: GBFS parses, schema checks and station builds take turns of the event loop (see TurnQueue). */
  turns?: TurnQueue | null;
}

export function systemInfos(cfg: SystemsConfig): SystemInfo[] {
  return cfg.systems.map(toSystemInfo);
}

export function sourceFor(entry: SystemEntry, opts: SourcesOptions): FeedSource {
  const system = toSystemInfo(entry);
  if (entry.kind === 'tfl') {
    return createFeedSource('tfl', { baseUrl: entry.url ?? opts.tflUrl, appKey: opts.tflAppKey ?? null, version: opts.version, timeoutMs: opts.timeoutMs, maxBodyBytes: opts.maxBodyBytes, system, feedId: entry.id, onRequest: opts.onRequest, limiter: opts.limiter });
  }
  return createFeedSource('gbfs', {
    system,
    url: entry.url,
    files: entry.files,
    language: entry.language,
    http: { userAgent: opts.userAgent, timeoutMs: opts.timeoutMs, onRequest: opts.onRequest, limiter: opts.limiter, ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}) },
    statusFloorS: opts.statusFloorS,
    onNote: opts.onNote && ((n) => opts.onNote?.(entry.id, n)),
    validator: opts.validator ?? null,
    onDeviation: opts.onDeviation && ((r, url) => opts.onDeviation?.(entry.id, r, url)),
    turns: opts.turns ?? null,
  });
}

export function sourcesFor(cfg: SystemsConfig, opts: SourcesOptions): FeedSource[] {
  return cfg.systems.map((s) => sourceFor(s, opts));
}

/** The URL a system is polled from, which its stored snapshots are keyed by. */
export function sourceUrlFor(entry: SystemEntry, tflUrl: string): string {
  return entry.kind === 'tfl' ? (entry.url ?? tflUrl) : (entry.url ?? entry.id);
}
