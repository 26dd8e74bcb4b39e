import { isValidLatLon } from '../domain/geo.js';
import type { Geocoder, Place } from '../domain/place.js';
import { markExact } from './place-ranking.js';

const NUM = '([-+−]?\\d{1,3}(?:\\.\\d+)?)';
/** "lat 51.52 lon -0.1", "lat: 51.52, lng: -0.1", "latitude 51.52 longitude -0.1". */
const LABELLED = new RegExp(`\\blat(?:itude)?\\s*[:=]?\\s*${NUM}\\s*[,;]?\\s*(?:lon|lng|long|longitude)\\s*[:=]?\\s*${NUM}`, 'i');
/** "51.52,-0.10", "51.52 -0.10", "(51.52, -0.10)": both numbers need decimals, or "2 3" would be a place. */
const PAIR = /(?:^|[^\d.\w])([-+−]?\d{1,2}\.\d{2,})\s*[,; ]\s*([-+−]?\d{1,3}\.\d{2,})(?![\d.])/;
/** "51.52N 0.10W", "51.52° N, 0.10° W". */
const HEMI = /(\d{1,2}(?:\.\d+)?)\s*°?\s*([NS])[\s,;]+(\d{1,3}(?:\.\d+)?)\s*°?\s*([EW])\b/i;

function num(s: string): number {
  return Number(s.replace('−', '-'));
}

/** Coordinates written in the message itself. */
export function parseCoordinates(text: string): { lat: number; lon: number } | null {
  let lat: number | undefined;
  let lon: number | undefined;
  const l = LABELLED.exec(text);
  const h = l ? null : HEMI.exec(text);
  const p = l || h ? null : PAIR.exec(text);
  if (l) {
    lat = num(l[1]);
    lon = num(l[2]);
  } else if (h) {
    lat = num(h[1]) * (h[2].toUpperCase() === 'S' ? -1 : 1);
    lon = num(h[3]) * (h[4].toUpperCase() === 'W' ? -1 : 1);
  } else if (p) {
    lat = num(p[1]);
    lon = num(p[2]);
  }
  if (lat === undefined || lon === undefined || !isValidLatLon(lat, lon)) return null;
  return { lat, lon };
}

export class CoordinatesGeocoder implements Geocoder {
  readonly name = 'coordinates';

  async lookup(query: string): Promise<Place[]> {
    return this.lookupSync(query);
  }

  lookupSync(query: string): Place[] {
    const c = parseCoordinates(query);
    if (!c) return [];
    const name = `${c.lat.toFixed(5)}, ${c.lon.toFixed(5)}`;
    return [markExact({ name, lat: c.lat, lon: c.lon, kind: 'coordinates', source: this.name, confidence: 1 })];
  }
}
