import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import type { Place } from '../domain/place.js';
import { getJson } from './http-json.js';
import { LiveGeocoder, clampConfidence, isRecord, nameRecall, toNumber, type LiveGeocoderOptions, type LookupOpts } from './live-geocoder.js';
import type { BBox } from './nominatim.js';

export interface PhotonOptions extends LiveGeocoderOptions {
  /** Where results should lie; Photon filters on `bbox`. */
  bbox?: () => BBox | null;
  /** Where to bias results when the caller gives no `near`. */
  center?: () => { lat: number; lon: number } | null;
}

/** Komoot Photon `/api`: OSM search returning GeoJSON features. */
export class PhotonGeocoder extends LiveGeocoder {
  readonly name = 'photon';
  private readonly bbox?: () => BBox | null;
  private readonly center?: () => { lat: number; lon: number } | null;

  constructor(opts: PhotonOptions) {
    super({ ratePerSec: 1, burst: 2, ...opts });
    this.bbox = opts.bbox;
    this.center = opts.center;
  }

  protected async request(query: string, opts: LookupOpts): Promise<Place[]> {
    const params = new URLSearchParams({ q: query, limit: '5' });
    const c = opts.near ?? this.center?.() ?? null;
    if (c) {
      params.set('lat', c.lat.toFixed(5));
      params.set('lon', c.lon.toFixed(5));
    }
    const box = this.bbox?.();
    if (box) params.set('bbox', box.join(','));
    const { body } = await getJson(`${this.opts.baseUrl}/api?${params}`, {
      timeoutMs: this.opts.timeoutMs,
      headers: this.headers(),
      signal: opts.signal,
      fetch: this.opts.fetch,
    });
    if (!isRecord(body) || !Array.isArray(body.features)) throw new BikeBotError('GEOCODER_HTTP', `${this.name}: unexpected response shape`);
    const out: Place[] = [];
    for (const [i, f] of body.features.entries()) {
      if (!isRecord(f) || !isRecord(f.geometry) || !Array.isArray(f.geometry.coordinates)) continue;
      const lon = toNumber(f.geometry.coordinates[0]);
      const lat = toNumber(f.geometry.coordinates[1]);
      if (lat === null || lon === null || !isValidLatLon(lat, lon)) continue;
      const props = isRecord(f.properties) ? f.properties : {};
      const name = typeof props.name === 'string' && props.name ? props.name : typeof props.street === 'string' ? props.street : query;
      const key = props.osm_key;
      const kind = key === 'railway' || props.osm_value === 'station' ? 'station' : key === 'place' || key === 'boundary' ? 'area' : props.osm_key === 'highway' ? 'street' : 'landmark';
      const place: Place = { name, lat, lon, kind, source: this.name, confidence: clampConfidence(0.4 + 0.45 * nameRecall(query, name) - i * 0.03) };
      if (kind === 'area') place.approximate = true;
      out.push(place);
    }
    return out.sort((a, b) => b.confidence - a.confidence);
  }
}
