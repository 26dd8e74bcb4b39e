import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM } from '../../src/domain/geo.js';
import { GazetteerGeocoder } from '../../src/geocode/gazetteer-geocoder.js';
import { entry, GAZ } from './fixtures.js';

const g = new GazetteerGeocoder([...GAZ, entry('NW8', 'postcode_district', 51.53, -0.17)]);
const top = (q: string) => g.lookupSync(q)[0];

test('postcode districts are left to the postcode geocoder', () => {
  assert.equal(g.size, GAZ.length);
  assert.equal(g.lookupSync('nw8').length, 0);
});

test('exact names resolve confidently, case and punctuation aside', async () => {
  const p = (await g.lookup('BOND? no: the british museum'))[0];
  assert.equal(p.name, 'British Museum');
  for (const q of ['british museum', 'The British Museum', 'british  museum!']) {
    assert.equal(top(q).name, 'British Museum');
    assert.equal(top(q).confidence, 1);
  }
  assert.equal(top('british museum').kind, 'landmark');
  assert.equal(top('british museum').source, 'gazetteer');
});

test('"X station" / "X tube" prefers the station over a landmark of the same name', () => {
  assert.equal(top('barbican tube station').name, 'Barbican');
  assert.equal(top('barbican tube station').kind, 'station');
  assert.equal(top('borough tube').name, 'Borough');
  assert.equal(top('great portland st station').name, 'Great Portland Street');
  assert.equal(top('saint pauls underground').name, "St. Paul's");
});

test('namesakes close together are one place; namesakes far apart are never confident', () => {
  const bg = g.lookupSync('bethnal green');
  assert.ok(bg[0].confidence >= 0.9, `bethnal green confidence ${bg[0].confidence}`);
  assert.ok(distanceM(bg[0].lat, bg[0].lon, 51.5255, -0.0575) < 400);
  const green = g.lookupSync('the green');
  assert.equal(green[0].name, 'The Green');
  assert.ok(green[0].confidence < 0.6, `"the green" should not be confident: ${green[0].confidence}`);
  assert.ok(green.filter((p) => p.name === 'The Green').length >= 2, 'the namesakes are offered');
});

test('partial and extra words: "old vic theatre" is The Old Vic (a theatre), not the Young Vic', () => {
  const r = g.lookupSync('old vic theatre');
  assert.equal(r[0].name, 'The Old Vic');
  assert.ok(r[0].confidence >= 0.8);
  assert.ok(!r[1] || r[1].confidence < 0.5);
});

test('a word that names a missing place keeps a partial match from being confident', () => {
  const r = g.lookupSync('regents park mosque');
  assert.ok(r.length === 0 || r[0].confidence < 0.6, `regents park mosque -> ${r[0]?.name} ${r[0]?.confidence}`);
  assert.ok(top('regents park').confidence >= 0.9);
  // A street asked for is not a park that shares its first word.
  const st = g.lookupSync('regent st');
  assert.ok(st.length === 0 || st[0].confidence < 0.6);
});

test('a kind word implied by the kind, but not against another kind word in the name', () => {
  assert.equal(top('british museum').name, 'British Museum');
  assert.ok(!g.lookupSync('british museum').some((p) => p.name === 'British Library' && p.confidence > 0.6));
  assert.equal(top('globe theatre').name, 'Shakespeare\u2019s Globe Theatre');
});

test('typos, merged words, apostrophes and aliases', () => {
  assert.equal(top('natural histroy museum').name, 'Natural History Museum');
  assert.equal(top('natral history museum').name, 'Natural History Museum');
  assert.ok(top('natral history museum').confidence >= 0.6);
  assert.equal(top('bethnalgreen').name, 'Bethnal Green');
  assert.equal(top('dr johnsons house').name, 'Dr Johnson\u02bcs House');
  assert.equal(top("lincoln's inn fields").name, 'Lincoln\u2019s Inn Fields');
  assert.equal(top('fickets field').name, 'Lincoln\u2019s Inn Fields');
  assert.equal(top('totteridge and whetstone').name, 'Totteridge & Whetstone');
});

test('"London " prefix of rail names does not hide them; the plain name wins ties', () => {
  assert.equal(top('waterloo').name, 'Waterloo');
  assert.equal(top('waterloo east').name, 'London Waterloo East');
});

test('town centres are areas with an approximate centre', () => {
  const p = top('putney');
  assert.equal(p.kind, 'area');
  assert.equal(p.approximate, true);
});

test('nonsense gives nothing, not a guess', () => {
  assert.deepEqual(g.lookupSync('zzqx wibble'), []);
  assert.deepEqual(g.lookupSync(''), []);
  assert.deepEqual(g.lookupSync('station'), []);
  assert.deepEqual(g.lookupSync('🚲🚲'), []);
});

test('"X coach station" and "X bus station" are looked up as the station X: the gazetteer holds no coach or bus stations', async () => {
  const { parsePlaceQuery } = await import('../../src/geocode/query-hints.js');
  assert.deepEqual(parsePlaceQuery('victoria coach station'), { tokens: ['victoria'], wantsStation: true });
  assert.deepEqual(parsePlaceQuery('stratford bus station'), { tokens: ['stratford'], wantsStation: true });
  // Only before "station": "coach and horses" is a name.
  assert.deepEqual(parsePlaceQuery('coach and horses').wantsStation, false);
  assert.ok(parsePlaceQuery('coach and horses').tokens.includes('coach'));
});

test('a possessive after an s that lost its apostrophe ("st jamess park") finds the name kept without it; a real "ss" word is left alone', () => {
  const parks = new GazetteerGeocoder([entry("St. James's Park", 'tube', 51.4995, -0.1336), entry('Charing Cross', 'tube', 51.508, -0.1247), entry('Charing Road', 'landmark', 51.6, -0.2)]);
  const lost = parks.lookupSync('st jamess park')[0];
  assert.equal(lost?.name, "St. James's Park");
  assert.ok(lost.confidence >= 0.9, `confidence ${lost.confidence}`);
  assert.equal(parks.lookupSync("st james's park")[0]?.name, "St. James's Park");
  assert.equal(parks.lookupSync('charing cross')[0]?.name, 'Charing Cross');
});
