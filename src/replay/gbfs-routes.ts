/**
 * GBFS routes for the replay server: serves real captured feeds from folders like
 * ../shared/data/gbfs/<system>/ under /gbfs/<system>/<file>.json. `gbfs.json` is
 * rewritten to point at this server (only at files that exist here); a folder without
 * one (BIXI, 1.0-style) gets none. station_status advances with replay time: its
 * `last_updated` (and every `last_reported`, by the same amount, so ages stay as
 * captured) moves on in steps of its ttl, so a poller sees a new document once per ttl.
 * Faults, validators and 304s are the replay server's, applied to all routes alike.
 * A file edited (or added) while serving is served as it now reads: a test or a
 * demo closes a station by writing system_alerts.json, as an operator would.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ReplayHandler, ReplayRequest, ReplayResponse, ReplayRoute } from './replay-route.js';
import { etagOf } from './tfl-replay-data.js';

export interface GbfsRoutesOptions {
  /** System folders (each folder's name becomes its path segment), or folders holding such folders. */
  folders: string[];
  /** Replay time (ms) at which the feeds read exactly as captured (default: the replay time of the first request). */
  startMs?: number;
  /** Default "/gbfs". */
  prefix?: string;
}

type Json = Record<string, unknown>;

interface SystemFiles {
  name: string;
  dir: string;
  /** file name without .json → mtime and size when read, to notice an edit */
  read: Map<string, string>;
  /** file name without .json → raw text as captured */
  raw: Map<string, string>;
  meta: Map<string, { lastUpdatedS: number | null; ttlS: number | null }>;
}

/** Where a captured timestamp is a number (seconds) or RFC 3339, the shifted one keeps its form. */
function shiftTime(v: unknown, deltaS: number): unknown {
  if (typeof v === 'number') return v + deltaS;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return new Date(Date.parse(v) + deltaS * 1000).toISOString();
  return v;
}

function epochS(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return Math.floor(Date.parse(v) / 1000);
  return null;
}

export class GbfsRoutes implements ReplayRoute {
  readonly name = 'gbfs';
  readonly prefix: string;
  private readonly systems = new Map<string, SystemFiles>();
  private startMs: number | null;
  private readonly statusCache = new Map<string, { step: number; res: ReplayResponse }>();
  private readonly pathRe: RegExp;

