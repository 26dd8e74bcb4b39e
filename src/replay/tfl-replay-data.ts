import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BikeBotError } from '../domain/errors.js';
import { COUNT_KEYS } from '../feeds/tfl-parse.js';
import { parseCsvRecords as parseCsv } from '../util/csv.js';
import { renderBikePoint, type TflStationInfo } from './tfl-render.js';

/** One snapshot in TfL's JSON, rendered once and reused while it is current. */
export interface RenderedSnapshot {
  index: number;
  /** Observation time (ms): Last-Modified, and `modified` of every property. */
  time: number;
  body: string;
  /** Strong validator: a hash of the body. */
  etag: string;
  stationCount: number;
  /** One Place object as JSON, for /BikePoint/{id}. */
  station(id: string): string | undefined;
}

export interface TflReplayData {
  readonly kind: 'json' | 'csv';
  /** Observation times of the snapshots (ms), ascending. */
  readonly times: readonly number[];
  /** Occupancy rows whose station is not in stations.csv (removed stations): not served. */
  readonly droppedRows: number;
  snapshot(index: number): RenderedSnapshot;
  /** The snapshot current at a replay time: the last one not after it (the first before the start). */
  indexAt(replayMs: number): number;
}

export function etagOf(body: string): string {
  return '"' + createHash('sha1').update(body).digest('base64url').slice(0, 22) + '"';
}

function fail(msg: string, cause?: unknown): never {
  throw new BikeBotError('CONFIG_INVALID', msg, { cause });
}

