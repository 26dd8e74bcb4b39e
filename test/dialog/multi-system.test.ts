import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Snapshot, Station, SystemInfo } from '../../src/domain/station.js';
import { harness, LONDON, londonStations, OBSERVED, station } from './fixtures.js';

/**
 * Two cities in one index, with a station name both have (there is no real namesake
 * across the captured feeds, so this small fixture stands in for one).
 */
const CHICAGO: SystemInfo = { id: 'divvy', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] };
const SPRINGFIELD: SystemInfo = { id: 'spring', name: 'Springfield Bikes', timezone: 'America/Chicago', aliases: ['Springfield'] };

function city(systemId: string, rows: Array<[string, string, number, number, number, number]>): Station[] {
  return rows.map(([id, name, lat, lon, bikes, empty]) => station(`${systemId}:${id}`, name, lat, lon, bikes, empty, bikes + empty, { systemId }));
}

function multiIndex(): StationIndex {
  const chicago = city('divvy', [
    ['1', 'Clinton St & Madison St', 41.8819, -87.6411, 5, 10],
    ['2', 'Canal St & Monroe St', 41.8809, -87.6396, 3, 12],
    ['3', 'Union Station Plaza', 41.8786, -87.6403, 8, 2],
  ]);
  const springfield = city('spring', [
    ['1', 'Clinton St & Madison St', 39.7990, -89.6440, 2, 6],
    ['2', 'Capitol Ave & 2nd St', 39.7980, -89.6520, 4, 4],
  ]);
  const snap = (systemId: string, stations: Station[]): Snapshot => ({ feedId: systemId, systemId, fetchedAt: OBSERVED, asOf: OBSERVED, stations });
  return new StationIndex([snap('tfl', londonStations()), snap('divvy', chicago), snap('spring', springfield)], [LONDON, CHICAGO, SPRINGFIELD]);
}

test('a station name two cities share is asked about, each option naming its city', async () => {
  const h = harness({ index: multiIndex() });
  const a = await h.ask('bikes at clinton st & madison st');
  assert.deepEqual(a.options.map((o) => o.id).sort(), ['divvy:1', 'spring:1']);
  assert.deepEqual(a.options.map((o) => o.name).sort(), ['Clinton St & Madison St (Chicago)', 'Clinton St & Madison St (Springfield)']);
  assert.match(a.reply, /Clinton St & Madison St \(Chicago\)/);
  // Choosing by number answers from the city chosen.
  const n = a.options.findIndex((o) => o.id === 'spring:1') + 1;
  const b = await h.ask(String(n));
  assert.equal(b.stations[0]?.id, 'spring:1', b.reply);
});

test('options within one city carry no city label', async () => {
  const h = harness({ index: multiIndex() });
  const a = await h.ask('bikes at waterloo station');
  assert.ok(a.options.length >= 2, a.reply);
  for (const o of a.options) assert.doesNotMatch(o.name, /\(London\)/);
});

test('a city named in the message picks that city\'s namesake', async () => {
  const h = harness({ index: multiIndex(), conversationId: 'c1' });
  const a = await h.ask('bikes at clinton st & madison st springfield');
  assert.equal(a.options.length, 0, a.reply);
  assert.ok(a.stations.length > 0 && a.stations.every((s) => s.id.startsWith('spring:')), a.reply);
  const b = await harness({ index: multiIndex(), conversationId: 'c2' }).ask('bikes in chicago at clinton st & madison st');
  assert.ok(b.stations.length > 0 && b.stations.every((s) => s.id.startsWith('divvy:')), b.reply);
});

test('a shared location settles a namesake in its own city', async () => {
  const h = harness({ index: multiIndex() });
  const a = await h.ask('bikes at clinton st & madison st', { location: { lat: 41.88, lon: -87.64 } });
  assert.equal(a.options.length, 0, a.reply);
  assert.equal(a.stations[0]?.id, 'divvy:1', a.reply);
});

test('coordinates and a shared location answer from the system there, never across cities', async () => {
  const h = harness({ index: multiIndex() });
  // Near the edge of Springfield's few stations, Chicago's are still 300 km away: stay in Springfield.
  const a = await h.ask('nearest bikes to 39.7985,-89.6480');
  assert.ok(a.stations.length > 0 && a.stations.every((s) => s.id.startsWith('spring:')), a.reply);
  const b = await h.ask('bikes near me', { location: { lat: 41.8800, lon: -87.6400 } });
  assert.ok(b.stations.length > 0 && b.stations.every((s) => s.id.startsWith('divvy:')), b.reply);
  const c = await h.ask('bikes near me', { location: { lat: 51.5292, lon: -0.11 } });
  assert.ok(c.stations.length > 0 && c.stations.every((s) => s.id.startsWith('BikePoints_')), c.reply);
});
