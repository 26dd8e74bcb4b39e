import { BikeBotError } from '../domain/errors.js';
import type { Geocoder, Place } from '../domain/place.js';
import { LruCache } from './lru-cache.js';
import { normaliseKey, tokenize } from './normalise.js';
import { TokenBucket } from './token-bucket.js';

export interface LiveGeocoderOptions {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** Sent on every request; Nominatim's policy requires one that names the application. */
  userAgent: string;
  timeoutMs?: number;
  /** Upstream requests per second on average (default 1) and at once (default 1). */
  ratePerSec?: number;
  burst?: number;
  cacheTtlMs?: number;
  cacheSize?: number;
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch;
  now?: () => number;
}

export interface LiveGeocoderStats {
  requests: number;
  cacheHits: number;
  rateLimited: number;
  failures: number;
}

export type LookupOpts = { signal?: AbortSignal; near?: { lat: number; lon: number } };

/**
 * What every HTTP geocoder shares: one cache entry per normalised query (answers,
 * including "nothing", are kept; failures are not), one upstream request per query
 * however many people ask at once, and a token bucket so that our traffic never
 * becomes theirs. A refused token is an error (OVERLOADED), so a caller can tell
 * "skipped" from "nothing there" and not cache the skip.
 */
export abstract class LiveGeocoder implements Geocoder {
  abstract readonly name: string;
  readonly stats: LiveGeocoderStats = { requests: 0, cacheHits: 0, rateLimited: 0, failures: 0 };
  protected readonly opts: Required<Pick<LiveGeocoderOptions, 'baseUrl' | 'userAgent' | 'timeoutMs'>> & LiveGeocoderOptions;
  private readonly cache: LruCache<Place[]>;
  private readonly bucket: TokenBucket;
  private readonly inflight = new Map<string, Promise<Place[]>>();

  constructor(opts: LiveGeocoderOptions) {
    this.opts = { ...opts, baseUrl: opts.baseUrl.replace(/\/+$/, ''), timeoutMs: opts.timeoutMs ?? 2000 };
    this.cache = new LruCache({ max: opts.cacheSize ?? 2000, ttlMs: opts.cacheTtlMs ?? 24 * 3600_000, now: opts.now });
    this.bucket = new TokenBucket({ ratePerSec: opts.ratePerSec ?? 1, burst: opts.burst ?? 1, now: opts.now });
  }

  /** Does this query concern this geocoder at all? (postcodes.io only takes postcodes.) */
  protected accepts(_query: string): boolean {
    return true;
  }

  /** Queries with one key share one cache entry and one request. */
  protected cacheKey(query: string): string {
    return normaliseKey(query) || query.toLowerCase();
  }

  /** One upstream request; throws BikeBotError GEOCODER_HTTP / GEOCODER_NETWORK. */
  protected abstract request(query: string, opts: LookupOpts): Promise<Place[]>;

  protected headers(): Record<string, string> {
    return { 'user-agent': this.opts.userAgent };
  }

  async lookup(query: string, opts: LookupOpts = {}): Promise<Place[]> {
    const q = query.replace(/\s+/g, ' ').trim();
    if (!q || q.length > 200 || !this.accepts(q)) return [];
    const key = this.cacheKey(q);
    const hit = this.cache.get(key);
    if (hit) {
      this.stats.cacheHits++;
      return hit;
    }
    const pending = this.inflight.get(key);
    if (pending) return pending;
    if (!this.bucket.tryTake()) {
      this.stats.rateLimited++;
      throw new BikeBotError('OVERLOADED', `${this.name}: local rate limit reached`, { retryAfterS: Math.max(1, Math.ceil(this.bucket.msUntilNext() / 1000)) });
    }
    this.stats.requests++;
    const p = this.request(q, opts)
      .then((places) => {
        this.cache.set(key, places);
        return places;
      })
      .catch((e: unknown) => {
        this.stats.failures++;
        throw e;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }
}

/**
 * How much of what was asked a returned name explains: an upstream search always
 * returns something, and "something" is not "what was meant".
 */
export function nameRecall(query: string, name: string): number {
  const q = [...new Set(tokenize(query))];
  if (q.length === 0) return 0;
  const n = new Set(tokenize(name));
  return q.filter((t) => n.has(t)).length / q.length;
}

/** Rounds to 3 decimals within 0..1. */
export function clampConfidence(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function toNumber(x: unknown): number | null {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return Number.isFinite(n) ? n : null;
}
