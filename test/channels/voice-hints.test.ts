import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIndexHintSource, limitHints, splitStationName, MAX_HINTS, MAX_HINT_CHARS } from '../../src/channels/voice-hints.js';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Station } from '../../src/domain/station.js';
import type { Answer } from '../../src/domain/answer.js';

test('limitHints keeps Twilio limits: ≤ 500 hints, ≤ 100 chars, no commas, no duplicates', () => {
  const many = Array.from({ length: 900 }, (_, i) => `Station ${i}, Area ${i % 7}`);
  const out = limitHints(['x'.repeat(101), 'Bank', 'bank', ' ', ...many]);
  assert.equal(out.length, MAX_HINTS);
  assert.ok(out.every((h) => h.length <= MAX_HINT_CHARS && !h.includes(',')));
  assert.equal(out.filter((h) => h.toLowerCase() === 'bank').length, 1);
  assert.ok(!out.includes('x'.repeat(101)));
});

test('splitStationName separates street and area', () => {
  assert.deepEqual(splitStationName('River Street , Clerkenwell'), { street: 'River Street', area: 'Clerkenwell' });
  assert.deepEqual(splitStationName('Cheapside'), { street: 'Cheapside', area: null });
});

/** A London-sized index: 40 areas of 20 stations each, 800 stations on a grid. */
function bigIndex(): StationIndex {
  const stations: Station[] = [];
  for (let a = 0; a < 40; a++) {
    for (let i = 0; i < 20; i++) {
      const lat = 51.45 + Math.floor(a / 8) * 0.02 + (i % 5) * 0.002;
      const lon = -0.2 + (a % 8) * 0.03 + Math.floor(i / 5) * 0.002;
      stations.push({ id: `s${a}-${i}`, systemId: 'tfl', name: `Dock ${a}-${i} Street, Area${a}`, lat, lon, terminalName: null, bikes: 1, standardBikes: 1, ebikes: 0, emptyDocks: 1, docks: 2, brokenDocks: 0, installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: null });
    }
  }
  return new StationIndex([{ feedId: 'tfl', systemId: 'tfl', fetchedAt: '2022-08-01T00:00:00Z', asOf: null, stations }]);
}

test('hints follow the conversation: areas first, then the stations of the area being discussed', async () => {
  const index = bigIndex();
  const source = createIndexHintSource({ index: () => index });
  const greeting = await source({ conversationId: 'c', answer: null });
  assert.ok(greeting.includes('Area0') && greeting.includes('Area39'), 'every area is offered on the greeting');
  assert.ok(!greeting.some((h) => h.startsWith('Dock ')), 'no station hints before an area is discussed');

  const s = index.get('s17-3')!;
  const answer: Answer = {
    intent: 'station_status', want: 'bikes', reply: '', options: [], place: null, dataAsOf: null, stale: false,
    stations: [{ id: s.id, name: s.name, lat: s.lat, lon: s.lon, bikes: 1, standardBikes: 1, ebikes: 0, emptyDocks: 1, docks: 2, brokenDocks: 0, distanceM: null, asOf: null }],
  };
  const hints = await source({ conversationId: 'c', answer });
  assert.ok(hints.length <= 500);
  for (let i = 0; i < 20; i++) assert.ok(hints.includes(`Dock 17-${i} Street`), `station ${i} of the discussed area`);
  assert.ok(!hints.includes('Dock 3-0 Street'), 'stations far from the area are left out');
  assert.ok(hints.indexOf('Area5') < hints.indexOf('Dock 17-0 Street'), 'areas come before stations');
});
