import { distanceM } from '../domain/geo.js';
import type { Geocoder, Place } from '../domain/place.js';
import type { Station } from '../domain/station.js';
import { NameIndex } from './name-index.js';
import { KIND_WORDS, normaliseKey, STREET_WORDS, tokenize } from './normalise.js';
import { rankPlaces, type ScoredPlace } from './place-ranking.js';
import { parsePlaceQuery, stationHintFactor, type PlaceQuery } from './query-hints.js';

/** A place implied by docking-station names: an area ("Bloomsbury") or a street/landmark part ("London Zoo"). */
export interface StationArea {
  name: string;
  kind: 'area' | 'street' | 'landmark';
  lat: number;
  lon: number;
  stationCount: number;
}

/** A street part matching a place is a hint, not a gazetteer fact: it yields to equal matches elsewhere. */
const STREET_PART_FACTOR = 0.9;
/** "X, Hoxton" where X is unknown: the area named is an honest, unsure answer. */
const QUALIFIER_AREA_SCORE = 0.5;
/** Below the dialog's bar for a place (0.45): offered, never answered with. */
const QUALIFIED_KIND_SCORE = 0.4;
/** Same street name further apart than this is two streets (there are many "Church Street"s). */
const SAME_STREET_M = 1200;

function tidy(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** "Waterloo Station 3" and "New North Road 1" are numbered docks of one place. */
function withoutDockNumber(s: string): string {
  return tidy(s.replace(/\s+\d+$/, ''));
}

/**
 * Mean of the points, then again without those far from it: one outlying dock
 * (a station filed under a neighbour's area) must not drag a whole area's centre.
 */
function centroid(points: ReadonlyArray<{ lat: number; lon: number }>): { lat: number; lon: number } {
  const mean = (ps: ReadonlyArray<{ lat: number; lon: number }>) => ({
    lat: ps.reduce((a, p) => a + p.lat, 0) / ps.length,
    lon: ps.reduce((a, p) => a + p.lon, 0) / ps.length,
  });
  const c = mean(points);
  if (points.length < 4) return c;
  const ds = points.map((p) => distanceM(c.lat, c.lon, p.lat, p.lon));
  const sorted = ds.slice().sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const inner = points.filter((_, i) => ds[i] <= Math.max(2 * median, 300));
  return inner.length >= 2 ? mean(inner) : c;
}

/** Splits TfL-style "<street>, <area>" (sometimes "<a>, <b>, <area>") names into places. */
export function deriveStationAreas(stations: readonly Station[]): StationArea[] {
  const areas = new Map<string, { name: string; points: { lat: number; lon: number }[] }>();
  const streets = new Map<string, Array<{ name: string; points: { lat: number; lon: number }[] }>>();
  for (const s of stations) {
    if (s.lat === null || s.lon === null) continue;
    const pt = { lat: s.lat, lon: s.lon };
    const parts = s.name.split(',').map(tidy).filter(Boolean);
    if (parts.length >= 2) {
      const area = parts[parts.length - 1];
      const key = normaliseKey(area);
      if (key) {
        let a = areas.get(key);
        if (!a) areas.set(key, (a = { name: area, points: [] }));
        a.points.push(pt);
      }
    }
    const streetParts = parts.length >= 2 ? parts.slice(0, -1) : parts;
    for (const raw of streetParts) {
      const name = withoutDockNumber(raw.replace(/\s*\([^)]*\)\s*/g, ' '));
      const key = normaliseKey(name);
      if (!key) continue;
      let groups = streets.get(key);
      if (!groups) streets.set(key, (groups = []));
      const near = groups.find((g) => distanceM(g.points[0].lat, g.points[0].lon, pt.lat, pt.lon) < SAME_STREET_M);
      if (near) near.points.push(pt);
      else groups.push({ name, points: [pt] });
    }
  }
  const out: StationArea[] = [];
  for (const a of areas.values()) out.push({ name: a.name, kind: 'area', ...centroid(a.points), stationCount: a.points.length });
  for (const groups of streets.values()) {
    for (const g of groups) {
      const last = tokenize(g.name).at(-1) ?? '';
      out.push({ name: g.name, kind: STREET_WORDS.has(last) ? 'street' : 'landmark', ...centroid(g.points), stationCount: g.points.length });
    }
  }
  return out;
}

/**
 * Areas and landmarks implied by the docking-station names themselves: works for
 * any city whose station names carry an area, with no gazetteer at all.
 */
export class StationAreaGeocoder implements Geocoder {
  readonly name = 'station-areas';
  readonly places: readonly StationArea[];
  private readonly index: NameIndex<StationArea>;
  private readonly areaByKey = new Map<string, StationArea>();

