import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import type { Place } from '../domain/place.js';
import { getJson } from './http-json.js';
import { LiveGeocoder, isRecord, toNumber, type LiveGeocoderOptions, type LookupOpts } from './live-geocoder.js';
import { formatPostcode, parsePostcode } from './postcode.js';

/** postcodes.io: exact unit postcodes (`/postcodes/{pc}`) and outward codes (`/outcodes/{oc}`). */
export class PostcodesIoGeocoder extends LiveGeocoder {
  readonly name = 'postcodes-io';

  constructor(opts: LiveGeocoderOptions) {
    super({ ratePerSec: 10, burst: 10, ...opts });
  }

  protected override accepts(query: string): boolean {
    return parsePostcode(query) !== null;
  }

  protected override cacheKey(query: string): string {
    const p = parsePostcode(query);
    return p ? formatPostcode(p) : query;
  }

  protected async request(query: string, opts: LookupOpts): Promise<Place[]> {
    const p = parsePostcode(query);
    if (!p) return [];
    const path = p.inward ? `postcodes/${encodeURIComponent(p.outward + p.inward)}` : `outcodes/${encodeURIComponent(p.outward)}`;
    const { status, body } = await getJson(`${this.opts.baseUrl}/${path}`, {
      timeoutMs: this.opts.timeoutMs,
      headers: this.headers(),
      signal: opts.signal,
      fetch: this.opts.fetch,
      okStatuses: [404],
    });
    // 404 is the API's "no such postcode" (or "Invalid postcode"): an answer, and it is nothing.
    if (status === 404) return [];
    if (!isRecord(body) || !isRecord(body.result)) throw new BikeBotError('GEOCODER_HTTP', `${this.name}: unexpected response shape`);
    const lat = toNumber(body.result.latitude);
    const lon = toNumber(body.result.longitude);
    // Terminated and some Crown-dependency postcodes exist without coordinates.
    if (lat === null || lon === null || !isValidLatLon(lat, lon)) return [];
    const name = typeof body.result.postcode === 'string' ? body.result.postcode : typeof body.result.outcode === 'string' ? body.result.outcode : formatPostcode(p);
    return p.inward
      ? [{ name, lat, lon, kind: 'postcode', source: this.name, confidence: 0.95 }]
      : [{ name, lat, lon, kind: 'postcode_district', source: this.name, confidence: 0.85, approximate: true }];
  }
}
