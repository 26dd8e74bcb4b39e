import { BikeBotError, isBikeBotError } from '../domain/errors.js';
import type { Snapshot, SystemInfo } from '../domain/station.js';
import type { SystemService } from '../domain/system-service.js';
import { ConditionalHttp, type ConditionalHttpOptions } from './conditional-http.js';
import type { FeedSource, PollResult } from './feed-source.js';
import { applyClosures, parseSystemAlerts } from './gbfs-alerts.js';
import { GBFS_FILES, parseDiscovery, parseEnvelope, parsePricingPlans, parseSystemInformation, parseVehicleTypes, type GbfsEnvelope, type GbfsFileName, type GbfsSystemInformation, type VehicleType } from './gbfs-parse.js';
import { buildStations, type BuildResult } from './gbfs-stations.js';
import { DeviationLog, schemaVersionFor, type SchemaChecker, type ValidationReport } from './gbfs-validate.js';
import { newestSupported, parseVersions, type VersionEntry } from './gbfs-versions.js';
import type { TurnQueue } from '../util/turn-queue.js';

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
  /** Checks each new document against the official schema of its declared version; null/absent: no check. */
  validator?: SchemaChecker | null;
  /** Told once per file and schema version when a document deviates from its schema (it is still read). */
  onDeviation?: (report: ValidationReport, url: string) => void;
  /**
   * When given, each heavy piece of a round (a file's parse, its schema check, the
   * station build) waits for a turn of the event loop of its own: a 5,000-station file
   * is 10-50 ms of each, and forty systems answer together (see TurnQueue).
   */
  turns?: TurnQueue | null;
}

interface FileState {
  url: string | null;
  dueAt: number;
  env: GbfsEnvelope | null;
  body: string | null;
}

/** Every file but discovery: each is read from its own URL (direct, or under the folder). */
const FOLDER_FILES = GBFS_FILES.filter((f): f is Exclude<GbfsFileName, 'gbfs'> => f !== 'gbfs');
/** The files we fetch: the data files, and gbfs_versions.json, which only steers discovery. */
type FileKey = GbfsFileName | 'gbfs_versions';
/** Fetch order: discovery first (it gives the other URLs), then the versions it lists, status last (it goes stale first). */
const ORDER: FileKey[] = ['gbfs', 'gbfs_versions', 'system_information', 'system_pricing_plans', 'vehicle_types', 'station_information', 'system_alerts', 'station_status'];
const OPTIONAL: ReadonlySet<FileKey> = new Set<FileKey>(['gbfs_versions', 'system_information', 'vehicle_types', 'system_pricing_plans', 'system_alerts']);
/** Files that only change the prices and contact a snapshot carries, not its stations. */
const SERVICE_FILES: ReadonlySet<GbfsFileName> = new Set<GbfsFileName>(['system_information', 'system_pricing_plans']);
/** A file's schema check is repeated at most this often (a new schema version is checked at once). */
const RECHECK_MS = 10 * 60_000;
/** Fetched only when the feed lists them: guessing them under a folder would cost a 404 every round. */
const LISTED_ONLY = new Set<GbfsFileName>(['system_alerts']);

