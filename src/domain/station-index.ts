import KDBush from 'kdbush';
import { canServe, isUsable, type Snapshot, type Station, type SystemInfo, type Want } from './station.js';
import { haverSinToM } from './geo.js';
import { nearestIds } from './nearest-search.js';

/**
 * Nobody walks further than this to a docking station; the bound also keeps a
 * query that no nearby station can serve from scanning every city loaded.
 */
export const DEFAULT_MAX_DISTANCE_M = 50_000;

export interface Nearby {
  station: Station;
  distanceM: number;
}

export interface NearestOptions {
  k?: number;
  /** Only stations that can serve this want (default 'any': usable stations). */
  want?: Want;
  /** Default DEFAULT_MAX_DISTANCE_M. */
  maxDistanceM?: number;
  /** Restrict to one system. */
  systemId?: string;
  /** Skip these station ids (e.g. "next one?"). */
  exclude?: ReadonlySet<string>;
}

/**
 * Names a value derived from an index alone (its name resolver, system centres, the
 * examples replies teach with). Each deriving module makes one, as a constant.
 */
export interface Derived<T> {
  readonly name: string;
  /** Builds the value for `index`; `previous` is what the index this one replaced had built, if any. */
  build(index: StationIndex, previous: T | undefined): T;
}

export interface StationIndexOptions {
  /**
   * The index this one replaces: what it had derived is offered to this one's builds
   * (a resolver keeps its vocabulary when the names have not changed), then let go.
   */
  previous?: StationIndex | null;
}

/**
 * An immutable view of every station of every feed, with a spatial index.
 * A new snapshot builds a new StationIndex and swaps the reference in one assignment,
 * so a reader holds either the old index or the new one, never half of each.
 */
export class StationIndex {
  readonly stations: readonly Station[];
  readonly systems: readonly SystemInfo[];
  readonly snapshots: ReadonlyMap<string, Snapshot>;
  private readonly byId: Map<string, Station>;
  /** Only usable stations (with coordinates) are in the kd-tree. */
  private readonly located: Station[];
  private readonly tree: KDBush | null;
  /** The search's distances, row for row with its ids: reused, as a query never awaits. */
  private readonly haverSins: number[] = [];
  /** Values derived from this index (see derive()), built on first use. */
  private readonly derived = new Map<Derived<unknown>, unknown>();
  /** What the replaced index had derived, offered once to the same builds here. */
  private inherited: Map<Derived<unknown>, unknown> | null;

  constructor(snapshots: Iterable<Snapshot>, systems: readonly SystemInfo[] = [], opts: StationIndexOptions = {}) {
    const prev = opts.previous;
    // What the replaced index built, and what it was offered but never needed, in that order of precedence.
    this.inherited = prev && (prev.derived.size > 0 || prev.inherited) ? new Map([...(prev.inherited ?? []), ...prev.derived]) : null;
    const snaps = new Map<string, Snapshot>();
    for (const s of snapshots) snaps.set(s.feedId, s);
    this.snapshots = snaps;
    this.systems = systems;
    const all: Station[] = [];
    for (const s of snaps.values()) all.push(...s.stations);
    this.stations = all;
    this.byId = new Map(all.map((s) => [s.id, s]));
    this.located = all.filter(isUsable);
    if (this.located.length > 0) {
      const tree = new KDBush(this.located.length);
      for (const s of this.located) tree.add(s.lon as number, s.lat as number);
      tree.finish();
      this.tree = tree;
    } else {
      this.tree = null;
    }
  }

  get size(): number {
    return this.stations.length;
  }

  /**
   * A value derived from this index alone, built on first use and kept with the
   * index: it goes when the index is replaced, and nothing outside holds it.
   */
  derive<T>(what: Derived<T>): T {
    if (this.derived.has(what)) return this.derived.get(what) as T;
    const previous = this.inherited?.get(what) as T | undefined;
    const value = what.build(this, previous);
    this.derived.set(what, value);
    if (this.inherited) {
      this.inherited.delete(what);
      if (this.inherited.size === 0) this.inherited = null;
    }
    return value;
  }

  /** The derived value if it has been built, without building it. */
  derivedIfBuilt<T>(what: Derived<T>): T | undefined {
    return this.derived.get(what) as T | undefined;
  }

  get(id: string): Station | undefined {
    return this.byId.get(id);
  }

  /** Nearest stations to a point, closest first, that pass the filters. */
  nearest(lat: number, lon: number, opts: NearestOptions = {}): Nearby[] {
    if (!this.tree) return [];
    const want = opts.want ?? 'any';
    const maxKm = (opts.maxDistanceM ?? DEFAULT_MAX_DISTANCE_M) / 1000;
    // The filter reads plain locals: callers pass options of many shapes, and the
    // search (optimised once) must not depend on which shape came first.
    const located = this.located;
    const systemId = opts.systemId;
    const exclude = opts.exclude;
    const ids = nearestIds(this.tree, lon, lat, opts.k ?? 5, maxKm, (i: number) => {
      const s = located[i];
      if (systemId !== undefined && s.systemId !== systemId) return false;
      if (exclude?.has(s.id)) return false;
      return canServe(s, want);
    }, this.haverSins);
    const haverSins = this.haverSins;
    return ids.map((i, j) => ({ station: located[i], distanceM: haverSinToM(haverSins[j]) }));
  }

  /** Observation time of the oldest snapshot (ISO), for readiness and staleness reporting. */
  oldestAsOf(): string | null {
    let oldest: string | null = null;
    for (const s of this.snapshots.values()) {
      const t = s.asOf ?? s.fetchedAt;
      if (oldest === null || t < oldest) oldest = t;
    }
    return oldest;
  }
}
