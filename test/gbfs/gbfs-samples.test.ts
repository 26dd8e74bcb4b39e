/**
 * The real GBFS samples in ../shared/data/gbfs, read through the replay server exactly
 * as the running program reads them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canServe, type Snapshot } from '../../src/domain/station.js';
import { GbfsSource } from '../../src/feeds/gbfs-source.js';
import { GbfsRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const skip = skipWithoutShared('data/gbfs/divvy-chicago', 'data/gbfs/bixi-montreal', 'data/gbfs/mobilitydata-testfixtures-v3.0');
const GBFS = join(SHARED_DATA, 'gbfs');
const http = { userAgent: 'bikebot-test', timeoutMs: 10_000 };

async function snapshotOf(source: GbfsSource): Promise<Snapshot> {
  const r = await source.poll(AbortSignal.timeout(10_000));
  assert.ok(r.snapshot, 'first poll gives a snapshot');
  return r.snapshot;
}

describe('real GBFS samples through the replay server', { skip }, () => {
  let server: ReplayServer;
  let routes: GbfsRoutes;
  before(async () => {
    routes = new GbfsRoutes({ folders: [GBFS] });
    server = await startReplayServer({ routes: [routes] });
  });
  after(async () => server?.close());

  test('the replay server finds every system folder and skips schemas/', () => {
    assert.deepEqual(routes.systemNames(), ['bixi-montreal', 'divvy-chicago', 'mobilitydata-testfixtures-v3.0']);
  });

  test('Divvy (2.3): 1,811 stations, e-bikes from vehicle_types, not-renting stations, a stale station keeps its real time', async () => {
    const source = new GbfsSource({ system: { id: 'divvy', name: 'Divvy', timezone: 'America/Chicago' }, url: routes.entryUrl(server.url, 'divvy-chicago'), http });
    const snap = await snapshotOf(source);
    assert.equal(snap.stations.length, 1811);
    assert.equal(snap.asOf, new Date(1738144060 * 1000).toISOString());
    assert.equal(source.describe().language, 'en');
    assert.equal(source.describe().version, '2.3');
    const ids = new Set(snap.stations.map((s) => s.id));
    assert.equal(ids.size, 1811);
    assert.ok([...ids].every((id) => /^divvy:[0-9a-f-]+$/.test(id)), 'ids are divvy:<station_id> (numeric or UUID)');

    const raw = JSON.parse(readFileSync(join(GBFS, 'divvy-chicago', 'station_status.json'), 'utf8')) as { data: { stations: { station_id: string; vehicle_types_available: { vehicle_type_id: string; count: number }[] }[] } };
    // vehicle_types: "2" is the electric_assist bicycle, "3" an electric scooter (not a bike).
    const ebikesInFeed = raw.data.stations.reduce((n, s) => n + s.vehicle_types_available.filter((v) => v.vehicle_type_id === '2').reduce((m, v) => m + v.count, 0), 0);
    const sum = (f: (s: Snapshot['stations'][number]) => number | null) => snap.stations.reduce((n, s) => n + (f(s) ?? 0), 0);
    assert.equal(sum((s) => s.ebikes), ebikesInFeed);
    assert.equal(ebikesInFeed, 1803);
    assert.equal(sum((s) => s.bikes), 4045, 'the 425 scooters are not counted as bikes');
    assert.ok(snap.stations.every((s) => s.ebikes !== null && s.standardBikes === (s.bikes as number) - (s.ebikes as number)));

    const notRenting = snap.stations.filter((s) => !s.renting);
    assert.equal(notRenting.length, 7);
    assert.equal(snap.stations.filter((s) => !s.installed).length, 5);
    assert.ok(notRenting.every((s) => !canServe(s, 'bikes') && !canServe(s, 'ebikes')));

    const stale = snap.stations.find((s) => s.id === 'divvy:1436495105198659242');
    assert.equal(stale?.asOf, '2022-07-28T20:40:12.000Z', 'observation time as reported, not the fetch time');
    const dupes = snap.stations.filter((s) => s.name === 'Western Ave & Lake St');
    assert.equal(dupes.length, 2, 'same name under two ids: both kept, told apart by id');
    assert.ok(snap.stations.every((s) => s.brokenDocks !== null && s.brokenDocks >= 0));
  });

  test('BIXI (1.0-style, no gbfs.json) from its folder URL and from direct file URLs', async () => {
    const base = routes.entryUrl(server.url, 'bixi-montreal');
    assert.ok(base.endsWith('/bixi-montreal/'));
    const sys = { id: 'bixi', name: 'BIXI Montréal', timezone: 'America/Toronto' };
    const a = await snapshotOf(new GbfsSource({ system: sys, url: base, http }));
    const b = await snapshotOf(
      new GbfsSource({ system: sys, http, files: { system_information: `${base}system_information.json`, station_information: `${base}station_information.json`, station_status: `${base}station_status.json` } }),
    );
    for (const snap of [a, b]) {
      assert.equal(snap.stations.length, 957);
      assert.equal(snap.asOf, new Date(1747598329 * 1000).toISOString());
      assert.equal(snap.stations.filter((s) => !s.installed).length, 4);
      assert.equal(snap.stations.reduce((n, s) => n + (s.ebikes ?? 0), 0), 2149, 'no vehicle_types: num_ebikes_available is used');
    }
    const s2 = a.stations.find((s) => s.id === 'bixi:2');
    assert.equal(s2?.name, 'Ste-Catherine / Dézéry');
    assert.deepEqual([s2?.bikes, s2?.ebikes, s2?.emptyDocks, s2?.docks, s2?.brokenDocks], [6, 2, 20, 27, 1]);
  });

  test('GBFS 3.0 fixtures: localized names, RFC 3339 times, 22 of 23 stations without status', async () => {
    const notes: string[] = [];
    const source = new GbfsSource({ system: { id: 'v3', name: 'Fixture', timezone: 'Europe/Paris' }, url: routes.entryUrl(server.url, 'mobilitydata-testfixtures-v3.0'), http, onNote: (n) => notes.push(n) });
    const snap = await snapshotOf(source);
    assert.equal(snap.stations.length, 23);
    assert.equal(source.describe().lastBuild?.withoutStatus, 22);
    assert.equal(snap.asOf, '2019-07-04T13:33:03.969Z');
    const first = snap.stations.find((s) => s.id === 'v3:6efbec5a-6b8c-455b-bed2-8d66be6d6a4b');
    assert.equal(first?.name, '2 ROUES');
    assert.equal(first?.asOf, '2019-07-04T13:33:03.969Z');
    // Its vehicle_types_available names types this folder does not describe: e-bikes unknown, not 0.
    assert.deepEqual([first?.bikes, first?.ebikes, first?.renting], [0, null, true]);
    assert.equal(snap.stations.filter((s) => s.renting || s.returning).length, 1);
    assert.equal(source.describe().information?.name, 'Check Technologies');
    assert.equal(source.describe().information?.timezone, 'Europe/Amsterdam');
  });
});
