import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BikeBotError } from '../../src/domain/errors.js';
import type { Geocoder, Place } from '../../src/domain/place.js';
import type { Station } from '../../src/domain/station.js';
import { buildGeocoder } from '../../src/geocode/build-geocoder.js';
import { GeocoderChain } from '../../src/geocode/geocoder-chain.js';
import { fakeUpstream, json } from './fake-upstream.js';
import { station } from './fixtures.js';

/** A geocoder that answers from a table and counts its calls. */
function fake(name: string, table: Record<string, number>, fail = false): Geocoder & { calls: string[] } {
  const calls: string[] = [];
  return {
    name,
    calls,
    async lookup(q: string): Promise<Place[]> {
      calls.push(q);
      if (fail) throw new BikeBotError('GEOCODER_NETWORK', `${name} down`);
      const c = table[q];
      return c === undefined ? [] : [{ name: `${q}@${name}`, lat: 51.5, lon: -0.1, kind: 'landmark', source: name, confidence: c }];
    },
  };
}

test('all local geocoders are asked and the most confident wins; on a tie the earlier one', async () => {
  const a = fake('a', { x: 0.7, tie: 0.9 });
  const b = fake('b', { x: 0.95, tie: 0.9 });
  const live = fake('live', { x: 1 });
  const chain = new GeocoderChain({ local: [a, b], live: [live] });
  const r = await chain.lookup('x');
  assert.equal(r[0].source, 'b');
  assert.equal(r[1].source, 'a');
  assert.equal(live.calls.length, 0, 'a confident local answer means no live call');
  assert.equal((await chain.lookup('tie'))[0].source, 'a');
});

test('live geocoders are asked in order only until one is confident', async () => {
  const local = fake('local', { q: 0.4 });
  const l1 = fake('l1', { q: 0.5 });
  const l2 = fake('l2', { q: 0.8 });
  const l3 = fake('l3', { q: 0.9 });
  const chain = new GeocoderChain({ local: [local], live: [l1, l2, l3] });
  const r = await chain.lookup('q');
  assert.deepEqual(r.map((p) => p.source), ['l2', 'l1', 'local']);
  assert.equal(l3.calls.length, 0);
  assert.equal(chain.stats.liveCalls, 2);
});

test('a failing live geocoder is no answer: logged, skipped, and the result not cached', async () => {
  const errors: Array<[string, string]> = [];
  const down = fake('down', {}, true);
  const up = fake('up', { q: 0.9 });
  const chain = new GeocoderChain({ local: [], live: [down, up], onError: (e, g) => errors.push([g, (e as Error).message]) });
  const r = await chain.lookup('q');
  assert.equal(r[0].source, 'up');
  assert.deepEqual(errors, [['down', 'down down']]);
  await chain.lookup('q');
  assert.equal(down.calls.length, 2, 'not cached while a geocoder was failing');
  assert.equal(chain.stats.liveFailures, 2);
});

test('answers are cached per normalised query, nothing included, within a bounded LRU', async () => {
  const a = fake('a', { 'kings cross': 1 });
  const chain = new GeocoderChain({ local: [a], cacheSize: 2 });
  await chain.lookup('Kings Cross');
  await chain.lookup("  king's   cross ");
  assert.equal(a.calls.length, 1);
  await chain.lookup('nowhere');
  await chain.lookup('NOWHERE');
  assert.equal(a.calls.length, 2, '"nothing" is an answer too');
  await chain.lookup('third');
  await chain.lookup('kings cross');
  assert.equal(a.calls.length, 4, 'the oldest entry was evicted');
  // Callers may change what they get without changing the cache.
  const r = await chain.lookup('kings cross');
  r[0].lat = 0;
  assert.equal((await chain.lookup('kings cross'))[0].lat, 51.5);
});

test('empty, huge and odd input never throws', async () => {
  const chain = new GeocoderChain({ local: [fake('a', {})] });
  assert.deepEqual(await chain.lookup(''), []);
  assert.deepEqual(await chain.lookup('   '), []);
  assert.deepEqual(await chain.lookup('x'.repeat(10_000)), []);
  assert.deepEqual(await chain.lookup(undefined as unknown as string), []);
});

