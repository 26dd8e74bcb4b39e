import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBikeBotError } from '../../src/domain/errors.js';
import { canServe } from '../../src/domain/station.js';
import { localizedText, parseDiscovery, parseEnvelope, parseVehicleTypes, toBool, toIso } from '../../src/feeds/gbfs-parse.js';
import { buildStations } from '../../src/feeds/gbfs-stations.js';
import { T0, tinyDocs } from './fixtures.js';

const env = (name: string, doc: unknown) => parseEnvelope(name, JSON.stringify(doc));

test('booleans: true/false and 1/0 only; anything else is not guessed', () => {
  assert.equal(toBool(true), true);
  assert.equal(toBool(1), true);
  assert.equal(toBool(false), false);
  assert.equal(toBool(0), false);
  for (const v of ['true', 'yes', 2, null, undefined, '1']) assert.equal(toBool(v), undefined, String(v));
});

test('timestamps: POSIX seconds (2.x) and RFC 3339 (3.0)', () => {
  assert.equal(toIso(1659040812), '2022-07-28T20:40:12.000Z');
  assert.equal(toIso('2019-07-04T13:33:03.969Z'), '2019-07-04T13:33:03.969Z');
  assert.equal(toIso('2019-07-04T15:33:03+02:00'), '2019-07-04T13:33:03.000Z');
  assert.equal(toIso('yesterday'), null);
  assert.equal(toIso(-5), null);
});

test('localized strings: preferred language, then en, then the first', () => {
  const name = [{ text: 'Gare', language: 'fr' }, { text: 'Station', language: 'en' }, { text: 'Bahnhof', language: 'de' }];
  assert.equal(localizedText(name, 'de'), 'Bahnhof');
  assert.equal(localizedText(name, 'it'), 'Station');
  assert.equal(localizedText([{ text: 'Estació', language: 'ca' }], 'en'), 'Estació');
  assert.equal(localizedText('plain', 'fr'), 'plain');
  assert.equal(localizedText(42, 'en'), null);
});

