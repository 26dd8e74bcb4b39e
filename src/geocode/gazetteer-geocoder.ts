import type { Geocoder, Place } from '../domain/place.js';
import { isStationKind, type GazetteerEntry } from './gazetteer.js';
import { NameIndex } from './name-index.js';
import { rankPlaces, type ScoredPlace } from './place-ranking.js';
import { parsePlaceQuery, stationHintFactor } from './query-hints.js';

/** Kinds whose point stands for something large: callers should widen their search. */
const APPROXIMATE_KINDS = new Set(['shopping', 'park', 'cemetery', 'area', 'neighbourhood', 'district', 'town']);
/** Kinds that are areas rather than single sites. */
const AREA_KINDS = new Set(['shopping', 'area', 'neighbourhood', 'district', 'town']);

function placeKind(e: GazetteerEntry): string {
  if (isStationKind(e.kinds)) return 'station';
  if (e.kinds.some((k) => AREA_KINDS.has(k))) return 'area';
  return 'landmark';
}

/**
 * Local gazetteer files (stations, landmarks, any CSV of named points) matched
 * by name. Postcode districts are left to the postcode geocoder.
 */
export class GazetteerGeocoder implements Geocoder {
  readonly name = 'gazetteer';
  private readonly index: NameIndex<GazetteerEntry>;

  constructor(entries: readonly GazetteerEntry[]) {
    this.index = new NameIndex(
      entries
        .filter((e) => !e.kinds.includes('postcode_district'))
        .map((e) => ({ item: e, names: [e.name, ...e.aliases], kinds: e.kinds })),
    );
  }

  get size(): number {
    return this.index.size;
  }

  async lookup(query: string, opts: { signal?: AbortSignal; near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    const q = parsePlaceQuery(query);
    if (q.tokens.length === 0) return [];
    const hits = this.index.search(q.tokens, { limit: 20, minScore: 0.25 });
    const cands: ScoredPlace[] = hits.map((h) => {
      const e = h.item;
      const kind = placeKind(e);
      const place: Omit<Place, 'confidence'> = { name: e.name, lat: e.lat, lon: e.lon, kind, source: this.name };
      if (e.kinds.some((k) => APPROXIMATE_KINDS.has(k))) place.approximate = true;
      return { place, score: h.score * stationHintFactor(q, kind === 'station'), exact: h.exact };
    });
    return rankPlaces(cands, { near: opts.near });
  }
}
