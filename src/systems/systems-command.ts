/**
 * `bikebot systems add <url>` and `bikebot systems list`. Adding checks the feed
 * the way the server will read it (same GbfsSource), so a system that is added
 * is one that works.
 */
import { existsSync } from 'node:fs';
import { BikeBotError } from '../domain/errors.js';
import { ConditionalHttp } from '../feeds/conditional-http.js';
import { GbfsSource } from '../feeds/gbfs-source.js';
import { DEFAULT_SCHEMAS_DIR, formatReport, GbfsValidator } from '../feeds/gbfs-validate.js';
import { defaultSystemsConfig, loadSystemsConfig, parseSystemsConfig, saveSystemsConfig, type SystemEntry, type SystemsConfig } from './systems-config.js';

export interface SystemsAddOptions {
  configPath: string;
  userAgent: string;
  timeoutMs: number;
  /** Folder with the official GBFS schemas (v1.0/, v2.3/, v3.0/); undefined: the shipped ones; null: no check, said so. */
  schemasDir?: string | null;
  id?: string;
  name?: string;
  timezone?: string;
  language?: string;
  aliases?: string[];
  /** Floor for station_status polling, to report the effective interval (default 30 s). */
  statusFloorS?: number;
}

export function slugId(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '-')
      .replace(/^[-_]+|[-_]+$/g, '')
      .slice(0, 40) || 'gbfs'
  );
}

/** Fetches, parses and validates the feed, then adds it to the config file. Returns a human-readable report. */
export async function systemsAdd(url: string, opts: SystemsAddOptions): Promise<string> {
  if (!/^https?:\/\//i.test(url)) throw new BikeBotError('INVALID_INPUT', `"${url}" is not an http(s) URL of a gbfs.json (or of a folder ending in "/")`);
  const http = new ConditionalHttp({ userAgent: opts.userAgent, timeoutMs: opts.timeoutMs });
  const probeId = opts.id ? slugId(opts.id) : 'probe';
  const notes: string[] = [];
  const validator = new GbfsValidator(opts.schemasDir === undefined ? DEFAULT_SCHEMAS_DIR : opts.schemasDir);
  const source = new GbfsSource({
    validator,
    system: { id: probeId, name: opts.name ?? probeId, timezone: opts.timezone ?? 'UTC' },
    url,
    language: opts.language,
    http,
    statusFloorS: opts.statusFloorS,
    onNote: (n) => notes.push(n),
  });
  const started = Date.now();
  const { snapshot } = await source.poll(AbortSignal.timeout(opts.timeoutMs * 6));
  const tookMs = Date.now() - started;
  if (!snapshot) throw new BikeBotError('FEED_PARSE', `${url}: the feed gave no stations`);
  const d = source.describe();
  const info = d.information;

  const timezone = opts.timezone ?? info?.timezone ?? null;
  if (!timezone) throw new BikeBotError('INVALID_INPUT', `${url}: system_information gives no timezone; pass one (e.g. --timezone America/Chicago)`);
  const name = opts.name ?? info?.name ?? new URL(url).hostname;
  const id = slugId(opts.id ?? info?.name ?? info?.systemId ?? new URL(url).hostname);

  const entry: SystemEntry = { id, kind: 'gbfs', url, name, timezone };
  if (opts.language) entry.language = opts.language;
  // People name the city, not the scheme ("bikes near union square new york"): the time
  // zone's city is a good first alias (America/New_York → "new york"); edit the file for more.
  const zoneCity = timezone.includes('/') ? timezone.split('/').pop()!.replace(/_/g, ' ').toLowerCase() : null;
  const derived = [info?.name && info.name.toLowerCase() !== name.toLowerCase() ? info.name : null, zoneCity && !name.toLowerCase().includes(zoneCity) ? zoneCity : null].filter((a): a is string => !!a);
  const aliases = opts.aliases ?? (derived.length ? derived : undefined);
  if (aliases?.length) entry.aliases = aliases;

  const cfg: SystemsConfig = existsSync(opts.configPath) ? loadSystemsConfig(opts.configPath) : defaultSystemsConfig();
  const existing = cfg.systems.findIndex((s) => s.id === id);
  if (existing >= 0 && cfg.systems[existing].url !== url) {
    throw new BikeBotError('CONFIG_INVALID', `a system with id "${id}" is already configured (${cfg.systems[existing].url ?? cfg.systems[existing].kind}); choose another with --id`);
  }
  const next = parseSystemsConfig({ systems: existing >= 0 ? cfg.systems.map((s, i) => (i === existing ? entry : s)) : [...cfg.systems, entry] }, 'the new systems config');

  const validation = validator.note ? [`schemas: not validated (${validator.note})`] : d.validation.map(formatReport);

  const build = d.lastBuild;
  const stations = snapshot.stations;
  const ttl = Object.entries(d.ttlS)
    .map(([f, t]) => `${f} ${t ?? '?'} s`)
    .join(', ');
  const statusTtl = d.ttlS.station_status ?? 0;
  const lines = [
    `${existing >= 0 ? 'Updated' : 'Added'} "${id}" (${name}, ${timezone}) to ${opts.configPath}`,
    ...(d.versions.length > 0 ? [`  versions listed: ${d.versions.map((v) => v.version).join(', ')} (the newest supported is read)`] : []),
    `  feed: GBFS ${d.version ?? '1.0 (no version key)'}${d.language ? `, language ${d.language}` : ''}${d.urls.gbfs ? '' : ', no gbfs.json (files read from the folder)'}; answered in ${tookMs} ms`,
    `  stations: ${stations.length} (${stations.filter((s) => s.renting).length} renting${build?.withoutStatus ? `, ${build.withoutStatus} without status` : ''}${build?.skipped.length ? `, ${build.skipped.length} skipped` : ''})`,
    `  e-bikes: ${d.vehicleTypes ? `counted from vehicle_types (${d.vehicleTypes} types)` : stations.some((s) => s.ebikes !== null) ? 'from num_ebikes_available (no vehicle_types)' : 'not reported'}`,
    `  ttl: ${ttl}; station_status will be polled every ${Math.max(statusTtl, opts.statusFloorS ?? 30)} s, the other files at most hourly`,
    `  observed: ${snapshot.asOf ?? 'unknown'}`,
    ...validation.map((v) => '  ' + v.replace(/\n/g, '\n  ')),
    ...notes.map((n) => `  note: ${n}`),
  ];
  saveSystemsConfig(opts.configPath, next);
  return lines.join('\n');
}

export interface SystemStatus {
  stations: number;
  snapshotAgeS: number | null;
  lastError: string | null;
}

function age(s: number | null): string {
  if (s === null) return 'no data yet';
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** One line per system: id, kind, name, time zone, stations, snapshot age, last error. */
export function systemsList(cfg: SystemsConfig, status: (systemId: string) => SystemStatus): string {
  const rows = cfg.systems.map((s) => {
    const st = status(s.id);
    return [s.id, s.kind, s.name, s.timezone, `${st.stations} stations`, age(st.snapshotAgeS), st.lastError ? `error: ${st.lastError}` : 'ok'];
  });
  const header = ['id', 'kind', 'name', 'timezone', 'stations', 'snapshot age', 'last error'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
