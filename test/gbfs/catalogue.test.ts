/**
 * Every city by name: the shipped MobilityData catalogue is searched by name, city
 * or country; `systems add <name>` and `systems update` run against a catalogue and
 * feeds on loopback. London stays the built-in TfL system.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBikeBotError } from '../../src/domain/errors.js';
import { loadCatalogue, parseCatalogue, searchCatalogue, SHIPPED_CATALOGUE, UPDATED_CATALOGUE_NAME } from '../../src/systems/catalogue.js';
import { systemsAddByName, systemsSearch, systemsUpdate } from '../../src/systems/catalogue-command.js';
import { loadSystemsConfig } from '../../src/systems/systems-config.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { gbfsServer } from './gbfs-server.js';

const shipped = () => loadCatalogue(join(tmpdir(), 'bikebot-no-such-data-dir'));
const names = (q: string) => searchCatalogue(shipped().systems, q).map((m) => m.system.name);

test('the shipped catalogue: 1,520 systems in 48 countries, dated, attributed', () => {
  const c = shipped();
  assert.equal(c.source, SHIPPED_CATALOGUE);
  assert.equal(c.date, '2026-07-21');
  assert.equal(c.systems.length, 1520);
  assert.equal(new Set(c.systems.map((s) => s.countryCode)).size, 48);
  const readme = readFileSync(join(REPO_ROOT, 'data/gbfs-catalogue/README.md'), 'utf8');
  assert.match(readme, /CC BY 3\.0/);
  assert.match(readme, /MobilityData/);
  assert.match(readme, /2026-07-21/);
});

test('search finds Divvy, BIXI Montréal and Citi Bike by name, city or country', () => {
  assert.ok(names('chicago').includes('Divvy'));
  assert.ok(names('divvy').includes('Divvy'));
  assert.ok(names('montreal').includes('BIXI Montréal'));
  assert.ok(names('Montréal').includes('BIXI Montréal'), 'accents fold both ways');
  assert.ok(names('bixi').includes('BIXI Montréal'));
  assert.deepEqual(names('citi bike'), ['Citi Bike']);
  assert.ok(names('new york').includes('Citi Bike'));
  assert.ok(names('canada').includes('BIXI Montréal'), 'by country name');
  assert.ok(names('US').includes('Divvy'), 'by country code');
  const out = systemsSearch(shipped(), 'chicago');
  assert.match(out, /^Divvy\s+Chicago, IL\s+United States\s+1\.1, 2\.3\s+https:\/\/gbfs\.divvybikes\.com\/gbfs\/2\.3\/gbfs\.json$/m);
});

test('London is the built-in TfL system, not a catalogue entry', async () => {
  assert.match(systemsSearch(shipped(), 'london'), /^Santander Cycles London .* built in \(TfL BikePoint API; TfL publishes no GBFS\)/);
  await assert.rejects(systemsAddByName('london', { catalogue: shipped(), configPath: '/nonexistent/x.json', userAgent: 'bikebot-test', timeoutMs: 2000 }), (e) => isBikeBotError(e, 'INVALID_INPUT') && /built in/.test((e as Error).message));
});

/** Three "Montreal" systems like the real catalogue's: a docked one, a car-sharing one without docks, and a dead demo. */
function montreal(base: string): Record<string, unknown> {
  const T = 1_767_225_600;
  const env = (data: unknown) => ({ last_updated: T, ttl: 60, version: '2.3', data });
  const csv = [
    'Country Code,Name,Location,System ID,URL,Auto-Discovery URL,Supported Versions,Authentication Info URL,Authentication Type,Authentication Parameter Name',
    `CA,BIXI Montréal,Montreal,Bixi_MTL,https://bixi.example,${base}/bixi/gbfs.json,1.0 ; 2.2,,,`,
    `CA,LocoMotion Montreal,Montreal,locomotion_montreal,https://loco.example,${base}/loco/gbfs.json,3.0,,,`,
    `CA,PBSC HQ,Montreal,pbsn,https://pbsc.example,${base}/pbsc/gbfs.json,1.1 ; 2.3 ; 3.0,,,`,
    `US,Divvy,"Chicago, IL",lyft_chi,https://divvy.example,${base}/divvy/gbfs.json,1.1 ; 2.3,,,`,
    `US,Keyed Bikes,"Keytown, KS",keyed,https://keyed.example,${base}/keyed/gbfs.json,2.3,https://keyed.example/key,api_key,key`,
  ].join('\n');
  return {
    '/systems.csv': csv,
    '/bixi/gbfs.json': env({ fr: { feeds: ['system_information', 'station_information', 'station_status'].map((name) => ({ name, url: `${base}/bixi/${name}.json` })) } }),
    '/bixi/system_information.json': env({ system_id: 'bixi', language: 'fr', name: 'BIXI Montréal', timezone: 'America/Montreal' }),
    '/bixi/station_information.json': env({ stations: [{ station_id: '1', name: 'Ste-Catherine / Dézéry', lat: 45.539, lon: -73.541, capacity: 15 }] }),
    '/bixi/station_status.json': env({ stations: [{ station_id: '1', num_bikes_available: 6, num_docks_available: 9, is_installed: 1, is_renting: 1, is_returning: 1, last_reported: T }] }),
    '/loco/gbfs.json': { last_updated: new Date(T * 1000).toISOString(), ttl: 60, version: '3.0', data: { feeds: [{ name: 'vehicle_status', url: `${base}/loco/vehicle_status.json` }] } },
  };
}

