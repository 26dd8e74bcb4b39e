import type { Station, StationClosure } from '../domain/station.js';
import { isObj, localizedText, toIso, type GbfsEnvelope } from './gbfs-parse.js';

/** One STATION_CLOSURE or SYSTEM_CLOSURE alert of GBFS system_alerts.json. */
export interface GbfsClosure {
  /** GBFS station_ids; empty for a system closure (every station). */
  stationIds: string[];
  system: boolean;
  /** Periods it is in force; empty: in force until withdrawn. */
  times: Array<{ start: string | null; end: string | null }>;
  note: string | null;
  /** The alert's own last_updated. */
  updated: string | null;
}

/**
 * Closures from system_alerts (GBFS 1.1+, 2.x, 3.0). Other alert types
 * (STATION_MOVE, OTHER) do not stop anyone hiring or returning, so they are left out.
 */
export function parseSystemAlerts(env: GbfsEnvelope, language: string | null): GbfsClosure[] {
  const alerts = Array.isArray(env.data.alerts) ? env.data.alerts : [];
  const out: GbfsClosure[] = [];
  for (const a of alerts) {
    if (!isObj(a)) continue;
    const type = typeof a.type === 'string' ? a.type.toUpperCase() : '';
    if (type !== 'STATION_CLOSURE' && type !== 'SYSTEM_CLOSURE') continue;
    const stationIds = Array.isArray(a.station_ids) ? a.station_ids.filter((x): x is string => typeof x === 'string') : [];
    const times = Array.isArray(a.times) ? a.times.filter(isObj).map((t) => ({ start: toIso(t.start), end: toIso(t.end) })) : [];
    const note = localizedText(a.summary, language);
    if (type === 'STATION_CLOSURE' && stationIds.length === 0) continue;
    out.push({ stationIds, system: type === 'SYSTEM_CLOSURE', times, note: note ? note.trim().slice(0, 120) : null, updated: toIso(a.last_updated) });
  }
  return out;
}

/** The closure in force at nowMs, with the end of its current period; null when none is. */
function inForce(c: GbfsClosure, nowMs: number): StationClosure | null {
  if (c.times.length === 0) return { until: null, note: c.note, since: c.updated };
  for (const t of c.times) {
    const start = t.start ? Date.parse(t.start) : -Infinity;
    const end = t.end ? Date.parse(t.end) : Infinity;
    if (start <= nowMs && nowMs < end) return { until: t.end, note: c.note, since: t.start ?? c.updated };
  }
  return null;
}

/** Stations with the closures in force now attached (new objects; the others as they were). */
export function applyClosures(stations: Station[], closures: readonly GbfsClosure[], systemId: string, nowMs: number): Station[] {
  const byStation = new Map<string, StationClosure>();
  let all: StationClosure | null = null;
  for (const c of closures) {
    const f = inForce(c, nowMs);
    if (!f) continue;
    if (c.system) all = f;
    for (const id of c.stationIds) byStation.set(`${systemId}:${id}`, f);
  }
  if (!all && byStation.size === 0) return stations;
  return stations.map((s) => {
    const c = byStation.get(s.id) ?? all;
    return c ? { ...s, closure: c } : s;
  });
}
