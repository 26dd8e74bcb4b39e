/**
 * gbfs_versions.json steers which version is read, and schema deviations are told
 * once with counts while the feed is still served. A small GBFS server on loopback
 * publishes one system as 2.3 and as 3.0 side by side.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import pino from 'pino';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalHttp } from '../../src/feeds/conditional-http.js';
import { GbfsSource } from '../../src/feeds/gbfs-source.js';
import { DEFAULT_SCHEMAS_DIR, GbfsValidator, type ValidationReport } from '../../src/feeds/gbfs-validate.js';
import { newestSupported, versionNumbers } from '../../src/feeds/gbfs-versions.js';
import { loadConfig } from '../../src/config.js';
import { buildCore } from '../../src/app.js';
import { gbfsServer, type Docs } from './gbfs-server.js';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

/** One system, "Twin Town Bikes", published as GBFS 2.3 and 3.0; station names say which version they came from. */
const twinTown: Docs = (base) => {
  const env23 = (data: unknown, ttl = 60) => ({ last_updated: T0, ttl, version: '2.3', data });
  const env30 = (data: unknown, ttl = 60) => ({ last_updated: iso(T0), ttl, version: '3.0', data });
  const versions = { versions: [{ version: '2.3', url: `${base}/2.3/gbfs.json` }, { version: '3.0', url: `${base}/3.0/gbfs.json` }, { version: '3.1-RC', url: `${base}/3.1-RC/gbfs.json` }] };
  return {
    '/2.3/gbfs.json': env23({ en: { feeds: ['gbfs_versions', 'system_information', 'station_information', 'station_status'].map((name) => ({ name, url: `${base}/2.3/${name}.json` })) } }),
    '/2.3/gbfs_versions.json': env23(versions),
    '/2.3/system_information.json': env23({ system_id: 'twin', language: 'en', name: 'Twin Town Bikes', timezone: 'Europe/Paris' }, 3600),
    '/2.3/station_information.json': env23({ stations: [{ station_id: 'a', name: 'Gare (2.3)', lat: 48.85, lon: 2.35, capacity: 10 }] }),
    '/2.3/station_status.json': env23({ stations: [{ station_id: 'a', num_bikes_available: 1, num_docks_available: 9, is_installed: true, is_renting: true, is_returning: true, last_reported: T0 }] }),
    '/3.0/gbfs.json': env30({ feeds: ['gbfs_versions', 'system_information', 'station_information', 'station_status'].map((name) => ({ name, url: `${base}/3.0/${name}.json` })) }),
    '/3.0/gbfs_versions.json': env30(versions),
    '/3.0/system_information.json': env30({ system_id: 'twin', languages: ['en'], name: [{ text: 'Twin Town Bikes', language: 'en' }], opening_hours: '24/7', feed_contact_email: 'dev@example.org', timezone: 'Europe/Paris' }, 3600),
    '/3.0/station_information.json': env30({ stations: [{ station_id: 'a', name: [{ text: 'Gare (3.0)', language: 'en' }], lat: 48.85, lon: 2.35, capacity: 10 }] }),
    '/3.0/station_status.json': env30({
      stations: [{ station_id: 'a', num_vehicles_available: 4, num_docks_available: 6, is_installed: true, is_renting: true, is_returning: true, last_reported: iso(T0) }],
    }),
  };
};

const http = () => new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 5000 });
const system = { id: 'twin', name: 'Twin Town Bikes', timezone: 'Europe/Paris' };

test('version numbers: the newest supported major wins; release candidates and unknown majors are not read', () => {
  assert.deepEqual(versionNumbers('v2.3'), [2, 3]);
  assert.equal(versionNumbers('3.1-RC'), null);
  const pick = (vs: string[]) => newestSupported(vs.map((version) => ({ version, url: `https://x.example/${version}/gbfs.json` })))?.version ?? null;
  assert.equal(pick(['1.1', '2.3', '3.0']), '3.0');
  assert.equal(pick(['v1.1', 'v2.3']), 'v2.3');
  assert.equal(pick(['2.3', '3.0', '3.1-RC', '4.0']), '3.0');
  assert.equal(pick(['2.2', '2.10']), '2.10');
  assert.equal(pick(['9.0']), null);
});

