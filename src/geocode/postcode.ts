import { distanceM } from '../domain/geo.js';
import type { Geocoder, Place } from '../domain/place.js';
import type { GazetteerEntry } from './gazetteer.js';
import { markExact } from './place-ranking.js';

export { formatPostcode, parsePostcode, type ParsedPostcode } from '../domain/postcode.js';
import { formatPostcode, parsePostcode } from '../domain/postcode.js';

interface District {
  lat: number;
  lon: number;
  count: number;
}

/** Confidence of a district ask: its centroid is a fair answer to "bikes in NW8". */
const DISTRICT_CONFIDENCE = 0.85;
/** A full postcode known only to its sector or district: below the chain's bar, so a live lookup is still tried. */
const SECTOR_CONFIDENCE = 0.55;
const DISTRICT_FALLBACK_CONFIDENCE = 0.45;
const UNIT_CONFIDENCE = 0.95;
/** Districts with fewer postcodes are PO boxes or retired: their centroid is a sorting office. */
const MIN_REAL_DISTRICT = 5;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** More outward codes than the country has (about 3,000). */
const DISTRICT_MEMO_MAX = 8192;

/**
 * Postcodes from gazetteer rows: `postcode_district` rows give district centroids,
 * and any row carrying a unit `postcode` (hospitals, museums) gives a point for that
 * unit and its sector, so some full postcodes resolve better than their district.
 */
export class PostcodeGeocoder implements Geocoder {
  readonly name = 'postcode';
  private readonly districts = new Map<string, District>();
  private readonly units = new Map<string, { lat: number; lon: number }>();
  private readonly sectors = new Map<string, Array<{ lat: number; lon: number }>>();
  private readonly districtMemo = new Map<string, { lat: number; lon: number; real: boolean } | null>();

  constructor(entries: readonly GazetteerEntry[]) {
    for (const e of entries) {
      if (e.kinds.includes('postcode_district')) {
        const code = e.name.toUpperCase().replace(/\s+/g, '');
        this.districts.set(code, { lat: e.lat, lon: e.lon, count: e.postcodeCount ?? MIN_REAL_DISTRICT });
        continue;
      }
      for (const code of [e.postcode, ...(e.otherPostcodes ?? [])]) {
        if (!code) continue;
        const p = parsePostcode(code);
        if (!p?.inward) continue;
        const unit = formatPostcode(p);
        // The first row to give a unit keeps it: user files come before the built-in one.
        if (!this.units.has(unit)) this.units.set(unit, { lat: e.lat, lon: e.lon });
        const sector = `${p.outward} ${p.inward[0]}`;
        let s = this.sectors.get(sector);
        if (!s) this.sectors.set(sector, (s = []));
        s.push({ lat: e.lat, lon: e.lon });
      }
    }
  }

  get districtCount(): number {
    return this.districts.size;
  }

  /**
   * Central London has no real "W1" or "EC1", only W1A…W1W and EC1A…EC1Y: a
   * person's "W1" is the middle of its sub-districts (median, so the BBC's W1A
   * PO boxes do not pull it).
   */
  private district(outward: string): { lat: number; lon: number; real: boolean } | null {
    // The districts never change after construction: each outward code is worked out once
    // (the sub-district scan walks every district in the country).
    const memo = this.districtMemo.get(outward);
    if (memo !== undefined) return memo;
    const d = this.computeDistrict(outward);
    if (this.districtMemo.size >= DISTRICT_MEMO_MAX) this.districtMemo.clear();
    this.districtMemo.set(outward, d);
    return d;
  }

  private computeDistrict(outward: string): { lat: number; lon: number; real: boolean } | null {
    const subs: District[] = [];
    if (/[0-9]$/.test(outward)) {
      for (const [code, d] of this.districts) {
        if (code.length === outward.length + 1 && code.startsWith(outward) && /[A-Z]$/.test(code) && d.count >= MIN_REAL_DISTRICT) subs.push(d);
      }
    }
    const own = this.districts.get(outward);
    const subTotal = subs.reduce((a, d) => a + d.count, 0);
    if (subs.length > 0 && (!own || own.count * 10 < subTotal)) {
      return { lat: median(subs.map((d) => d.lat)), lon: median(subs.map((d) => d.lon)), real: true };
    }
    if (!own) return null;
    return { lat: own.lat, lon: own.lon, real: own.count >= MIN_REAL_DISTRICT };
  }

  async lookup(query: string, opts: { signal?: AbortSignal; near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    const p = parsePostcode(query);
    if (!p) return [];
    const name = formatPostcode(p);
    let place: Place | null = null;
    if (p.inward) {
      const unit = this.units.get(name);
      const sector = this.sectors.get(`${p.outward} ${p.inward[0]}`);
      const d = this.district(p.outward);
      if (unit) {
        place = { name, lat: unit.lat, lon: unit.lon, kind: 'postcode', source: this.name, confidence: UNIT_CONFIDENCE };
      } else if (sector) {
        const lat = sector.reduce((a, x) => a + x.lat, 0) / sector.length;
        const lon = sector.reduce((a, x) => a + x.lon, 0) / sector.length;
        place = { name, lat, lon, kind: 'postcode', source: this.name, confidence: SECTOR_CONFIDENCE, approximate: true };
      } else if (d) {
        place = { name, lat: d.lat, lon: d.lon, kind: 'postcode', source: this.name, confidence: DISTRICT_FALLBACK_CONFIDENCE, approximate: true };
      }
    } else {
      const d = this.district(p.outward);
      if (d) place = { name, lat: d.lat, lon: d.lon, kind: 'postcode_district', source: this.name, confidence: d.real ? DISTRICT_CONFIDENCE : 0.5, approximate: true };
    }
    if (!place) return [];
    // A district hundreds of km from where the person is (another city's bot) is probably not meant.
    if (opts.near && distanceM(opts.near.lat, opts.near.lon, place.lat, place.lon) > 100_000) place.confidence = Math.round(place.confidence * 50) / 100;
    return [markExact(place)];
  }
}
