/**
 * MobilityData's catalogue of GBFS systems (systems.csv, CC BY 3.0): every city by
 * name. The copy shipped in data/gbfs-catalogue is used until `systems update` has
 * fetched a newer one into the data directory.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BikeBotError } from '../domain/errors.js';
import { parseCsv } from '../util/csv.js';

export interface CatalogueSystem {
  countryCode: string;
  country: string;
  name: string;
  location: string;
  systemId: string;
  homepage: string;
  discoveryUrl: string;
  versions: string[];
  /** Set when the feed needs a key (e.g. "api_key"): BikeBot cannot add it on its own. */
  authType: string | null;
  authInfoUrl: string | null;
}

export interface Catalogue {
  systems: CatalogueSystem[];
  /** Where it was read from, and how current it is (the shipped file's date, or when `update` fetched it). */
  source: string;
  date: string;
}

const SHIPPED_DIR = fileURLToPath(new URL('../../data/gbfs-catalogue/', import.meta.url));
export const SHIPPED_CATALOGUE = join(SHIPPED_DIR, 'systems-2026-07-21.csv');
const SHIPPED_DATE = '2026-07-21';
/** `systems update` writes here, inside the data directory. */
export const UPDATED_CATALOGUE_NAME = 'gbfs-systems.csv';

const HEADER = ['Country Code', 'Name', 'Location', 'System ID', 'URL', 'Auto-Discovery URL', 'Supported Versions'];

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
function countryName(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Parses systems.csv by its header names (column order may change upstream); throws CONFIG_INVALID when it is not one. */
export function parseCatalogue(text: string, source = 'systems.csv'): CatalogueSystem[] {
  const rows = parseCsv(text).filter((r) => r.some((c) => c.trim() !== ''));
  const header = rows[0]?.map((h) => h.trim()) ?? [];
  const missing = HEADER.filter((h) => !header.includes(h));
  if (missing.length > 0) throw new BikeBotError('CONFIG_INVALID', `${source} is not a GBFS systems catalogue (no ${missing.map((m) => `"${m}"`).join(', ')} column)`);
  const col = (row: string[], name: string) => (row[header.indexOf(name)] ?? '').trim();
  const out: CatalogueSystem[] = [];
  for (const row of rows.slice(1)) {
    const discoveryUrl = col(row, 'Auto-Discovery URL');
    const name = col(row, 'Name');
    if (!name || !/^https?:\/\//i.test(discoveryUrl)) continue;
    const countryCode = col(row, 'Country Code').toUpperCase();
    out.push({
      countryCode,
      country: countryName(countryCode),
      name,
      location: col(row, 'Location'),
      systemId: col(row, 'System ID'),
      homepage: col(row, 'URL'),
      discoveryUrl,
      versions: col(row, 'Supported Versions')
        .split(';')
        .map((v) => v.trim())
        .filter(Boolean),
      authType: col(row, 'Authentication Type') || null,
      authInfoUrl: col(row, 'Authentication Info URL') || null,
    });
  }
  return out;
}

/** The updated copy in dataDir when there is one, else the shipped one. */
export function loadCatalogue(dataDir: string): Catalogue {
  const updated = join(dataDir, UPDATED_CATALOGUE_NAME);
  if (existsSync(updated)) {
    return { systems: parseCatalogue(readFileSync(updated, 'utf8'), updated), source: updated, date: statSync(updated).mtime.toISOString().slice(0, 10) };
  }
  return { systems: parseCatalogue(readFileSync(SHIPPED_CATALOGUE, 'utf8'), SHIPPED_CATALOGUE), source: SHIPPED_CATALOGUE, date: SHIPPED_DATE };
}

/** Lower case, no accents, words only: "Montréal" finds "Montreal" and the other way round. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface CatalogueMatch {
  system: CatalogueSystem;
  /** Higher is better: the whole name, then words of the name, then the city, then the country. */
  score: number;
}

/**
 * Systems whose name, city, country (name or code) or id hold every word of the
 * query; best first. "chicago" → Divvy, Lime Chicago, …; "citi bike" → Citi Bike;
 * "canada" → every Canadian system.
 */
export function searchCatalogue(systems: readonly CatalogueSystem[], query: string): CatalogueMatch[] {
  const q = fold(query);
  if (!q) return [];
  const words = q.split(' ');
  const out: CatalogueMatch[] = [];
  for (const system of systems) {
    const name = fold(system.name);
    const location = fold(system.location);
    const country = fold(system.country);
    const code = system.countryCode.toLowerCase();
    const id = fold(system.systemId);
    const fields = ` ${name} ${location} ${country} ${code} ${id} `;
    if (!words.every((w) => fields.includes(` ${w}`))) continue;
    const inName = words.filter((w) => ` ${name} `.includes(` ${w}`)).length;
    const inLocation = words.filter((w) => ` ${location} `.includes(` ${w}`)).length;
    let score = inName * 4 + inLocation * 2;
    if (name === q || id === q) score += 100;
    if (location === q || location.startsWith(`${q} `)) score += 10;
    out.push({ system, score });
  }
  return out.sort((a, b) => b.score - a.score || a.system.name.localeCompare(b.system.name));
}