test('a system publishing 2.3 and 3.0: configured with the 2.3 URL, the 3.0 feed is read', async (t) => {
  const srv = await gbfsServer(twinTown);
  t.after(() => srv.close());
  const notes: string[] = [];
  const source = new GbfsSource({ system, url: `${srv.url}/2.3/gbfs.json`, http: http(), onNote: (n) => notes.push(n), now: () => T0 * 1000 + 5000 });
  const { snapshot } = await source.poll(AbortSignal.timeout(5000));
  assert.ok(snapshot);
  assert.deepEqual(snapshot.stations.map((s) => [s.name, s.bikes]), [['Gare (3.0)', 4]]);
  assert.equal(source.describe().version, '3.0');
  assert.equal(source.describe().urls.gbfs, `${srv.url}/3.0/gbfs.json`);
  assert.ok(notes.some((n) => /gbfs_versions lists 3\.0/.test(n)), notes.join('\n'));
  // The switch happens before any 2.3 data file is fetched.
  assert.deepEqual(srv.hits.filter((h) => h.startsWith('/2.3/')), ['/2.3/gbfs.json', '/2.3/gbfs_versions.json']);
  assert.ok(!srv.hits.includes('/3.1-RC/gbfs.json'), 'a release candidate is not read');

  // Later polls stay on 3.0 and do not bounce back.
  const again = await source.poll(AbortSignal.timeout(5000));
  assert.equal(again.snapshot, null);
  assert.equal(source.describe().version, '3.0');
});

test('a listed newer version that fails: back to the one that works, not tried again', async (t) => {
  const srv = await gbfsServer((base) => {
    const docs = twinTown(base);
    delete docs['/3.0/gbfs.json'];
    return docs;
  });
  t.after(() => srv.close());
  let now = T0 * 1000;
  const source = new GbfsSource({ system, url: `${srv.url}/2.3/gbfs.json`, http: http(), now: () => now });
  await assert.rejects(source.poll(AbortSignal.timeout(5000)), /404/);
  now += 61_000;
  const { snapshot } = await source.poll(AbortSignal.timeout(5000));
  assert.deepEqual(snapshot?.stations.map((s) => s.name), ['Gare (2.3)']);
  assert.equal(srv.hits.filter((h) => h === '/3.0/gbfs.json').length, 1);
});

/** 2.3 with 1/0 booleans in every status record (as Divvy sends them) and one record that cannot be read. */
const deviant: Docs = (base) => {
  const env = (data: unknown) => ({ last_updated: T0, ttl: 60, version: '2.3', data });
  const stations = ['a', 'b', 'c', 'd'];
  return {
    '/dev/gbfs.json': env({ en: { feeds: ['system_information', 'station_information', 'station_status'].map((name) => ({ name, url: `${base}/dev/${name}.json` })) } }),
    '/dev/system_information.json': env({ system_id: 'dev', language: 'en', name: 'Deviant Bikes', timezone: 'Europe/Paris' }),
    '/dev/station_information.json': env({ stations: stations.map((id, i) => ({ station_id: id, name: `Station ${id}`, lat: 48.85 + i / 100, lon: 2.35, capacity: 10 })) }),
    '/dev/station_status.json': env({
      stations: stations.map((id) => ({ station_id: id, num_bikes_available: 2, num_docks_available: 8, is_installed: 1, is_renting: id === 'd' ? 'yes' : 1, is_returning: 1, last_reported: T0 })),
    }),
  };
};

test('schema deviations: told once per file and version with counts; the feed is still served, only the unreadable record skipped', async (t) => {
  const srv = await gbfsServer(deviant);
  t.after(() => srv.close());
  const told: ValidationReport[] = [];
  let now = T0 * 1000;
  const validator = new GbfsValidator(DEFAULT_SCHEMAS_DIR);
  assert.equal(validator.note, null, 'the shipped schemas are found');
  const source = new GbfsSource({ system: { ...system, id: 'dev' }, url: `${srv.url}/dev/gbfs.json`, http: http(), now: () => now, validator, onDeviation: (r) => told.push(r) });
  const first = await source.poll(AbortSignal.timeout(5000));
  assert.deepEqual(first.snapshot?.stations.map((s) => s.id), ['dev:a', 'dev:b', 'dev:c'], 'served; "yes" is not a boolean, so d alone is skipped');
  for (let i = 0; i < 3; i++) {
    now += 61_000;
    // Polled again and again, told only once.
    await source.poll(AbortSignal.timeout(5000));
  }
  assert.ok(srv.hits.filter((h) => h === '/dev/station_status.json').length >= 2);
  assert.equal(told.length, 1, JSON.stringify(told));
  const r = told[0];
  assert.equal(r.file, 'station_status');
  assert.equal(r.schema, 'v2.3');
  assert.ok(r.errorCount >= 12, `errors: ${r.errorCount}`);
  const byPath = new Map(r.deviations.map((d) => [d.path, d.count]));
  assert.equal(byPath.get('/data/stations/N/is_installed'), 4);
  assert.equal(byPath.get('/data/stations/N/is_returning'), 4);
  assert.equal(byPath.get('/data/stations/N/is_renting'), 4);
  assert.ok(source.describe().validation.some((v) => v.file === 'station_information' && v.valid === true));
});

