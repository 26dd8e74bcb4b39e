import type { Geocoder, Place } from '../domain/place.js';
import type { Station } from '../domain/station.js';
import { loadBuiltinGazetteer, mergeGazetteers } from './builtin-gazetteer.js';
import { CoordinatesGeocoder } from './coordinates.js';
import { GazetteerGeocoder } from './gazetteer-geocoder.js';
import { loadGazetteer } from './gazetteer.js';
import { GeocoderChain, isSyncGeocoder, type SyncGeocoder } from './geocoder-chain.js';
import { NominatimGeocoder, type BBox } from './nominatim.js';
import { PhotonGeocoder } from './photon.js';
import { PostcodeGeocoder } from './postcode.js';
import { PostcodesIoGeocoder } from './postcodes-io.js';
import { rehearseLocal } from './rehearse.js';
import { ServiceArea } from './service-area.js';
import { StationAreaGeocoder } from './station-areas.js';
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

/**
 * Station areas follow the live station list, rebuilt only when names or places
 * change (a new snapshot of the same stations costs a hash, not a rebuild).
 */
class CurrentStationAreas implements SyncGeocoder {
  readonly name = 'station-areas';
  private ref: readonly Station[] | null = null;
  private sig = '';
  private geocoder: StationAreaGeocoder = new StationAreaGeocoder([]);
  onRebuild?: () => void;

  constructor(private readonly stations: () => readonly Station[]) {}

  current(): StationAreaGeocoder {
    const st = this.stations();
    if (st !== this.ref) {
      this.ref = st;
      const sig = signature(st);
      if (sig !== this.sig) {
        this.sig = sig;
        this.geocoder = StationAreaGeocoder.fromStations(st);
        this.onRebuild?.();
      }
    }
    return this.geocoder;
  }

  async lookup(query: string, opts: { near?: { lat: number; lon: number } } = {}): Promise<Place[]> {
    return this.lookupSync(query, opts);
  }

  lookupSync(query: string, opts: { near?: { lat: number; lon: number } } = {}): Place[] {
    return this.current().lookupSync(query, opts);
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
  // Several cities far apart make one box across an ocean: then do not bound at all.
  if (maxLat - minLat > 3 || maxLon - minLon > 3) return null;
  const pad = 0.03;
  return [minLon - pad, minLat - pad, maxLon + pad, maxLat + pad];
}

/** A value derived from the current stations, rebuilt only when the list itself is swapped. */
function perStationList<T>(stations: () => readonly Station[], build: (stations: readonly Station[]) => T): () => T {
  let ref: readonly Station[] | null = null;
  let value: T | undefined;
  return () => {
    const st = stations();
    if (st !== ref) {
      ref = st;
      value = build(st);
    }
    return value as T;
  };
}

/** Builds the geocoder chain from configuration: local files and stations first, then the live services asked for. */
export function buildGeocoder(opts: BuildGeocoderOptions): Geocoder {
  const user = opts.gazetteerPaths.length ? loadGazetteer(opts.gazetteerPaths) : [];
  const entries = opts.builtinGazetteer === false ? user : mergeGazetteers(user, loadBuiltinGazetteer());
  const areas = new CurrentStationAreas(opts.stations);
  const network = perStationList(opts.stations, ServiceArea.fromStations);
  const viewbox = perStationList(opts.stations, stationBox);
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
  const local = [new CoordinatesGeocoder(), new PostcodeGeocoder(entries), new GazetteerGeocoder(entries, { serviceArea: network, areaNamed: (k) => areas.current().areaNamed(k) }), areas];
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
      areas.current();
      network();
      viewbox();
    },
    rehearse() {
      // Once per geocoder: sample questions, so the first real ones run optimised code.
      if (!rehearsed) {
        rehearsed = true;
        rehearseLocal(local.filter(isSyncGeocoder), entries, opts.stations());
      }
    },
  };
}
