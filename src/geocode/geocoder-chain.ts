import type { Geocoder, Place } from '../domain/place.js';
import { LruCache } from './lru-cache.js';
import { isExact } from './place-ranking.js';

/**
 * A partial match is never surer than an exact one found elsewhere: the exact
 * name's doubt (namesakes far apart) is the doubt about the whole phrase.
 */
function capPartials(places: Place[]): void {
  let exact = -1;
  for (const p of places) if (isExact(p) && p.confidence > exact) exact = p.confidence;
  if (exact < 0) return;
  for (const [i, p] of places.entries()) if (!isExact(p) && p.confidence > exact) places[i] = { ...p, confidence: exact };
}

/** A geocoder that can answer without I/O; the chain calls it without a promise per step. */
export interface SyncGeocoder extends Geocoder {
  lookupSync(query: string, opts?: { near?: { lat: number; lon: number } }): Place[];
}

export function isSyncGeocoder(g: Geocoder): g is SyncGeocoder {
  return typeof (g as Partial<SyncGeocoder>).lookupSync === 'function';
}

export interface GeocoderChainOptions {
  /** Local geocoders, in order of preference (coordinates, postcode, gazetteer, station areas). */
  local: readonly Geocoder[];
  /** Live geocoders, asked in order only while no confident answer is found. */
  live?: readonly Geocoder[];
  /** The confidence at which an answer is taken and the chain stops (default 0.6). */
  minConfidence?: number;
  cacheSize?: number;
  cacheTtlMs?: number;
  /** A live geocoder failed (or was rate-limited): the chain carried on without it. */
  onError?: (e: unknown, geocoder: string) => void;
  now?: () => number;
  /** Places returned at most (default 5). */
  limit?: number;
}

const MAX_QUERY_CHARS = 300;

/**
 * The whole place resolution behind one Geocoder. Local geocoders cost
 * microseconds, so all of them are asked and the most confident answer wins (the
 * area "Bloomsbury" beats the "Bloomsbury Theatre"); live ones are asked in order,
 * one at a time, only while nothing local is confident. Answers are cached per
 * query; an answer reached while a live geocoder was failing is not, so the next
 * ask tries it again.
 */
export class GeocoderChain implements Geocoder {
  readonly name = 'chain';
  private readonly local: readonly Geocoder[];
  private readonly live: readonly Geocoder[];
  private readonly minConfidence: number;
  private readonly cache: LruCache<Place[]>;
  private readonly onError?: (e: unknown, geocoder: string) => void;
  private readonly limit: number;
  readonly stats = { lookups: 0, cacheHits: 0, liveCalls: 0, liveFailures: 0 };

  constructor(opts: GeocoderChainOptions) {
    this.local = opts.local;
    this.live = opts.live ?? [];
    this.minConfidence = opts.minConfidence ?? 0.6;
    this.cache = new LruCache({ max: opts.cacheSize ?? 5000, ttlMs: opts.cacheTtlMs ?? 3600_000, now: opts.now });
    this.onError = opts.onError;
    this.limit = opts.limit ?? 5;
  }

  clearCache(): void {
    this.cache.clear();
  }

  private key(query: string, near?: { lat: number; lon: number }): string {
    const q = query.toLowerCase().replace(/['\u2019\u02bc`]/g, '').replace(/\s+/g, ' ').trim();
    return near ? `${q}@${near.lat.toFixed(2)},${near.lon.toFixed(2)}` : q;
  }

  async lookup(query: string, opts: { signal?: AbortSignal; near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    this.stats.lookups++;
    if (typeof query !== 'string') return [];
    const q = query.length > MAX_QUERY_CHARS ? query.slice(0, MAX_QUERY_CHARS) : query;
    if (!q.trim()) return [];
    const key = this.key(q, opts.near);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      return hit.map((p) => ({ ...p }));
    }
    const found: Place[] = [];
    let complete = true;
    for (const g of this.local) {
      try {
        const r = isSyncGeocoder(g) ? g.lookupSync(q, { near: opts.near }) : await g.lookup(q, opts);
        found.push(...r);
      } catch (e) {
        complete = false;
        this.onError?.(e, g.name);
      }
    }
    capPartials(found);
    if (!this.confident(found)) {
      for (const g of this.live) {
        if (opts.signal?.aborted) {
          complete = false;
          break;
        }
        this.stats.liveCalls++;
        try {
          found.push(...(await g.lookup(q, opts)));
        } catch (e) {
          complete = false;
          this.stats.liveFailures++;
          this.onError?.(e, g.name);
          continue;
        }
        if (this.confident(found)) break;
      }
    }
    const ranked = this.rank(found);
    if (complete) this.cache.set(key, ranked);
    return ranked.map((p) => ({ ...p }));
  }

  private confident(places: readonly Place[]): boolean {
    return places.some((p) => p.confidence >= this.minConfidence);
  }

  /** Most confident first; on equal confidence the earlier geocoder's answer (stable sort). */
  private rank(places: readonly Place[]): Place[] {
    return places
      .map((p, i) => ({ p, i }))
      .sort((a, b) => b.p.confidence - a.p.confidence || a.i - b.i)
      .slice(0, this.limit)
      .map((x) => x.p);
  }
}
