import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIndexHintSource } from '../../src/channels/voice-hints.js';
import { parseBikePoints, TFL_SYSTEM } from '../../src/feeds/tfl-parse.js';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Answer } from '../../src/domain/answer.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const FILE = 'data/tfl/bikepoint-2022-08-01T08-25-10Z.json';

test('voice hints over all ~800 London stations stay within Twilio limits and follow the conversation', { skip: skipWithoutShared(FILE) }, async () => {
  const json = JSON.parse(readFileSync(join(SHARED_DATA, 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json'), 'utf8'));
  const snap = parseBikePoints(json, { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date('2022-08-01T08:26:00Z') });
  const index = new StationIndex([snap], [{ ...TFL_SYSTEM, aliases: [...TFL_SYSTEM.aliases] }]);
  assert.ok(index.size > 700, `${index.size} stations: more than Twilio accepts as hints`);
  const source = createIndexHintSource({ index: () => index });

  const greeting = await source({ conversationId: 'c', answer: null });
  assert.ok(greeting.length <= 500 && greeting.every((h) => h.length <= 100 && !h.includes(',')));
  for (const area of ['Waterloo', 'Clerkenwell', 'Kensington']) assert.ok(greeting.includes(area), `area ${area}`);

  const waterloo = index.stations.filter((s) => s.name.endsWith(', Waterloo'));
  assert.ok(waterloo.length >= 3);
  const answer: Answer = {
    intent: 'station_status', want: 'bikes', reply: '', place: null, dataAsOf: null, stale: false,
    options: waterloo.slice(0, 3).map((s) => ({ id: s.id, name: s.name })),
    stations: [],
  };
  const hints = await source({ conversationId: 'c', answer });
  assert.ok(hints.length <= 500);
  assert.ok(hints.includes(waterloo[0].name.split(',')[0].trim()), 'an offered option is hinted');
  for (const s of waterloo) assert.ok(hints.includes(s.name.split(',')[0].trim()), `${s.name}: every station of the area being discussed`);
  const stationHints = hints.filter((h) => index.stations.some((s) => s.name.startsWith(h + ',')));
  assert.ok(stationHints.length < 200, `${stationHints.length} station hints: only the area being discussed`);
});
