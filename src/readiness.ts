/**
 * What /readyz says. `ready`: fresh data and nothing refused. `degraded` (still 200,
 * a load balancer keeps sending traffic): answering, but from data older than
 * --degraded-after or while refusing a feed's suspect data; the reasons say which.
 * `not_ready` (503): no data, or data older than --not-ready-after, which no
 * replica should be answering from.
 */
import type { StationIndex } from './domain/station-index.js';
import type { PollerStatus } from './feeds/poller.js';
import type { Refusal } from './live-data.js';
import { ageS } from './util/age.js';

export type ReadinessStatus = 'ready' | 'degraded' | 'not_ready';

export interface FeedReadiness {
  feedId: string;
  /** Newest observation in this feed's loaded snapshot; null without one. */
  asOf: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  nextPollAt: string | null;
  /** The feed's latest data was refused as FEED_SUSPECT (the last good snapshot stays). */
  refused: { at: string; reason: string } | null;
}

export interface Readiness {
  status: ReadinessStatus;
  /** False only for not_ready. */
  ready: boolean;
  /** Why not ready, or why degraded; empty when ready. */
  reasons: string[];
  snapshotAgeS: number | null;
  stations: number;
  feeds: FeedReadiness[];
}

export interface ReadinessThresholds {
  degradedAfterS: number;
  notReadyAfterS: number;
}

export interface FeedState {
  status: Readonly<PollerStatus>;
  asOf: string | null;
  refusal: Refusal | null;
}

export function assessReadiness(index: StationIndex | null, feeds: readonly FeedState[], t: ReadinessThresholds, now = Date.now()): Readiness {
  const snapshotAgeS = ageS(index?.oldestAsOf() ?? null, now);
  const stations = index?.size ?? 0;
  const feedViews: FeedReadiness[] = feeds.map((f) => ({
    feedId: f.status.feedId,
    asOf: f.asOf,
    lastSuccessAt: f.status.lastSuccessAt,
    lastError: f.status.lastError ? `${f.status.lastError.code}: ${f.status.lastError.message}` : null,
    nextPollAt: f.status.nextPollAt,
    refused: f.refusal ? { at: f.refusal.at, reason: f.refusal.reason } : null,
  }));
  const notReady: string[] = [];
  const degraded: string[] = [];
  if (stations === 0 || snapshotAgeS === null) {
    const errors = feedViews.filter((f) => f.lastError).map((f) => `${f.feedId}: ${f.lastError}`);
    notReady.push(`no station data yet${errors.length ? ` (${errors.join('; ')})` : ''}`);
  } else if (snapshotAgeS > t.notReadyAfterS) {
    notReady.push(`the data is ${snapshotAgeS} s old, over the ${t.notReadyAfterS} s limit`);
  } else if (snapshotAgeS > t.degradedAfterS) {
    degraded.push(`serving data ${snapshotAgeS} s old (stale after ${t.degradedAfterS} s)`);
  }
  for (const f of feedViews) {
    if (f.refused) degraded.push(`refusing suspect data from ${f.feedId} since ${f.refused.at}: ${f.refused.reason}`);
    if (stations > 0 && f.asOf === null) degraded.push(`no data from ${f.feedId}${f.lastError ? ` (${f.lastError})` : ''}`);
  }
  const status: ReadinessStatus = notReady.length ? 'not_ready' : degraded.length ? 'degraded' : 'ready';
  return { status, ready: status !== 'not_ready', reasons: [...notReady, ...degraded], snapshotAgeS, stations, feeds: feedViews };
}
