import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Coordination } from '../store/coordination.js';
import type { KvStore } from '../store/kv-store.js';
import type { FeedPoller, PollerStatus } from './poller.js';

export const LEASE_KEY_PREFIX = 'lease:feed:';
export const POLL_STATE_KEY_PREFIX = 'pollstate:';
export const SNAPSHOT_CHANNEL = 'snapshots';

/** What the holder shares after every round, so a successor keeps its schedule. */
export interface PollState {
  /** Epoch ms of the next planned poll (interval, back-off or Retry-After already applied). */
  nextAt: number;
  lastAt: number;
  /** fetchedAt of the newest snapshot the holder stored, so followers can catch up. */
  fetchedAt: string | null;
  holder: string;
}

export interface FeedLeaseLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FeedLeasesOptions {
  store: Coordination & Pick<KvStore, 'get' | 'set'>;
  pollers: readonly FeedPoller[];
  intervalMs: number;
  /** fetchedAt of the snapshot this replica holds for the feed, or null. */
  localFetchedAt: (feedId: string) => string | null;
  /** Load the feed's stored snapshot and swap it in (a follower catching up). */
  loadShared: (feedId: string) => Promise<void>;
  /**
   * Store this replica's snapshot of the feed for the others. Called on taking a lease
   * whose shared state is gone (a Redis that restarted empty): the next polls may all be
   * 304s, and a replica starting meanwhile must still find data.
   */
  storeLocal: (feedId: string) => Promise<void>;
  log: FeedLeaseLog;
  /**
   * This replica took the feed's lease and is about to poll: whatever only the
   * poller does (alert evaluation) gets ready first. The stored snapshot has been
   * loaded by then (loadShared).
   */
  onTake?: (feedId: string) => void;
  /** Shown in logs and lease values; default host:pid. */
  instanceId?: string;
  now?: () => number;
}

export interface FeedLeaseStatus {
  feedId: string;
  held: boolean;
}

/**
 * One poller per feed across every replica sharing a Redis. Each feed has a lease
 * (SET NX PX with a random token) that lives 1.5 poll intervals, renewed every sixth
 * of an interval and released by compare-and-delete. Only the holder's poller runs; it stores each new
 * snapshot and announces it on a channel, and the others load it from the store and
 * never call upstream. When the holder dies another replica takes the lease within
 * 1.5 + 1/6 intervals and polls when the dead holder had planned to (or at once if
 * that time has passed): a takeover adds no request and leaves no gap of two intervals.
 *
 * When Redis cannot be reached the holder keeps polling only while its lease surely
 * has not expired, then stops: two pollers are worse than a stale answer that says so.
 */
export class FeedLeases {
  readonly token: string;
  readonly instanceId: string;
  private readonly ttlMs: number;
  private readonly tickMs: number;
  private readonly now: () => number;
  /** Feed → time the last successful renewal was sent. */
  private readonly held = new Map<string, number>();
  private readonly loading = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private subscribed = false;
  private closed = false;

  constructor(private readonly opts: FeedLeasesOptions) {
    this.instanceId = opts.instanceId ?? `${hostname()}:${process.pid}`;
    this.token = `${this.instanceId}/${randomBytes(12).toString('hex')}`;
    // 1.5 intervals rides out an event-loop stall of over an interval (a big snapshot
    // swapping in) without a needless handover; ticks every sixth of an interval keep
    // the takeover after a crash within 1.5 + 1/6 < 2 intervals.
    this.ttlMs = Math.max(150, Math.round(opts.intervalMs * 1.5));
    this.tickMs = Math.max(25, Math.floor(opts.intervalMs / 6));
    this.now = opts.now ?? Date.now;
  }

