/**
 * Builds BikeBot's real understanding pipeline over the shared data bundle, for
 * the understanding benchmark and the dev-set integration test: the TfL snapshot
 * as the index, the gazetteer folder behind the real geocoder chain (no live
 * services), and the real dialog turn handler with its default brain (the real
 * understanding: src/domain/understand).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Geocoder } from '../../src/domain/place.js';
import { parseBikePoints, TFL_SYSTEM } from '../../src/feeds/tfl-parse.js';
import { buildGeocoder } from '../../src/geocode/build-geocoder.js';
import { createTurnHandler } from '../../src/dialog/handle-turn.js';
import type { HandleTurn, SessionStore } from '../../src/dialog/turn-deps.js';

export const TFL_SNAPSHOT = join('tfl', 'bikepoint-2022-08-01T08-25-10Z.json');
export const GAZETTEER = 'london';

export function loadTflIndex(sharedData: string): StationIndex {
  const json: unknown = JSON.parse(readFileSync(join(sharedData, TFL_SNAPSHOT), 'utf8'));
  const snap = parseBikePoints(json, { systemId: TFL_SYSTEM.id, feedId: 'tfl', fetchedAt: new Date('2022-08-01T08:25:30Z') });
  return new StationIndex([snap], [{ ...TFL_SYSTEM, aliases: [...TFL_SYSTEM.aliases] }]);
}

export function localGeocoder(sharedData: string, index: StationIndex): Geocoder {
  return buildGeocoder({
    gazetteerPaths: [join(sharedData, GAZETTEER)],
    stations: () => index.stations,
    live: [],
    urls: { tfl: 'http://127.0.0.1:9', postcodes: 'http://127.0.0.1:9', nominatim: 'http://127.0.0.1:9', photon: 'http://127.0.0.1:9' },
    userAgent: 'BikeBot-bench',
  });
}

/** A session store that forgets nothing within one run and needs no timers. */
function mapSessions(): SessionStore {
  const m = new Map<string, string>();
  return {
    get: async (k) => m.get(k) ?? null,
    set: async (k, v) => void m.set(k, v),
    delete: async (k) => void m.delete(k),
  };
}

export interface Pipeline {
  index: StationIndex;
  geocoder: Geocoder;
  handleTurn: HandleTurn;
}

export function buildPipeline(sharedData: string): Pipeline {
  const index = loadTflIndex(sharedData);
  const geocoder = localGeocoder(sharedData, index);
  const handleTurn = createTurnHandler({
    index: () => index,
    geocoder,
    sessions: mapSessions(),
    // The snapshot's own time: counts are fresh, as they would be live.
    now: () => new Date('2022-08-01T08:26:00Z'),
    staleAfterMs: 15 * 60_000,
    sessionTtlMs: 30 * 60_000,
    onError: (e) => console.error('turn error:', e),
  });
  return { index, geocoder, handleTurn };
}
