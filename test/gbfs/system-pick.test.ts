import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Snapshot, Station, SystemInfo } from '../../src/domain/station.js';
import { pickSystem, systemAreas } from '../../src/domain/system-pick.js';

function station(systemId: string, id: string, name: string, lat: number, lon: number): Station {
  return { id: `${systemId}:${id}`, systemId, name, lat, lon, terminalName: null, bikes: 3, standardBikes: 3, ebikes: 0, emptyDocks: 5, docks: 8, brokenDocks: 0, installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: '2025-01-01T00:00:00Z' };
}
const snap = (systemId: string, stations: Station[]): Snapshot => ({ feedId: systemId, systemId, fetchedAt: '2025-01-01T00:00:00Z', asOf: null, stations });

const systems: SystemInfo[] = [
  { id: 'tfl', name: 'Santander Cycles London', timezone: 'Europe/London', aliases: ['london'] },
  { id: 'divvy', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] },
  { id: 'bixi', name: 'BIXI Montréal', timezone: 'America/Toronto', aliases: ['Montréal', 'mtl'] },
  { id: 'citibike', name: 'Citi Bike', timezone: 'America/New_York', aliases: ['new york', 'nyc', 'ny'] },
];
const index = new StationIndex(
  [
    snap('tfl', [station('tfl', '1', 'River Street, Clerkenwell', 51.529163, -0.10997), station('tfl', '2', 'Phillimore Gardens, Kensington', 51.499606, -0.197574)]),
    // Chicago has a "London" street name: a station name is not a city name.
    snap('divvy', [station('divvy', 'a', 'Western Ave & Lake St', 41.885, -87.686), station('divvy', 'b', 'London Ave & Main', 42.05, -87.68), station('divvy', 'c', 'South Shore', 41.66, -87.55)]),
    snap('bixi', [station('bixi', '1', 'Drummond / de Maisonneuve', 45.4995, -73.576), station('bixi', '2', 'Ste-Catherine / Dézéry', 45.5394, -73.541)]),
    snap('citibike', [station('citibike', 'x', 'Union Square E & E 16 St', 40.7357, -73.9898), station('citibike', 'y', 'W 4 St', 40.73, -74.0)]),
  ],
  systems,
);

test('areas are the bounding boxes of each system’s stations', () => {
  const areas = systemAreas(index);
  assert.deepEqual(areas.get('divvy'), [-87.686, 41.66, -87.55, 42.05]);
  assert.equal(areas.size, 4);
  assert.equal(systemAreas(index), areas, 'computed once per index');
});

test('a location picks the system whose area holds it, or the nearest area within 50 km', () => {
  assert.equal(pickSystem(index, { location: { lat: 41.9, lon: -87.6 } }), 'divvy');
  assert.equal(pickSystem(index, { location: { lat: 51.51, lon: -0.13 } }), 'tfl');
  // Evanston is north of the last station, still Divvy's.
  assert.equal(pickSystem(index, { location: { lat: 42.2, lon: -87.7 } }), 'divvy');
  assert.equal(pickSystem(index, { location: { lat: 45.52, lon: -73.56 } }), 'bixi');
  assert.equal(pickSystem(index, { location: { lat: 48.85, lon: 2.35 } }), null, 'Paris: no system here');
  assert.equal(pickSystem(index, { location: { lat: 42.2, lon: -87.7 } }, { maxDistanceM: 1000 }), null);
  assert.equal(pickSystem(index, {}), null);
});

test('a city or system named in the text picks it, accents and case aside', () => {
  assert.equal(pickSystem(index, { text: 'bikes near union square new york' }), 'citibike');
  assert.equal(pickSystem(index, { text: 'docks in MONTREAL please' }), 'bixi');
  assert.equal(pickSystem(index, { text: 'any divvy bikes at Western Ave' }), 'divvy');
  assert.equal(pickSystem(index, { text: 'santander cycles london near waterloo' }), 'tfl');
  assert.equal(pickSystem(index, { text: 'bikes near Western Ave & Lake St' }), null, 'no city named');
  assert.equal(pickSystem(index, { text: 'ny bikes' }), null, 'two-letter aliases are not trusted alone');
  assert.equal(pickSystem(index, { text: 'newyorker street' }), null, 'whole words only');
  assert.equal(pickSystem(index, { text: 'bikes at London Ave & Main' }), null, 'a street named after a city is not the city');
  assert.equal(pickSystem(index, { text: 'bikes at London Ave, london' }), 'tfl');
  assert.equal(pickSystem(index, { text: 'london bridge' }), 'tfl');
});

test('the text wins over the location; without a name, the location decides', () => {
  assert.equal(pickSystem(index, { text: 'bikes in chicago', location: { lat: 51.51, lon: -0.13 } }), 'divvy');
  assert.equal(pickSystem(index, { text: 'bikes near the park', location: { lat: 51.51, lon: -0.13 } }), 'tfl');
});

test('an alias shared by two systems picks neither; configured areas win over derived ones', () => {
  const twins = new StationIndex(
    [snap('a', [station('a', '1', 'X', 39.8, -89.6)]), snap('b', [station('b', '1', 'Y', 42.1, -72.6)])],
    [
      { id: 'a', name: 'Springfield IL Bikes', timezone: 'America/Chicago', aliases: ['springfield'] },
      { id: 'b', name: 'Springfield MA Bikes', timezone: 'America/New_York', aliases: ['springfield'] },
    ],
  );
  assert.equal(pickSystem(twins, { text: 'bikes in springfield' }), null);
  assert.equal(pickSystem(twins, { text: 'bikes in springfield', location: { lat: 42.1, lon: -72.6 } }), 'b');
  assert.equal(pickSystem(twins, { location: { lat: 40.5, lon: -80 } }, { areas: new Map([['b', [-81, 40, -79, 41]]]) }), 'b');
});
