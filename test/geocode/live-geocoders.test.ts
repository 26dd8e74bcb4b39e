import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBikeBotError } from '../../src/domain/errors.js';
import { NominatimGeocoder } from '../../src/geocode/nominatim.js';
import { PhotonGeocoder } from '../../src/geocode/photon.js';
import { PostcodesIoGeocoder } from '../../src/geocode/postcodes-io.js';
import { TflStopPointGeocoder } from '../../src/geocode/tfl-stoppoint.js';
import { closedPortBase, fakeUpstream, json } from './fake-upstream.js';

const UA = 'BikeBot-test/1.0 (+https://example.org/bikebot)';

// Shapes as the real APIs answer (trimmed to the fields that matter plus some that do not).
const TFL_WATERLOO = {
  $type: 'Tfl.Api.Presentation.Entities.SearchResponse, Tfl.Api.Presentation.Entities',
  query: 'waterloo',
  total: 2,
  matches: [
    { $type: 'Tfl.Api.Presentation.Entities.MatchedStop, Tfl.Api.Presentation.Entities', icsId: '1000254', topMostParentId: 'HUBWAT', modes: ['tube', 'national-rail'], zone: '1', id: 'HUBWAT', name: 'Waterloo Underground Station', lat: 51.503299, lon: -0.11478 },
    { $type: 'Tfl.Api.Presentation.Entities.MatchedStop, Tfl.Api.Presentation.Entities', icsId: '1000255', modes: ['national-rail'], zone: '1', id: '910GWLOE', name: 'London Waterloo East Rail Station', lat: 51.504076, lon: -0.108898 },
  ],
};
const PC_OK = { status: 200, result: { postcode: 'SE1 7PB', quality: 1, eastings: 530666, northings: 179870, country: 'England', longitude: -0.119562, latitude: 51.503343, admin_district: 'Lambeth' } };
const NOMINATIM = [
  { place_id: 1, licence: 'Data © OpenStreetMap contributors, ODbL 1.0.', osm_type: 'way', osm_id: 2, lat: '51.5130862', lon: '-0.0834215', category: 'amenity', type: 'marketplace', place_rank: 30, importance: 0.45, addresstype: 'amenity', name: 'Leadenhall Market', display_name: 'Leadenhall Market, Gracechurch Street, City of London, EC3V 1LR, United Kingdom', boundingbox: ['51.51', '51.52', '-0.09', '-0.08'] },
  { place_id: 3, lat: 'not-a-number', lon: '-0.1', name: 'Broken', display_name: 'Broken' },
];
const PHOTON = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [-0.1136, 51.5136] }, properties: { osm_type: 'W', osm_id: 4, osm_key: 'amenity', osm_value: 'courthouse', name: 'Royal Courts of Justice', city: 'London', country: 'United Kingdom' } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [-0.1, 51.5] }, properties: { osm_key: 'place', osm_value: 'suburb', name: 'Somewhere Else' } },
  ],
};

test('TfL StopPoint: query without station words, TfL suffixes dropped, best name first', async () => {
  const up = await fakeUpstream((req, res, url) => (url.pathname.startsWith('/StopPoint/Search/') ? json(res, 200, TFL_WATERLOO) : json(res, 404, {})));
  try {
    const g = new TflStopPointGeocoder({ baseUrl: up.base + '/', userAgent: UA });
    const r = await g.lookup('waterloo tube station');
    assert.equal(up.requests.length, 1);
    const u = new URL(up.requests[0].url, up.base);
    assert.equal(decodeURIComponent(u.pathname), '/StopPoint/Search/waterloo');
    assert.equal(u.searchParams.get('modes'), 'tube,overground,dlr,elizabeth-line,national-rail');
    assert.equal(up.requests[0].headers['user-agent'], UA);
    assert.equal(r[0].name, 'Waterloo');
    assert.equal(r[0].kind, 'station');
    assert.equal(r[0].source, 'tfl-stoppoint');
    assert.ok(r[0].confidence >= 0.9);
    assert.ok(r[1].confidence < r[0].confidence);
    // Cached: no second request for the same (normalised) query.
    await g.lookup('Waterloo  tube station');
    assert.equal(up.requests.length, 1);
    assert.equal(g.stats.cacheHits, 1);
  } finally {
    await up.close();
  }
});

