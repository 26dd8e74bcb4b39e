import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isBikeBotError } from '../../src/domain/errors.js';
import { GbfsRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { systemsAdd, systemsList, slugId } from '../../src/systems/systems-command.js';
import { loadSystemsConfig } from '../../src/systems/systems-config.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { tinyDocs, writeSystemFolder } from './fixtures.js';

const opts = { userAgent: 'bikebot-test', timeoutMs: 10_000 };

test('slug ids', () => {
  assert.equal(slugId('BIXI Montréal'), 'bixi-montreal');
  assert.equal(slugId('Bixi_MTL'), 'bixi_mtl');
  assert.equal(slugId('!!!'), 'gbfs');
});

describe('systems add against the replay server', () => {
  let server: ReplayServer;
  let routes: GbfsRoutes;
  let dir: string;
  const fixture = writeSystemFolder(tinyDocs());
  before(async () => {
    routes = new GbfsRoutes({ folders: [fixture.folder] });
    server = await startReplayServer({ routes: [routes] });
    dir = mkdtempSync(join(tmpdir(), 'bikebot-add-'));
  });
  after(async () => {
    await server?.close();
    fixture.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a new config file gets TfL plus the checked system, timezone from system_information', async () => {
    const configPath = join(dir, 'bikebot.config.json');
    const url = routes.entryUrl(server.url, 'tiny-town');
    const report = await systemsAdd(url, { ...opts, configPath, schemasDir: null, aliases: ['tiny town'] });
    assert.match(report, /^Added "tiny-town-bikes" \(Tiny Town Bikes, Europe\/Paris\)/);
    assert.match(report, /stations: 3 \(2 renting, 1 skipped\)/);
    assert.match(report, /e-bikes: counted from vehicle_types \(3 types\)/);
    assert.match(report, /station_status 60 s/);
    assert.match(report, /polled every 60 s/);
    assert.match(report, /not validated/);
    server.resetStats();
    const cfg = loadSystemsConfig(configPath);
    assert.deepEqual(cfg.systems.map((s) => s.id), ['tfl', 'tiny-town-bikes']);
    assert.deepEqual(cfg.systems[1], { id: 'tiny-town-bikes', kind: 'gbfs', url, name: 'Tiny Town Bikes', timezone: 'Europe/Paris', aliases: ['tiny town'] });

    // Adding the same URL again updates; the same id for another URL is refused.
    assert.match(await systemsAdd(url, { ...opts, configPath, name: 'Tiny' }), /^Updated "tiny-town-bikes" \(Tiny,/);
    assert.equal(loadSystemsConfig(configPath).systems.length, 2);
    await assert.rejects(systemsAdd(url.replace('gbfs.json', ''), { ...opts, configPath, id: 'tiny-town-bikes' }), /already configured/);
  });

  test('unreachable, not GBFS, or not a URL: an error and no config written', async () => {
    const configPath = join(dir, 'never.json');
    await assert.rejects(systemsAdd('not a url', { ...opts, configPath }), (e) => isBikeBotError(e, 'INVALID_INPUT'));
    await assert.rejects(systemsAdd(`${server.url}/gbfs/nowhere/gbfs.json`, { ...opts, configPath }), (e) => isBikeBotError(e, 'FEED_HTTP') && (e as { status?: number }).status === 404);
    server.setFaults({ malformedRate: 1 });
    await assert.rejects(systemsAdd(routes.entryUrl(server.url, 'tiny-town'), { ...opts, configPath }), (e) => isBikeBotError(e, 'FEED_PARSE'));
    server.setFaults({ malformedRate: 0 });
    assert.throws(() => loadSystemsConfig(configPath), /does not exist/);
  });

  test('systems list: one aligned line per system with count, age and last error', () => {
    const cfg = loadSystemsConfig(join(dir, 'bikebot.config.json'));
    const out = systemsList(cfg, (id) => (id === 'tfl' ? { stations: 792, snapshotAgeS: 45, lastError: null } : { stations: 0, snapshotAgeS: null, lastError: 'FEED_NETWORK: Could not reach' }));
    const lines = out.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^id\s+kind\s+name\s+timezone\s+stations\s+snapshot age\s+last error$/);
    assert.match(lines[1], /^tfl\s+tfl\s+Santander Cycles London\s+Europe\/London\s+792 stations\s+45 s\s+ok$/);
    assert.match(lines[2], /^tiny-town-bikes\s+gbfs\s+Tiny\s+Europe\/Paris\s+0 stations\s+no data yet\s+error: FEED_NETWORK: Could not reach$/);
    assert.equal(lines[1].indexOf('Europe'), lines[2].indexOf('Europe'), 'columns line up');
  });
});

describe('systems add with the real samples and the official schemas', { skip: skipWithoutShared('data/gbfs/divvy-chicago', 'data/gbfs/bixi-montreal', 'data/gbfs/schemas') }, () => {
  let server: ReplayServer;
  let routes: GbfsRoutes;
  let dir: string;
  before(async () => {
    routes = new GbfsRoutes({ folders: [join(SHARED_DATA, 'gbfs')] });
    server = await startReplayServer({ routes: [routes] });
    dir = mkdtempSync(join(tmpdir(), 'bikebot-add-real-'));
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Divvy and BIXI into one YAML config, deviations reported', async () => {
    const configPath = join(dir, 'bikebot.config.yaml');
    const schemasDir = join(SHARED_DATA, 'gbfs', 'schemas');
    const d = await systemsAdd(routes.entryUrl(server.url, 'divvy-chicago'), { ...opts, configPath, schemasDir, aliases: ['chicago'] });
    assert.match(d, /Added "divvy" \(Divvy, America\/Chicago\)/);
    assert.match(d, /feed: GBFS 2\.3, language en/);
    assert.match(d, /stations: 1811 \(1804 renting\)/);
    assert.match(d, /station_status: 5433 schema error\(s\) against GBFS v2\.3\n\s+\/data\/stations\/N\/is_installed must be boolean \(×1811\)/);
    assert.match(d, /station_information: valid against GBFS v2\.3/);
    const b = await systemsAdd(routes.entryUrl(server.url, 'bixi-montreal'), { ...opts, configPath, schemasDir, id: 'bixi', name: 'BIXI Montréal', aliases: ['montreal'] });
    assert.match(b, /Added "bixi" \(BIXI Montréal, America\/Montreal\)/);
    assert.match(b, /GBFS 1\.0 \(no version key\), no gbfs\.json/);
    assert.match(b, /stations: 957 \(957 renting\)/);
    assert.match(b, /e-bikes: from num_ebikes_available/);
    assert.match(b, /station_status: valid against GBFS v1\.0/);
    assert.deepEqual(loadSystemsConfig(configPath).systems.map((s) => [s.id, s.timezone]), [['tfl', 'Europe/London'], ['divvy', 'America/Chicago'], ['bixi', 'America/Montreal']]);
  });
});
