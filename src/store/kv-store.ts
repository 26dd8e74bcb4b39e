/**
 * The one storage contract BikeBot needs: string values under string keys, with an
 * optional time to live. Memory, SQLite and Redis implement it and pass one shared
 * contract test suite (test/store/kv-contract.ts).
 */
export interface KvStore {
  readonly kind: 'memory' | 'sqlite' | 'redis';
  get(key: string): Promise<string | null>;
  /** ttlMs: the key disappears after that long; omitted: kept until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Set only if absent (with TTL); true when this call set it. Used for leases/locks. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Keys starting with prefix (for counts and listings, not for hot paths). */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}