test('buildGeocoder: order coordinates → postcode → gazetteer → station areas → live, on real components', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-geo-'));
  const up = await fakeUpstream((req, res, url) => {
    if (url.pathname === '/postcodes/SE17PB') return json(res, 200, { status: 200, result: { postcode: 'SE1 7PB', latitude: 51.503343, longitude: -0.119562 } });
    return json(res, 404, { status: 404, error: 'Postcode not found' });
  });
  try {
    writeFileSync(join(dir, 'places.csv'), 'name,kind,lat,lon,postcode,postcode_count,aliases\nBritish Museum,museum,51.51897,-0.126486,WC1B 3DG,,\nSE1,postcode_district,51.4985,-0.096,,9000,\n');
    let stations: Station[] = [station('1', 'Malet Street, Bloomsbury', 51.5215, -0.1305), station('2', 'Bedford Way, Bloomsbury', 51.5237, -0.1291)];
    const errors: unknown[] = [];
    const g = buildGeocoder({
      gazetteerPaths: [dir],
      // The chain's order on these fixtures alone; the built-in gazetteer has its own tests.
      builtinGazetteer: false,
      stations: () => stations,
      live: ['postcodes'],
      urls: { tfl: up.base, postcodes: up.base, nominatim: up.base, photon: up.base },
      userAgent: 'BikeBot-test',
      onError: (e) => errors.push(e),
    });
    assert.equal((await g.lookup('51.52,-0.10'))[0].kind, 'coordinates');
    assert.equal((await g.lookup('the british museum'))[0].source, 'gazetteer');
    const area = (await g.lookup('bloomsbury'))[0];
    assert.equal(area.source, 'station-areas');
    // The local district guess is not confident, so postcodes.io is asked, and wins.
    const pc = await g.lookup('SE1 7PB');
    assert.equal(pc[0].source, 'postcodes-io');
    assert.equal(pc[1].source, 'postcode');
    assert.equal(up.requests.length, 1);
    await g.lookup('se17pb');
    assert.equal(up.requests.length, 1, 'cached');
    // A district is confident locally: no live call.
    await g.lookup('SE1');
    assert.equal(up.requests.length, 1);
    // New stations with a new area are picked up, even for a query cached before.
    assert.deepEqual(await g.lookup('sands end'), []);
    stations = [...stations, station('3', 'Imperial Road, Sands End', 51.472, -0.185)];
    assert.equal((await g.lookup('sands end'))[0]?.name, 'Sands End');
    assert.deepEqual(errors, []);
  } finally {
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('buildGeocoder: a live geocoder that is down costs an error callback, not an answer', async () => {
  const errors: unknown[] = [];
  const g = buildGeocoder({
    gazetteerPaths: [],
    builtinGazetteer: false,
    stations: () => [],
    live: ['nominatim'],
    urls: { tfl: 'http://127.0.0.1:9', postcodes: 'http://127.0.0.1:9', nominatim: 'http://127.0.0.1:9', photon: 'http://127.0.0.1:9' },
    userAgent: 'BikeBot-test',
    timeoutMs: 500,
    onError: (e) => errors.push(e),
  });
  assert.deepEqual(await g.lookup('tower bridge'), []);
  assert.equal(errors.length, 1);
  assert.equal((errors[0] as BikeBotError).code, 'GEOCODER_NETWORK');
});

test('property: any text through the real local chain gives places with sane fields, never a throw', async () => {
  const fc = await import('fast-check');
  const { GazetteerGeocoder } = await import('../../src/geocode/gazetteer-geocoder.js');
  const { PostcodeGeocoder } = await import('../../src/geocode/postcode.js');
  const { CoordinatesGeocoder } = await import('../../src/geocode/coordinates.js');
  const { StationAreaGeocoder } = await import('../../src/geocode/station-areas.js');
  const { GAZ } = await import('./fixtures.js');
  const chain = new GeocoderChain({
    local: [new CoordinatesGeocoder(), new PostcodeGeocoder(GAZ), new GazetteerGeocoder(GAZ), StationAreaGeocoder.fromStations([station('1', 'Malet Street, Bloomsbury', 51.52, -0.13)])],
  });
  const words = fc.constantFrom('the', 'green', 'st', 'museum', 'bloomsbury', 'SE1', '7PB', '51.5,', '-0.1', 'station', "king's", '&', '🚲', '<b>', "'; DROP TABLE", 'ʼ');
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }), fc.array(words, { maxLength: 8 }).map((w) => w.join(' '))), async (s) => {
      const r = await chain.lookup(s);
      for (const p of r) {
        assert.ok(Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180);
        assert.ok(p.confidence >= 0 && p.confidence <= 1);
        assert.equal(typeof p.name, 'string');
      }
    }),
    { numRuns: 300 },
  );
});
