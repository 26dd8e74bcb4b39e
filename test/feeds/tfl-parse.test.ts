import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isBikeBotError } from '../../src/domain/errors.js';
import { parseBikePoints, parseBikePointsReport, tidyName } from '../../src/feeds/tfl-parse.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { fixtureBikePoints, place } from './tfl-fixture.js';

const opts = { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date('2025-09-12T15:10:00Z') };

test('tidyName removes the space before commas and doubled spaces', () => {
  assert.equal(tidyName('River Street , Clerkenwell'), 'River Street, Clerkenwell');
  assert.equal(tidyName('Kennington Road  , Vauxhall'), 'Kennington Road, Vauxhall');
  assert.equal(tidyName("London Zoo,  The Regent's Park"), "London Zoo, The Regent's Park");
  assert.equal(tidyName(' Clapham Road, Lingham Street, Stockwell '), 'Clapham Road, Lingham Street, Stockwell');
});

test('fixture: counts, names, coordinates, flags and skipped stations', () => {
  const { snapshot, skipped } = parseBikePointsReport(fixtureBikePoints(), opts);
  assert.deepEqual(skipped, [{ index: 3, id: 'BikePoints_4', reason: 'no additionalProperties array' }]);
  assert.equal(snapshot.stations.length, 4);
  assert.equal(snapshot.fetchedAt, '2025-09-12T15:10:00.000Z');
  const [s1, s2, s3, s5] = snapshot.stations;

  assert.deepEqual(
    { name: s1.name, bikes: s1.bikes, std: s1.standardBikes, e: s1.ebikes, empty: s1.emptyDocks, docks: s1.docks, broken: s1.brokenDocks, terminal: s1.terminalName, lat: s1.lat, renting: s1.renting, returning: s1.returning },
    { name: 'River Street, Clerkenwell', bikes: 5, std: 1, e: 4, empty: 31, docks: 37, broken: 1, terminal: '001023', lat: 51.529163, renting: true, returning: true },
  );

  // No NbStandardBikes/NbEBikes in the feed: unknown, not zero.
  assert.equal(s2.name, 'Kennington Road, Vauxhall');
  assert.equal(s2.standardBikes, null);
  assert.equal(s2.ebikes, null);
  assert.equal(s2.brokenDocks, 0);
  // Newest among the count keys only; TerminalName's later timestamp says nothing about counts.
  assert.equal(s2.asOf, '2022-08-01T08:30:00.000Z');

  assert.equal(s3.lat, null);
  assert.equal(s3.lon, null);
  assert.equal(s3.locked, true);
  assert.equal(s3.renting, false);
  assert.equal(s3.returning, false);
  assert.equal(s3.docks, 0);

  assert.equal(s5.installed, false);
  assert.equal(s5.temporary, true);
  assert.equal(s5.renting, false);
  assert.equal(s5.lat, 51.516); // numeric strings are accepted
  assert.equal(s5.brokenDocks, 0); // 10 − 9 − 9 clamps to 0
  assert.equal(s5.ebikes, null); // "n/a" is not a count

  assert.equal(snapshot.asOf, '2025-09-12T14:36:21.533Z');
});

test('invalid coordinates become null, NbBikes is summed only from both parts', () => {
  const snap = parseBikePoints(
    [
      place({ id: 'A', name: 'Zero Island', lat: 0, lon: 0, props: { NbStandardBikes: '2', NbEBikes: '3', NbEmptyDocks: '1', NbDocks: '6' } }),
      place({ id: 'B', name: 'Far Away', lat: 123, lon: 'x', props: { NbStandardBikes: '2', NbEmptyDocks: '1', NbDocks: '6' } }),
    ],
    opts,
  );
  assert.equal(snap.stations[0].lat, null);
  assert.equal(snap.stations[0].bikes, 5);
  assert.equal(snap.stations[0].brokenDocks, 0);
  assert.equal(snap.stations[1].lat, null);
  assert.equal(snap.stations[1].bikes, null);
  assert.equal(snap.stations[1].brokenDocks, null);
  // modified without a zone is UTC, as TfL means it.
  const noZ = parseBikePoints([place({ id: 'C', name: 'C', lat: 51.5, lon: -0.1, modified: '2022-08-01T08:25:10.259', props: { NbBikes: '1' } })], opts);
  assert.equal(noZ.stations[0].asOf, '2022-08-01T08:25:10.259Z');
});

