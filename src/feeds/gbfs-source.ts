import { BikeBotError, isBikeBotError } from '../domain/errors.js';
import type { Snapshot, SystemInfo } from '../domain/station.js';
import type { SystemService } from '../domain/system-service.js';
import { ConditionalHttp, type ConditionalHttpOptions } from './conditional-http.js';
import type { FeedSource, PollResult } from './feed-source.js';
import { GBFS_FILES, parseDiscovery, parseEnvelope, parsePricingPlans, parseSystemInformation, parseVehicleTypes, type GbfsEnvelope, type GbfsFileName, type GbfsSystemInformation, type VehicleType } from './gbfs-parse.js';
import { buildStations, type BuildResult } from './gbfs-stations.js';

export interface GbfsSourceOptions {
  system: SystemInfo;
  /**
   * The auto-discovery `gbfs.json` URL; or, for feeds without one (1.0-style, e.g. BIXI),
   * a folder URL ending in "/" under which `station_information.json` etc. live.
   */
  url?: string;
  /** Direct file URLs; these win over discovery and the folder URL. */
  files?: Partial<Record<Exclude<GbfsFileName, 'gbfs'>, string>>;
  /** Preferred language for 2.x feed lists and 3.0 localized strings. */
  language?: string;
  /** A shared client, or options to make one. */
  http: ConditionalHttp | ConditionalHttpOptions;
  /** station_status is never polled faster than this, whatever its ttl (default 30 s). */
  statusFloorS?: number;
  /** gbfs.json, system_information, station_information, vehicle_types: at most this often (default 3600 s). */
  staticFloorS?: number;
  /** Clock in epoch ms (tests pass a fake one). */
  now?: () => number;
  feedId?: string;
  /** Told about what was tolerated: skipped stations, missing optional files. */
  onNote?: (note: string) => void;
}

interface FileState {
  url: string | null;
  dueAt: number;
  env: GbfsEnvelope | null;
  body: string | null;
}

/** Every file but discovery: each is read from its own URL (direct, or under the folder). */
const FOLDER_FILES = GBFS_FILES.filter((f): f is Exclude<GbfsFileName, 'gbfs'> => f !== 'gbfs');
/** Fetch order: discovery first (it gives the other URLs), status last (it goes stale first). */
const ORDER: GbfsFileName[] = ['gbfs', 'system_information', 'system_pricing_plans', 'vehicle_types', 'station_information', 'station_status'];
const OPTIONAL: ReadonlySet<GbfsFileName> = new Set<GbfsFileName>(['system_information', 'vehicle_types', 'system_pricing_plans']);
/** Files that only change the prices and contact a snapshot carries, not its stations. */
const SERVICE_FILES: ReadonlySet<GbfsFileName> = new Set<GbfsFileName>(['system_information', 'system_pricing_plans']);

export interface GbfsDescription {
  version: string | null;
  language: string | null;
  languages: string[];
  information: GbfsSystemInformation | null;
  urls: Partial<Record<GbfsFileName, string>>;
  ttlS: Partial<Record<GbfsFileName, number | null>>;
  /** The raw documents last fetched, for schema validation. */
  documents: Partial<Record<GbfsFileName, unknown>>;
  lastBuild: BuildResult | null;
  /** How many vehicle types the feed describes; null when it publishes none (e-bikes then from num_ebikes_available). */
  vehicleTypes: number | null;
}

/**
 * One GBFS system as a FeedSource. Each file keeps its own schedule (its ttl, floored);
 * poll() fetches only the files that are due, with conditional requests, and returns
 * a snapshot only when something changed.
 */
export class GbfsSource implements FeedSource {
  readonly feedId: string;
  readonly system: SystemInfo;
  private readonly http: ConditionalHttp;
  private readonly now: () => number;
  private readonly statusFloorMs: number;
  private readonly staticFloorMs: number;
  private readonly files = new Map<GbfsFileName, FileState>();
  private language: string | null;
  private languages: string[] = [];
  private vehicleTypes: Map<string, VehicleType> | null = null;
  private dirty = false;
  private lastBuild: BuildResult | null = null;

