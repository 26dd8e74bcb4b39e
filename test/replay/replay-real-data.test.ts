import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBikePoints } from '../../src/feeds/tfl-parse.js';
import { parseCsvRecords as parseCsv } from '../../src/util/csv.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { loadTflReplayData } from '../../src/replay/tfl-replay-data.js';
import { renderBikePoint } from '../../src/replay/tfl-render.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const TFL = join(SHARED_DATA, 'tfl');
const skip = skipWithoutShared('data/tfl/stations.csv', 'data/tfl/occupancy', 'data/tfl/bikepoint-2022-08-01T08-25-10Z.json');

test('the renderer reproduces the real /BikePoint shape byte for byte', { skip }, () => {
  const real = JSON.parse(readFileSync(join(TFL, 'bikepoint-2022-08-01T08-25-10Z.json'), 'utf8')) as Array<{ id: string; additionalProperties: Array<{ key: string; value: string; modified: string }> }>;
  const stations = new Map(parseCsv(readFileSync(join(TFL, 'stations.csv'), 'utf8')).map((r) => [r.place_id, r]));
  let compared = 0;
  for (const p of real) {
    const r = stations.get(p.id);
    assert.ok(r, p.id);
    const v = (k: string) => p.additionalProperties.find((q) => q.key === k)?.value as string;
    const info = { id: r.place_id, terminalName: r.terminal_name, commonName: r.common_name, lat: Number(r.lat), lon: Number(r.lon), installed: r.installed, locked: r.locked, installDate: r.install_date, removalDate: r.removal_date, temporary: r.temporary };
    const rendered = renderBikePoint(info, { bikes: Number(v('NbBikes')), emptyDocks: Number(v('NbEmptyDocks')), docks: Number(v('NbDocks')) }, p.additionalProperties[0].modified);
    assert.equal(rendered, JSON.stringify(p), p.id);
    compared++;
  }
  assert.equal(compared, 792);
});

test('occupancy CSVs: one snapshot per query_time, indexed; removed stations dropped', { skip }, (t) => {
  const t0 = performance.now();
  const data = loadTflReplayData(TFL);
  const loadMs = performance.now() - t0;
  t.diagnostic(`loaded 3 occupancy files in ${loadMs.toFixed(0)} ms`);
  assert.equal(data.times.length, 73 + 74 + 74);
  assert.ok(data.times.every((x, i) => i === 0 || x > data.times[i - 1]));
  assert.equal(new Date(data.times[0]).toISOString(), '2022-06-02T00:14:39.780Z');
  // BikePoints_240, 366 and 786 (removed before 2022-08-01) in all 73 snapshots of 06-02.
  assert.equal(data.droppedRows, 3 * 73);
  const s = data.snapshot(0);
  assert.equal(s.stationCount, 788 - 3);
  const noon = Date.parse('2022-07-24T12:00:00Z');
  const i = data.indexAt(noon);
  assert.ok(data.times[i] <= noon && data.times[i + 1] > noon);
  assert.equal(data.indexAt(0), 0);
  assert.equal(data.indexAt(Date.parse('2030-01-01T00:00:00Z')), data.times.length - 1);
});

test('a later replay time serves the counts of the later CSV snapshot', { skip }, async () => {
  // Expected counts straight from the CSV rows, independently of the loader.
  const rows = readFileSync(join(TFL, 'occupancy', '2022-07-27.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const times = [...new Set(rows.map((r) => r[0]))];
  const at = (qt: string, id: string) => rows.find((r) => r[0] === qt && r[1] === id) as string[];
  const morning = times.find((x) => x >= '2022-07-27T07:00') as string;
  const evening = times.find((x) => x >= '2022-07-27T17:30') as string;

  let clock = 0;
  const server = await startReplayServer({ source: TFL, startAt: morning + 'Z', speed: 600, now: () => clock });
  try {
    const fetchSnap = async () => parseBikePoints(await (await fetch(`${server.url}/BikePoint`)).json(), { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date() });
    const a = await fetchSnap();
    clock += ((Date.parse(evening + 'Z') - Date.parse(morning + 'Z')) / 600) + 1; // real ms for the replay gap at × 600
    const b = await fetchSnap();
    assert.equal(a.asOf, new Date(morning + 'Z').toISOString());
    assert.equal(b.asOf, new Date(evening + 'Z').toISOString());
    let differing = 0;
    for (const id of ['BikePoints_1', 'BikePoints_154', 'BikePoints_14']) {
      const [ra, rb] = [at(morning, id), at(evening, id)];
      const [sa, sb] = [a.stations.find((s) => s.id === id), b.stations.find((s) => s.id === id)];
      assert.deepEqual([sa?.bikes, sa?.emptyDocks, sa?.docks], ra.slice(2).map(Number), `${id} morning`);
      assert.deepEqual([sb?.bikes, sb?.emptyDocks, sb?.docks], rb.slice(2).map(Number), `${id} evening`);
      if (sa?.bikes !== sb?.bikes) differing++;
    }
    assert.ok(differing > 0, 'counts move between the morning and the evening');
    assert.equal(server.stats().requests, 2);
  } finally {
    await server.close();
  }
});