function indexAt(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (hi < 0 || t < times[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A saved /BikePoint response, served byte for byte. */
function loadJson(file: string): TflReplayData {
  const text = readFileSync(file, 'utf8');
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch (e) {
    fail(`${file} is not JSON: ${(e as Error).message}`, e);
  }
  if (!Array.isArray(arr)) fail(`${file} is not a BikePoint array`);
  const byId = new Map<string, string>();
  let newest = Number.NEGATIVE_INFINITY;
  for (const p of arr as Array<Record<string, unknown>>) {
    if (p && typeof p.id === 'string') byId.set(p.id, JSON.stringify(p));
    const props = Array.isArray(p?.additionalProperties) ? (p.additionalProperties as Array<{ key?: unknown; modified?: unknown }>) : [];
    for (const q of props) {
      // Like the client, only the counts' times say when the data was observed.
      const t = typeof q?.modified === 'string' && (COUNT_KEYS as readonly unknown[]).includes(q.key) ? Date.parse(q.modified) : NaN;
      if (t > newest) newest = t;
    }
  }
  const time = Number.isFinite(newest) ? newest : statSync(file).mtimeMs;
  const snap: RenderedSnapshot = { index: 0, time, body: text, etag: etagOf(text), stationCount: byId.size, station: (id) => byId.get(id) };
  return { kind: 'json', times: [time], droppedRows: 0, snapshot: () => snap, indexAt: () => 0 };
}

interface Occupancy {
  time: number;
  modifiedIso: string;
  station: Int32Array;
  bikes: Int32Array;
  empty: Int32Array;
  docks: Int32Array;
}

function loadStations(file: string): TflStationInfo[] {
  return parseCsv(readFileSync(file, 'utf8')).map((r, i) => {
    const lat = Number(r.lat);
    const lon = Number(r.lon);
    if (!r.place_id || r.lat === '' || r.lon === '' || !Number.isFinite(lat) || !Number.isFinite(lon)) fail(`${file} row ${i + 2}: needs place_id, lat and lon`);
    return {
      id: r.place_id,
      terminalName: r.terminal_name ?? '',
      commonName: r.common_name ?? '',
      lat,
      lon,
      installed: r.installed || 'true',
      locked: r.locked || 'false',
      installDate: r.install_date ?? '',
      removalDate: r.removal_date ?? '',
      temporary: r.temporary || 'false',
    };
  });
}

/**
 * Occupancy CSVs are ~175k rows: split by hand and kept as typed arrays per snapshot,
 * so loading stays well under a second and rendering happens only for snapshots served.
 */
function loadOccupancy(file: string, stationIdx: Map<string, number>, out: Occupancy[]): number {
  const text = readFileSync(file, 'utf8');
  let dropped = 0;
  let curTime = '';
  let st: number[] = [];
  let bikes: number[] = [];
  let empty: number[] = [];
  let docks: number[] = [];
  const flush = () => {
    if (curTime === '') return;
    const t = Date.parse(curTime + (/[zZ]$/.test(curTime) ? '' : 'Z'));
    if (Number.isNaN(t)) fail(`${file}: bad query_time "${curTime}"`);
    out.push({ time: t, modifiedIso: new Date(t).toISOString(), station: Int32Array.from(st), bikes: Int32Array.from(bikes), empty: Int32Array.from(empty), docks: Int32Array.from(docks) });
    st = [];
    bikes = [];
    empty = [];
    docks = [];
  };
  let pos = text.indexOf('\n') + 1; // header: query_time,place_id,bikes,empty_docks,docks
  const n = text.length;
  while (pos < n) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    const lineEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (lineEnd > pos) {
      const c1 = text.indexOf(',', pos);
      const c2 = text.indexOf(',', c1 + 1);
      const c3 = text.indexOf(',', c2 + 1);
      const c4 = text.indexOf(',', c3 + 1);
      if (c1 < 0 || c2 < 0 || c3 < 0 || c4 < 0 || c4 > lineEnd) fail(`${file}: malformed row at offset ${pos}`);
      const time = text.slice(pos, c1);
      if (time !== curTime) {
        flush();
        curTime = time;
      }
      const idx = stationIdx.get(text.slice(c1 + 1, c2));
      if (idx === undefined) dropped++;
      else {
        st.push(idx);
        bikes.push(Number(text.slice(c2 + 1, c3)));
        empty.push(Number(text.slice(c3 + 1, c4)));
        docks.push(Number(text.slice(c4 + 1, lineEnd)));
      }
    }
    pos = end + 1;
  }
  flush();
  return dropped;
}

/** stations.csv + occupancy/*.csv (the data bundle's tfl/ folder): one snapshot per query_time. */
function loadFolder(dir: string): TflReplayData {
  const stationsFile = join(dir, 'stations.csv');
  const occDir = join(dir, 'occupancy');
  if (!existsSync(stationsFile) || !existsSync(occDir)) fail(`${dir} needs stations.csv and occupancy/*.csv`);
  const stations = loadStations(stationsFile);
  const stationIdx = new Map(stations.map((s, i) => [s.id, i]));
  const snaps: Occupancy[] = [];
  let dropped = 0;
  const files = readdirSync(occDir).filter((f) => f.endsWith('.csv')).sort();
  for (const f of files) dropped += loadOccupancy(join(occDir, f), stationIdx, snaps);
  if (snaps.length === 0) fail(`${occDir} has no occupancy rows`);
  snaps.sort((a, b) => a.time - b.time);
  const times = snaps.map((s) => s.time);
  const cache = new Map<number, RenderedSnapshot>();

  const render = (index: number): RenderedSnapshot => {
    const o = snaps[index];
    const parts: string[] = new Array(o.station.length);
    const byId = new Map<string, number>();
    for (let i = 0; i < o.station.length; i++) {
      const info = stations[o.station[i]];
      parts[i] = renderBikePoint(info, { bikes: o.bikes[i], emptyDocks: o.empty[i], docks: o.docks[i] }, o.modifiedIso);
      byId.set(info.id, i);
    }
    const body = '[' + parts.join(',') + ']';
    return { index, time: o.time, body, etag: etagOf(body), stationCount: parts.length, station: (id) => (byId.has(id) ? parts[byId.get(id) as number] : undefined) };
  };

  return {
    kind: 'csv',
    times,
    droppedRows: dropped,
    snapshot(index) {
      const i = Math.max(0, Math.min(snaps.length - 1, index));
      let r = cache.get(i);
      if (!r) {
        r = render(i);
        // Keep the current and the previous one: clients mid-poll across a change.
        if (cache.size >= 2) cache.delete(cache.keys().next().value as number);
        cache.set(i, r);
      }
      return r;
    },
    indexAt: (t) => indexAt(times, t),
  };
}

/** A BikePoint JSON file, or a folder with stations.csv + occupancy/*.csv. */
export function loadTflReplayData(source: string): TflReplayData {
  if (!existsSync(source)) fail(`replay source ${source} does not exist`);
  return statSync(source).isDirectory() ? loadFolder(source) : loadJson(source);
}
