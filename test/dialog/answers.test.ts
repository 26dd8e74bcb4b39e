import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, indexOf, londonStations, NOW, OBSERVED, station } from './fixtures.js';
import { INTENTS } from '../../src/domain/answer.js';
import { StationIndex } from '../../src/domain/station-index.js';
import { smsSegments } from '../../src/dialog/sms.js';

test('a named station gives its counts; spaces are empty docks, broken docks are not space', async () => {
  const h = harness();
  const a = await h.ask('waterloo station 3');
  assert.equal(a.intent, 'station_status');
  const s = a.stations[0];
  assert.deepEqual([s.id, s.bikes, s.emptyDocks, s.docks, s.brokenDocks, s.distanceM], ['BikePoints_12', 12, 20, 35, 3, null]);
  assert.match(a.reply, /12 bikes, 20 spaces/);
  assert.doesNotMatch(a.reply, /23 spaces/);
  assert.equal(a.place, null);
  assert.equal(a.dataAsOf, OBSERVED);
  assert.equal(a.stale, false);
});

test('no bikes here: says so, and names the nearest station that has bikes, with distance and walk', async () => {
  const h = harness();
  const a = await h.ask('bikes at river street clerkenwell');
  assert.equal(a.want, 'bikes');
  assert.deepEqual(a.stations.map((s) => s.id), ['BikePoints_1', 'BikePoints_5']);
  assert.equal(a.stations[1].distanceM, null, 'no place was named, so no distance from a place');
  assert.match(a.reply, /^No bikes at River Street, Clerkenwell \(12 spaces\)\. Amwell Street, Finsbury is 140 m away, 2 min walk, with two bikes\./);
});

test('no space here: the nearest with empty docks, skipping a full one and a locked one', async () => {
  const h = harness();
  const a = await h.ask('amwell street docks');
  assert.equal(a.want, 'docks');
  assert.equal(a.stations[0].id, 'BikePoints_5');
  // Myddelton Square (full, broken docks only) and Locked Lane are nearer alternatives in the fixture but cannot take a bike.
  assert.equal(a.stations[1].id, 'BikePoints_1');
  assert.match(a.reply, /^No spaces at Amwell Street, Finsbury/);
  assert.match(a.reply, /River Street, Clerkenwell is \d+ m away, \d+ min walk, with 12 spaces/);
});

test('a full station with broken docks is not offered for returning', async () => {
  const h = harness();
  const a = await h.ask('docks near angel');
  assert.equal(a.intent, 'nearest');
  assert.ok(!a.stations.some((s) => s.id === 'BikePoints_2'), 'Myddelton Square has 5 broken docks and 0 empty: no space');
  assert.equal(a.stations[0].id, 'BikePoints_1');
  assert.ok(a.stations.every((s) => (s.emptyDocks ?? 0) > 0));
});

test('hiring near a place: nearest stations with bikes, closest first, up to three, metres and minutes', async () => {
  const h = harness();
  const a = await h.ask('bikes near angel');
  assert.equal(a.place?.name, 'Angel station');
  assert.equal(a.stations.length, 3);
  assert.deepEqual(a.stations.map((s) => s.id), ['BikePoints_2', 'BikePoints_5', 'BikePoints_3']);
  const d = a.stations.map((s) => s.distanceM!);
  assert.deepEqual([...d].sort((x, y) => x - y), d);
  assert.match(a.reply, /1\) Myddelton Square, Pentonville: five bikes, 190 m away, 3 min walk\./);
  assert.equal(a.options.length, 0);
});

test('locked, not installed and unmapped stations say why', async () => {
  const h = harness();
  const locked = await h.ask('locked lane bikes');
  assert.match(locked.reply, /closed \(locked\)/);
  assert.equal(locked.stations[0].id, 'BikePoints_4');
  assert.ok((locked.stations[1]?.bikes ?? 0) > 0);
  assert.match((await h.ask('retired row')).reply, /not in service/);
  const nowhere = await h.ask('nowhere yard');
  assert.match(nowhere.reply, /no location on the map/);
  assert.equal(nowhere.stations[0].lat, null);
});

test('unknown counts stay null and are said to be unknown, never invented', async () => {
  const h = harness({ index: indexOf([station('BikePoints_40', 'Mystery Mews, Soho', 51.51, -0.13, null, null, null)]) });
  const a = await h.ask('mystery mews');
  assert.equal(a.stations[0].bikes, null);
  assert.equal(a.stations[0].emptyDocks, null);
  assert.match(a.reply, /bike count unknown/);
  assert.doesNotMatch(a.reply, /\bno bikes\b|\b0\b/);
});

test('e-bikes: counts when the feed has them, the nearest with e-bikes when this one has none', async () => {
  const stations = [
    station('BikePoints_50', 'Phillimore Gardens, Kensington', 51.4996, -0.1975, 5, 31, 37, { standardBikes: 5, ebikes: 0 }),
    station('BikePoints_51', 'Holland Walk, Kensington', 51.5012, -0.2005, 5, 10, 15, { standardBikes: 1, ebikes: 4 }),
  ];
  const h = harness({ index: indexOf(stations) });
  const a = await h.ask('phillimore gardens e-bikes');
  assert.equal(a.want, 'ebikes');
  assert.deepEqual(a.stations.map((s) => s.id), ['BikePoints_50', 'BikePoints_51']);
  assert.match(a.reply, /^No e-bikes at Phillimore Gardens, Kensington \(five bikes\)\. Holland Walk, Kensington is \d+ m away, \d+ min walk, with four e-bikes\./);
  assert.equal(a.stations[1].ebikes, 4);
});