  constructor(opts: GbfsRoutesOptions) {
    this.prefix = (opts.prefix ?? '/gbfs').replace(/\/+$/, '');
    this.pathRe = new RegExp(`^${this.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^/]+)/([A-Za-z0-9_]+)\\.json$`);
    this.startMs = opts.startMs ?? null;
    const folders = opts.folders.flatMap((f) => (isSystemFolder(f) ? [f] : gbfsSystemFolders(f)));
    if (folders.length === 0) throw new Error(`GBFS replay: no system folder (with station_information.json and station_status.json) in ${opts.folders.join(', ')}`);
    for (const folder of folders) {
      const name = basename(folder.replace(/\/+$/, ''));
      if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`GBFS replay: folder name "${name}" cannot be a URL segment`);
      if (this.systems.has(name)) throw new Error(`GBFS replay: two system folders named "${name}"`);
      const sys: SystemFiles = { name, dir: folder, read: new Map(), raw: new Map(), meta: new Map() };
      for (const f of readdirSync(folder)) if (f.endsWith('.json')) this.load(sys, f.slice(0, -5));
      this.systems.set(name, sys);
    }
  }

  /** System folder names served, e.g. ["bixi-montreal", "divvy-chicago"]. */
  systemNames(): string[] {
    return [...this.systems.keys()];
  }

  /** The URL a client configures: gbfs.json when the folder has one, else the folder ("…/"). */
  entryUrl(baseUrl: string, system: string): string {
    const s = this.systems.get(system);
    if (!s) throw new Error(`GBFS replay: no system "${system}"`);
    return `${baseUrl}${this.prefix}/${system}/${s.raw.has('gbfs') ? 'gbfs.json' : ''}`;
  }

  /** Reads one file of a system folder when it is new or changed since it was read; false when absent. */
  private load(sys: SystemFiles, file: string): boolean {
    const path = join(sys.dir, `${file}.json`);
    let stamp: string;
    try {
      const st = statSync(path);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      return false;
    }
    if (sys.read.get(file) === stamp) return true;
    const text = readFileSync(path, 'utf8');
    const doc = safeJson(text) as Json | null;
    sys.read.set(file, stamp);
    sys.raw.set(file, text);
    sys.meta.set(file, { lastUpdatedS: epochS(doc?.last_updated), ttlS: typeof doc?.ttl === 'number' ? doc.ttl : null });
    if (file === 'station_status') this.statusCache.delete(sys.name);
    return true;
  }

  match(pathname: string): ReplayHandler | null {
    const m = this.pathRe.exec(pathname);
    if (!m) return null;
    const sys = this.systems.get(m[1]);
    const file = m[2];
    if (sys && !this.load(sys, file)) return null;
    const raw = sys?.raw.get(file);
    if (!sys || raw === undefined) return null;
    if (file === 'gbfs') return (req) => this.respond(sys, file, this.rewriteDiscovery(sys, raw, req.baseUrl));
    if (file === 'station_status') return (req) => this.status(sys, raw, req);
    return () => this.respond(sys, file, raw);
  }

  private status(sys: SystemFiles, raw: string, req: ReplayRequest): ReplayResponse {
    this.startMs ??= req.replayNow;
    const metaTtl = sys.meta.get('station_status')?.ttlS ?? 0;
    const ttlS = metaTtl > 0 ? metaTtl : 1;
    const step = Math.max(0, Math.floor((req.replayNow - this.startMs) / 1000 / ttlS));
    const cached = this.statusCache.get(sys.name);
    if (cached && cached.step === step) return cached.res;
    const doc = JSON.parse(raw) as Json;
    let body = raw;
    if (step > 0) {
      const deltaS = step * ttlS;
      doc.last_updated = shiftTime(doc.last_updated, deltaS);
      const stations = (doc.data as Json | undefined)?.stations;
      if (Array.isArray(stations)) for (const s of stations as Json[]) if (s && 'last_reported' in s) s.last_reported = shiftTime(s.last_reported, deltaS);
      body = JSON.stringify(doc);
    }
    const res = this.respond(sys, 'station_status', body, epochS(doc.last_updated));
    this.statusCache.set(sys.name, { step, res });
    return res;
  }

  private rewriteDiscovery(sys: SystemFiles, raw: string, baseUrl: string): string {
    const doc = JSON.parse(raw) as Json;
    const data = doc.data as Json;
    const rewrite = (feeds: unknown) =>
      Array.isArray(feeds)
        ? feeds.filter((f: Json) => typeof f?.name === 'string' && sys.raw.has(f.name as string)).map((f: Json) => ({ ...f, url: `${baseUrl}${this.prefix}/${sys.name}/${f.name as string}.json` }))
        : feeds;
    if (Array.isArray(data.feeds)) data.feeds = rewrite(data.feeds);
    else for (const lang of Object.keys(data)) if ((data[lang] as Json)?.feeds) (data[lang] as Json).feeds = rewrite((data[lang] as Json).feeds);
    return JSON.stringify(doc);
  }

  private respond(sys: SystemFiles, file: string, body: string, lastUpdatedS?: number | null): ReplayResponse {
    const meta = sys.meta.get(file);
    const lu = lastUpdatedS ?? meta?.lastUpdatedS ?? null;
    const res: ReplayResponse = { status: 200, body, etag: etagOf(body) };
    if (lu !== null) res.lastModified = lu * 1000;
    if (meta?.ttlS !== null && meta?.ttlS !== undefined) res.maxAgeS = meta.ttlS;
    return res;
  }
}

/** The factory `bikebot replay-server --gbfs <folder>…` takes. */
export function gbfsReplayRoutes(folders: string[], opts: Omit<GbfsRoutesOptions, 'folders'> = {}): GbfsRoutes[] {
  return [new GbfsRoutes({ ...opts, folders })];
}

function isSystemFolder(folder: string): boolean {
  return existsSync(join(folder, 'station_status.json')) && existsSync(join(folder, 'station_information.json'));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Every system folder inside a folder like ../shared/data/gbfs (those with station files; `schemas/` is not one). */
export function gbfsSystemFolders(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && isSystemFolder(join(root, d.name)))
    .map((d) => join(root, d.name))
    .sort();
}
