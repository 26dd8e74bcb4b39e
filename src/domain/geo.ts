const EARTH_RADIUS_M = 6_371_008.8;
/** Typical urban walking pace, with crossings: 4.8 km/h. */
const WALK_M_PER_MIN = 80;

export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return haverSinToM(a);
}

/** Great-circle metres from the haversine `a` above: the nearest-station search measures in it already. */
export function haverSinToM(a: number): number {
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Streets are not straight lines: walking distance in a city is about 1.3 × the
 * great-circle distance, so minutes are estimated from that.
 */
export function walkingMinutes(straightLineM: number): number {
  return Math.max(1, Math.round((straightLineM * 1.3) / WALK_M_PER_MIN));
}

export function isValidLatLon(lat: unknown, lon: unknown): boolean {
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0);
}