  constructor(private readonly opts: GbfsSourceOptions) {
    this.system = opts.system;
    this.feedId = opts.feedId ?? `gbfs:${opts.system.id}`;
    this.http = opts.http instanceof ConditionalHttp ? opts.http : new ConditionalHttp(opts.http);
    this.now = opts.now ?? Date.now;
    this.statusFloorMs = (opts.statusFloorS ?? 30) * 1000;
    this.staticFloorMs = (opts.staticFloorS ?? 3600) * 1000;
    this.language = opts.language ?? null;
    const direct = opts.files ?? {};
    const folder = opts.url?.endsWith('/') ? opts.url : null;
    if (!opts.url && !direct.station_information) throw new BikeBotError('CONFIG_INVALID', `GBFS system ${opts.system.id}: give a gbfs.json URL, a folder URL ending in "/", or the file URLs`);
    const discovery = opts.url && !folder ? opts.url : null;
    this.files.set('gbfs', { url: discovery, dueAt: 0, env: null, body: null });
    for (const f of FOLDER_FILES) {
      const url = direct[f] ?? (folder ? new URL(`${f}.json`, folder).href : null);
      this.files.set(f, { url, dueAt: 0, env: null, body: null });
    }
  }

  async poll(signal: AbortSignal): Promise<PollResult> {
    for (const name of ORDER) {
      const st = this.files.get(name) as FileState;
      if (!st.url || st.dueAt > this.now()) continue;
      await this.fetchFile(name, st, signal);
    }
    const info = this.files.get('station_information') as FileState;
    const status = this.files.get('station_status') as FileState;
    if (!info.url || !status.url) throw new BikeBotError('FEED_PARSE', `GBFS ${this.system.id}: the feed lists no ${!info.url ? 'station_information' : 'station_status'}`);
    let snapshot: Snapshot | null = null;
    if (this.dirty && info.env && status.env) {
      const built = buildStations({ systemId: this.system.id, language: this.language, information: info.env, status: status.env, vehicleTypes: this.vehicleTypes });
      if (built.withStatus === 0) {
        // Fetch both again next round rather than rebuild from documents that gave nothing.
        for (const st of [info, status]) {
          this.http.forget(st.url as string);
          st.dueAt = 0;
          st.body = null;
        }
        const why = built.skipped[0] ? `e.g. ${built.skipped[0].stationId ?? '?'}: ${built.skipped[0].reason}` : `${built.stations.length} stations listed, none in station_status`;
        throw new BikeBotError('FEED_PARSE', `GBFS ${this.system.id}: no usable station (${why})`);
      }
      if (built.skipped.length > 0) this.opts.onNote?.(`GBFS ${this.system.id}: ${built.skipped.length} station(s) skipped, e.g. ${built.skipped[0].stationId ?? '?'}: ${built.skipped[0].reason}`);
      this.lastBuild = built;
      this.dirty = false;
      snapshot = {
        feedId: this.feedId,
        systemId: this.system.id,
        fetchedAt: new Date(this.now()).toISOString(),
        asOf: status.env.lastUpdated ?? newest(built.stations.map((s) => s.asOf)),
        stations: built.stations,
        ...this.service(),
      };
    }
    return { snapshot, nextPollInMs: this.nextDueInMs() };
  }

  /** What the feed said about itself, for `systems add` and diagnostics. */
  describe(): GbfsDescription {
    const urls: GbfsDescription['urls'] = {};
    const ttlS: GbfsDescription['ttlS'] = {};
    const documents: GbfsDescription['documents'] = {};
    let version: string | null = null;
    for (const [name, st] of this.files) {
      if (st.url) urls[name] = st.url;
      if (st.env) ttlS[name] = st.env.ttlS;
      if (st.body) documents[name] = JSON.parse(st.body);
      version ??= st.env?.version ?? null;
    }
    const si = this.files.get('system_information')?.env;
    return { version, language: this.language, languages: this.languages, information: si ? parseSystemInformation(si, this.language) : null, urls, ttlS, documents, lastBuild: this.lastBuild, vehicleTypes: this.vehicleTypes?.size ?? null };
  }

