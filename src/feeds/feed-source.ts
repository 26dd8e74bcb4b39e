import type { Snapshot, SystemInfo } from '../domain/station.js';

export interface PollResult {
  /** A new snapshot, or null when upstream said nothing changed (304). */
  snapshot: Snapshot | null;
  /** When the feed itself asks to be polled next (Cache-Control max-age, GBFS ttl), in ms; null: no opinion. */
  nextPollInMs: number | null;
}

/**
 * One upstream feed (TfL BikePoint, one GBFS system). The poller owns timing,
 * single-flight and back-off; a source only knows how to fetch and parse one round.
 * Failures are thrown as BikeBotError (FEED_HTTP, FEED_NETWORK, FEED_TIMEOUT,
 * FEED_PARSE, FEED_RATE_LIMITED with retryAfterS).
 */
export interface FeedSource {
  readonly feedId: string;
  readonly system: SystemInfo;
  poll(signal: AbortSignal): Promise<PollResult>;
}
