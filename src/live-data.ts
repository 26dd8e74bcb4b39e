import { StationIndex } from './domain/station-index.js';
import type { Snapshot, SystemInfo } from './domain/station.js';

export interface SnapshotPersistence {
  save(snapshot: Snapshot): Promise<void>;
  loadAll(): Promise<Snapshot[]>;
}

/**
 * Holds the latest snapshot of every feed and the index built over them. A new
 * snapshot builds a whole new StationIndex and swaps one reference, so readers
 * never see half a snapshot; it is persisted so that a restart answers at once.
 */
export class LiveData {
  private readonly snapshots = new Map<string, Snapshot>();
  private current: StationIndex | null = null;
  private readonly listeners: Array<(index: StationIndex) => void> = [];

  constructor(
    private readonly systems: readonly SystemInfo[],
    private readonly persistence: SnapshotPersistence | null,
    private readonly onError: (e: unknown, what: string) => void = () => {},
  ) {}

  index(): StationIndex | null {
    return this.current;
  }

  onChange(listener: (index: StationIndex) => void): void {
    this.listeners.push(listener);
  }

  /** Load the snapshots stored by an earlier run, so answers are possible before the first fetch. */
  async restore(feedIds?: ReadonlySet<string>): Promise<number> {
    if (!this.persistence) return 0;
    const stored = await this.persistence.loadAll();
    let n = 0;
    for (const s of stored) {
      if (feedIds && !feedIds.has(s.feedId)) continue;
      // A fresher snapshot may already have arrived from the network: keep it.
      const have = this.snapshots.get(s.feedId);
      if (have && have.fetchedAt >= s.fetchedAt) continue;
      this.snapshots.set(s.feedId, s);
      n++;
    }
    if (n > 0) this.rebuild();
    return n;
  }

  /** A new snapshot from a feed: swap the index now, persist in the background. */
  accept(snapshot: Snapshot): Promise<void> {
    this.snapshots.set(snapshot.feedId, snapshot);
    this.rebuild();
    if (!this.persistence) return Promise.resolve();
    return this.persistence.save(snapshot).catch((e) => this.onError(e, `saving the ${snapshot.feedId} snapshot`));
  }

  /**
   * A snapshot another replica fetched and already stored (Redis mode): swap it in
   * without saving it again. Older than what we hold: ignored.
   */
  adopt(snapshot: Snapshot): boolean {
    const have = this.snapshots.get(snapshot.feedId);
    if (have && have.fetchedAt >= snapshot.fetchedAt) return false;
    this.snapshots.set(snapshot.feedId, snapshot);
    this.rebuild();
    return true;
  }

  snapshot(feedId: string): Snapshot | undefined {
    return this.snapshots.get(feedId);
  }

  private rebuild(): void {
    const next = new StationIndex(this.snapshots.values(), this.systems);
    this.current = next;
    for (const l of this.listeners) l(next);
  }
}
