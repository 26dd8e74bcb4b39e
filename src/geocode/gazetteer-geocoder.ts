import type { Geocoder, Place } from '../domain/place.js';
import { isStationKind, type GazetteerEntry } from './gazetteer.js';
import { NameIndex } from './name-index.js';
import { normaliseKey } from './normalise.js';
import { rankPlaces, type ScoredPlace } from './place-ranking.js';
import { parsePlaceQuery, stationHintFactor, type PlaceQuery } from './query-hints.js';
import type { ServiceArea } from './service-area.js';

/** Kinds whose point stands for something large: callers should widen their search. */
const APPROXIMATE_KINDS = new Set(['shopping', 'park', 'cemetery', 'area', 'neighbourhood', 'district', 'town', 'street']);
/** Kinds that are areas rather than single sites. */
const AREA_KINDS = new Set(['shopping', 'area', 'neighbourhood', 'district', 'town']);

/** A place further than this from every docking station is outside the network. */
export const FAR_FROM_NETWORK_M = 3000;
/**
 * Outside the network a place is a poor answer to "nearest dock to X": it yields to
 * a namesake inside, and alone it stays below the chain's bar (0.6), so the dialog
 * hears it is unsure (and live geocoders, when configured, are still asked).
 */
const FAR_FACTOR = 0.55;
/** Another city's place (the built-in London gazetteer under a Chicago-only deployment): not meant. */
const ELSEWHERE_FACTOR = 0.3;
/** "museum of the home hoxton": a place qualified by its area must lie this near it. */
const QUALIFIER_M = 2000;
const QUALIFIED_SCORE = 0.95;

function placeKind(e: GazetteerEntry): string {
  if (isStationKind(e.kinds)) return 'station';
  if (e.kinds.some((k) => AREA_KINDS.has(k))) return 'area';
  return 'landmark';
}

export interface GazetteerGeocoderOptions {
  /** The docking stations' extent now (it follows the live station list); absent or empty: no judgement. */
  serviceArea?: () => ServiceArea | null;
  /** An area or neighbourhood by normalised name (from station names), for "X, <area>" asks. */
  areaNamed?: (key: string) => { lat: number; lon: number } | null;
}

/**
 * Local gazetteer files (stations, landmarks, any CSV of named points) matched
 * by name. Postcode districts are left to the postcode geocoder.
 */
export class GazetteerGeocoder implements Geocoder {
  readonly name = 'gazetteer';
  private readonly index: NameIndex<GazetteerEntry>;
  /** Stations and areas by exact name: "hoxton" in "museum of the home hoxton" is a place qualifier. */
  private readonly areas = new Map<string, GazetteerEntry>();
  private readonly opts: GazetteerGeocoderOptions;
  /** Where each entry lies against the network, for the service area it was judged by. */
  private memoArea: ServiceArea | null = null;
  private readonly memo = new Map<GazetteerEntry, 'near' | 'far' | 'elsewhere'>();

  constructor(entries: readonly GazetteerEntry[], opts: GazetteerGeocoderOptions = {}) {
    this.opts = opts;
    const named = entries.filter((e) => !e.kinds.includes('postcode_district'));
    this.index = new NameIndex(named.map((e) => ({ item: e, names: [e.name, ...e.aliases], kinds: e.kinds })));
    for (const e of named) {
      if (placeKind(e) === 'landmark') continue;
      const k = normaliseKey(e.name);
      if (k && !this.areas.has(k)) this.areas.set(k, e);
    }
  }

  get size(): number {
    return this.index.size;
  }

  async lookup(query: string, opts: { signal?: AbortSignal; near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  /**
   * Where the entry lies against the network: 'near' (a dock within 3 km), 'far',
   * 'elsewhere' (another region or city altogether), or null when there are no docks.
   */
  private networkPlace(e: GazetteerEntry): 'near' | 'far' | 'elsewhere' | null {
    const area = this.opts.serviceArea?.() ?? null;
    if (!area || area.size === 0) return null;
    if (area !== this.memoArea) {
      this.memoArea = area;
      this.memo.clear();
    }
    let w = this.memo.get(e);
    if (w === undefined) {
      const d = area.nearestWithin(e.lat, e.lon, FAR_FROM_NETWORK_M);
      w = d !== null && d <= FAR_FROM_NETWORK_M ? 'near' : area.inRegion(e.lat, e.lon) ? 'far' : 'elsewhere';
      this.memo.set(e, w);
    }
    return w;
  }

  private toCandidate(e: GazetteerEntry, score: number, exact: boolean, q: PlaceQuery): ScoredPlace {
    const kind = placeKind(e);
    const place: Omit<Place, 'confidence'> = { name: e.name, lat: e.lat, lon: e.lon, kind, source: this.name };
    if (e.kinds.some((k) => APPROXIMATE_KINDS.has(k))) place.approximate = true;
    const s = score * stationHintFactor(q, kind === 'station');
    const where = this.networkPlace(e);
    if (where === 'far' || where === 'elsewhere') {
      return { place, score: s * (where === 'far' ? FAR_FACTOR : ELSEWHERE_FACTOR), exact, far: true, unpenalised: s };
    }
    return { place, score: s, exact };
  }

  /**
   * "museum of the home hoxton", "tate modern bankside": a place followed (or led) by
   * the area it is in. The rest named exactly, and lying in that area, is the place.
   */
  private qualified(tokens: readonly string[]): Array<{ e: GazetteerEntry }> {
    const out: Array<{ e: GazetteerEntry }> = [];
    for (const n of [2, 1]) {
      if (tokens.length <= n) continue;
      for (const [areaToks, rest] of [
        [tokens.slice(-n), tokens.slice(0, -n)],
        [tokens.slice(0, n), tokens.slice(n)],
      ] as const) {
        if (rest.length === 0) continue;
        const key = areaToks.join(' ');
        const area = this.opts.areaNamed?.(key) ?? this.areas.get(key) ?? null;
        if (!area) continue;
        for (const h of this.index.search(rest, { limit: 5, minScore: 0.5 })) {
          if (!h.exact || placeKind(h.item) !== 'landmark') continue;
          const dLat = (h.item.lat - area.lat) * 111_000;
          const dLon = (h.item.lon - area.lon) * 111_000 * Math.cos((area.lat * Math.PI) / 180);
          if (Math.hypot(dLat, dLon) <= QUALIFIER_M) out.push({ e: h.item });
        }
      }
      if (out.length) break;
    }
    return out;
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    const q = parsePlaceQuery(query);
    if (q.tokens.length === 0) return [];
    const hits = this.index.search(q.tokens, { limit: 20, minScore: 0.25 });
    const cands: ScoredPlace[] = hits.map((h) => this.toCandidate(h.item, h.score, h.exact, q));
    if (!hits.some((h) => h.exact) && q.tokens.length >= 2) {
      for (const { e } of this.qualified(q.tokens)) {
        const i = cands.findIndex((c) => c.place.name === e.name && c.place.lat === e.lat && c.place.lon === e.lon);
        if (i >= 0) cands.splice(i, 1);
        cands.push(this.toCandidate(e, QUALIFIED_SCORE, true, q));
      }
    }
    return rankPlaces(cands, { near: opts.near });
  }
}