test('counts older than five minutes carry their time in the system zone; old data is flagged stale', async () => {
  // 08:25:10 UTC is 09:25 in London (BST).
  const fresh = harness({ now: NOW });
  assert.doesNotMatch((await fresh.ask('waterloo station 3')).reply, /Counts from/);
  const older = harness({ now: Date.parse(OBSERVED) + 7 * 60_000, staleAfterMs: 10 * 60_000 });
  const b = await older.ask('waterloo station 3');
  assert.equal(b.stale, false);
  assert.match(b.reply, /Counts from 09:25\./);
  const stale = harness({ now: Date.parse(OBSERVED) + 30 * 60_000, staleAfterMs: 10 * 60_000 });
  const c = await stale.ask('waterloo station 3');
  assert.equal(c.stale, true);
  assert.match(c.reply, /Old data: counts from 09:25/);
  const nextDay = harness({ now: Date.parse('2022-08-02T10:00:00Z') });
  assert.match((await nextDay.ask('waterloo station 3')).reply, /counts from 09:25 on 1 Aug/);
});

test('the time zone is the station system\'s, not the server\'s', async () => {
  const chicago = { id: 'divvy', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] };
  const st = station('divvy:1', 'Clark St & Elm St', 41.9029, -87.6313, 4, 6, 10, { systemId: 'divvy', asOf: '2025-01-29T18:02:00Z' });
  const h = harness({ index: indexOf([st], [chicago]), now: Date.parse('2025-01-29T18:30:00Z'), staleAfterMs: 3_600_000 });
  const a = await h.ask('clark st and elm st');
  assert.equal(a.stations[0].id, 'divvy:1');
  assert.match(a.reply, /Counts from 12:02\./, 'CST is UTC-6');
});

test('dataAsOf is the oldest observation among the counts shown', async () => {
  const stations = londonStations().map((s) => (s.id === 'BikePoints_5' ? { ...s, asOf: '2022-08-01T08:10:00.000Z' } : s));
  const h = harness({ index: indexOf(stations) });
  const a = await h.ask('bikes at river street clerkenwell');
  assert.deepEqual(a.stations.map((s) => s.id), ['BikePoints_1', 'BikePoints_5']);
  assert.equal(a.dataAsOf, '2022-08-01T08:10:00.000Z');
  assert.equal(a.stale, true, '17 minutes old with a 10 minute limit');
  assert.match(a.reply, /counts from 09:10/);
});

test('long station names: lists are trimmed to two SMS segments, whole items only', async () => {
  const long = (i: number) => `${'Very Long Name Street Number ' + i}, ${'An Extremely Verbose Neighbourhood Name With Many Words'}`;
  const stations = Array.from({ length: 6 }, (_, i) => station(`BikePoints_${60 + i}`, long(i), 51.5 + i * 0.001, -0.1, 5 + i, 5, 20));
  const h = harness({ index: indexOf(stations) });
  const a = await h.ask('bikes near 51.5, -0.1');
  assert.equal(a.intent, 'nearest');
  assert.ok(smsSegments(a.reply) <= 2, `${smsSegments(a.reply)} segments: ${a.reply}`);
  assert.ok(a.stations.length >= 1 && a.stations.length <= 3);
  // Every station listed in the answer is in the reply, and no half item is.
  for (const s of a.stations) assert.ok(a.reply.includes(s.name.split(',')[0]), s.name);
  assert.equal((a.reply.match(/\d\) /g) ?? []).length, a.stations.length);
});

test('non-GSM names (UCS-2, 67 chars a segment) still fit two segments', async () => {
  const stations = Array.from({ length: 4 }, (_, i) => station(`x:${i}`, `Métro Côte-des-Neiges ${i}, Montréal çà et là`, 45.5 + i * 0.001, -73.6, 3, 3, 6, { systemId: 'bixi' }));
  const h = harness({ index: indexOf(stations, [{ id: 'bixi', name: 'BIXI', timezone: 'America/Toronto' }]), now: Date.parse(OBSERVED) + 60_000 });
  const a = await h.ask('bikes near 45.5, -73.6');
  assert.ok(smsSegments(a.reply) <= 2, `${smsSegments(a.reply)} segments (${a.reply.length} chars): ${a.reply}`);
  assert.ok(a.stations.length >= 1);
  assert.ok(INTENTS.includes(a.intent));
});