  start(): void {
    if (this.timer || this.closed) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  isHolder(feedId: string): boolean {
    return this.held.has(feedId);
  }

  status(): FeedLeaseStatus[] {
    return this.opts.pollers.map((p) => ({ feedId: p.feedId, held: this.held.has(p.feedId) }));
  }

  /** The holder stored a new snapshot: tell the other replicas. */
  async announce(feedId: string, fetchedAt: string): Promise<void> {
    if (!this.held.has(feedId)) return;
    try {
      await this.opts.store.publish(SNAPSHOT_CHANNEL, JSON.stringify({ feedId, fetchedAt, from: this.instanceId }));
    } catch (e) {
      // Followers also catch up from the poll state on their next tick.
      this.opts.log.warn({ feed: feedId, err: (e as Error).message }, 'could not announce the new snapshot');
    }
  }

  /** After each of the holder's rounds: share when the next poll is due. */
  roundDone(status: Readonly<PollerStatus>): void {
    if (!this.held.has(status.feedId) || !status.nextPollAt) return;
    const state: PollState = {
      nextAt: Date.parse(status.nextPollAt),
      lastAt: this.now(),
      fetchedAt: this.opts.localFetchedAt(status.feedId),
      holder: this.instanceId,
    };
    // Kept a day: long enough for any back-off, short enough not to linger after the last replica.
    this.opts.store.set(POLL_STATE_KEY_PREFIX + status.feedId, JSON.stringify(state), 86_400_000).catch((e: Error) => {
      this.opts.log.warn({ feed: status.feedId, err: e.message }, 'could not share the poll schedule');
    });
  }

  /** Stop polling and hand the leases back, so another replica takes over at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => undefined);
    await Promise.all(this.opts.pollers.map((p) => p.stop()));
    await Promise.all(
      [...this.held.keys()].map((feedId) =>
        this.opts.store.releaseLease(LEASE_KEY_PREFIX + feedId, this.token).catch(() => false),
      ),
    );
    this.held.clear();
  }

  private tick(): Promise<void> {
    if (this.ticking || this.closed) return this.ticking ?? Promise.resolve();
    this.ticking = (async () => {
      if (!this.subscribed) await this.trySubscribe();
      for (const p of this.opts.pollers) {
        if (this.closed) return;
        await this.tickFeed(p);
      }
    })().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async trySubscribe(): Promise<void> {
    try {
      await this.opts.store.subscribe(SNAPSHOT_CHANNEL, (m) => this.onAnnouncement(m));
      this.subscribed = true;
    } catch {
      // Redis is down; the next tick tries again and followers catch up from the poll state.
    }
  }

  private async tickFeed(p: FeedPoller): Promise<void> {
    const feedId = p.feedId;
    const key = LEASE_KEY_PREFIX + feedId;
    const renewedAt = this.held.get(feedId);
    if (renewedAt !== undefined) {
      const sent = this.now();
      try {
        if (await this.opts.store.renewLease(key, this.token, this.ttlMs)) {
          this.held.set(feedId, sent);
          return;
        }
        await this.lose(p, 'another replica holds the feed lease');
      } catch (e) {
        // The lease may outlive our last renewal by ttl; the next tick would be too late.
        if (this.now() - renewedAt + this.tickMs >= this.ttlMs) await this.lose(p, `cannot reach Redis to renew the feed lease (${(e as Error).message})`);
      }
      return;
    }
    try {
      const sent = this.now();
      if (await this.opts.store.acquireLease(key, this.token, this.ttlMs)) {
        this.held.set(feedId, sent);
        const state = await this.readState(feedId).catch(() => null);
        if (state?.fetchedAt) await this.catchUp(feedId, state.fetchedAt);
        const delayMs = state ? Math.max(0, state.nextAt - this.now()) : 0;
        const local = this.opts.localFetchedAt(feedId);
        if (local !== null && (state?.fetchedAt ?? '') < local) {
          await this.opts.storeLocal(feedId).catch((e: Error) => this.opts.log.warn({ feed: feedId, err: e.message }, 'could not store the snapshot for the other replicas'));
        }
        if (this.closed) return;
        this.opts.onTake?.(feedId);
        p.start(delayMs);
        this.opts.log.info({ feed: feedId, replica: this.instanceId, firstPollInMs: delayMs }, 'took the feed lease: this replica polls');
        return;
      }
      const state = await this.readState(feedId);
      if (state?.fetchedAt) await this.catchUp(feedId, state.fetchedAt);
    } catch {
      // Redis is down: answer from memory; nothing to poll until it is back.
    }
  }

  private async lose(p: FeedPoller, why: string): Promise<void> {
    this.held.delete(p.feedId);
    await p.stop();
    this.opts.log.warn({ feed: p.feedId, replica: this.instanceId }, `stopped polling: ${why}`);
  }

  private async readState(feedId: string): Promise<PollState | null> {
    const raw = await this.opts.store.get(POLL_STATE_KEY_PREFIX + feedId);
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as Partial<PollState>;
      if (typeof s.nextAt !== 'number' || !Number.isFinite(s.nextAt)) return null;
      return { nextAt: s.nextAt, lastAt: Number(s.lastAt) || 0, fetchedAt: typeof s.fetchedAt === 'string' ? s.fetchedAt : null, holder: String(s.holder ?? '') };
    } catch {
      return null;
    }
  }

  private onAnnouncement(message: string): void {
    let m: { feedId?: unknown; fetchedAt?: unknown };
    try {
      m = JSON.parse(message) as typeof m;
    } catch {
      return;
    }
    if (typeof m.feedId !== 'string' || typeof m.fetchedAt !== 'string') return;
    if (!this.opts.pollers.some((p) => p.feedId === m.feedId)) return;
    void this.catchUp(m.feedId, m.fetchedAt);
  }

  /** Load the stored snapshot when it is newer than ours; one load per feed at a time. */
  private catchUp(feedId: string, fetchedAt: string): Promise<void> {
    if (this.held.has(feedId) && this.opts.pollers.find((p) => p.feedId === feedId)?.status.running) return Promise.resolve();
    const local = this.opts.localFetchedAt(feedId);
    if (local !== null && local >= fetchedAt) return Promise.resolve();
    const running = this.loading.get(feedId);
    if (running) return running;
    const p = this.opts
      .loadShared(feedId)
      .catch((e: Error) => this.opts.log.warn({ feed: feedId, err: e.message }, 'could not load the shared snapshot'))
      .finally(() => this.loading.delete(feedId));
    this.loading.set(feedId, p);
    return p;
  }
}
