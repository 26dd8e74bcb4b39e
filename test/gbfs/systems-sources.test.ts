/** TfL and every GBFS sample loaded together from one systems config, as a deployment would. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Snapshot } from '../../src/domain/station.js';
import { pickSystem } from '../../src/domain/system-pick.js';
import { GbfsRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { parseSystemsConfig } from '../../src/systems/systems-config.js';
import { sourcesFor, systemInfos } from '../../src/systems/systems-sources.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const skip = skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/gbfs/divvy-chicago', 'data/gbfs/bixi-montreal', 'data/gbfs/mobilitydata-testfixtures-v3.0');

describe('TfL + every GBFS sample from one config', { skip }, () => {
  let server: ReplayServer;
  let index: StationIndex;
  const snaps: Snapshot[] = [];
  before(async () => {
    const routes = new GbfsRoutes({ folders: [join(SHARED_DATA, 'gbfs')] });
    server = await startReplayServer({ source: join(SHARED_DATA, 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json'), routes: [routes] });
    const cfg = parseSystemsConfig({
      systems: [
        { id: 'tfl', kind: 'tfl', url: server.url, name: 'Santander Cycles London', timezone: 'Europe/London', aliases: ['london'] },
        { id: 'divvy', kind: 'gbfs', url: routes.entryUrl(server.url, 'divvy-chicago'), name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] },
        { id: 'bixi', kind: 'gbfs', url: routes.entryUrl(server.url, 'bixi-montreal'), name: 'BIXI Montréal', timezone: 'America/Toronto', aliases: ['montreal'] },
        { id: 'paris-fixture', kind: 'gbfs', url: routes.entryUrl(server.url, 'mobilitydata-testfixtures-v3.0'), name: 'GBFS 3.0 fixture', timezone: 'Europe/Paris', aliases: ['paris'] },
      ],
    });
    const sources = sourcesFor(cfg, { userAgent: 'bikebot-test', version: 'test', timeoutMs: 10_000, tflUrl: 'https://unused.invalid' });
    for (const s of sources) {
      const r = await s.poll(AbortSignal.timeout(10_000));
      assert.ok(r.snapshot, s.feedId);
      snaps.push(r.snapshot);
    }
    index = new StationIndex(snaps, systemInfos(cfg));
  });
  after(async () => server?.close());

  test('every station once, ids and system ids clean', () => {
    assert.deepEqual(snaps.map((s) => [s.feedId, s.systemId, s.stations.length]), [['tfl', 'tfl', 792], ['gbfs:divvy', 'divvy', 1811], ['gbfs:bixi', 'bixi', 957], ['gbfs:paris-fixture', 'paris-fixture', 23]]);
    assert.equal(index.size, 3583);
    assert.equal(new Set(index.stations.map((s) => s.id)).size, 3583);
    for (const s of index.stations) {
      if (s.systemId !== 'tfl') assert.ok(s.id.startsWith(`${s.systemId}:`), s.id);
      assert.equal(s.name, s.name.trim().replace(/\s+/g, ' '));
    }
  });

  test('a location or a city name picks the right system, and the nearest station is found inside it', () => {
    const chicago = { lat: 41.8781, lon: -87.6298 };
    assert.equal(pickSystem(index, { location: chicago }), 'divvy');
    const near = index.nearest(chicago.lat, chicago.lon, { k: 3, want: 'bikes', systemId: 'divvy' });
    assert.equal(near.length, 3);
    assert.ok(near.every((n) => n.station.systemId === 'divvy' && n.station.renting && (n.station.bikes ?? 0) > 0 && n.distanceM < 2000));
    assert.equal(pickSystem(index, { location: { lat: 45.5017, lon: -73.5673 } }), 'bixi');
    assert.equal(pickSystem(index, { location: { lat: 51.5079, lon: -0.0877 } }), 'tfl');
    assert.equal(pickSystem(index, { location: { lat: 48.853, lon: 2.369 } }), 'paris-fixture');
    assert.equal(pickSystem(index, { text: 'bikes near jean-talon montreal' }), 'bixi');
  });

  test('stations not renting are never offered for hire, in any system', () => {
    const notRenting = index.stations.filter((s) => !s.renting);
    assert.ok(notRenting.length >= 7 + 22);
    for (const s of notRenting.filter((x) => x.lat !== null).slice(0, 40)) {
      const offered = index.nearest(s.lat!, s.lon!, { k: 5, want: 'bikes' });
      assert.ok(!offered.some((n) => n.station.id === s.id), s.id);
    }
  });
});
