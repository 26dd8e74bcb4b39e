/**
 * Joins station_information with station_status into Stations. One station we cannot
 * read is skipped and counted, never allowed to sink the rest.
 */
import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import type { Station } from '../domain/station.js';
import { count, isObj, localizedText, tidyName, toBool, toIso, type GbfsEnvelope, type Obj, type VehicleType } from './gbfs-parse.js';

const BIKE_FORMS = new Set(['bicycle', 'cargo_bicycle']);
const ELECTRIC = new Set(['electric', 'electric_assist']);

function stationList(env: GbfsEnvelope, file: string): unknown[] {
  const list = env.data.stations;
  if (!Array.isArray(list)) throw new BikeBotError('FEED_PARSE', `GBFS ${file}: "data.stations" is not a list`);
  return list;
}

export interface BuildResult {
  stations: Station[];
  /** Stations left out, with why (counted for logs and tests). */
  skipped: { stationId: string | null; reason: string }[];
  /** Listed in station_information but absent from station_status: kept, with unknown counts. */
  withoutStatus: number;
  /** Stations with a usable status entry. */
  withStatus: number;
}

export interface BuildInput {
  systemId: string;
  language: string | null;
  information: GbfsEnvelope;
  status: GbfsEnvelope;
  /** Null when the feed publishes no vehicle_types. */
  vehicleTypes: Map<string, VehicleType> | null;
}

/**
 * Joins station_information with station_status into Stations. Bikes and e-bikes
 * come from vehicle_types_available when the vehicle types are known (so scooters
 * are not offered as bikes); otherwise from num_bikes_available / num_vehicles_available,
 * with Divvy's non-standard num_ebikes_available as the only e-bike fallback.
 */
export function buildStations(input: BuildInput): BuildResult {
  const skipped: BuildResult['skipped'] = [];
  const info = new Map<string, Obj>();
  for (const s of stationList(input.information, 'station_information')) {
    if (!isObj(s) || typeof s.station_id !== 'string' || !s.station_id) {
      skipped.push({ stationId: null, reason: 'station_information entry without station_id' });
      continue;
    }
    info.set(s.station_id, s);
  }
  const status = new Map<string, Obj>();
  for (const s of stationList(input.status, 'station_status')) {
    if (isObj(s) && typeof s.station_id === 'string') status.set(s.station_id, s);
    else skipped.push({ stationId: null, reason: 'station_status entry without station_id' });
  }

  const stations: Station[] = [];
  let withoutStatus = 0;
  let lastReported: unknown = undefined;
  let lastIso: string | null = null;
  for (const [sid, inf] of info) {
    const nameRaw = localizedText(inf.name, input.language);
    const name = nameRaw ? tidyName(nameRaw) : '';
    if (!name) {
      skipped.push({ stationId: sid, reason: 'no name' });
      continue;
    }
    const located = isValidLatLon(inf.lat, inf.lon);
    const id = `${input.systemId}:${sid}`;
    const lat = located ? (inf.lat as number) : null;
    const lon = located ? (inf.lon as number) : null;
    const terminalName = typeof inf.short_name === 'string' && inf.short_name ? inf.short_name : null;
    const capacity = count(inf.capacity);
    const st = status.get(sid);
    // Every station is one object literal of the same shape (no spread of a shared base):
    // V8 then gives all of them one hidden class, built in place.
    if (!st) {
      withoutStatus++;
      // Known to exist, but nothing says it is renting or has room: never offered for either.
      stations.push(station(id, input.systemId, name, lat, lon, terminalName, null, null, null, null, capacity, null, true, false, false, null));
      continue;
    }
    const installed = toBool(st.is_installed);
    const renting = toBool(st.is_renting);
    const returning = toBool(st.is_returning);
    if (installed === undefined || renting === undefined || returning === undefined) {
      skipped.push({ stationId: sid, reason: `unreadable is_installed/is_renting/is_returning (${JSON.stringify([st.is_installed, st.is_renting, st.is_returning])})` });
      continue;
    }
    const rawVehicles = count(st.num_bikes_available) ?? count(st.num_vehicles_available);
    const emptyDocks = count(st.num_docks_available);
    const { bikes, ebikes } = bikeCounts(st, rawVehicles, input.vehicleTypes);
    const standardBikes = bikes !== null && ebikes !== null ? Math.max(0, bikes - ebikes) : null;
    const docksDisabled = count(st.num_docks_disabled);
    const bikesDisabled = count(st.num_bikes_disabled) ?? count(st.num_vehicles_disabled);
    // A disabled bike still occupies its dock, so both kinds of "disabled" are docks nobody can use.
    const broken =
      docksDisabled !== null || bikesDisabled !== null
        ? (docksDisabled ?? 0) + (bikesDisabled ?? 0)
        : capacity !== null && rawVehicles !== null && emptyDocks !== null
          ? Math.max(0, capacity - rawVehicles - emptyDocks)
          : null;
    // Stations reported at the same second share one time string.
    const reported = st.last_reported;
    if (reported !== lastReported) {
      lastReported = reported;
      lastIso = toIso(reported);
    }
    stations.push(station(id, input.systemId, name, lat, lon, terminalName, bikes, standardBikes, ebikes, emptyDocks, capacity, broken, installed, renting, returning, lastIso));
  }
  for (const sid of status.keys()) if (!info.has(sid)) skipped.push({ stationId: sid, reason: 'in station_status but not in station_information' });
  return { stations, skipped, withoutStatus, withStatus: stations.length - withoutStatus };
}

function station(
  id: string,
  systemId: string,
  name: string,
  lat: number | null,
  lon: number | null,
  terminalName: string | null,
  bikes: number | null,
  standardBikes: number | null,
  ebikes: number | null,
  emptyDocks: number | null,
  docks: number | null,
  brokenDocks: number | null,
  installed: boolean,
  renting: boolean,
  returning: boolean,
  asOf: string | null,
): Station {
  return { id, systemId, name, lat, lon, terminalName, bikes, standardBikes, ebikes, emptyDocks, docks, brokenDocks, installed, locked: false, temporary: false, renting, returning, asOf };
}

function bikeCounts(st: Obj, rawVehicles: number | null, types: Map<string, VehicleType> | null): { bikes: number | null; ebikes: number | null } {
  const vta = st.vehicle_types_available;
  if (types && types.size > 0 && Array.isArray(vta)) {
    let bikes = 0;
    let ebikes = 0;
    let known = true;
    for (const e of vta) {
      if (!isObj(e) || typeof e.vehicle_type_id !== 'string' || count(e.count) === null) continue;
      const t = types.get(e.vehicle_type_id);
      if (!t) {
        known = false;
        break;
      }
      if (!t.formFactor || !BIKE_FORMS.has(t.formFactor)) continue;
      bikes += e.count as number;
      if (t.propulsion && ELECTRIC.has(t.propulsion)) ebikes += e.count as number;
    }
    if (known) return { bikes, ebikes };
  }
  return { bikes: rawVehicles, ebikes: count(st.num_ebikes_available) };
}
