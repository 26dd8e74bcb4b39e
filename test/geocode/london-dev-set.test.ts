import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distanceM } from '../../src/domain/geo.js';
import type { Station } from '../../src/domain/station.js';
import { buildGeocoder } from '../../src/geocode/build-geocoder.js';
import { parseCsv } from '../../src/util/csv.js';
import { DEV_SET, SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { station } from './fixtures.js';
import { placePhrase } from './place-phrase.js';

const skip = skipWithoutShared('data/london', 'data/tfl/stations.csv', 'eval/dev.jsonl');

function tflStations(): Station[] {
  const rows = parseCsv(readFileSync(join(SHARED_DATA, 'tfl', 'stations.csv'), 'utf8'));
  const h = rows[0];
  const [iId, iName, iLat, iLon] = ['place_id', 'common_name', 'lat', 'lon'].map((c) => h.indexOf(c));
  return rows.slice(1).map((r) => station(r[iId], r[iName].replace(/\s+,/g, ',').replace(/\s+/g, ' ').trim(), Number(r[iLat]), Number(r[iLon])));
}

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

interface PlaceCase {
  id: string;
  utterance: string;
  noise: string;
  expect: { place: { lat: number; lon: number }; name?: string };
}

test('London data: the dev set place cases resolve near the true place, and nothing wrong is confident', { skip }, async () => {
  const stations = tflStations();
  const t0 = performance.now();
  const g = buildGeocoder({ gazetteerPaths: [join(SHARED_DATA, 'london')], stations: () => stations, live: [], urls: { tfl: '', postcodes: '', nominatim: '', photon: '' }, userAgent: 'BikeBot-test' });
  await g.lookup('warm up');
  const buildMs = performance.now() - t0;
  const cases = readFileSync(DEV_SET, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as PlaceCase & { kind: string })
    .filter((c) => c.kind === 'place');
  assert.ok(cases.length > 0);
  let within250 = 0;
  let within500 = 0;
  let confidentWrong = 0;
  const byNoise = new Map<string, { n: number; ok: number }>();
  for (const c of cases) {
    const phrase = placePhrase(c.utterance);
    const [p] = await g.lookup(phrase);
    const d = p ? distanceM(p.lat, p.lon, c.expect.place.lat, c.expect.place.lon) : Infinity;
    if (d <= 250) within250++;
    if (d <= 500) within500++;
    if (p && p.confidence >= 0.6 && d > 500) confidentWrong++;
    const b = byNoise.get(c.noise) ?? { n: 0, ok: 0 };
    b.n++;
    if (d <= 500) b.ok++;
    byNoise.set(c.noise, b);
    if (d > 500) console.log(`  miss ${c.id} ${JSON.stringify(phrase)} -> ${p ? `${p.name} (${p.source}, confidence ${p.confidence}, ${Math.round(d)} m off)` : 'nothing'}`);
  }
  console.log(`gazetteer + station areas built in ${buildMs.toFixed(0)} ms`);
  console.log(`place cases: ${cases.length}; within 250 m: ${within250}; within 500 m: ${within500}; confident but > 500 m off: ${confidentWrong}`);
  console.log(`by noise (within 500 m): ${[...byNoise].map(([k, v]) => `${k} ${v.ok}/${v.n}`).join(', ')}`);
  assert.ok(within250 >= Math.floor(cases.length * 0.65), `within 250 m: ${within250}/${cases.length}`);
  assert.ok(within500 >= Math.floor(cases.length * 0.75), `within 500 m: ${within500}/${cases.length}`);
  assert.ok(confidentWrong <= 1, `confident but wrong: ${confidentWrong}`);
});

test('London data: general behaviour beyond the dev set', { skip }, async () => {
  const stations = tflStations();
  const g = buildGeocoder({ gazetteerPaths: [join(SHARED_DATA, 'london')], stations: () => stations, live: [], urls: { tfl: '', postcodes: '', nominatim: '', photon: '' }, userAgent: 'BikeBot-test' });
  const top = async (q: string) => (await g.lookup(q))[0];
  const green = await top('the green');
  assert.ok(!green || green.confidence < 0.6, 'eight parks called The Green: not confident');
  const bg = await top('bethnal green station');
  assert.ok(bg.confidence >= 0.9 && distanceM(bg.lat, bg.lon, 51.5255, -0.0575) < 400);
  assert.deepEqual(await g.lookup('sup'), []);
  assert.deepEqual(await g.lookup('999'), []);
  const w1 = await top('W1');
  assert.equal(w1.kind, 'postcode_district');
  assert.ok(distanceM(w1.lat, w1.lon, 51.514, -0.143) < 600, `W1 at ${w1.lat},${w1.lon}`);
  const kx = await top('kings cross');
  assert.ok(distanceM(kx.lat, kx.lon, 51.5308, -0.1238) < 300 && kx.confidence >= 0.6);
  const nhm = await top('natural histroy museum');
  assert.ok(distanceM(nhm.lat, nhm.lon, 51.4967, -0.1764) < 200);
  const tate = await top('tate modern');
  assert.ok(distanceM(tate.lat, tate.lon, 51.5076, -0.0994) < 300);
  const sq = await top('leicester sqaure');
  assert.equal(sq.name, 'Leicester Square');

  // Lookup time over every gazetteer name with a typo (uncached: each phrase differs).
  const names = stations.map((s) => s.name.split(',')[0]);
  const times: number[] = [];
  for (const [i, n] of names.entries()) {
    const q = i % 2 ? n.toLowerCase() : n.slice(0, 2) + n.slice(3);
    const t = performance.now();
    await g.lookup(`${q} ${i}x`);
    times.push(performance.now() - t);
  }
  console.log(`uncached lookups: n=${times.length} p50 ${percentile(times, 0.5).toFixed(3)} ms, p99 ${percentile(times, 0.99).toFixed(3)} ms`);
});
