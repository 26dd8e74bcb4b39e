import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBikeBotError } from '../../src/domain/errors.js';
import { loadSystemsConfig, parseSystemsConfig, saveSystemsConfig, toSystemInfo } from '../../src/systems/systems-config.js';

const divvy = { id: 'divvy', kind: 'gbfs', url: 'https://gbfs.lyft.com/gbfs/2.3/chi/gbfs.json', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] };

function invalid(value: unknown): string {
  try {
    parseSystemsConfig(value, 'test config');
  } catch (e) {
    assert.ok(isBikeBotError(e, 'CONFIG_INVALID'));
    return (e as Error).message;
  }
  assert.fail('expected CONFIG_INVALID');
}

test('no config file: TfL alone', () => {
  const cfg = loadSystemsConfig(null);
  assert.deepEqual(cfg, { systems: [{ id: 'tfl', kind: 'tfl', name: 'Santander Cycles London', timezone: 'Europe/London', aliases: ['london', 'santander cycles', 'santander bikes', 'boris bikes', 'tfl'] }] });
  assert.deepEqual(toSystemInfo(cfg.systems[0]), { id: 'tfl', name: 'Santander Cycles London', timezone: 'Europe/London', aliases: ['london', 'santander cycles', 'santander bikes', 'boris bikes', 'tfl'] });
});

test('clear errors, naming the field', () => {
  assert.match(invalid({ systems: [{ ...divvy, timezone: 'Chicago' }] }), /systems\.0\.timezone: not an IANA time zone/);
  assert.match(invalid({ systems: [{ ...divvy, id: 'Divvy Chicago' }] }), /systems\.0\.id: lower-case letters/);
  assert.match(invalid({ systems: [{ ...divvy, kind: 'citybikes' }] }), /systems\.0\.kind: Invalid enum value/);
  assert.match(invalid({ systems: [{ ...divvy, url: undefined }] }), /a gbfs system needs "url"/);
  assert.match(invalid({ systems: [{ ...divvy, url: 'ftp://x.example/gbfs.json' }] }), /systems\.0\.url: must be an http\(s\) URL/);
  assert.match(invalid({ systems: [divvy, { ...divvy }] }), /systems\.1\.id: duplicate system id "divvy"/);
  assert.match(invalid({ systems: [{ ...divvy, bbox: [-87, 41, -88, 42] }] }), /bbox is \[minLon, minLat, maxLon, maxLat\]/);
  assert.match(invalid({ systems: [{ ...divvy, colour: 'blue' }] }), /Unrecognized key\(s\) in object: 'colour'/);
  assert.match(invalid({ systems: [] }), /list at least one system/);
  assert.match(invalid([divvy]), /\(top level\): Expected object/);
});

test('JSON and YAML files round-trip; bad files are CONFIG_INVALID with the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-systems-'));
  try {
    const cfg = parseSystemsConfig({ systems: [{ id: 'tfl', kind: 'tfl', name: 'Santander Cycles London', timezone: 'Europe/London' }, { ...divvy, language: 'en', bbox: [-87.9, 41.6, -87.5, 42.1] }] });
    for (const name of ['bikebot.config.json', 'bikebot.config.yaml']) {
      const p = join(dir, name);
      saveSystemsConfig(p, cfg);
      assert.deepEqual(loadSystemsConfig(p), cfg);
    }
    assert.match(readFileSync(join(dir, 'bikebot.config.yaml'), 'utf8'), /^systems:\n {2}- id: tfl/);

    const yaml = join(dir, 'hand.yml');
    writeFileSync(yaml, 'systems:\n  - id: bixi\n    kind: gbfs\n    url: https://example.org/bixi/\n    name: BIXI Montréal\n    timezone: America/Toronto\n');
    assert.equal(loadSystemsConfig(yaml).systems[0].name, 'BIXI Montréal');

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"systems": [');
    assert.throws(() => loadSystemsConfig(broken), (e) => isBikeBotError(e, 'CONFIG_INVALID') && /broken\.json is not valid JSON/.test((e as Error).message));
    assert.throws(() => loadSystemsConfig(join(dir, 'missing.json')), /does not exist/);
    assert.throws(() => saveSystemsConfig(join(dir, 'x.json'), { systems: [{ ...divvy, timezone: 'Nowhere/Land' }] } as never), /not an IANA time zone/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
