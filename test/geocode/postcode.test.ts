import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM } from '../../src/domain/geo.js';
import { parsePostcode, PostcodeGeocoder } from '../../src/geocode/postcode.js';
import { entry } from './fixtures.js';

test('parsePostcode accepts real shapes, with or without the space, in any case', () => {
  assert.deepEqual(parsePostcode('SE1 7PB'), { outward: 'SE1', inward: '7PB' });
  assert.deepEqual(parsePostcode('sw34sr'), { outward: 'SW3', inward: '4SR' });
  assert.deepEqual(parsePostcode('near ec1a 1bb please'), { outward: 'EC1A', inward: '1BB' });
  assert.deepEqual(parsePostcode('W1J0BD'), { outward: 'W1J', inward: '0BD' });
  assert.deepEqual(parsePostcode('nw8'), { outward: 'NW8' });
  assert.deepEqual(parsePostcode('the W1 area'), { outward: 'W1' });
  assert.deepEqual(parsePostcode('se16'), { outward: 'SE16' });
});

test('parsePostcode rejects what only looks like one', () => {
  for (const s of ['sup', '999', 'a1 road', 'hello', 'QA1 1AA', 'SE1 7PC', 'SE1 7IB', 'SW1A1AAA', 'V1 1AA', '1AB', 'bikes near me', '', 'E1 E2']) {
    assert.equal(parsePostcode(s), null, s);
  }
});

const g = new PostcodeGeocoder([
  entry('NW8', 'postcode_district', 51.531763, -0.174719, { postcodeCount: 1800 }),
  entry('SE1', 'postcode_district', 51.4985, -0.0960, { postcodeCount: 9000 }),
  entry('W1', 'postcode_district', 51.2, -0.5, { postcodeCount: 1 }),
  entry('W1B', 'postcode_district', 51.5140, -0.1410, { postcodeCount: 400 }),
  entry('W1D', 'postcode_district', 51.5135, -0.1320, { postcodeCount: 500 }),
  entry('W1J', 'postcode_district', 51.5080, -0.1449, { postcodeCount: 700 }),
  entry('W1A', 'postcode_district', 51.5200, -0.1400, { postcodeCount: 2733 }),
  entry('W1X', 'postcode_district', 50.0, 1.0, { postcodeCount: 2 }),
  entry('EC50', 'postcode_district', 51.52, -0.11, { postcodeCount: 3 }),
  // Unit postcodes carried by landmark rows give points for their units and sectors.
  entry("St Thomas'", 'hospital', 51.497959, -0.118891, { postcode: 'SE1 7EH' }),
  entry('Garden Museum', 'museum', 51.495048, -0.120206, { postcode: 'SE1 7LB' }),
]);

test('a district is its centroid, approximate and confident', () => {
  const [p] = g.lookupSync('nw8');
  assert.equal(p.name, 'NW8');
  assert.equal(p.kind, 'postcode_district');
  assert.equal(p.approximate, true);
  assert.ok(p.confidence >= 0.8);
  assert.equal(p.lat, 51.531763);
});

test('"W1" is the middle of its sub-districts, not the odd one-postcode W1 row nor the PO-box ones', () => {
  const [p] = g.lookupSync('W1');
  assert.ok(distanceM(p.lat, p.lon, 51.5135, -0.1410) < 300, `${p.lat},${p.lon}`);
});

test('a tiny district (PO boxes) resolves with low confidence', () => {
  const [p] = g.lookupSync('EC50');
  assert.ok(p.confidence <= 0.5);
});

test('a full postcode: exact unit when known; else its sector; else its district — less sure each time', () => {
  const [unit] = g.lookupSync('se1 7eh');
  assert.equal(unit.name, 'SE1 7EH');
  assert.equal(unit.lat, 51.497959);
  assert.ok(unit.confidence >= 0.9 && !unit.approximate);
  const [sector] = g.lookupSync('SE1 7PB');
  assert.equal(sector.approximate, true);
  assert.ok(sector.confidence < 0.6, 'a sector guess is below the bar, so a live lookup is tried');
  assert.ok(distanceM(sector.lat, sector.lon, 51.4965, -0.1195) < 100);
  const [district] = g.lookupSync('SE1 2AA');
  assert.equal(district.lat, 51.4985);
  assert.ok(district.confidence < sector.confidence);
  assert.deepEqual(g.lookupSync('ZE1 0AA'), [], 'unknown district: nothing');
});

test('far from where the person is, a district is doubted', () => {
  const [p] = g.lookupSync('nw8', { near: { lat: 41.88, lon: -87.63 } });
  assert.ok(p.confidence < 0.6);
});
