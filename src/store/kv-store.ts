import { BikeBotError } from '../domain/errors.js';

/**
 * The one storage contract BikeBot needs: string values under string keys, with an
 * optional time to live. Memory, SQLite and Redis implement it and pass one shared
 * contract test suite (test/store/kv-contract.ts).
 *
 * Every method of a closed store rejects with STORE_UNAVAILABLE, so a late writer
 * during shutdown gets a clear error instead of touching a released handle.
 */
export interface KvStore {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  get(key: string): Promise<string | null>;
  /** ttlMs: the key disappears after that long; omitted: kept until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Set only if absent (with TTL); true when this call set it. Used for leases/locks. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * Many setIfAbsent in one write (SQLite: one transaction; Redis: one script per
   * chunk of keys, all in one round trip). Each key is claimed or not on its own;
   * the result says which, in order. alsoDelete: keys removed in the same write (the
   * alert engine's one-shot rules that fired), so a caller needs no second commit.
   */
  setIfAbsentMany(entries: ReadonlyArray<{ key: string; value: string }>, ttlMs: number, alsoDelete?: readonly string[]): Promise<boolean[]>;
  /** Keys starting with prefix, sorted (for counts and listings, not for hot paths). */
  keys(prefix: string): Promise<string[]>;
  /**
   * Keys in a namespace ("session:" — up to and including the first ':') without
   * walking them: a counter the store keeps as keys come and go. It may still count
   * keys that expired since the last sweep. Stores that cannot count cheaply leave
   * it out and callers fall back to keys().
   */
  count?(namespace: string): number;
  close(): Promise<void>;
}

/**
 * TTLs are whole milliseconds because Redis PX is; rounding up means a key never
 * lives shorter than asked. Zero, negative or non-finite TTLs are caller bugs and
 * are refused rather than read as "forever" or "already gone".
 */
export function normalizeTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new BikeBotError('INVALID_INPUT', `TTL must be a positive number of milliseconds, got ${String(ttlMs)}`);
  }
  return Math.ceil(ttlMs);
}

export function closedStoreError(kind: KvStore['kind']): BikeBotError {
  return new BikeBotError('STORE_UNAVAILABLE', `the ${kind} store has been closed`);
}
