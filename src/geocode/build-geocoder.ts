import type { Geocoder, Place } from '../domain/place.js';
import type { Station } from '../domain/station.js';
import { loadBuiltinGazetteer, mergeGazetteers } from './builtin-gazetteer.js';
import { CoordinatesGeocoder } from './coordinates.js';
import { GazetteerGeocoder } from './gazetteer-geocoder.js';
import { loadGazetteer, type GazetteerEntry } from './gazetteer.js';
import { GeocoderChain, isSyncGeocoder, type SyncGeocoder } from './geocoder-chain.js';
import { NominatimGeocoder, type BBox } from './nominatim.js';
import { PhotonGeocoder } from './photon.js';
import { PostcodeGeocoder } from './postcode.js';
import { PostcodesIoGeocoder } from './postcodes-io.js';
import { rehearseLocal } from './rehearse.js';
import { ServiceArea } from './service-area.js';
import { StationAreaGeocoder, type StationAreaSet } from './station-areas.js';
import { TflStopPointGeocoder } from './tfl-stoppoint.js';

export type LiveGeocoderName = 'tfl' | 'postcodes' | 'nominatim' | 'photon';

export interface BuildGeocoderOptions {
  gazetteerPaths: string[];
  /**
   * Also load the gazetteer shipped with BikeBot (data/gazetteer/: London bridges,
   * markets, streets, sights, postcodes of well-known places). Default true.
   */
  builtinGazetteer?: boolean;
  /** The current stations (the index's, swapped on new data). */
  stations: () => readonly Station[];
  /**
   * The same stations as one list per system (the index's parts: each list replaced
   * when its system's snapshot is): what the stations imply is then built per system,
   * and a new snapshot rebuilds its own system's part only. Default: [stations()].
   */
  stationGroups?: () => readonly (readonly Station[])[];
  live: LiveGeocoderName[];
  urls: { tfl: string; postcodes: string; nominatim: string; photon: string };
  userAgent: string;
  onError?: (e: unknown) => void;
  /** Live request timeout (default 2000 ms). */
  timeoutMs?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
}

/** FNV-1a over the stations' names and positions: station areas change only when these do. */
function signature(stations: readonly Station[]): string {
  let h = 0x811c9dc5;
  for (const s of stations) {
    const str = `${s.name}|${s.lat}|${s.lon};`;
    for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), 0x01000193);
  }
  return `${stations.length}:${(h >>> 0).toString(16)}`;
}

type Groups = readonly (readonly Station[])[];

/** Element by element: the same lists (a list is a snapshot's, replaced when the snapshot is). */
function sameLists(a: Groups, b: Groups): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Station areas follow the live station lists, one geocoder per list (a system's
 * snapshot): a new snapshot rebuilds its own system's areas only, and only when
 * its names or places changed (new counts cost a hash of that system, not a rebuild).
 */
class CurrentStationAreas implements SyncGeocoder {
  readonly name = 'station-areas';
  private lists: Groups = [];
  private parts: StationAreaGeocoder[] = [];
  /** Each part's signature, by part: a new list with the same signature keeps the part. */
  private readonly signatures = new WeakMap<StationAreaGeocoder, string>();
  private geocoder: StationAreaSet = StationAreaGeocoder.union([]);
  onRebuild?: () => void;

  constructor(private readonly groups: () => Groups) {}

  current(): StationAreaSet {
    const lists = this.groups();
    if (sameLists(lists, this.lists)) return this.geocoder;
    while (this.step(lists));
    return this.geocoder;
  }

  /** Brings at most one list's areas up to date; false when every list's are. */
  step(lists: Groups = this.groups()): boolean {
    if (sameLists(lists, this.lists)) return false;
    // Parts by their list, and by signature for a list that is new.
    const byList = new Map<readonly Station[], StationAreaGeocoder>();
    const bySig = new Map<string, StationAreaGeocoder>();
    for (let i = 0; i < this.parts.length; i++) {
      byList.set(this.lists[i], this.parts[i]);
      bySig.set(this.signatures.get(this.parts[i]) as string, this.parts[i]);
    }
    const parts: StationAreaGeocoder[] = [];
    let built = false;
    let changed = lists.length !== this.lists.length;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i];
      let part = byList.get(list);
      if (!part) {
        // One new list per step: the rest wait for the next (a lookup runs every step at once).
        if (built) return this.settle(lists.slice(0, i).concat(this.lists.slice(i)), parts.concat(this.parts.slice(i)), changed, true);
        const sig = signature(list);
        part = bySig.get(sig);
        if (!part) {
          part = StationAreaGeocoder.fromStations(list);
          this.signatures.set(part, sig);
        }
        built = true;
      }
      if (part !== this.parts[i]) changed = true;
      parts.push(part);
    }
    return this.settle(lists, parts, changed, false);
  }

  private settle(lists: Groups, parts: StationAreaGeocoder[], changed: boolean, more: boolean): boolean {
    this.lists = lists;
    this.parts = parts;
    if (changed) {
      this.geocoder = StationAreaGeocoder.union(parts);
      this.onRebuild?.();
    }
    return more;
  }

  async lookup(query: string, opts: { near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    return this.current().lookupSync(query, opts);
  }
}

/**
 * A local geocoder made on its first lookup (or by prepare()): the gazetteer's
 * postcode and name indexes cost tens of milliseconds that a restarted server's first
 * answer, most often about a docking station, should not wait for. The warm-up makes
 * them right after that answer; a place question asked before then makes them itself.
 */
class OnFirstUse<G extends SyncGeocoder> implements SyncGeocoder {
  private instance: G | null = null;
  constructor(
    readonly name: string,
    private readonly make: () => G,
  ) {}

