import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../src/util/csv.js';
import { loadGazetteer, parseGazetteer } from '../../src/geocode/gazetteer.js';
import { isBikeBotError } from '../../src/domain/errors.js';

test('parseCsv: quotes, doubled quotes, commas and newlines inside quotes, CRLF, BOM, no final newline', () => {
  const text = '\ufeffname,kind\r\n"Park Road (Baker Street), The Regent\'s Park",x\r\n"say ""hi""",y\n"two\nlines",z\nlast,row';
  assert.deepEqual(parseCsv(text), [
    ['name', 'kind'],
    ["Park Road (Baker Street), The Regent's Park", 'x'],
    ['say "hi"', 'y'],
    ['two\nlines', 'z'],
    ['last', 'row'],
  ]);
});

test('parseCsv: empty fields and blank lines', () => {
  assert.deepEqual(parseCsv('a,,c\n\n,,\n'), [['a', '', 'c'], ['', '', '']]);
  assert.deepEqual(parseCsv(''), []);
});

test('parseGazetteer: kinds split, aliases split on ";", extra columns kept where known, bad rows skipped', () => {
  const csv = [
    'name,kind,lat,lon,postcode,postcode_count,in_greater_london,aliases',
    '"Lincoln\'s Inn Fields",park,51.5159,-0.1175,,,true,"Fickets Field; Lincoln Fields"',
    'Bethnal Green,overground;national-rail,51.523917,-0.059568,,,true,',
    'St Thomas\',hospital,51.497959,-0.118891,se1 7eh,,true,',
    'NW8,postcode_district,51.531763,-0.174719,,4321,true,',
    'No coords,park,,,,,true,',
    'Null island,park,0,0,,,true,',
    'Bad lat,park,95,0.1,,,true,',
    ',park,51.5,-0.1,,,true,',
  ].join('\n');
  const e = parseGazetteer(csv, 'x.csv');
  assert.equal(e.length, 4);
  assert.deepEqual(e[0].aliases, ['Fickets Field', 'Lincoln Fields']);
  assert.equal(e[0].inGreaterLondon, true);
  assert.deepEqual(e[1].kinds, ['overground', 'national-rail']);
  assert.equal(e[1].kind, 'overground;national-rail');
  assert.equal(e[2].postcode, 'SE1 7EH');
  assert.equal(e[3].postcodeCount, 4321);
  assert.equal(e[3].file, 'x.csv');
});

test('parseGazetteer: a header without name,kind,lat,lon is a config error', () => {
  assert.throws(() => parseGazetteer('title,lat,lon\nx,1,2\n'), (e) => isBikeBotError(e, 'CONFIG_INVALID'));
});

test('loadGazetteer: a folder loads every *.csv in it (not other files), plus single files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-gaz-'));
  try {
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'a.csv'), 'name,kind,lat,lon\nA,park,51.5,-0.1\n');
    writeFileSync(join(dir, 'b.CSV'), 'name,kind,lat,lon,aliases\nB,museum,51.6,-0.2,Bee\n');
    writeFileSync(join(dir, 'notes.txt'), 'name,kind,lat,lon\nX,park,51.5,-0.1\n');
    writeFileSync(join(dir, 'more', 'c.csv'), 'name,kind,lat,lon\nC,park,51.4,-0.3\n');
    const all = loadGazetteer([dir, join(dir, 'more', 'c.csv')]);
    assert.deepEqual(all.map((e) => e.name), ['A', 'B', 'C']);
    assert.deepEqual(all[1].aliases, ['Bee']);
    assert.throws(() => loadGazetteer([join(dir, 'missing.csv')]), (e) => isBikeBotError(e, 'CONFIG_INVALID'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