test('discovery: 2.x picks the configured language, then en; 3.0 has one list', () => {
  const docs = tinyDocs();
  const d2 = parseDiscovery(env('gbfs', docs.gbfs), 'fr');
  assert.equal(d2.language, 'fr');
  assert.match(d2.feeds.get('station_status') ?? '', /\/fr\//);
  assert.equal(parseDiscovery(env('gbfs', docs.gbfs), 'es').language, 'en');
  assert.deepEqual(d2.languages.sort(), ['en', 'fr']);
  const d3 = parseDiscovery(env('gbfs', { last_updated: '2024-01-01T00:00:00Z', ttl: 0, version: '3.0', data: { feeds: [{ name: 'station_status', url: 'https://x.invalid/s' }] } }), 'en');
  assert.equal(d3.language, null);
  assert.equal(d3.feeds.get('station_status'), 'https://x.invalid/s');
});

test('unusable documents are FEED_PARSE errors with a clear message', () => {
  for (const [body, re] of [
    ['<html>oops</html>', /not JSON/],
    ['{"last_updated": 1}', /no "data" object/],
    ['[]', /no "data" object/],
  ] as const) {
    assert.throws(() => parseEnvelope('station_status', body), (e: unknown) => isBikeBotError(e, 'FEED_PARSE') && re.test((e as Error).message));
  }
  assert.throws(() => parseDiscovery(env('gbfs', { data: { en: { nofeeds: [] } } }), null), /no feed list/);
  assert.throws(() => buildStations({ systemId: 'x', language: null, information: env('i', { data: { stations: {} } }), status: env('s', { data: { stations: [] } }), vehicleTypes: null }), /not a list/);
});

test('stations: counts, e-bikes from vehicle types, not renting, skipped and tidy names', () => {
  const docs = tinyDocs();
  const types = parseVehicleTypes(env('vehicle_types', docs.vehicle_types));
  const r = buildStations({ systemId: 'tiny', language: 'en', information: env('i', docs.station_information), status: env('s', docs.station_status), vehicleTypes: types });
  const byId = new Map(r.stations.map((s) => [s.id, s]));
  assert.deepEqual([...byId.keys()].sort(), ['tiny:a', 'tiny:b', 'tiny:c']);
  assert.deepEqual(r.skipped, [{ stationId: 'd', reason: 'unreadable is_installed/is_renting/is_returning (["yes",true,true])' }]);

  const a = byId.get('tiny:a')!;
  assert.equal(a.name, 'Place du Marché, Nord');
  assert.equal(a.systemId, 'tiny');
  assert.equal(a.terminalName, 'A1');
  // The scooter is not a bike: 2 pedal + 3 assist, of which 3 electric.
  assert.deepEqual([a.bikes, a.ebikes, a.standardBikes, a.emptyDocks, a.docks, a.brokenDocks], [5, 3, 2, 3, 10, 1]);
  assert.equal(a.asOf, new Date((T0 - 30) * 1000).toISOString());
  assert.ok(canServe(a, 'ebikes'));

  const b = byId.get('tiny:b')!;
  assert.equal(b.renting, false);
  assert.equal(b.bikes, 4, 'counts are kept as reported');
  assert.equal(canServe(b, 'bikes'), false, 'a station not renting is never offered for hire');
  assert.equal(canServe(b, 'docks'), true);
  // No disabled counts: broken = capacity − bikes − docks = 12 − 4 − 8.
  assert.equal(b.brokenDocks, 0);
  assert.equal(b.ebikes, null, 'no vehicle_types_available and no num_ebikes_available: unknown, not 0');

  const c = byId.get('tiny:c')!;
  assert.equal(c.returning, false);
  assert.equal(c.docks, null);
  assert.equal(c.brokenDocks, null, 'capacity unknown → broken docks unknown');
  assert.equal(canServe(c, 'docks'), false);
});

test('without vehicle_types, Divvy-style num_ebikes_available is the fallback; unknown type ids fall back too', () => {
  const info = env('i', { data: { stations: [{ station_id: '1', name: 'X', lat: 41.9, lon: -87.6, capacity: 10 }] } });
  const status = env('s', { data: { stations: [{ station_id: '1', num_bikes_available: 4, num_ebikes_available: 1, num_docks_available: 6, is_installed: 1, is_renting: 1, is_returning: 1, last_reported: T0, vehicle_types_available: [{ vehicle_type_id: 'zz', count: 4 }] }] } });
  const plain = buildStations({ systemId: 's', language: null, information: info, status, vehicleTypes: null }).stations[0];
  assert.deepEqual([plain.bikes, plain.ebikes, plain.standardBikes], [4, 1, 3]);
  const types = new Map([['pedal', { id: 'pedal', formFactor: 'bicycle', propulsion: 'human' }]]);
  const unknown = buildStations({ systemId: 's', language: null, information: info, status, vehicleTypes: types }).stations[0];
  assert.deepEqual([unknown.bikes, unknown.ebikes], [4, 1]);
});

test('3.0 shapes: localized names, RFC 3339 last_reported, num_vehicles_available; stations without status are kept but never offered', () => {
  const info = env('i', {
    last_updated: '2024-05-01T10:00:00Z', ttl: 60, version: '3.0',
    data: { stations: [
      { station_id: 'p1', name: [{ text: 'Bastille', language: 'fr' }, { text: 'Bastille (en)', language: 'en' }], lat: 48.853, lon: 2.369, capacity: 20 },
      { station_id: 'p2', name: [{ text: 'Nation', language: 'fr' }], lat: 48.848, lon: 2.396 },
    ] },
  });
  const status = env('s', {
    last_updated: '2024-05-01T10:00:00Z', ttl: 60, version: '3.0',
    data: { stations: [{ station_id: 'p1', num_vehicles_available: 7, num_docks_available: 13, is_installed: true, is_renting: true, is_returning: true, last_reported: '2024-05-01T09:59:30+00:00', vehicle_types_available: [{ vehicle_type_id: 'e', count: 7 }] }] },
  });
  const types = new Map([['e', { id: 'e', formFactor: 'bicycle', propulsion: 'electric_assist' }]]);
  const r = buildStations({ systemId: 'paris', language: 'fr', information: info, status, vehicleTypes: types });
  assert.equal(r.withoutStatus, 1);
  const [p1, p2] = r.stations;
  assert.equal(p1.name, 'Bastille');
  assert.deepEqual([p1.bikes, p1.ebikes, p1.emptyDocks, p1.asOf], [7, 7, 13, '2024-05-01T09:59:30.000Z']);
  assert.equal(p2.name, 'Nation');
  assert.deepEqual([p2.bikes, p2.emptyDocks, p2.renting, p2.returning, p2.asOf], [null, null, false, false, null]);
  assert.equal(canServe(p2, 'bikes') || canServe(p2, 'docks'), false);
});
