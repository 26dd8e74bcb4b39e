import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import type { Place } from '../domain/place.js';
import { getJson } from './http-json.js';
import { LiveGeocoder, clampConfidence, isRecord, nameRecall, toNumber, type LiveGeocoderOptions, type LookupOpts } from './live-geocoder.js';

const MODES = 'tube,overground,dlr,elizabeth-line,national-rail';
/** The search wants the station's name, not our hint that it is one. */
const STATION_WORDS = /\b(stations?|tube|underground|overground|dlr|rail(way)?|trains?|stn)\b/gi;
/** TfL's own suffixes, so "Waterloo Underground Station" scores as "Waterloo". */
const TFL_SUFFIX = /\s+(underground|rail|dlr|overground)?\s*station$/i;

export interface TflStopPointOptions extends LiveGeocoderOptions {
  /** TfL app_key, if one is configured (higher rate limits). */
  appKey?: string;
}

/** TfL Unified API `StopPoint/Search`: rail, tube, DLR and Overground stations by name. */
export class TflStopPointGeocoder extends LiveGeocoder {
  readonly name = 'tfl-stoppoint';
  private readonly appKey?: string;

  constructor(opts: TflStopPointOptions) {
    super({ ratePerSec: 5, burst: 5, ...opts });
    this.appKey = opts.appKey;
  }

  protected async request(query: string, opts: LookupOpts): Promise<Place[]> {
    const q = query.replace(STATION_WORDS, ' ').replace(/\s+/g, ' ').trim();
    if (!q) return [];
    let url = `${this.opts.baseUrl}/StopPoint/Search/${encodeURIComponent(q)}?modes=${MODES}`;
    if (this.appKey) url += `&app_key=${encodeURIComponent(this.appKey)}`;
    const { body } = await getJson(url, { timeoutMs: this.opts.timeoutMs, headers: this.headers(), signal: opts.signal, fetch: this.opts.fetch });
    if (!isRecord(body) || !Array.isArray(body.matches)) throw new BikeBotError('GEOCODER_HTTP', `${this.name}: unexpected response shape`);
    const out: Place[] = [];
    for (const [i, m] of body.matches.entries()) {
      if (!isRecord(m) || typeof m.name !== 'string') continue;
      const lat = toNumber(m.lat);
      const lon = toNumber(m.lon);
      if (lat === null || lon === null || !isValidLatLon(lat, lon)) continue;
      const name = m.name.replace(TFL_SUFFIX, '').trim() || m.name;
      const recall = nameRecall(q, name);
      out.push({ name, lat, lon, kind: 'station', source: this.name, confidence: clampConfidence(0.45 + 0.45 * recall + (i === 0 ? 0.05 : 0)) });
      if (out.length >= 5) break;
    }
    return out.sort((a, b) => b.confidence - a.confidence);
  }
}
