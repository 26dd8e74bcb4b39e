/**
 * `bikebot systems search <words>`, `systems add <name>` and `systems update`: every
 * city that publishes GBFS, found by name in MobilityData's catalogue. London is
 * the built-in TfL system, whatever the catalogue holds.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BikeBotError, isBikeBotError } from '../domain/errors.js';
import { ConditionalHttp } from '../feeds/conditional-http.js';
import { parseDiscovery, parseEnvelope } from '../feeds/gbfs-parse.js';
import { TFL_SYSTEM } from '../feeds/tfl-parse.js';
import { fold, parseCatalogue, searchCatalogue, UPDATED_CATALOGUE_NAME, type Catalogue, type CatalogueMatch, type CatalogueSystem } from './catalogue.js';
import { slugId, systemsAdd, type SystemsAddOptions } from './systems-command.js';

const TFL_NAMES = new Set([TFL_SYSTEM.name, ...TFL_SYSTEM.aliases].map(fold));
const BUILT_IN_LINE = `${TFL_SYSTEM.name} — London, United Kingdom — built in (TfL BikePoint API; TfL publishes no GBFS), nothing to add`;

function isLondon(query: string): boolean {
  const q = fold(query);
  return TFL_NAMES.has(q) || [...TFL_NAMES].some((n) => n.length > 3 && q.includes(n));
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

function rowOf(s: CatalogueSystem): string[] {
  return [s.name, s.location, s.country, s.versions.join(', ') || '?', s.discoveryUrl + (s.authType ? ` (needs ${s.authType})` : '')];
}

/** One line per match: name, city, country, versions, auto-discovery URL. */
export function systemsSearch(catalogue: Catalogue, query: string, limit = 50): string {
  const matches = searchCatalogue(catalogue.systems, query);
  const lines: string[] = [];
  if (isLondon(query)) lines.push(BUILT_IN_LINE);
  if (matches.length === 0) {
    lines.push(`No system in the catalogue (${catalogue.date}, ${catalogue.systems.length} systems) matches "${query}".`);
    return lines.join('\n');
  }
  lines.push(table([['name', 'city', 'country', 'versions', 'auto-discovery URL'], ...matches.slice(0, limit).map((m) => rowOf(m.system))]));
  if (matches.length > limit) lines.push(`… and ${matches.length - limit} more; add words to narrow it down.`);
  lines.push(`${matches.length} of ${catalogue.systems.length} systems (MobilityData catalogue, ${catalogue.date}, CC BY 3.0). Add one with: bikebot systems add "<name>"`);
  return lines.join('\n');
}

/** Does this system's gbfs.json list docking stations with status? (Free-floating and car-sharing feeds do not.) */
async function hasDocks(s: CatalogueSystem, http: ConditionalHttp, timeoutMs: number): Promise<boolean> {
  try {
    const res = await http.get(s.discoveryUrl, AbortSignal.timeout(timeoutMs));
    const feeds = parseDiscovery(parseEnvelope('gbfs', res.body ?? ''), null).feeds;
    return feeds.has('station_information') && feeds.has('station_status');
  } catch {
    return false;
  }
}

export interface AddByNameOptions extends Omit<SystemsAddOptions, 'name' | 'aliases'> {
  catalogue: Catalogue;
}

/**
 * The one system a name means: an exact name or id; else the only match; else,
 * among the best matches, the only one that publishes docking stations. Anything
 * less certain is a list to choose from, never a guess.
 */
export async function pickSystem(query: string, opts: { catalogue: Catalogue; userAgent: string; timeoutMs: number }): Promise<CatalogueSystem> {
  if (isLondon(query)) throw new BikeBotError('INVALID_INPUT', `${BUILT_IN_LINE}.`);
  const matches = searchCatalogue(opts.catalogue.systems, query);
  if (matches.length === 0) throw new BikeBotError('NOT_FOUND', `No system in the catalogue matches "${query}"; try: bikebot systems search <city or country>`);
  if (matches.length === 1 || matches[0].score >= 100) return matches[0].system;
  // "montreal" is BIXI, a car-sharing service and a vendor's demo: ask each feed whether it has docks.
  const pool = matches.slice(0, 8);
  const docked = await filterDocked(pool, new ConditionalHttp({ userAgent: opts.userAgent, timeoutMs: opts.timeoutMs }), opts.timeoutMs);
  if (docked.length === 1) return docked[0].system;
  const list = (docked.length > 1 ? docked : pool).map((m) => `  ${m.system.name} (${m.system.location}, ${m.system.country})`).join('\n');
  throw new BikeBotError('INVALID_INPUT', `Several systems match "${query}"${docked.length === 0 ? ' and none of them answered with docking stations' : ''}:\n${list}\nSay which, e.g. bikebot systems add "${(docked[0] ?? pool[0]).system.name}"`);
}

async function filterDocked(candidates: CatalogueMatch[], http: ConditionalHttp, timeoutMs: number): Promise<CatalogueMatch[]> {
  const ok = await Promise.all(candidates.map((m) => (m.system.authType ? Promise.resolve(false) : hasDocks(m.system, http, timeoutMs))));
  return candidates.filter((_, i) => ok[i]);
}

/** `systems add <name>`: find it in the catalogue, then check and add it like a URL. */
export async function systemsAddByName(query: string, opts: AddByNameOptions): Promise<string> {
  const s = await pickSystem(query, opts);
  if (s.authType) {
    throw new BikeBotError('INVALID_INPUT', `${s.name} needs ${s.authType}${s.authInfoUrl ? ` (see ${s.authInfoUrl})` : ''}; BikeBot cannot read it without one.`);
  }
  const city = s.location.split(',')[0].trim();
  const aliases = [...new Set([city, s.name].map((a) => a.toLowerCase()).filter((a) => a && a !== s.name.toLowerCase()))];
  const report = await systemsAdd(s.discoveryUrl, { ...opts, id: opts.id ?? slugId(s.name), name: s.name, ...(aliases.length ? { aliases } : {}) });
  return `Found ${s.name} (${s.location}, ${s.country}) in the catalogue: ${s.discoveryUrl}\n${report}`;
}

export interface UpdateOptions {
  url: string;
  dataDir: string;
  userAgent: string;
  timeoutMs: number;
}

/** Fetches the catalogue, checks it parses, and swaps it in atomically. */
export async function systemsUpdate(opts: UpdateOptions, previous: Catalogue): Promise<string> {
  const http = new ConditionalHttp({ userAgent: opts.userAgent, timeoutMs: opts.timeoutMs });
  let body: string;
  try {
    body = (await http.get(opts.url, AbortSignal.timeout(opts.timeoutMs))).body ?? '';
  } catch (e) {
    throw isBikeBotError(e) ? new BikeBotError(e.code, `Could not update the catalogue from ${opts.url}: ${e.message}; keeping the one from ${previous.date}`, { cause: e }) : e;
  }
  const systems = parseCatalogue(body, opts.url);
  if (systems.length === 0) throw new BikeBotError('FEED_PARSE', `${opts.url} lists no system; keeping the catalogue from ${previous.date}`);
  mkdirSync(opts.dataDir, { recursive: true });
  const path = join(opts.dataDir, UPDATED_CATALOGUE_NAME);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, body, 'utf8');
  renameSync(tmp, path);
  const countries = new Set(systems.map((s) => s.countryCode)).size;
  return `Catalogue updated: ${systems.length} systems in ${countries} countries (was ${previous.systems.length}, ${previous.date}), saved to ${path}`;
}
