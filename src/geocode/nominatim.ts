import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import type { Place } from '../domain/place.js';
import { getJson } from './http-json.js';
import { LiveGeocoder, clampConfidence, isRecord, nameRecall, toNumber, type LiveGeocoderOptions, type LookupOpts } from './live-geocoder.js';

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = readonly [number, number, number, number];

export interface NominatimOptions extends LiveGeocoderOptions {
  /** Where results must lie (the cities served); asked per lookup because stations change. */
  viewbox?: () => BBox | null;
}

/**
 * OpenStreetMap Nominatim `/search`. Its usage policy allows at most one request a
 * second with an identifying User-Agent, so the bucket is fixed at 1/s unless
 * a self-hosted instance is configured with more.
 */
export class NominatimGeocoder extends LiveGeocoder {
  readonly name = 'nominatim';
  private readonly viewbox?: () => BBox | null;

  constructor(opts: NominatimOptions) {
    super({ ratePerSec: 1, burst: 1, ...opts });
    this.viewbox = opts.viewbox;
  }

  protected async request(query: string, opts: LookupOpts): Promise<Place[]> {
    const params = new URLSearchParams({ q: query, format: 'jsonv2', limit: '5' });
    const box = this.viewbox?.();
    if (box) {
      params.set('viewbox', box.join(','));
      params.set('bounded', '1');
    }
    const { body } = await getJson(`${this.opts.baseUrl}/search?${params}`, {
      timeoutMs: this.opts.timeoutMs,
      headers: { ...this.headers(), 'accept-language': 'en' },
      signal: opts.signal,
      fetch: this.opts.fetch,
    });
    if (!Array.isArray(body)) throw new BikeBotError('GEOCODER_HTTP', `${this.name}: unexpected response shape`);
    const out: Place[] = [];
    for (const [i, r] of body.entries()) {
      if (!isRecord(r)) continue;
      const lat = toNumber(r.lat);
      const lon = toNumber(r.lon);
      if (lat === null || lon === null || !isValidLatLon(lat, lon)) continue;
      const display = typeof r.display_name === 'string' ? r.display_name : '';
      const name = (typeof r.name === 'string' && r.name) || display.split(',')[0]?.trim() || query;
      const recall = Math.max(nameRecall(query, name), nameRecall(query, display) * 0.8);
      const kind = r.category === 'railway' || r.type === 'station' ? 'station' : r.category === 'place' || r.category === 'boundary' ? 'area' : 'landmark';
      const place: Place = { name, lat, lon, kind, source: this.name, confidence: clampConfidence(0.4 + 0.45 * recall - i * 0.03) };
      if (kind === 'area') place.approximate = true;
      out.push(place);
    }
    return out.sort((a, b) => b.confidence - a.confidence);
  }
}
