import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveData } from '../../src/live-data.js';
import type { Snapshot, Station } from '../../src/domain/station.js';
import type { StationIndex } from '../../src/domain/station-index.js';

function snapshot(systemId: string, n: number): Snapshot {
  const stations: Station[] = [];
  for (let i = 0; i < n; i++) {
    stations.push({
      id: `${systemId}-${i}`, systemId, name: `${systemId} Street ${i}`, lat: 51.5 + i * 0.001, lon: -0.1, terminalName: null,
      bikes: 3, standardBikes: 3, ebikes: null, emptyDocks: 5, docks: 8, brokenDocks: 0,
      installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: '2026-01-01T00:00:00Z',
    });
  }
  return { feedId: systemId, systemId, fetchedAt: '2026-01-01T00:00:01Z', asOf: '2026-01-01T00:00:00Z', stations };
}

test('live data: the first snapshot is indexed at once; those arriving together after it share one rebuild', async () => {
  const live = new LiveData([], null);
  const built: StationIndex[] = [];
  live.onChange((i) => built.push(i));
  await live.accept(snapshot('a', 3));
  assert.equal(live.index()?.size, 3, 'first data: no waiting');
  assert.equal(built.length, 1);
  const arrivals = ['b', 'c', 'd', 'e'].map((id) => live.accept(snapshot(id, 2)));
  await Promise.all(arrivals);
  assert.equal(built.length, 2, 'four snapshots in one tick: one rebuild');
  assert.equal(live.index()?.size, 11);
  assert.ok(live.index()?.get('e-1'), 'every system is in the new index once accept() settles');
});

test('live data: acceptAll indexes every snapshot before returning', () => {
  const live = new LiveData([], null);
  live.acceptAll([snapshot('a', 2), snapshot('b', 2), snapshot('c', 2)]);
  assert.equal(live.index()?.size, 6);
});
