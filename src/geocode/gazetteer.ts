import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BikeBotError } from '../domain/errors.js';
import { isValidLatLon } from '../domain/geo.js';
import { parseCsv } from '../util/csv.js';

/** One row of a gazetteer CSV (`name,kind,lat,lon[,…][,aliases]`). */
export interface GazetteerEntry {
  name: string;
  /** The `kind` cell as written (a rail station's may be `tube;overground`). */
  kind: string;
  /** `kind` split on `;`, lowercased. */
  kinds: string[];
  lat: number;
  lon: number;
  aliases: string[];
  /** A unit postcode, when the file gives one (landmarks do for hospitals and museums). */
  postcode?: string;
  /** Further unit postcodes of the same place (a merged row's other file gave another). */
  otherPostcodes?: string[];
  /** How many unit postcodes a postcode district holds (`postcode_count`), when given. */
  postcodeCount?: number;
  /** Kept when the file has the column; nothing here filters on it. */
  inGreaterLondon?: boolean;
  /** Which file the row came from (base name), for logs and `Place.source`. */
  file: string;
}

const STATION_MODES = new Set(['tube', 'overground', 'dlr', 'elizabeth-line', 'tram', 'national-rail', 'station', 'rail', 'metro']);

export function isStationKind(kinds: readonly string[]): boolean {
  return kinds.some((k) => STATION_MODES.has(k));
}

/** Parses one gazetteer file's text. Rows without a name or valid coordinates are skipped, not fatal. */
export function parseGazetteer(text: string, file = 'gazetteer.csv'): GazetteerEntry[] {
  const rows = parseCsv(text);
  if (rows.length === 0) return [];
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (n: string) => header.indexOf(n);
  const iName = col('name');
  const iKind = col('kind');
  const iLat = col('lat');
  const iLon = col('lon');
  if (iName < 0 || iKind < 0 || iLat < 0 || iLon < 0) {
    throw new BikeBotError('CONFIG_INVALID', `gazetteer ${file}: header must have name,kind,lat,lon (got ${header.join(',')})`);
  }
  const iAliases = col('aliases');
  const iPostcode = col('postcode');
  const iLondon = col('in_greater_london');
  const iCount = col('postcode_count');
  const out: GazetteerEntry[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const name = (row[iName] ?? '').replace(/\s+/g, ' ').trim();
    const lat = Number(row[iLat]);
    const lon = Number(row[iLon]);
    if (!name || row[iLat] === '' || row[iLon] === '' || !isValidLatLon(lat, lon)) continue;
    const kind = (row[iKind] ?? '').trim();
    const entry: GazetteerEntry = {
      name,
      kind,
      kinds: kind
        .toLowerCase()
        .split(';')
        .map((k) => k.trim())
        .filter(Boolean),
      lat,
      lon,
      aliases:
        iAliases >= 0
          ? (row[iAliases] ?? '')
              .split(';')
              .map((a) => a.replace(/\s+/g, ' ').trim())
              .filter((a) => a && a !== name)
          : [],
      file,
    };
    const pc = iPostcode >= 0 ? (row[iPostcode] ?? '').trim() : '';
    if (pc) entry.postcode = pc.toUpperCase();
    if (iCount >= 0 && row[iCount] && Number.isFinite(Number(row[iCount]))) entry.postcodeCount = Number(row[iCount]);
    if (iLondon >= 0 && row[iLondon] !== undefined && row[iLondon] !== '') entry.inGreaterLondon = row[iLondon].trim().toLowerCase() === 'true';
    out.push(entry);
  }
  return out;
}

/** Loads every file given, and every `*.csv` in every folder given (sorted, not recursive). */
export function loadGazetteer(paths: readonly string[]): GazetteerEntry[] {
  const files: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new BikeBotError('CONFIG_INVALID', `gazetteer path not found: ${p}`, { cause: e });
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) if (f.toLowerCase().endsWith('.csv')) files.push(join(p, f));
    } else {
      files.push(p);
    }
  }
  const out: GazetteerEntry[] = [];
  for (const f of files) {
    for (const e of parseGazetteer(readFileSync(f, 'utf8'), basename(f))) out.push(e);
  }
  return out;
}