  get(): G {
    return (this.instance ??= this.make());
  }

  made(): boolean {
    return this.instance !== null;
  }

  async lookup(query: string, opts: { near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.get().lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    return this.get().lookupSync(query, opts);
  }
}

/** The stations' bounding box, a little wider: live results outside it are another city's. */
function stationBox(stations: readonly Station[]): BBox | null {
  let minLat = Infinity;
  let minLon = Infinity;
  let maxLat = -Infinity;
  let maxLon = -Infinity;
  for (const s of stations) {
    if (s.lat === null || s.lon === null) continue;
    minLat = Math.min(minLat, s.lat);
    maxLat = Math.max(maxLat, s.lat);
    minLon = Math.min(minLon, s.lon);
    maxLon = Math.max(maxLon, s.lon);
  }
  if (!Number.isFinite(minLat)) return null;
  return [minLon, minLat, maxLon, maxLat];
}

/** The boxes of the lists as one, a little wider; null when none or when several cities far apart make one box across an ocean. */
function viewboxOf(boxes: ReadonlyArray<BBox | null>): BBox | null {
  let box: BBox | null = null;
  for (const b of boxes) {
    if (!b) continue;
    box = box ? [Math.min(box[0], b[0]), Math.min(box[1], b[1]), Math.max(box[2], b[2]), Math.max(box[3], b[3])] : b;
  }
  if (!box) return null;
  if (box[3] - box[1] > 3 || box[2] - box[0] > 3) return null;
  const pad = 0.03;
  return [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad];
}

/**
 * A value derived from the current station lists, made of one value per list: each
 * list's is built when the list is new (its snapshot swapped in), and combined again
 * only when the lists change.
 */
function perStationLists<T, U>(groups: () => Groups, build: (stations: readonly Station[]) => T, combine: (parts: readonly T[]) => U): () => U {
  let lists: Groups = [];
  let parts = new Map<readonly Station[], T>();
  let value: U = combine([]);
  return () => {
    const now = groups();
    if (!sameLists(now, lists)) {
      const next = new Map<readonly Station[], T>();
      for (const l of now) next.set(l, parts.get(l) ?? build(l));
      lists = now;
      parts = next;
      value = combine([...next.values()]);
    }
    return value;
  };
}

/** Builds the geocoder chain from configuration: local files and stations first, then the live services asked for. */
export function buildGeocoder(opts: BuildGeocoderOptions): Geocoder {
  // The operator's files are read now, so a wrong path or a bad file stops the start; the
  // shipped file, the merge and the indexes wait for their first use (OnFirstUse).
  const user = opts.gazetteerPaths.length ? loadGazetteer(opts.gazetteerPaths) : [];
  let merged: readonly GazetteerEntry[] | null = null;
  const entries = () => (merged ??= opts.builtinGazetteer === false ? user : mergeGazetteers(user, loadBuiltinGazetteer()));
  const groups = opts.stationGroups ?? ((): Groups => [opts.stations()]);
  const areas = new CurrentStationAreas(groups);
  const network = perStationLists(groups, ServiceArea.fromStations, ServiceArea.union);
  const viewbox = perStationLists(groups, stationBox, viewboxOf);
  const center = () => {
    const b = viewbox();
    return b ? { lat: (b[1] + b[3]) / 2, lon: (b[0] + b[2]) / 2 } : null;
  };
  const common = { userAgent: opts.userAgent, timeoutMs: opts.timeoutMs, fetch: opts.fetch };
  const live: Geocoder[] = [];
  for (const name of new Set(opts.live)) {
    if (name === 'tfl') live.push(new TflStopPointGeocoder({ ...common, baseUrl: opts.urls.tfl }));
    else if (name === 'postcodes') live.push(new PostcodesIoGeocoder({ ...common, baseUrl: opts.urls.postcodes }));
    else if (name === 'nominatim') live.push(new NominatimGeocoder({ ...common, baseUrl: opts.urls.nominatim, viewbox }));
    else if (name === 'photon') live.push(new PhotonGeocoder({ ...common, baseUrl: opts.urls.photon, bbox: viewbox, center }));
  }
  const postcodes = new OnFirstUse('postcode', () => new PostcodeGeocoder(entries()));
  const gazetteer = new OnFirstUse('gazetteer', () => new GazetteerGeocoder(entries(), { serviceArea: network, areaNamed: (k) => areas.current().areaNamed(k) }));
  const local = [new CoordinatesGeocoder(), postcodes, gazetteer, areas];
  const chain = new GeocoderChain({
    local,
    live,
    onError: opts.onError ? (e) => opts.onError?.(e) : undefined,
  });
  areas.onRebuild = () => chain.clearCache();
  // Build what the stations imply now, not inside the first person's question.
  areas.current();
  network();
  let rehearsed = false;
  // New station names must reach cached answers too: look at the stations before the cache.
  return {
    name: chain.name,
    lookup(query, lookupOpts) {
      areas.current();
      return chain.lookup(query, lookupOpts);
    },
    prepare() {
      // One system's station areas per call: the warm-up calls again while more remain.
      if (areas.step()) return true;
      network();
      viewbox();
      // The gazetteer's indexes, made on first use otherwise, one per call too.
      for (const g of [postcodes, gazetteer]) {
        if (!g.made()) {
          g.get();
          return true;
        }
      }
      return false;
    },
    rehearse() {
      // Once per geocoder: sample questions, so the first real ones run optimised code.
      if (!rehearsed) {
        rehearsed = true;
        rehearseLocal(local.filter(isSyncGeocoder), entries(), opts.stations());
      }
    },
  };
}