test('postcodes.io: unit and outward code; 404 is "no such postcode" and is cached; non-postcodes never asked', async () => {
  const up = await fakeUpstream((req, res, url) => {
    if (url.pathname === '/postcodes/SE17PB') return json(res, 200, PC_OK);
    if (url.pathname === '/outcodes/NW8') return json(res, 200, { status: 200, result: { outcode: 'NW8', longitude: -0.1747, latitude: 51.5318 } });
    if (url.pathname === '/postcodes/SE17ZZ') return json(res, 200, { status: 200, result: { postcode: 'SE1 7ZZ', longitude: null, latitude: null } });
    return json(res, 404, { status: 404, error: 'Postcode not found' });
  });
  try {
    const g = new PostcodesIoGeocoder({ baseUrl: up.base, userAgent: UA });
    const [p] = await g.lookup('se1 7pb');
    assert.deepEqual([p.name, p.lat, p.lon, p.kind], ['SE1 7PB', 51.503343, -0.119562, 'postcode']);
    const [d] = await g.lookup('NW8');
    assert.equal(d.kind, 'postcode_district');
    assert.equal(d.approximate, true);
    assert.deepEqual(await g.lookup('SW1A 9ZZ'), []);
    assert.deepEqual(await g.lookup('SW1A 9ZZ'), []);
    assert.deepEqual(await g.lookup('SE1 7ZZ'), [], 'a postcode without coordinates is no place');
    const before = up.requests.length;
    assert.deepEqual(await g.lookup('british museum'), []);
    assert.equal(up.requests.length, before, 'not a postcode: not asked');
    assert.equal(up.requests.filter((r) => r.url === '/postcodes/SW1A9ZZ').length, 1);
  } finally {
    await up.close();
  }
});

test('Nominatim: jsonv2 with viewbox and bounded, string coordinates parsed, junk rows skipped, 1 request/s', async () => {
  const up = await fakeUpstream((req, res) => json(res, 200, NOMINATIM));
  try {
    const g = new NominatimGeocoder({ baseUrl: up.base, userAgent: UA, viewbox: () => [-0.3, 51.4, 0.1, 51.6] });
    const r = await g.lookup('leadenhall market');
    const u = new URL(up.requests[0].url, up.base);
    assert.equal(u.pathname, '/search');
    assert.equal(u.searchParams.get('q'), 'leadenhall market');
    assert.equal(u.searchParams.get('format'), 'jsonv2');
    assert.equal(u.searchParams.get('limit'), '5');
    assert.equal(u.searchParams.get('viewbox'), '-0.3,51.4,0.1,51.6');
    assert.equal(u.searchParams.get('bounded'), '1');
    assert.equal(up.requests[0].headers['user-agent'], UA);
    assert.equal(r.length, 1);
    assert.equal(r[0].name, 'Leadenhall Market');
    assert.equal(r[0].lat, 51.5130862);
    assert.ok(r[0].confidence >= 0.8);
    // A different query within the same second is refused locally, and upstream never sees it.
    await assert.rejects(g.lookup('tower bridge'), (e) => isBikeBotError(e, 'OVERLOADED') && (e.retryAfterS ?? 0) >= 1);
    assert.equal(up.requests.length, 1);
    assert.equal(g.stats.rateLimited, 1);
    // The cached one is still served.
    assert.equal((await g.lookup('leadenhall market'))[0].name, 'Leadenhall Market');
  } finally {
    await up.close();
  }
});