export interface GbfsDescription {
  version: string | null;
  language: string | null;
  languages: string[];
  information: GbfsSystemInformation | null;
  urls: Partial<Record<FileKey, string>>;
  ttlS: Partial<Record<FileKey, number | null>>;
  /** The raw documents last fetched, for schema validation. */
  documents: Partial<Record<FileKey, unknown>>;
  /** The versions gbfs_versions.json lists (empty when it is absent). */
  versions: VersionEntry[];
  /** The last schema check of each file (absent without a validator). */
  validation: ValidationReport[];
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
  private readonly files = new Map<FileKey, FileState>();
  private readonly deviations = new DeviationLog();
  /** When each file@schema was last checked against the official schema. */
  private readonly checkedAt = new Map<string, number>();
  private versions: VersionEntry[] = [];
  /** Discovery URLs of versions that failed after we moved to them: not tried again by this source. */
  private readonly badVersionUrls = new Set<string>();
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
    this.files.set('gbfs_versions', { url: null, dueAt: 0, env: null, body: null });
    for (const f of FOLDER_FILES) {
      const url = direct[f] ?? (folder && !LISTED_ONLY.has(f) ? new URL(`${f}.json`, folder).href : null);
      this.files.set(f, { url, dueAt: 0, env: null, body: null });
    }
  }

  async poll(signal: AbortSignal): Promise<PollResult> {
    await this.fetchDue(signal);
    const info = this.files.get('station_information') as FileState;
    const status = this.files.get('station_status') as FileState;
    if (!info.url || !status.url) throw new BikeBotError('FEED_PARSE', `GBFS ${this.system.id}: the feed lists no ${!info.url ? 'station_information' : 'station_status'}`);
    let snapshot: Snapshot | null = null;
    if (this.dirty && info.env && status.env) {
      if (this.opts.turns) await this.opts.turns.turn();
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
      const alerts = this.files.get('system_alerts') as FileState;
      const closures = alerts.env ? parseSystemAlerts(alerts.env, this.language) : [];
      snapshot = {
        feedId: this.feedId,
        systemId: this.system.id,
        fetchedAt: new Date(this.now()).toISOString(),
        asOf: status.env.lastUpdated ?? newest(built.stations.map((s) => s.asOf)),
        stations: closures.length ? applyClosures(built.stations, closures, this.system.id, this.now()) : built.stations,
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
    return {
      version,
      language: this.language,
      languages: this.languages,
      information: si ? parseSystemInformation(si, this.language) : null,
      urls,
      ttlS,
      documents,
      versions: [...this.versions],
      validation: [...this.deviations.latest.values()],
      lastBuild: this.lastBuild,
      vehicleTypes: this.vehicleTypes?.size ?? null,
    };
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

  /** Fetches the files that are due; moves to the newest listed version before any data file is read. */
  private async fetchDue(signal: AbortSignal): Promise<void> {
    let moved: { from: string; to: string } | null = null;
    try {
      for (let i = 0; i < ORDER.length; i++) {
        const name = ORDER[i];
        const st = this.files.get(name) as FileState;
        if (st.url && st.dueAt <= this.now()) await this.fetchFile(name, st, signal);
        if (name === 'gbfs_versions' && !moved) {
          moved = this.moveToNewestVersion();
          if (moved) i = -1; // start again from the newer version's gbfs.json
        }
      }
    } catch (e) {
      if (moved) {
        // The newer version is listed but does not work: back to the one that did, for good.
        this.badVersionUrls.add(moved.to);
        this.resetDiscovery(moved.from);
      }
      throw e;
    }
  }

  /**
   * When gbfs_versions lists a newer supported version than the discovery we read,
   * switch discovery to it (its files follow from its own gbfs.json).
   */
  private moveToNewestVersion(): { from: string; to: string } | null {
    const discovery = this.files.get('gbfs') as FileState;
    const best = newestSupported(this.versions.filter((v) => !this.badVersionUrls.has(v.url)));
    if (!best || !discovery.url || best.url === discovery.url) return null;
    const current = discovery.env?.version ?? null;
    // Already on a version at least as new (the list may name another URL for the same one).
    if (current !== null && newestSupported([{ version: current, url: discovery.url }, best]) !== best) return null;
    this.opts.onNote?.(`GBFS ${this.system.id}: gbfs_versions lists ${best.version}; reading ${best.url} instead of ${current ?? 'the configured version'}`);
    const from = discovery.url;
    this.resetDiscovery(best.url);
    return { from, to: best.url };
  }

  private resetDiscovery(url: string): void {
    const discovery = this.files.get('gbfs') as FileState;
    discovery.url = url;
    discovery.dueAt = 0;
    discovery.env = null;
    discovery.body = null;
  }

  /**
   * When a file is next due: its ttl counted from its own last_updated (a file fetched
   * 50 s into a 60 s ttl changes in 10 s), or from now when last_updated is missing,
   * in the future or older than the ttl; never sooner than the floor.
   */
  private dueAt(name: FileKey, env: GbfsEnvelope | null): number {
    const now = this.now();
    const ttlMs = (env?.ttlS ?? 0) * 1000;
    const updated = env?.lastUpdated ? Date.parse(env.lastUpdated) : NaN;
    const age = now - updated;
    const fromUpdate = Number.isFinite(age) && age >= 0 && age < ttlMs ? ttlMs - age : ttlMs;
    return now + Math.max(fromUpdate, this.floorMs(name));
  }

  /**
   * The official schema's check of a document, at most once per file and schema version
   * in RECHECK_MS: every check of a feed that does not change its ways says the same, and
   * at 5,000 stations a system a check of each new document was a tenth of a busy
   * server's CPU. A checker in this thread reads the document parseEnvelope read; one in a
   * worker thread (GbfsValidatorThread) reads the body itself and answers later.
   */
  private check(name: FileKey, doc: unknown, body: string, url: string): void {
    const v = this.opts.validator;
    if (!v) return;
    const version = typeof doc === 'object' && doc !== null ? (doc as { version?: unknown }).version : undefined;
    const key = `${name}@${schemaVersionFor(typeof version === 'string' ? version : null)}`;
    const last = this.checkedAt.get(key);
    if (last !== undefined && this.now() - last < RECHECK_MS) return;
    this.checkedAt.set(key, this.now());
    const tell = (report: ValidationReport) => {
      const news = this.deviations.take(report);
      if (news) this.opts.onDeviation?.(news, url);
    };
    const checking = v.check(name, doc, body);
    // Checked elsewhere (a worker thread): told when it answers; the round does not wait for it.
    if (checking instanceof Promise) void checking.then(tell);
    else tell(checking);
  }

  private async fetchFile(name: FileKey, st: FileState, signal: AbortSignal): Promise<void> {
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
      st.dueAt = this.dueAt(name, st.env);
      return;
    }
    let env: GbfsEnvelope;
    // The parse in a turn of its own: the responses of many systems arrive together.
    if (this.opts.turns) await this.opts.turns.turn();
    try {
      env = parseEnvelope(name, res.body as string);
      if (st.env?.lastUpdated && env.lastUpdated && env.lastUpdated < st.env.lastUpdated) {
        // An older copy (a lagging cache or mirror): keep the newer one we have.
        this.opts.onNote?.(`GBFS ${this.system.id}: ${name} last_updated ${env.lastUpdated} is older than the ${st.env.lastUpdated} we have; kept ours`);
        st.dueAt = this.dueAt(name, st.env);
        return;
      }
      this.apply(name, env);
    } catch (e) {
      // Next time fetch in full: the validators belong to a body we could not use.
      this.http.forget(url);
      throw isBikeBotError(e) ? new BikeBotError('FEED_PARSE', `${this.system.id}: ${e.message} (${url})`, { cause: e }) : e;
    }
    this.check(name, env.document, res.body as string, url);
    st.env = env;
    st.body = res.body;
    st.dueAt = this.dueAt(name, env);
    // New prices or contact reach riders with the next snapshot, even when no count changed.
    if (name !== 'gbfs' && name !== 'gbfs_versions' && (!SERVICE_FILES.has(name as GbfsFileName) || this.lastBuild !== null)) this.dirty = true;
  }

  private floorMs(name: FileKey): number {
    // Closures are news like the counts are: polled as often, conditionally.
    return name === 'station_status' || name === 'system_alerts' ? this.statusFloorMs : this.staticFloorMs;
  }

  /** Side effects of a new document on the rest of the state; throws FEED_PARSE before anything is kept. */
  private apply(name: FileKey, env: GbfsEnvelope): void {
    if (name === 'gbfs_versions') {
      this.versions = parseVersions(env);
    } else if (name === 'gbfs') {
      const d = parseDiscovery(env, this.opts.language ?? null);
      this.language = d.language ?? this.opts.language ?? null;
      this.languages = d.languages;
      const versionsUrl = d.feeds.get('gbfs_versions') ?? null;
      const vs = this.files.get('gbfs_versions') as FileState;
      if (versionsUrl !== vs.url) {
        vs.url = versionsUrl;
        vs.dueAt = 0;
        vs.env = null;
        vs.body = null;
        if (!versionsUrl) this.versions = [];
      }
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