test('systems update fetches the catalogue (loopback), and systems add montreal finds and adds BIXI', async (t) => {
  const srv = await gbfsServer(montreal);
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-catalogue-'));
  t.after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dataDir = join(dir, 'data');
  const before = loadCatalogue(dataDir);
  const said = await systemsUpdate({ url: `${srv.url}/systems.csv`, dataDir, userAgent: 'bikebot-test', timeoutMs: 5000 }, before);
  assert.match(said, /Catalogue updated: 5 systems in 2 countries \(was 1520, 2026-07-21\)/);
  assert.ok(existsSync(join(dataDir, UPDATED_CATALOGUE_NAME)));
  const catalogue = loadCatalogue(dataDir);
  assert.equal(catalogue.systems.length, 5);

  const configPath = join(dir, 'bikebot.config.json');
  const opts = { catalogue, configPath, userAgent: 'bikebot-test', timeoutMs: 5000, schemasDir: null };
  const report = await systemsAddByName('montreal', opts);
  assert.match(report, /^Found BIXI Montréal \(Montreal, Canada\) in the catalogue/);
  const cfg = loadSystemsConfig(configPath);
  assert.deepEqual(cfg.systems.map((s) => s.id), ['tfl', 'bixi-montreal'], 'London stays the built-in TfL system');
  const bixi = cfg.systems[1];
  assert.equal(bixi.url, `${srv.url}/bixi/gbfs.json`);
  assert.equal(bixi.name, 'BIXI Montréal');
  assert.equal(bixi.timezone, 'America/Montreal');
  assert.ok(bixi.aliases?.includes('montreal'));
  assert.ok(!srv.hits.includes('/loco/station_status.json'));

  await assert.rejects(systemsAddByName('keyed bikes', opts), /needs api_key/);
  await assert.rejects(systemsAddByName('atlantis', opts), (e) => isBikeBotError(e, 'NOT_FOUND'));
});

test('a catalogue that is not one is refused, and the old one kept', async (t) => {
  const srv = await gbfsServer(() => ({ '/systems.csv': 'a,b\n1,2\n' }));
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-catalogue-bad-'));
  t.after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await assert.rejects(systemsUpdate({ url: `${srv.url}/systems.csv`, dataDir: dir, userAgent: 'bikebot-test', timeoutMs: 5000 }, shipped()), /not a GBFS systems catalogue/);
  await assert.rejects(systemsUpdate({ url: `${srv.url}/nothing.csv`, dataDir: dir, userAgent: 'bikebot-test', timeoutMs: 5000 }, shipped()), /keeping the one from 2026-07-21/);
  assert.ok(!existsSync(join(dir, UPDATED_CATALOGUE_NAME)));
  assert.throws(() => parseCatalogue('x,y\n', 'bad.csv'), /not a GBFS systems catalogue/);
});

test('bikebot systems search chicago (the CLI)', async () => {
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), 'systems', 'search', 'chicago', '--data-dir', join(tmpdir(), 'bikebot-no-such-data-dir')], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
  assert.equal(out.code, 0);
  assert.match(out.stdout, /^name\s+city\s+country\s+versions\s+auto-discovery URL$/m);
  assert.match(out.stdout, /^Divvy\s+Chicago, IL\s+United States/m);
});
