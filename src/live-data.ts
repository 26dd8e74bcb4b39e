import { checkSnapshot, DEFAULT_SNAPSHOT_CHECK, type SnapshotCheckOptions, type SnapshotVerdict, type SuspectKind } from './domain/snapshot-check.js';
import { StationIndex } from './domain/station-index.js';
import type { Snapshot, SystemInfo } from './domain/station.js';
import type { TurnQueue } from './util/turn-queue.js';

export interface SnapshotPersistence {
  save(snapshot: Snapshot, source?: string | null): Promise<void>;
  load(feedId: string, source?: string | null): Promise<Snapshot | null>;
  loadAll(): Promise<Snapshot[]>;
}

export interface Refusal {
  at: string;
  kind: SuspectKind;
  reason: string;
}

export interface LiveDataOptions {
  check?: SnapshotCheckOptions;
  /** The URL each feed is polled from: snapshots are stored and restored per source. */
  sourceOf?: (feedId: string) => string | null | undefined;
  now?: () => Date;
  /**
   * The process's turns (see TurnQueue): the rebuild after arrivals, each save and each
   * snapshot's alerts take a turn of their own among the feeds' parses and builds.
   * Without it, each waits for a setImmediate of its own.
   */
  turns?: TurnQueue | null;
}

/**
 * Holds the latest good snapshot of every feed and the index built over them. A new
 * snapshot is checked first (src/domain/snapshot-check.ts); a believable one builds
 * a whole new StationIndex and swaps one reference, so readers never see half a
 * snapshot, and is persisted so that a restart answers at once.
 */