  /** Prices (system_pricing_plans) and the operator's contact (system_information), as the feed states them. */
  private service(): { service?: SystemService } {
    const si = this.files.get('system_information')?.env;
    const pp = this.files.get('system_pricing_plans')?.env;
    const info = si ? parseSystemInformation(si, this.language) : null;
    let plans: SystemService['pricing'] = null;
    if (pp) {
      // A pricing file we cannot read costs the prices, never the station counts.
      try {
        const list = parsePricingPlans(pp, this.language);
        if (list.length > 0) plans = { plans: list, url: info?.purchaseUrl ?? null, checked: null, source: 'feed' };
      } catch (e) {
        this.opts.onNote?.(`GBFS ${this.system.id}: system_pricing_plans unreadable (${(e as Error).message}); answering without prices`);
      }
    }
    const contact = info?.contact ?? null;
    return plans || contact ? { service: { pricing: plans, contact } } : {};
  }

  private nextDueInMs(): number {
    let due = Infinity;
    for (const st of this.files.values()) if (st.url) due = Math.min(due, st.dueAt);
    return Math.max(0, due - this.now());
  }

  private async fetchFile(name: GbfsFileName, st: FileState, signal: AbortSignal): Promise<void> {
    const url = st.url as string;
    let res;
    try {
      res = await this.http.get(url, signal);
    } catch (e) {
      if (OPTIONAL.has(name) && isBikeBotError(e, 'FEED_HTTP') && e.status === 404) {
        // Listed but not served (or a folder without it): carry on without it, ask again later.
        this.opts.onNote?.(`GBFS ${this.system.id}: ${name} not found (404); going on without it`);
        st.dueAt = this.now() + this.staticFloorMs;
        return;
      }
      throw e;
    }
    if (res.status === 304 || res.body === st.body) {
      st.dueAt = this.now() + Math.max((st.env?.ttlS ?? 0) * 1000, this.floorMs(name));
      return;
    }
    let env: GbfsEnvelope;
    try {
      env = parseEnvelope(name, res.body as string);
      this.apply(name, env);
    } catch (e) {
      // Next time fetch in full: the validators belong to a body we could not use.
      this.http.forget(url);
      throw isBikeBotError(e) ? new BikeBotError('FEED_PARSE', `${this.system.id}: ${e.message} (${url})`, { cause: e }) : e;
    }
    st.env = env;
    st.body = res.body;
    st.dueAt = this.now() + Math.max((env.ttlS ?? 0) * 1000, this.floorMs(name));
    // New prices or contact reach riders with the next snapshot, even when no count changed.
    if (name !== 'gbfs' && (!SERVICE_FILES.has(name) || this.lastBuild !== null)) this.dirty = true;
  }

  private floorMs(name: GbfsFileName): number {
    return name === 'station_status' ? this.statusFloorMs : this.staticFloorMs;
  }

  /** Side effects of a new document on the rest of the state; throws FEED_PARSE before anything is kept. */
  private apply(name: GbfsFileName, env: GbfsEnvelope): void {
    if (name === 'gbfs') {
      const d = parseDiscovery(env, this.opts.language ?? null);
      this.language = d.language ?? this.opts.language ?? null;
      this.languages = d.languages;
      for (const f of FOLDER_FILES) {
        const st = this.files.get(f) as FileState;
        const url = this.opts.files?.[f] ?? d.feeds.get(f) ?? null;
        if (url !== st.url) {
          st.url = url;
          st.dueAt = 0;
          st.env = null;
          st.body = null;
          if (f === 'vehicle_types') this.vehicleTypes = null;
        }
      }
    } else if (name === 'vehicle_types') {
      this.vehicleTypes = parseVehicleTypes(env);
    } else if (name === 'station_information' || name === 'station_status') {
      if (!Array.isArray(env.data.stations)) throw new BikeBotError('FEED_PARSE', `GBFS ${name}: "data.stations" is not a list`);
    }
  }
}

function newest(times: (string | null)[]): string | null {
  let best: string | null = null;
  for (const t of times) if (t && (best === null || t > best)) best = t;
  return best;
}