test('Photon: GeoJSON [lon, lat], biased to near, kinds from OSM keys', async () => {
  const up = await fakeUpstream((req, res) => json(res, 200, PHOTON));
  try {
    const g = new PhotonGeocoder({ baseUrl: up.base, userAgent: UA, center: () => ({ lat: 51.5, lon: -0.12 }) });
    const r = await g.lookup('royal courts of justice', { near: { lat: 51.51, lon: -0.11 } });
    const u = new URL(up.requests[0].url, up.base);
    assert.equal(u.pathname, '/api');
    assert.equal(u.searchParams.get('lat'), '51.51000');
    assert.equal(u.searchParams.get('lon'), '-0.11000');
    assert.equal(r[0].name, 'Royal Courts of Justice');
    assert.deepEqual([r[0].lat, r[0].lon], [51.5136, -0.1136]);
    assert.ok(r[0].confidence > r[1].confidence);
    assert.equal(r[1].kind, 'area');
  } finally {
    await up.close();
  }
});

test('failures: 500 and 429 are GEOCODER_HTTP, garbage and wrong shapes are GEOCODER_HTTP, silence is GEOCODER_NETWORK', async () => {
  const up = await fakeUpstream((req, res, url) => {
    const q = url.searchParams.get('q') ?? '';
    if (q === 'boom') return json(res, 500, 'Internal error');
    if (q === 'busy') {
      res.writeHead(429, { 'retry-after': '30' });
      return res.end();
    }
    if (q === 'garbage') return json(res, 200, '<html>not json');
    if (q === 'shape') return json(res, 200, { error: 'Unable to geocode' });
    if (q === 'slow') return void setTimeout(() => json(res, 200, []), 1500).unref();
    return json(res, 200, []);
  });
  const refused = await closedPortBase();
  try {
    const opts = { baseUrl: up.base, userAgent: UA, timeoutMs: 200, ratePerSec: 100, burst: 100 };
    const g = new NominatimGeocoder(opts);
    await assert.rejects(g.lookup('boom'), (e) => isBikeBotError(e, 'GEOCODER_HTTP') && e.status === 500);
    await assert.rejects(g.lookup('busy'), (e) => isBikeBotError(e, 'GEOCODER_HTTP') && e.status === 429 && e.retryAfterS === 30);
    await assert.rejects(g.lookup('garbage'), (e) => isBikeBotError(e, 'GEOCODER_HTTP'));
    await assert.rejects(g.lookup('shape'), (e) => isBikeBotError(e, 'GEOCODER_HTTP'));
    const t0 = Date.now();
    await assert.rejects(g.lookup('slow'), (e) => isBikeBotError(e, 'GEOCODER_NETWORK') && /timed out/.test(e.message));
    assert.ok(Date.now() - t0 < 1200, 'the timeout cut the wait short');
    assert.equal(g.stats.failures, 5);
    // Failures are not cached: asking again asks upstream again.
    const n = up.requests.length;
    await assert.rejects(g.lookup('boom'));
    assert.equal(up.requests.length, n + 1);
    const dead = new PhotonGeocoder({ ...opts, baseUrl: refused });
    await assert.rejects(dead.lookup('anything'), (e) => isBikeBotError(e, 'GEOCODER_NETWORK'));
    const tfl = new TflStopPointGeocoder({ ...opts, baseUrl: up.base });
    await assert.rejects(tfl.lookup('shape'), (e) => isBikeBotError(e, 'GEOCODER_HTTP'));
    const pc = new PostcodesIoGeocoder({ ...opts, baseUrl: refused });
    await assert.rejects(pc.lookup('SE1 7PB'), (e) => isBikeBotError(e, 'GEOCODER_NETWORK'));
  } finally {
    await up.close();
  }
});

test('concurrent asks for one query make one upstream request', async () => {
  const up = await fakeUpstream((req, res) => setTimeout(() => json(res, 200, TFL_WATERLOO), 50));
  try {
    const g = new TflStopPointGeocoder({ baseUrl: up.base, userAgent: UA });
    const all = await Promise.all(Array.from({ length: 20 }, () => g.lookup('waterloo')));
    assert.equal(up.requests.length, 1);
    assert.ok(all.every((r) => r[0].name === 'Waterloo'));
  } finally {
    await up.close();
  }
});
