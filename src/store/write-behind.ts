import { normalizeTtl } from './kv-store.js';

/** The part of a KvStore a write-behind layer stands in front of. */
export interface KeyValues {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface WriteBehindOptions {
  /** How long a write may wait for others to share its commit, ms (default 10). */
  delayMs?: number;
  /** Writes pending beyond this are handed on at once (default 512). */
  maxPending?: number;
  /** Told when handing writes on failed: nobody awaits them any more. */
  onError: (err: unknown) => void;
}

interface Pending {
  value: string;
  ttlMs: number | undefined;
  /** When a value with a TTL stops being readable here (as the store would drop it), ms since the epoch. */
  expiresAt: number;
}

/**
 * Conversation sessions written behind the answer. A turn's session write used to be
 * awaited, and SQLite committed each event-loop turn's writes — one to three rows a
 * commit at ten connections, each commit writing its B-tree pages to the WAL again
 * (~30 µs of CPU a row against ~14 µs in commits of a hundred). Here a write is
 * readable at once (a follow-up in the same process finds it before it reaches the
 * store) and is handed on with every other write of the next `delayMs`, which the
 * store then commits together. The cost: an answer no longer waits for its session to
 * be durable, so a crash loses at most the last `delayMs` of sessions (their
 * conversations start afresh), and a failed write is logged (`onError`) instead of
 * being told to the person in their answer. Deletes are not delayed (see delete()). Used in front of SQLite only: with Redis,
 * another replica must find the session at once, and memory has no commit to share.
 */
export class WriteBehind implements KeyValues {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  /** Hand-offs not yet settled, so flush() waits for what an earlier timer started. */
  private inFlight: Promise<void> = Promise.resolve();
  private readonly delayMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly inner: KeyValues,
    private readonly opts: WriteBehindOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.delayMs = opts.delayMs ?? 10;
    this.maxPending = opts.maxPending ?? 512;
  }

  get(key: string): Promise<string | null> {
    const p = this.pending.get(key);
    if (p === undefined) return this.inner.get(key);
    return Promise.resolve(p.expiresAt > this.now() ? p.value : null);
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    let ttl: number | undefined;
    try {
      // A bad TTL is refused here, where the caller still hears of it.
      ttl = normalizeTtl(ttlMs);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.put(key, { value, ttlMs: ttl, expiresAt: ttl === undefined ? Infinity : this.now() + ttl });
  }

  /**
   * Straight through, and awaited: a delete is "forget me" or "cancel", whose answer says
   * the conversation is gone, so it is gone (from the store) before the answer goes out.
   * A write of the key still waiting here is dropped; one handed on already is ahead of
   * the delete in the store's own order.
   */
  delete(key: string): Promise<void> {
    this.pending.delete(key);
    return this.inner.delete(key);
  }

  /** Hands every pending write on now and resolves when the store has them (call before closing it). */
  async flush(): Promise<void> {
    this.handOn();
    await this.inFlight;
  }

  private put(key: string, w: Pending): Promise<void> {
    this.pending.delete(key);
    this.pending.set(key, w);
    if (this.pending.size >= this.maxPending) this.handOn();
    else this.timer ??= setTimeout(() => this.handOn(), this.delayMs);
    return Promise.resolve();
  }

  /** All pending writes in one synchronous run: a batching store (SQLite) commits them in one transaction. */
  private handOn(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const writes = this.pending;
    this.pending = new Map();
    const done: Array<Promise<void>> = [];
    for (const [key, w] of writes) {
      try {
        done.push(this.inner.set(key, w.value, w.ttlMs));
      } catch (e) {
        done.push(Promise.reject(e));
      }
    }
    // One report per failed hand-off (a batch fails as a whole in SQLite).
    const settled = Promise.allSettled(done).then((rs) => {
      const failed = rs.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) this.opts.onError(failed.reason);
    });
    this.inFlight = Promise.all([this.inFlight, settled]).then(() => undefined);
  }
}