  constructor(places: readonly StationArea[]) {
    this.places = places;
    this.index = new NameIndex(places.map((p) => ({ item: p, names: [p.name], kinds: [p.kind] })));
    for (const p of places) if (p.kind === 'area') this.areaByKey.set(normaliseKey(p.name), p);
  }

  /**
   * People qualify a place with its area ("museum of the home hoxton", "bloomsbury
   * the dental museum"): when the rest is unknown, the area is still somewhere to start.
   */
  private qualifierArea(tokens: readonly string[]): { area: StationArea; rest: string[] } | null {
    for (const n of [2, 1]) {
      if (tokens.length <= n) continue;
      const last = this.areaByKey.get(tokens.slice(-n).join(' '));
      if (last) return { area: last, rest: tokens.slice(0, -n) };
      const first = this.areaByKey.get(tokens.slice(0, n).join(' '));
      if (first) return { area: first, rest: tokens.slice(n) };
    }
    return null;
  }

  /** An area by normalised name ("hoxton"), for other geocoders' "X, <area>" asks. */
  areaNamed(key: string): StationArea | null {
    return this.areaByKey.get(key) ?? null;
  }

  static fromStations(stations: readonly Station[]): StationAreaGeocoder {
    return new StationAreaGeocoder(deriveStationAreas(stations));
  }

  async lookup(query: string, opts: { signal?: AbortSignal; near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    return StationAreaGeocoder.union([this]).lookupSync(query, opts);
  }

  /** The places whose names match the query, scored (not ranked). */
  scored(q: PlaceQuery): ScoredPlace[] {
    const hits = this.index.search(q.tokens, { limit: 20, minScore: 0.25 });
    return hits.map((h) => {
      const a = h.item;
      const place: Omit<Place, 'confidence'> = { name: a.name, lat: a.lat, lon: a.lon, kind: a.kind, source: this.name };
      if (a.kind === 'area') place.approximate = true;
      const factor = (a.kind === 'area' ? 1 : STREET_PART_FACTOR) * stationHintFactor(q, a.kind !== 'area' && /\bstation\b/i.test(a.name));
      return { place, score: h.score * factor, exact: h.exact };
    });
  }

  /** The area a query is qualified with, as a weak candidate, when it names one of this system's areas. */
  qualified(q: PlaceQuery): ScoredPlace | null {
    const qual = this.qualifierArea(q.tokens);
    if (!qual) return null;
    const qa = qual.area;
    // "regents park mosque": a site of another kind than the area's own name says (a mosque is
    // not a park). The area is then a guess too weak to answer with; "hoxton market" stays unsure.
    const areaTypes = tokenize(qa.name).filter((t) => KIND_WORDS[t] !== undefined || STREET_WORDS.has(t));
    const clash = areaTypes.length > 0 && qual.rest.some((t) => KIND_WORDS[t] !== undefined && !areaTypes.includes(t));
    const score = clash ? QUALIFIED_KIND_SCORE : QUALIFIER_AREA_SCORE;
    return { place: { name: qa.name, lat: qa.lat, lon: qa.lon, kind: 'area', source: this.name, approximate: true }, score };
  }

  /**
   * Several systems' station areas as one geocoder, each system's index kept as built
   * (its own word statistics): a new snapshot of one system rebuilds that system's
   * areas alone. What they find is ranked together.
   */
  static union(parts: readonly StationAreaGeocoder[]): StationAreaSet {
    return new StationAreaSet(parts);
  }
}

/** Station areas of several systems (see StationAreaGeocoder.union). */
export class StationAreaSet implements Geocoder {
  readonly name = 'station-areas';

  constructor(readonly parts: readonly StationAreaGeocoder[]) {}

  async lookup(query: string, opts: { signal?: AbortSignal; near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    const q = parsePlaceQuery(query);
    if (q.tokens.length === 0) return [];
    const cands: ScoredPlace[] = [];
    for (const p of this.parts) for (const c of p.scored(q)) cands.push(c);
    if (!cands.some((c) => c.score >= QUALIFIER_AREA_SCORE)) {
      for (const p of this.parts) {
        const c = p.qualified(q);
        if (c) cands.push(c);
      }
    }
    return rankPlaces(cands, { near: opts.near });
  }

  /** An area by normalised name, from the first system that has one. */
  areaNamed(key: string): StationArea | null {
    for (const p of this.parts) {
      const a = p.areaNamed(key);
      if (a) return a;
    }
    return null;
  }
}