test('a file is checked against its schema when first read, then at most once in ten minutes', async (t) => {
  let docs: Record<string, unknown> = {};
  const srv = await gbfsServer((base) => (docs = deviant(base)));
  t.after(() => srv.close());
  // The counts move: every fetch of station_status is a new document.
  const move = (bikes: number) => {
    const doc = docs['/dev/station_status.json'] as { data: { stations: Array<{ num_bikes_available: number }> } };
    docs['/dev/station_status.json'] = { ...doc, data: { stations: doc.data.stations.map((s) => ({ ...s, num_bikes_available: bikes })) } };
  };
  const checked: string[] = [];
  class Counting extends GbfsValidator {
    override validate(file: string, doc: unknown): ValidationReport {
      checked.push(file);
      return super.validate(file, doc);
    }
  }
  let now = T0 * 1000;
  const source = new GbfsSource({ system: { ...system, id: 'dev' }, url: `${srv.url}/dev/gbfs.json`, http: http(), now: () => now, validator: new Counting(DEFAULT_SCHEMAS_DIR) });
  const statusChecks = () => checked.filter((f) => f === 'station_status').length;
  await source.poll(AbortSignal.timeout(5000));
  assert.equal(statusChecks(), 1);
  for (let i = 0; i < 3; i++) {
    now += 61_000;
    move(3 + i);
    const { snapshot } = await source.poll(AbortSignal.timeout(5000));
    assert.equal(snapshot?.stations[0].bikes, 3 + i, 'the new document is read');
  }
  assert.equal(statusChecks(), 1, 'not checked again within ten minutes');
  now += 10 * 60_000;
  move(9);
  await source.poll(AbortSignal.timeout(5000));
  assert.equal(statusChecks(), 2, 'ten minutes on, the new document is checked');
});

test('serve/ask: the deviation reaches the log once, as one line with counts', async (t) => {
  const srv = await gbfsServer(deviant);
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-gbfs-dev-'));
  t.after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const configPath = join(dir, 'systems.json');
  writeFileSync(configPath, JSON.stringify({ systems: [{ id: 'dev', kind: 'gbfs', url: `${srv.url}/dev/gbfs.json`, name: 'Deviant Bikes', timezone: 'Europe/Paris' }] }));
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }));
  const core = await buildCore(loadConfig({ argv: ['ask', '--config', configPath], env: {} }), { mode: 'oneshot', logger });
  t.after(() => core.close());
  assert.equal(core.live.index()?.size, 3);
  const deviations = lines.map((l) => JSON.parse(l) as { msg: string; file?: string; errors?: number; deviations?: Array<{ count: number }> }).filter((l) => /deviates from the official/.test(l.msg));
  assert.equal(deviations.length, 1, lines.join(''));
  assert.equal(deviations[0].file, 'station_status');
  assert.ok((deviations[0].errors ?? 0) >= 12);
  assert.ok(deviations[0].deviations?.every((d) => d.count >= 1));
});

test('ttl counts from each file\'s own last_updated, and an older copy never replaces a newer one', async (t) => {
  let statusUpdated = T0 - 50;
  let bikes = 3;
  const srv = await gbfsServer((base) => {
    const env = (data: unknown, lastUpdated: number, ttl: number) => ({ last_updated: lastUpdated, ttl, version: '2.3', data });
    const docs: Record<string, unknown> = {
      '/t/gbfs.json': env({ en: { feeds: ['station_information', 'station_status'].map((name) => ({ name, url: `${base}/t/${name}.json` })) } }, T0, 3600),
      '/t/station_information.json': env({ stations: [{ station_id: 'a', name: 'Gare', lat: 48.85, lon: 2.35, capacity: 10 }] }, T0 - 3000, 3600),
    };
    // Rendered on each request, so the test can move the file's time back and forth.
    Object.defineProperty(docs, '/t/station_status.json', {
      enumerable: true,
      get: () => env({ stations: [{ station_id: 'a', num_bikes_available: bikes, num_docks_available: 10 - bikes, is_installed: true, is_renting: true, is_returning: true, last_reported: statusUpdated }] }, statusUpdated, 60),
    });
    return docs;
  });
  t.after(() => srv.close());
  let now = T0 * 1000;
  const notes: string[] = [];
  const source = new GbfsSource({ system, url: `${srv.url}/t/gbfs.json`, http: http(), now: () => now, statusFloorS: 1, staticFloorS: 60, onNote: (n) => notes.push(n) });
  const first = await source.poll(AbortSignal.timeout(5000));
  assert.equal(first.snapshot?.stations[0].bikes, 3);
  // station_status was 50 s old when fetched with ttl 60: due in 10 s, not 60.
  assert.equal(first.nextPollInMs, 10_000);

  // A lagging copy, older than the one we hold: kept ours, no new snapshot.
  now += 10_000;
  statusUpdated = T0 - 120;
  bikes = 9;
  const lagging = await source.poll(AbortSignal.timeout(5000));
  assert.equal(lagging.snapshot, null);
  assert.ok(notes.some((n) => /older than/.test(n)), notes.join('\n'));

  now += 60_000;
  statusUpdated = T0 + 70;
  bikes = 5;
  const fresh = await source.poll(AbortSignal.timeout(5000));
  assert.equal(fresh.snapshot?.stations[0].bikes, 5);
});
