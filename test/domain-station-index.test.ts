import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StationIndex } from '../src/domain/station-index.js';
import { distanceM } from '../src/domain/geo.js';
import type { Station, Snapshot } from '../src/domain/station.js';

function st(id: string, lat: number, lon: number, bikes: number, empty: number, extra: Partial<Station> = {}): Station {
  return { id, systemId: 'tfl', name: id, lat, lon, terminalName: null, bikes, standardBikes: null, ebikes: null, emptyDocks: empty, docks: bikes + empty, brokenDocks: 0, installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: '2022-08-01T08:25:10.259Z', ...extra };
}
const snap = (stations: Station[]): Snapshot => ({ feedId: 'tfl', systemId: 'tfl', fetchedAt: '2022-08-01T08:26:00Z', asOf: '2022-08-01T08:25:10.259Z', stations });

test('nearest orders by distance and filters by want', () => {
  const idx = new StationIndex([snap([st('a', 51.5, -0.1, 0, 5), st('b', 51.501, -0.1, 3, 0), st('c', 51.51, -0.1, 2, 2)])]);
  assert.deepEqual(idx.nearest(51.5, -0.1, { k: 3 }).map((n) => n.station.id), ['a', 'b', 'c']);
  assert.deepEqual(idx.nearest(51.5, -0.1, { k: 3, want: 'bikes' }).map((n) => n.station.id), ['b', 'c']);
  assert.deepEqual(idx.nearest(51.5, -0.1, { k: 3, want: 'docks' }).map((n) => n.station.id), ['a', 'c']);
  const b = idx.nearest(51.5, -0.1, { k: 3, want: 'bikes' })[0];
  assert.ok(Math.abs(b.distanceM - 111.2) < 1, `distance ${b.distanceM}`);
});

test('each distance is exactly geo.distanceM from the point (the search measures it once)', () => {
  let seed = 11;
  const r = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const stations: Station[] = [];
  for (let i = 0; i < 300; i++) stations.push(st(`s${i}`, 51.45 + r() * 0.12, -0.25 + r() * 0.3, 3, 3));
  const idx = new StationIndex([snap(stations)]);
  for (let q = 0; q < 50; q++) {
    const lat = 51.4 + r() * 0.2;
    const lon = -0.3 + r() * 0.4;
    const found = idx.nearest(lat, lon, { k: 1 + (q % 12) });
    assert.ok(found.length > 0);
    for (const n of found) assert.equal(n.distanceM, distanceM(lat, lon, n.station.lat as number, n.station.lon as number));
  }
});

test('stations without coordinates, locked or not installed are never offered', () => {
  const idx = new StationIndex([snap([st('nocoord', 0, 0, 5, 5, { lat: null, lon: null }), st('locked', 51.5, -0.1, 5, 5, { locked: true }), st('gone', 51.5, -0.1, 5, 5, { installed: false }), st('ok', 51.52, -0.1, 5, 5)])]);
  assert.deepEqual(idx.nearest(51.5, -0.1, { k: 10 }).map((n) => n.station.id), ['ok']);
  assert.equal(idx.get('locked')?.locked, true, 'still known by id, so it can be explained');
});

test('an empty index answers with nothing rather than throwing', () => {
  assert.deepEqual(new StationIndex([]).nearest(51.5, -0.1), []);
});

test('a new snapshot of one system rebuilds that system part only; the others are taken over as they were', () => {
  const a = { feedId: 'a', systemId: 'a', fetchedAt: 't', asOf: null, stations: [st('a:1', 51.5, -0.1, 1, 1, { systemId: 'a' })] };
  const b = { feedId: 'b', systemId: 'b', fetchedAt: 't', asOf: null, stations: [st('b:1', 41.9, -87.6, 1, 1, { systemId: 'b' })] };
  const first = new StationIndex([a, b]);
  const a2 = { ...a, fetchedAt: 't2', stations: [st('a:1', 51.5, -0.1, 4, 0, { systemId: 'a' })] };
  const next = new StationIndex([a2, b], [], { previous: first });
  assert.equal(next.part('b'), first.part('b'), 'system b: the same part, not rebuilt');
  assert.notEqual(next.part('a'), first.part('a'));
  assert.equal(next.get('a:1')?.bikes, 4);
  assert.equal(next.get('b:1')?.systemId, 'b');
  assert.equal(next.size, 2);
  assert.deepEqual(next.stations.map((s) => s.id), ['a:1', 'b:1']);
});

test('nearest over several systems side by side is the nearest of all, as one tree would find them', () => {
  let seed = 5;
  const r = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const snaps: Snapshot[] = [];
  const all: Station[] = [];
  for (const sys of ['x', 'y', 'z']) {
    const stations: Station[] = [];
    // Overlapping cities: every system has stations around the same square.
    for (let i = 0; i < 80; i++) stations.push(st(`${sys}:${i}`, 51.45 + r() * 0.1, -0.2 + r() * 0.2, Math.floor(r() * 3), 2, { systemId: sys }));
    all.push(...stations);
    snaps.push({ feedId: sys, systemId: sys, fetchedAt: 't', asOf: null, stations });
  }
  const idx = new StationIndex(snaps);
  for (let q = 0; q < 30; q++) {
    const lat = 51.44 + r() * 0.12;
    const lon = -0.22 + r() * 0.24;
    const k = 1 + (q % 7);
    const want = q % 2 === 0 ? 'bikes' : 'any';
    const got = idx.nearest(lat, lon, { k, want }).map((n) => n.distanceM);
    const expected = all
      .filter((s) => (want === 'bikes' ? (s.bikes ?? 0) > 0 : true))
      .map((s) => distanceM(lat, lon, s.lat as number, s.lon as number))
      .sort((x, y) => x - y)
      .slice(0, k);
    assert.deepEqual(got, expected);
    const only = idx.nearest(lat, lon, { k, systemId: 'y' });
    assert.ok(only.length > 0 && only.every((n) => n.station.systemId === 'y'));
  }
  // A city far away is not searched, and nothing of it is found near another.
  assert.deepEqual(idx.nearest(40.7, -74, { k: 3 }), []);
});
