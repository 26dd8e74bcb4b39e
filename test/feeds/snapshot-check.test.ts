import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSnapshot } from '../../src/domain/snapshot-check.js';
import type { Snapshot, Station } from '../../src/domain/station.js';
import { LiveData } from '../../src/live-data.js';
import { londonStations } from '../dialog/fixtures.js';

const snap = (stations: Station[]): Snapshot => ({ feedId: 'tfl', systemId: 'tfl', fetchedAt: '2022-08-01T08:26:00Z', asOf: '2022-08-01T08:25:10Z', stations });
const many = (n: number): Station[] =>
  Array.from({ length: n }, (_, i) => ({ ...londonStations()[2], id: `BikePoints_${i}`, name: `Station ${i}`, bikes: 3, emptyDocks: 4, docks: 7, brokenDocks: 0 }));

test('loss of known stations: refused above the share, accepted at or below it', () => {
  const last = snap(many(100));
  assert.deepEqual(checkSnapshot(snap(many(90)), last), { ok: true });
  const v = checkSnapshot(snap(many(89)), last);
  assert.equal(v.ok, false);
  assert.equal(!v.ok && v.kind, 'stations_lost');
  assert.match(!v.ok ? v.reason : '', /11 of 100 known stations are missing \(11%, limit 10%\)/);
  assert.equal(checkSnapshot(snap(many(3)), snap(many(792))).ok, false, '3 of 792');
  assert.equal(checkSnapshot(snap(many(89)), last, { maxStationLoss: 0.2, maxBadCounts: 0.5 }).ok, true, 'the share is configuration');
  // New stations are no loss; a first snapshot has nothing to lose.
  assert.equal(checkSnapshot(snap(many(120)), last).ok, true);
  assert.equal(checkSnapshot(snap(many(3)), undefined).ok, true);
});

test('counts mostly missing, all zero or over the dock count: refused; a few odd stations are fine', () => {
  const withCounts = (f: (s: Station, i: number) => Partial<Station>) => snap(many(100).map((s, i) => ({ ...s, ...f(s, i) })));
  for (const [what, patch] of [
    ['missing', () => ({ bikes: null, emptyDocks: null, brokenDocks: null })],
    ['zeroed', () => ({ bikes: 0, emptyDocks: 0 })],
    ['overfull', () => ({ bikes: 30, emptyDocks: 30, docks: 7 })],
  ] as const) {
    const v = checkSnapshot(withCounts(patch), snap(many(100)));
    assert.equal(v.ok, false, what);
    assert.match(!v.ok ? v.reason : '', new RegExp(`100 ${what}`));
    // The same fault at a minority of stations is just those stations.
    assert.equal(checkSnapshot(withCounts((s, i) => (i < 30 ? patch() : {})), snap(many(100))).ok, true, `${what} at 30%`);
    // A first snapshot has nothing better to keep: its stations are named, counts unknown.
    assert.equal(checkSnapshot(withCounts(patch), undefined).ok, true, `${what}, first snapshot`);
  }
  // Closed stations are not judged: a network mostly closed for the night is not suspect.
  assert.equal(checkSnapshot(withCounts((_s, i) => (i < 80 ? { locked: true, bikes: null, emptyDocks: null } : {})), snap(many(100))).ok, true);
  assert.equal(checkSnapshot(snap([]), undefined).ok, false);
});

test('LiveData.offer keeps the last good snapshot and remembers the refusal until good data comes', async () => {
  const live = new LiveData([{ id: 'tfl', name: 'TfL', timezone: 'Europe/London' }], null);
  assert.equal(live.offer(snap(many(100))).ok, true);
  assert.equal(live.index()?.size, 100);
  const v = live.offer(snap(many(3)));
  assert.equal(v.ok, false);
  assert.equal(live.index()?.size, 100);
  assert.match(live.refusal('tfl')?.reason ?? '', /97 of 100/);
  const good = live.offer(snap(many(95)));
  assert.equal(good.ok, true);
  await good.saved; // indexed (rebuilds after the first are batched into the next tick)
  assert.equal(live.refusal('tfl'), null);
  assert.equal(live.index()?.size, 95);
});
