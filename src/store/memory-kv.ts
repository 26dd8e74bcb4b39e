import { closedStoreError, normalizeTtl, type KvStore } from './kv-store.js';

export interface MemoryKvOptions {
  /** Clock in epoch ms; injectable so TTL tests need no real waiting. */
  now?: () => number;
  /** How often expired entries are dropped even if nobody reads them; 0 disables. Default 60 s. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  expiresAt: number | null;
}

/**
 * Process-local store for a single instance and for tests. Expiry is checked on
 * every read (so a TTL is exact), and a periodic sweep bounds memory for keys
 * nobody reads again, like abandoned conversations.
 */
export class MemoryKvStore implements KvStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(opts: MemoryKvOptions = {}) {
    this.now = opts.now ?? Date.now;
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
        this.entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async get(key: string): Promise<string | null> {
    this.assertOpen();
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.assertOpen();
    const ttl = normalizeTtl(ttlMs);
    this.entries.set(key, { value, expiresAt: ttl === undefined ? null : this.now() + ttl });
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    this.entries.delete(key);
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.assertOpen();
    const ttl = normalizeTtl(ttlMs) as number;
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: this.now() + ttl });
    return true;
  }

  async setIfAbsentMany(entries: ReadonlyArray<{ key: string; value: string }>, ttlMs: number): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const e of entries) out.push(await this.setIfAbsent(e.key, e.value, ttlMs));
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

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt !== null && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private assertOpen(): void {
    if (this.closed) throw closedStoreError(this.kind);
  }
}
