import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoordinatesGeocoder, parseCoordinates } from '../../src/geocode/coordinates.js';

test('coordinates in the forms people paste', () => {
  assert.deepEqual(parseCoordinates('51.52,-0.10'), { lat: 51.52, lon: -0.1 });
  assert.deepEqual(parseCoordinates('51.52 -0.10'), { lat: 51.52, lon: -0.1 });
  assert.deepEqual(parseCoordinates('bikes near (51.5203, -0.0979) please'), { lat: 51.5203, lon: -0.0979 });
  assert.deepEqual(parseCoordinates('lat 51.52 lon -0.1'), { lat: 51.52, lon: -0.1 });
  assert.deepEqual(parseCoordinates('lat: 51.52, lng: -0.1'), { lat: 51.52, lon: -0.1 });
  assert.deepEqual(parseCoordinates('Latitude=41.88 Longitude=-87.63'), { lat: 41.88, lon: -87.63 });
  assert.deepEqual(parseCoordinates('51.52N 0.10W'), { lat: 51.52, lon: -0.1 });
  assert.deepEqual(parseCoordinates('45.50° N, 73.57° W'), { lat: 45.5, lon: -73.57 });
});

test('numbers that are not coordinates', () => {
  for (const s of ['2 3', 'waterloo station 3', '999', '95.12, 10.5', '51.52', '0.00, 0.00', 'SE1 7PB', 'v1.2.3 4.5.6', '12:30 14:45']) {
    assert.equal(parseCoordinates(s), null, s);
  }
});

test('the geocoder returns one sure place of kind coordinates', async () => {
  const g = new CoordinatesGeocoder();
  const [p] = await g.lookup('51.52,-0.10');
  assert.equal(p.kind, 'coordinates');
  assert.equal(p.confidence, 1);
  assert.equal(p.lat, 51.52);
  assert.deepEqual(await g.lookup('bloomsbury'), []);
});
