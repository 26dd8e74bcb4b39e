import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpret } from '../../src/domain/understand/interpret.js';
import { understand } from '../../src/domain/understand/understand.js';
import type { Geocoder } from '../../src/domain/place.js';
import { fixtureIndex, TinyGeocoder } from './fixtures.js';

const index = fixtureIndex();
const places = () =>
  new TinyGeocoder([
    { name: 'Harbour', lat: 51.5045, lon: -0.1125, kind: 'station', confidence: 0.95 },
    { name: 'Fitzrovia', lat: 51.5195, lon: -0.137, kind: 'area', confidence: 0.9, approximate: true },
    { name: 'City Museum Annexe', lat: 51.53, lon: -0.12, kind: 'landmark', confidence: 0.9 },
    { name: 'Green Lawn', lat: 51.507, lon: -0.143, kind: 'station', confidence: 0.95 },
  ]);

async function run(text: string, geocoder: Geocoder = places()) {
  return interpret(understand(text), { index, geocoder });
}

test('a named docking station is a station, without asking the geocoders', async () => {
  const g = places();
  const it = await run('bikes at quill street', g);
  assert.equal(it.kind, 'station');
  assert.equal(it.kind === 'station' && it.station.id, 'F_1');
  assert.deepEqual(g.asked, [], 'no geocoder call for a clear name');
});

test('"X station" means the transit station unless a dock is literally named so', async () => {
  const tube = await run('harbour tube bikes');
  assert.equal(tube.kind, 'place');
  assert.equal(tube.kind === 'place' && tube.place.name, 'Harbour');
  const literal = await run('green lawn station is it full');
  assert.equal(literal.kind, 'station');
  assert.equal(literal.kind === 'station' && literal.station.id, 'F_16');
});

test('numbered siblings named in full become a choice', async () => {
  const it = await run('harbour station any space');
  assert.equal(it.kind, 'choose');
  assert.deepEqual(it.kind === 'choose' && it.candidates.map((s) => s.id).sort(), ['F_3', 'F_4']);
});

test('an area becomes a place to search around', async () => {
  const it = await run('fitzrovia docks');
  assert.equal(it.kind, 'place');
  assert.equal(it.kind === 'place' && it.place.kind, 'area');
});

test('a gazetteer name that explains more of the message wins over a partial dock name', async () => {
  const it = await run('city museum annexe bikes');
  assert.equal(it.kind, 'place');
});

test('nothing known: not found, never an invented station', async () => {
  const it = await run('any bikes at camden passage');
  assert.equal(it.kind, 'not_found');
});

test('coordinates need no lookup, and a failing geocoder does not break names', async () => {
  const c = await run('bikes near 51.52,-0.10');
  assert.equal(c.kind, 'place');
  assert.deepEqual(c.kind === 'place' && [c.place.lat, c.place.lon], [51.52, -0.1]);
  const broken: Geocoder = { name: 'down', lookup: async () => Promise.reject(new Error('boom')) };
  const it = await run('harbour tube bikes', broken);
  assert.notEqual(it.kind, 'place');
  const named = await run('quill street', broken);
  assert.equal(named.kind, 'station');
});