test('duplicate ids: the first wins, the rest are reported', () => {
  const p = place({ id: 'D', name: 'D', lat: 51.5, lon: -0.1, props: { NbBikes: '1' } });
  const r = parseBikePointsReport([p, { ...p, commonName: 'Other' }], opts);
  assert.equal(r.snapshot.stations.length, 1);
  assert.equal(r.snapshot.stations[0].name, 'D');
  assert.equal(r.skipped[0].reason, 'duplicate id');
});

test('a body that is not an array, or has no readable station, is FEED_PARSE', () => {
  for (const bad of [{ stations: [] }, null, 'x', 42, [], [1, 2, { id: 3 }]]) {
    assert.throws(() => parseBikePoints(bad, opts), (e: unknown) => isBikeBotError(e, 'FEED_PARSE'), JSON.stringify(bad));
  }
});

const tflDir = join(SHARED_DATA, 'tfl');

test('real 2022 render: 792 stations, no e-bike split, tidied names, observation time', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json') }, () => {
  const json = JSON.parse(readFileSync(join(tflDir, 'bikepoint-2022-08-01T08-25-10Z.json'), 'utf8'));
  const { snapshot, skipped } = parseBikePointsReport(json, opts);
  assert.equal(skipped.length, 0);
  assert.equal(snapshot.stations.length, 792);
  assert.equal(snapshot.asOf, '2022-08-01T08:25:10.259Z');
  for (const s of snapshot.stations) {
    assert.equal(s.standardBikes, null, s.id);
    assert.equal(s.ebikes, null, s.id);
    assert.ok(!/ ,|  /.test(s.name), s.name);
    assert.ok(s.lat !== null && s.lon !== null, s.id);
    assert.equal(s.brokenDocks, Math.max(0, (s.docks ?? 0) - (s.bikes ?? 0) - (s.emptyDocks ?? 0)), s.id);
    assert.equal(s.asOf, '2022-08-01T08:25:10.259Z');
  }
  const byId = new Map(snapshot.stations.map((s) => [s.id, s]));
  assert.equal(byId.get('BikePoints_1')?.name, 'River Street, Clerkenwell');
  assert.equal(byId.get('BikePoints_1')?.terminalName, '001023');
  assert.equal(byId.get('BikePoints_461')?.temporary, true);
  assert.equal(byId.get('BikePoints_84')?.temporary, false);
  // Some stations have broken docks in the real data, and none is ever negative.
  assert.ok(snapshot.stations.some((s) => (s.brokenDocks ?? 0) > 0));
});

test('real current example: e-bike split, broken dock, per-station modified', { skip: skipWithoutShared('data/tfl/bikepoint-example-current.json') }, () => {
  const json = JSON.parse(readFileSync(join(tflDir, 'bikepoint-example-current.json'), 'utf8'));
  const snap = parseBikePoints(json, opts);
  const [a, b] = snap.stations;
  assert.equal(a.name, 'River Street, Clerkenwell');
  assert.deepEqual([b.bikes, b.standardBikes, b.ebikes, b.emptyDocks, b.docks, b.brokenDocks], [5, 1, 4, 31, 37, 1]);
  assert.equal(a.asOf, '2025-09-12T14:36:21.533Z');
  assert.equal(b.asOf, '2025-09-12T15:06:15.683Z');
  assert.equal(snap.asOf, '2025-09-12T15:06:15.683Z');
});