export class LiveData {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly refusals = new Map<string, Refusal>();
  private current: StationIndex | null = null;
  private readonly listeners: Array<(index: StationIndex) => void> = [];
  private readonly check: SnapshotCheckOptions;
  private readonly now: () => Date;
  private pendingRebuild: Promise<void> | null = null;
  /**
   * The saves queued: one at a time, each in a turn of the event loop of its own. A
   * snapshot's record is its JSON and a write (5,000 stations: 1.5 MB, 20-40 ms), and
   * feeds polled together answer together: forty systems' saves in one turn held
   * /healthz for most of a second at start-up.
   */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly systems: readonly SystemInfo[],
    private readonly persistence: SnapshotPersistence | null,
    private readonly onError: (e: unknown, what: string) => void = () => {},
    private readonly opts: LiveDataOptions = {},
  ) {
    this.check = opts.check ?? DEFAULT_SNAPSHOT_CHECK;
    this.now = opts.now ?? (() => new Date());
  }

  index(): StationIndex | null {
    return this.current;
  }

  onChange(listener: (index: StationIndex) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Load the snapshots stored by an earlier run from the same sources, so answers
   * are possible before the first fetch. Without feedIds: every stored snapshot.
   */
  async restore(feedIds?: ReadonlySet<string>): Promise<number> {
    if (!this.persistence) return 0;
    const stored: Snapshot[] = [];
    if (feedIds) {
      for (const id of feedIds) {
        const s = await this.persistence.load(id, this.opts.sourceOf?.(id));
        if (s) stored.push(s);
      }
    } else {
      stored.push(...(await this.persistence.loadAll()));
    }
    let n = 0;
    for (const s of stored) {
      // A fresher snapshot may already have arrived from the network: keep it.
      const have = this.snapshots.get(s.feedId);
      if (have && have.fetchedAt >= s.fetchedAt) continue;
      this.snapshots.set(s.feedId, s);
      n++;
    }
    if (n > 0) this.rebuild();
    return n;
  }

  /**
   * A new snapshot from a feed: accepted when it passes the check against the last
   * good one of that feed, refused (and remembered, for readiness) otherwise.
   */
  offer(snapshot: Snapshot, beforeSave?: () => Promise<unknown>): SnapshotVerdict & { saved?: Promise<void> } {
    const verdict = checkSnapshot(snapshot, this.snapshots.get(snapshot.feedId), this.check);
    if (!verdict.ok) {
      this.refusals.set(snapshot.feedId, { at: this.now().toISOString(), kind: verdict.kind, reason: verdict.reason });
      return verdict;
    }
    return { ...verdict, saved: this.accept(snapshot, beforeSave) };
  }

  /**
   * Swap a snapshot in (unchecked: offer() is the way in for feed data), persist in the background. The first
   * data is indexed at once; after that, snapshots arriving in the same tick (many
   * feeds polled concurrently answer together) share one rebuild just after it,
   * instead of each rebuilding every system loaded. The promise settles once the
   * snapshot is in the index and stored. beforeSave: what must be done (and durable)
   * before the snapshot is stored (the alerts of its changes), run at once.
   */
  accept(snapshot: Snapshot, beforeSave?: () => Promise<unknown>): Promise<void> {
    this.refusals.delete(snapshot.feedId);
    this.snapshots.set(snapshot.feedId, snapshot);
    const indexed = this.rebuildSoon();
    const turns = this.opts.turns;
    const first = beforeSave ? (turns ? turns.run(beforeSave) : beforeSave()).catch(() => undefined) : Promise.resolve();
    if (!this.persistence) return Promise.all([indexed, first]).then(() => undefined);
    const persistence = this.persistence;
    const saved = first.then(() => this.inTurnOfItsOwn(() => persistence.save(snapshot, this.opts.sourceOf?.(snapshot.feedId)))).catch((e) => this.onError(e, `saving the ${snapshot.feedId} snapshot`));
    return Promise.all([indexed, saved]).then(() => undefined);
  }

  /** Several snapshots at once (a one-shot fetch of every feed): one rebuild, at once. */
  acceptAll(snapshots: readonly Snapshot[]): void {
    if (snapshots.length === 0) return;
    for (const s of snapshots) this.snapshots.set(s.feedId, s);
    this.rebuild();
  }

  /**
   * A snapshot another replica fetched and already stored (Redis mode): swap it in
   * without saving it again. Older than what we hold: ignored.
   */
  adopt(snapshot: Snapshot): boolean {
    const have = this.snapshots.get(snapshot.feedId);
    if (have && have.fetchedAt >= snapshot.fetchedAt) return false;
    this.refusals.delete(snapshot.feedId);
    this.snapshots.set(snapshot.feedId, snapshot);
    void this.rebuildSoon();
    return true;
  }

  snapshot(feedId: string): Snapshot | undefined {
    return this.snapshots.get(feedId);
  }

  /** The feed's latest data was refused as suspect (and nothing good has come since), or null. */
  refusal(feedId: string): Refusal | null {
    return this.refusals.get(feedId) ?? null;
  }

  /** Runs `work` after the work queued before it, in a later turn of the event loop (see saving). */
  private inTurnOfItsOwn(work: () => Promise<void>): Promise<void> {
    const turns = this.opts.turns;
    const run = this.saving.then(() => (turns ? turns.turn() : new Promise<void>((resolve) => setImmediate(resolve)))).then(work);
    this.saving = run.catch(() => undefined);
    return run;
  }

  private rebuildSoon(): Promise<void> {
    if (this.current === null) {
      this.rebuild();
      return Promise.resolve();
    }
    const turns = this.opts.turns;
    this.pendingRebuild ??= new Promise<void>((resolve) => {
      const later = turns ? (fn: () => void) => void turns.turn().then(fn) : setImmediate;
      later(() => {
        this.pendingRebuild = null;
        try {
          this.rebuild();
        } catch (e) {
          this.onError(e, 'indexing new snapshots');
        }
        resolve();
      });
    });
    return this.pendingRebuild;
  }

  private rebuild(): void {
    const next = new StationIndex(this.snapshots.values(), this.systems, { previous: this.current });
    this.current = next;
    for (const l of this.listeners) l(next);
  }
}
