import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import { brokenDocks, type Snapshot, type Station } from '../domain/station.js';

/**
 * TfL's scheme as one system; its station ids (`BikePoints_1`) are already globally unique.
 * Also the systems config's default (defaultSystemsConfig), so the two never drift apart.
 */
export const TFL_SYSTEM = {
  id: 'tfl',
  name: 'Santander Cycles London',
  timezone: 'Europe/London',
  aliases: ['london', 'santander cycles', 'santander bikes', 'boris bikes', 'tfl'],
} as const;

export interface ParseBikePointsOptions {
  systemId: string;
  feedId: string;
  fetchedAt: Date;
}

export interface SkippedStation {
  /** Position in the upstream array. */
  index: number;
  id: string | null;
  reason: string;
}

export interface BikePointsReport {
  snapshot: Snapshot;
  /** Stations that could not be read; the rest of the feed is still used. */
  skipped: SkippedStation[];
}

/**
 * The keys whose `modified` says when the counts were observed. TerminalName or
 * InstallDate may carry an older timestamp that says nothing about the counts.
 */
export const COUNT_KEYS = ['NbBikes', 'NbEmptyDocks', 'NbDocks', 'NbStandardBikes', 'NbEBikes'] as const;

/** TfL names carry stray spaces ("River Street , Clerkenwell", "Kennington Road  , Vauxhall"). */
export function tidyName(name: string): string {
  return name.replace(/\s+/g, ' ').replace(/ ,/g, ',').trim();
}

/** A count is a non-negative integer in a string; anything else is unknown, never guessed. */
function count(v: string | undefined): number | null {
  if (v === undefined) return null;
  const t = v.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

function flag(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  const t = v.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  return dflt;
}

function coord(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function parseStation(raw: unknown, systemId: string): Station | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  const o = raw as Record<string, unknown>;
  if (typeof o.id !== 'string' || o.id.trim() === '') return 'no id';
  if (!Array.isArray(o.additionalProperties)) return 'no additionalProperties array';
  const values = new Map<string, string>();
  const modified = new Map<string, number>();
  for (const p of o.additionalProperties) {
    if (p === null || typeof p !== 'object') continue;
    const { key, value, modified: mod } = p as Record<string, unknown>;
    if (typeof key !== 'string') continue;
    if (typeof value === 'string') values.set(key, value);
    else if (typeof value === 'number' && Number.isFinite(value)) values.set(key, String(value));
    // Only the counts' times are read (asOf below); Date.parse of the others was most of parsing.
    if (typeof mod === 'string' && (COUNT_KEYS as readonly string[]).includes(key)) {
      const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(mod) ? mod : mod + 'Z');
      if (!Number.isNaN(t)) modified.set(key, t);
    }
  }
  const name = typeof o.commonName === 'string' && o.commonName.trim() !== '' ? tidyName(o.commonName) : null;
  if (name === null) return 'no commonName';

  const standardBikes = count(values.get('NbStandardBikes'));
  const ebikes = count(values.get('NbEBikes'));
  let bikes = count(values.get('NbBikes'));
  // Today NbBikes = NbStandardBikes + NbEBikes; only fill it from them when both are there.
  if (bikes === null && standardBikes !== null && ebikes !== null) bikes = standardBikes + ebikes;
  const emptyDocks = count(values.get('NbEmptyDocks'));
  const docks = count(values.get('NbDocks'));

  let lat = coord(o.lat);
  let lon = coord(o.lon);
  if (!isValidLatLon(lat, lon)) lat = lon = null;

  // A listed station is there unless the feed says otherwise.
  const installed = flag(values.get('Installed'), true);
  const locked = flag(values.get('Locked'), false);
  const temporary = flag(values.get('Temporary'), false);

  let asOf: number | null = null;
  for (const k of COUNT_KEYS) {
    const t = modified.get(k);
    if (values.has(k) && t !== undefined && (asOf === null || t > asOf)) asOf = t;
  }
  const terminal = values.get('TerminalName')?.trim();

  return {
    id: o.id.trim(),
    systemId,
    name,
    lat,
    lon,
    terminalName: terminal ? terminal : null,
    bikes,
    standardBikes,
    ebikes,
    emptyDocks,
    docks,
    brokenDocks: brokenDocks(docks, bikes, emptyDocks),
    installed,
    locked,
    temporary,
    renting: installed && !locked,
    returning: installed && !locked,
    asOf: asOf === null ? null : new Date(asOf).toISOString(),
  };
}

/** Parse TfL's /BikePoint array, reporting the stations it had to skip. */
export function parseBikePointsReport(json: unknown, opts: ParseBikePointsOptions): BikePointsReport {
  if (!Array.isArray(json)) {
    throw new BikeBotError('FEED_PARSE', `TfL BikePoint body is not an array (got ${json === null ? 'null' : typeof json})`);
  }
  const stations: Station[] = [];
  const skipped: SkippedStation[] = [];
  const seen = new Set<string>();
  let newest: string | null = null;
  json.forEach((raw, index) => {
    const r = parseStation(raw, opts.systemId);
    if (typeof r === 'string') {
      const id = raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
      skipped.push({ index, id, reason: r });
      return;
    }
    if (seen.has(r.id)) {
      skipped.push({ index, id: r.id, reason: 'duplicate id' });
      return;
    }
    seen.add(r.id);
    stations.push(r);
    if (r.asOf !== null && (newest === null || r.asOf > newest)) newest = r.asOf;
  });
  // TfL never has zero stations: an empty or all-broken list is a broken response,
  // and must not replace the last good snapshot.
  if (stations.length === 0) {
    throw new BikeBotError('FEED_PARSE', json.length === 0 ? 'TfL BikePoint array is empty' : `none of the ${json.length} TfL BikePoints could be read (first: ${skipped[0]?.reason})`);
  }
  return {
    snapshot: { feedId: opts.feedId, systemId: opts.systemId, fetchedAt: opts.fetchedAt.toISOString(), asOf: newest, stations },
    skipped,
  };
}

/** TfL's /BikePoint array → a Snapshot. Malformed stations are skipped; a non-array body throws FEED_PARSE. */
export function parseBikePoints(json: unknown, opts: ParseBikePointsOptions): Snapshot {
  return parseBikePointsReport(json, opts).snapshot;
}
