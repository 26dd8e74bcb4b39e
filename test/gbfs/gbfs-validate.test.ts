/** Each real sample against the official schemas: exactly which deviations it has. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatReport, GbfsValidator, GbfsValidatorThread, schemaVersionFor } from '../../src/feeds/gbfs-validate.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const GBFS = join(SHARED_DATA, 'gbfs');
const read = (sys: string, file: string): unknown => JSON.parse(readFileSync(join(GBFS, sys, `${file}.json`), 'utf8'));

test('schema version from the document', () => {
  assert.equal(schemaVersionFor(null), 'v1.0');
  assert.equal(schemaVersionFor('2.2'), 'v2.3');
  assert.equal(schemaVersionFor('v2.3'), 'v2.3');
  assert.equal(schemaVersionFor('3.0'), 'v3.0');
  assert.equal(schemaVersionFor('1.1'), 'v1.0');
});

test('without the schemas folder, validation is skipped with a note', () => {
  const v = new GbfsValidator('/nonexistent/schemas');
  const r = v.validate('station_status', { data: {} });
  assert.equal(r.valid, null);
  assert.match(formatReport(r), /not validated \(GBFS schemas not found at \/nonexistent\/schemas; schema validation skipped\)/);
});

describe('real samples against the official schemas', { skip: skipWithoutShared('data/gbfs/schemas', 'data/gbfs/divvy-chicago', 'data/gbfs/bixi-montreal', 'data/gbfs/mobilitydata-testfixtures-v3.0') }, () => {
  const v = new GbfsValidator(join(GBFS, 'schemas'));

  test('Divvy: station_status sends 1/0 for booleans (3 × 1,811), gbfs_versions "v"-prefixed versions; the rest is valid', () => {
    const status = v.validate('station_status', read('divvy-chicago', 'station_status'));
    assert.equal(status.schema, 'v2.3');
    assert.equal(status.errorCount, 5433);
    assert.deepEqual(status.deviations, [
      { path: '/data/stations/N/is_installed', message: 'must be boolean', count: 1811 },
      { path: '/data/stations/N/is_renting', message: 'must be boolean', count: 1811 },
      { path: '/data/stations/N/is_returning', message: 'must be boolean', count: 1811 },
    ]);
    const versions = v.validate('gbfs_versions', read('divvy-chicago', 'gbfs_versions'));
    assert.equal(versions.errorCount, 2);
    assert.deepEqual(versions.deviations, [{ path: '/data/versions/N/version', message: 'must be equal to one of the allowed values', count: 2 }]);
    for (const f of ['gbfs', 'system_information', 'station_information', 'vehicle_types']) {
      assert.equal(v.validate(f, read('divvy-chicago', f)).valid, true, f);
    }
  });

  test('in a worker thread, the same reports from the bodies as received (a server checks off its event loop)', async () => {
    const thread = new GbfsValidatorThread(join(GBFS, 'schemas'));
    try {
      for (const f of ['station_status', 'gbfs_versions', 'station_information']) {
        const body = readFileSync(join(GBFS, 'divvy-chicago', `${f}.json`), 'utf8');
        assert.deepEqual(await thread.check(f, null, body), v.validate(f, JSON.parse(body)), f);
      }
      const broken = await thread.check('station_status', null, '{ not json');
      assert.equal(broken.valid, null);
      assert.match(broken.note ?? '', /^not validated: /);
    } finally {
      await thread.close();
    }
    const off = await new GbfsValidatorThread(null).check('station_status', null, '{}');
    assert.equal(off.valid, null);
    assert.equal(off.note, 'GBFS schema validation turned off');
  });

  test('BIXI: valid GBFS 1.0 (1/0 booleans are allowed there; no gbfs.json)', () => {
    for (const f of ['system_information', 'station_information', 'station_status']) {
      const r = v.validate(f, read('bixi-montreal', f));
      assert.equal(r.schema, 'v1.0');
      assert.equal(r.valid, true, `${f}: ${formatReport(r)}`);
    }
  });

  test('3.0 fixtures: valid GBFS 3.0', () => {
    for (const f of ['gbfs', 'system_information', 'station_information', 'station_status']) {
      const r = v.validate(f, read('mobilitydata-testfixtures-v3.0', f));
      assert.equal(r.schema, 'v3.0');
      assert.equal(r.valid, true, `${f}: ${formatReport(r)}`);
    }
  });

  test('a broken document is reported per rule, not per station', () => {
    const r = v.validate('station_status', { last_updated: 'soon', ttl: 60, version: '2.3', data: { stations: [{ station_id: 1 }, { station_id: 2 }] } });
    assert.equal(r.valid, false);
    assert.ok(r.deviations.some((d) => d.path === '/data/stations/N/station_id' && d.message === 'must be string' && d.count === 2));
    assert.ok(r.deviations.some((d) => d.path === '/last_updated'));
  });
});