test('choices are at most eight, numbered, and fit two segments (more: narrowed down, see choose.test.ts)', async () => {
  const stations = Array.from({ length: 9 }, (_, i) => station(`BikePoints_${70 + i}`, `Kings Cross ${i + 1}, Kings Cross`, 51.53 + i * 0.0005, -0.123, 3, 3, 6));
  const h = harness({ index: indexOf(stations) });
  const a = await h.ask('kings cross');
  assert.ok(a.options.length === 0 || (a.options.length >= 2 && a.options.length <= 8), `${a.options.length} options`);
  assert.ok(smsSegments(a.reply) <= 2);
  assert.equal((a.reply.match(/\d\) /g) ?? []).length, a.options.length);
});

test('a name that matches nothing says so, without inventing a station', async () => {
  const h = harness();
  const a = await h.ask('bikes at zanzibar quay');
  assert.equal(a.stations.length, 0);
  assert.match(a.reply, /couldn't find "zanzibar quay"/);
});

test('voice replies are normalised for speech', async () => {
  const h = harness();
  const a = await h.ask("st john's wood church", { voice: true, channel: 'voice' });
  assert.match(a.reply, /^Saint John's Wood Church, The Regent's Park: two bikes, three spaces\./);
  const b = await h.ask('bikes near angel', { voice: true, channel: 'voice' });
  assert.match(b.reply, /^The nearest with bikes to Angel station are Myddelton Square, five bikes, three minutes' walk; then Amwell Street, /, 'a list is said as one sentence');
  assert.doesNotMatch(b.reply, /\n|\d\)/);
});

test('a place far from every station is called far, not near', async () => {
  const h = harness();
  const a = await h.ask('bikes near 51.75, -0.34');
  assert.equal(a.intent, 'nearest');
  assert.ok(a.stations[0].distanceM! > 20_000);
  assert.match(a.reply, /^No bikes within 5 km of 51\.7500, -0\.3400\. Nearest:/);
});

test('e-bikes asked where no e-bike counts are published: bikes, said plainly; an empty station still gets an alternative', async () => {
  const h = harness();
  const a = await h.ask('river street e-bikes');
  assert.equal(a.want, 'ebikes');
  assert.match(a.reply, /^No bikes at River Street, Clerkenwell/);
  assert.equal(a.stations[1].id, 'BikePoints_5');
  const b = await h.ask('e-bikes near angel');
  assert.match(b.reply, /E-bike counts are not published here, so these are bike counts\./);
  assert.ok(b.stations.every((s) => (s.bikes ?? 0) > 0 && s.ebikes === null));
});

test(
  'outside London the "not found", help and where replies teach with the local system, never "SE1 7PB"',
  async () => {
    const chicago = [
      station('divvy:a3aa0bb7', 'Broadway & Berwyn Ave', 41.978361, -87.659789, 3, 4, 7, { systemId: 'divvy' }),
      station('divvy:1955905507044284968', 'Nordica Ave & Medill Ave', 41.92227, -87.80202, 3, 4, 7, { systemId: 'divvy' }),
      station('divvy:1969236968943731106', 'Menard Ave & Lawrence Ave', 41.96788, -87.77274, 3, 4, 7, { systemId: 'divvy' }),
    ];
    const index = new StationIndex([{ feedId: 'divvy', systemId: 'divvy', fetchedAt: OBSERVED, asOf: OBSERVED, stations: chicago }], [{ id: 'divvy', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] }]);
    const h = harness({ index });
    const names = chicago.map((s) => s.name);
    for (const q of ['bikes at zanzibar quay', 'help', 'bikes']) {
      const a = await h.ask(q);
      assert.doesNotMatch(a.reply, /SE1 7PB|Waterloo|Euston|postcode/, `${q}: ${a.reply}`);
      assert.ok(names.some((n) => a.reply.includes(n)), `${q}: a real Divvy station as the example: ${a.reply}`);
    }
  },
);

test('missing counts are "count unknown", never "no bikes"', async () => {
  // The feed gave these stations but not their counts.
  const stations = londonStations().map((s) => (s.id === 'BikePoints_1' || s.id === 'BikePoints_3' || s.id === 'BikePoints_5' || s.id === 'BikePoints_2' ? { ...s, bikes: null, emptyDocks: null, brokenDocks: null } : s));
  const h = harness({ stations });
  const near = await h.ask('bikes near angel station');
  assert.doesNotMatch(near.reply, /\bno (bikes|stations)\b/i, near.reply);
  const status = await h.ask('river street clerkenwell');
  assert.match(status.reply, /(bike count unknown|no bike count)/i, status.reply);
  assert.doesNotMatch(status.reply, /\bno bikes\b/i);
  // All counts near a place missing: the answer lists the stations as unknown rather than saying none has bikes.
  const blank = londonStations().map((s) => ({ ...s, bikes: null, emptyDocks: null, brokenDocks: null }));
  const h2 = harness({ stations: blank });
  for (const q of ['bikes near angel station', 'spaces near angel station']) {
    const a = await h2.ask(q);
    assert.equal(a.intent, 'nearest');
    assert.match(a.reply, /counts are unknown/i, a.reply);
    assert.doesNotMatch(a.reply, /\bno (bikes|spaces|stations)\b/i, a.reply);
    assert.ok(a.stations.length > 0);
    assert.ok(a.stations.every((s) => s.bikes === null));
  }
});
