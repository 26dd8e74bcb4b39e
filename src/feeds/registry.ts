import type { FeedSource } from './feed-source.js';
import { TflSource, type TflSourceOptions } from './tfl-source.js';
import { GbfsSource, type GbfsSourceOptions } from './gbfs-source.js';

/**
 * Feed kinds by the `kind` a system has in the config. Each entry builds a source from
 * its own typed options; GBFS adds `gbfs: (opts: GbfsSourceOptions) => new GbfsSource(opts)`.
 */
export const FEED_KINDS = {
  tfl: (opts: TflSourceOptions): FeedSource => new TflSource(opts),
  gbfs: (opts: GbfsSourceOptions): FeedSource => new GbfsSource(opts),
} satisfies Record<string, (opts: never) => FeedSource>;

export type FeedKind = keyof typeof FEED_KINDS;
export type FeedOptions<K extends FeedKind> = Parameters<(typeof FEED_KINDS)[K]>[0];

/** Build a source of a kind named at run time (from the config), with that kind's options. */
export function createFeedSource<K extends FeedKind>(kind: K, opts: FeedOptions<K>): FeedSource {
  const make = FEED_KINDS[kind] as (o: FeedOptions<K>) => FeedSource;
  return make(opts);
}

export function isFeedKind(kind: string): kind is FeedKind {
  return Object.prototype.hasOwnProperty.call(FEED_KINDS, kind);
}
