import { KeyCounts } from './key-counts.js';
import { closedStoreError, normalizeTtl, type KvStore } from './kv-store.js';

export interface MemoryKvOptions {
  /** Clock in epoch ms; injectable so TTL tests need no real waiting. */
  now?: () => number;
  /** How often expired entries are dropped even if nobody reads them; 0 disables. Default 60 s. */
  sweepIntervalMs?: number;
  /**
   * Most entries kept; beyond it the least recently used goes first. Default
   * unbounded. Sessions set it, so a flood of one-message conversations costs a
   * fixed amount of memory however long their TTL.
   */
  maxEntries?: number;
}

interface Entry {
  value: string;
  expiresAt: number | null;
}

/**
 * Process-local store for a single instance and for tests: a least-recently-used
 * map with per-key TTL. Expiry is checked on every read (so a TTL is exact), and a
 * periodic sweep bounds memory for keys nobody reads again, like abandoned
 * conversations. A Map iterates in insertion order, so re-inserting an entry on
 * use keeps the least recently used one first, to be evicted in O(1).
 */
export class MemoryKvStore implements KvStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly counts = new KeyCounts();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(opts: MemoryKvOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.maxEntries = Math.max(1, opts.maxEntries ?? Infinity);
    const every = opts.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.timer = setInterval(() => this.sweep(), every);
      // A cache must never be the reason a CLI run or a test process stays alive.
      this.timer.unref();
    }
  }

  /** Number of live entries (expired ones are not counted). */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  /** Drop every expired entry now; returns how many went. */
  sweep(): number {
    const now = this.now();
    let removed = 0;
    for (const [key, e] of this.entries) {
      if (e.expiresAt !== null && e.expiresAt <= now) {
        this.drop(key);
        removed++;
      }
    }
    return removed;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    const e = this.live(key);
    if (!e) return null;
    this.touch(key, e);
    return e.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.assertOpen();
    const ttl = normalizeTtl(ttlMs);
    this.put(key, { value, expiresAt: ttl === undefined ? null : this.now() + ttl });
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    this.drop(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    const ttl = normalizeTtl(ttlMs) as number;
    if (this.live(key)) return false;
    this.put(key, { value, expiresAt: this.now() + ttl });
    return true;
  }

  async setIfAbsentMany(entries: ReadonlyArray<{ key: string; value: string }>, ttlMs: number, alsoDelete: readonly string[] = []): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const e of entries) out.push(await this.setIfAbsent(e.key, e.value, ttlMs));
    for (const k of alsoDelete) this.drop(k);
    return out;
  }

  async keys(prefix: string): Promise<string[]> {
    this.assertOpen();
    const now = this.now();
    const out: string[] = [];
    for (const [key, e] of this.entries) {
      if (key.startsWith(prefix) && (e.expiresAt === null || e.expiresAt > now)) out.push(key);
    }
    return out.sort();
  }

  count(namespace: string): number {
    this.assertOpen();
    return this.counts.get(namespace);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    this.entries.clear();
    this.counts.clear();
  }

  private put(key: string, e: Entry): void {
    if (this.entries.delete(key)) this.counts.removed(key);
    this.entries.set(key, e);
    this.counts.added(key);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.drop(oldest);
    }
  }

  private touch(key: string, e: Entry): void {
    // Most recently used goes last; only worth the two Map operations when bounded.
    if (this.maxEntries === Infinity) return;
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private drop(key: string): void {
    if (this.entries.delete(key)) this.counts.removed(key);
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.drop(key);
      return undefined;
    }
    return e;
  }

  private assertOpen(): void {
    if (this.closed) throw closedStoreError(this.kind);
  }
}
