import type KDBush from 'kdbush';
import { canServe, type Snapshot, type Station, type SystemInfo, type Want } from './station.js';
import { haverSinToM } from './geo.js';
import { IndexPart } from './index-part.js';
import { haverSinOfKm, haverSinToBox, nearestIds } from './nearest-search.js';

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
 * Each snapshot is a part of its own (IndexPart: its stations, kd-tree, extent),
 * taken over from the replaced index when the snapshot is the same: a new snapshot
 * of one system rebuilds that system's part only.
 */
export class StationIndex {
  readonly systems: readonly SystemInfo[];
  readonly snapshots: ReadonlyMap<string, Snapshot>;
  /** One per snapshot, in the order of the snapshots. */
  readonly parts: readonly IndexPart[];
  private readonly partByFeed: Map<string, IndexPart>;
  /** Every station, made on the first ask (few readers need all of them at once). */
  private all: readonly Station[] | null = null;
  private readonly count: number;
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
    const parts: IndexPart[] = [];
    const partByFeed = new Map<string, IndexPart>();
    let count = 0;
    for (const s of snaps.values()) {
      const before = prev?.partByFeed.get(s.feedId);
      const part = before && before.snapshot === s ? before : new IndexPart(s);
      parts.push(part);
      partByFeed.set(s.feedId, part);
      count += part.stations.length;
    }
    this.parts = parts;
    this.partByFeed = partByFeed;
    this.count = count;
  }

  /** Every station of every snapshot, in the order of the snapshots. */
  get stations(): readonly Station[] {
    if (this.all === null) {
      if (this.parts.length === 1) this.all = this.parts[0].stations;
      else {
        const all: Station[] = [];
        for (const p of this.parts) for (const s of p.stations) all.push(s);
        this.all = all;
      }
    }
    return this.all;
  }

  /** The part holding a feed's snapshot. */
  part(feedId: string): IndexPart | undefined {
    return this.partByFeed.get(feedId);
  }

  get size(): number {
    return this.count;
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
    // A GBFS id starts with its system's id; any other (TfL's BikePoints_1) is looked for in every part.
    const colon = id.indexOf(':');
    if (colon > 0) {
      const sys = id.slice(0, colon);
      for (const p of this.parts) {
        if (p.systemId !== sys) continue;
        const s = p.get(id);
        if (s) return s;
      }
    }
    for (const p of this.parts) {
      const s = p.get(id);
      if (s) return s;
    }
    return undefined;
  }

  /**
   * Nearest stations to a point, closest first, that pass the filters. Only the parts
   * whose extent comes within reach are searched (a city's question, one city's tree),
   * and what they find is merged by distance.
   */
  nearest(lat: number, lon: number, opts: NearestOptions = {}): Nearby[] {
    const want = opts.want ?? 'any';
    const maxKm = (opts.maxDistanceM ?? DEFAULT_MAX_DISTANCE_M) / 1000;
    const k = opts.k ?? 5;
    const systemId = opts.systemId;
    const reach = haverSinOfKm(maxKm);
    let only: IndexPart | null = null;
    let several: IndexPart[] | null = null;
    for (const p of this.parts) {
      if (p.tree === null || p.box === null) continue;
      if (systemId !== undefined && p.systemId !== systemId) continue;
      if (haverSinToBox(lon, lat, p.box) > reach) continue;
      if (only === null) only = p;
      else (several ??= [only]).push(p);
    }
    if (only === null) return [];
    if (several === null) return this.nearestIn(only, lat, lon, k, maxKm, want, opts);
    const found: Nearby[] = [];
    for (const p of several) for (const n of this.nearestIn(p, lat, lon, k, maxKm, want, opts)) found.push(n);
    // Stable: equal distances keep the order of the parts.
    found.sort((a, b) => a.distanceM - b.distanceM);
    return found.length > k ? found.slice(0, k) : found;
  }

  private nearestIn(part: IndexPart, lat: number, lon: number, k: number, maxKm: number, want: Want, opts: NearestOptions): Nearby[] {
    // The filter reads plain locals: callers pass options of many shapes, and the
    // search (optimised once) must not depend on which shape came first.
    const located = part.located;
    const systemId = opts.systemId;
    const exclude = opts.exclude;
    const ids = nearestIds(part.tree as KDBush, lon, lat, k, maxKm, (i: number) => {
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
