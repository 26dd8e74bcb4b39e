import { StationIndex } from '../../src/domain/station-index.js';
import type { Snapshot, Station, SystemInfo } from '../../src/domain/station.js';
import type { Geocoder, Place } from '../../src/domain/place.js';
import type { InboundMessage } from '../../src/domain/message.js';
import type { Answer } from '../../src/domain/answer.js';
import { createTurnHandler } from '../../src/dialog/handle-turn.js';
import type { Brain, HandleTurn, TurnDeps } from '../../src/dialog/turn-deps.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';

/** Counts observed at 08:25:10 UTC, i.e. 09:25 in London (BST). */
export const OBSERVED = '2022-08-01T08:25:10.259Z';

export function station(id: string, name: string, lat: number | null, lon: number | null, bikes: number | null, empty: number | null, docks: number | null, extra: Partial<Station> = {}): Station {
  const broken = docks === null || bikes === null || empty === null ? null : Math.max(0, docks - bikes - empty);
  return {
    id, systemId: 'tfl', name, lat, lon, terminalName: null, bikes, standardBikes: null, ebikes: null, emptyDocks: empty, docks, brokenDocks: broken,
    installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: OBSERVED, ...extra,
  };
}

/**
 * A small corner of London. Distances from River Street (51.5292, -0.1100):
 * Percival ≈ 450 m, Myddelton ≈ 380 m, Locked Lane ≈ 150 m; the Waterloo ones are ~2.8 km south.
 */
export function londonStations(): Station[] {
  return [
    station('BikePoints_1', 'River Street, Clerkenwell', 51.5292, -0.11, 0, 12, 19), // no bikes, 7 broken
    station('BikePoints_2', 'Myddelton Square, Pentonville', 51.5326, -0.1085, 5, 0, 10), // full: no spaces, 5 broken
    station('BikePoints_3', 'Percival Street, Finsbury', 51.5270, -0.1045, 3, 4, 7),
    station('BikePoints_4', 'Locked Lane, Clerkenwell', 51.5300, -0.1082, 9, 9, 18, { locked: true, renting: false, returning: false }),
    station('BikePoints_5', 'Amwell Street, Finsbury', 51.5300, -0.1115, 2, 0, 2),
    station('BikePoints_10', 'Waterloo Station 1, Waterloo', 51.5040, -0.1130, 10, 5, 15),
    station('BikePoints_11', 'Waterloo Station 2, Waterloo', 51.5035, -0.1135, 0, 20, 20),
    station('BikePoints_12', 'Waterloo Station 3, Waterloo', 51.5038, -0.1128, 12, 20, 35),
    station('BikePoints_13', 'Waterloo Road, South Bank', 51.5050, -0.1110, 0, 8, 8),
    station('BikePoints_20', "St. John's Wood Church, The Regent's Park", 51.5300, -0.1700, 2, 3, 5),
    station('BikePoints_21', 'Nowhere Yard, Lost', null, null, 4, 4, 8),
    station('BikePoints_22', 'Retired Row, Gone', 51.5200, -0.1000, 4, 4, 8, { installed: false }),
  ];
}

export const LONDON: SystemInfo = { id: 'tfl', name: 'Santander Cycles', timezone: 'Europe/London', aliases: ['london'] };

export function indexOf(stations: Station[], systems: SystemInfo[] = [LONDON]): StationIndex {
  const snap: Snapshot = { feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations };
  return new StationIndex([snap], systems);
}

/** A gazetteer of three places, enough to tell "near a place" from "a station by name". */
export class FixtureGeocoder implements Geocoder {
  readonly name = 'fixture';
  calls = 0;
  private readonly places: Place[] = [
    { name: 'Angel station', lat: 51.5322, lon: -0.1058, kind: 'station', source: 'fixture', confidence: 0.95 },
    { name: 'Sadlers Wells Theatre', lat: 51.5293, lon: -0.1064, kind: 'landmark', source: 'fixture', confidence: 0.9 },
    { name: 'Euston station', lat: 51.5282, lon: -0.1337, kind: 'station', source: 'fixture', confidence: 0.95 },
  ];
  async lookup(query: string): Promise<Place[]> {
    this.calls++;
    const q = query.toLowerCase();
    return this.places.filter((p) => p.name.toLowerCase().startsWith(q) || q.startsWith(p.name.toLowerCase().split(' ')[0]));
  }
}

export interface Harness {
  ask(text: string, extra?: Partial<InboundMessage>): Promise<Answer>;
  handle: HandleTurn;
  clock: { ms: number };
  store: MemoryKvStore;
  errors: unknown[];
  deps: TurnDeps;
}

/** Monday 1 Aug 2022, 08:27:00 UTC: two minutes after the fixture counts were observed. */
export const NOW = Date.parse('2022-08-01T08:27:00Z');

export function harness(opts: { stations?: Station[]; index?: StationIndex | null; brain?: Brain; dataOutlook?: TurnDeps['dataOutlook']; conversationId?: string; now?: number; staleAfterMs?: number; sessionTtlMs?: number } = {}): Harness {
  const clock = { ms: opts.now ?? NOW };
  const store = new MemoryKvStore({ now: () => clock.ms, sweepIntervalMs: 0 });
  const index = opts.index === undefined ? indexOf(opts.stations ?? londonStations()) : opts.index;
  const errors: unknown[] = [];
  const deps: TurnDeps = {
    index: () => index,
    geocoder: new FixtureGeocoder(),
    sessions: store,
    now: () => new Date(clock.ms),
    staleAfterMs: opts.staleAfterMs ?? 10 * 60_000,
    sessionTtlMs: opts.sessionTtlMs ?? 15 * 60_000,
    onError: (e) => errors.push(e),
    ...(opts.brain ? { brain: opts.brain } : {}),
    ...(opts.dataOutlook ? { dataOutlook: opts.dataOutlook } : {}),
  };
  const handle = createTurnHandler(deps);
  const conversationId = opts.conversationId ?? 'test:alice';
  return { ask: (text, extra = {}) => handle({ channel: 'cli', conversationId, text, ...extra }), handle, clock, store, errors, deps };
}

