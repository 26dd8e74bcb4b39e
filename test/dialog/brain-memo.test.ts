import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, indexOf, londonStations, station, NOW } from './fixtures.js';
import { defaultBrain } from '../../src/dialog/brain.js';
import { memoisedBrain } from '../../src/dialog/brain-memo.js';
import type { Brain } from '../../src/dialog/turn-deps.js';
import { StationIndex } from '../../src/domain/station-index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DATA, SHARED_DIR, skipWithoutShared } from '../helpers/shared-data.js';
import { parseBikePoints, TFL_SYSTEM } from '../../src/feeds/tfl-parse.js';
import { buildGeocoder } from '../../src/geocode/build-geocoder.js';
import { createTurnHandler } from '../../src/dialog/handle-turn.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { loadEvalCases } from '../../src/eval/eval-case.js';

/** The real brain, counting the work it is asked to do. */
function counted(): { brain: Brain; calls: { understand: number; interpret: number } } {
  const inner = defaultBrain();
  const calls = { understand: 0, interpret: 0 };
  return {
    calls,
    brain: {
      understand: (text, ctx) => (calls.understand++, inner.understand(text, ctx)),
      interpret: (u, ctx) => (calls.interpret++, inner.interpret(u, ctx)),
    },
  };
}

const QUESTIONS = ['bikes at percival street', 'waterloo', 'spaces near angel station', 'hello', 'what about 51.53,-0.11', 'amwel street', 'xyzzy plugh'];

test('a remembered text gets the answer the brain without memory gives, turn after turn, without the work again', async () => {
  const c = counted();
  const memo = harness({ brain: memoisedBrain(c.brain, { interpret: true }) });
  const plain = harness({ brain: defaultBrain() });
  for (let round = 0; round < 3; round++) {
    for (const q of QUESTIONS) {
      memo.clock.ms = plain.clock.ms = NOW + round * 61_000;
      const conversationId = `test:${round}:${q}`;
      assert.deepEqual(await memo.handle({ channel: 'api', conversationId, newConversation: true, text: q }), await plain.handle({ channel: 'api', conversationId, newConversation: true, text: q }), q);
    }
  }
  // Understood once per text; each subject looked up once.
  assert.equal(c.calls.understand, QUESTIONS.length);
  assert.ok(c.calls.interpret > 0 && c.calls.interpret <= QUESTIONS.length, `interpret ran ${c.calls.interpret} times`);
});

test('the age of the counts and the counts themselves are of the turn: a later clock and a new index show through', async () => {
  let index: StationIndex = indexOf(londonStations());
  const c = counted();
  const h = harness({ brain: memoisedBrain(c.brain, { interpret: true }) });
  h.deps.index = () => index;
  const first = await h.ask('bikes at percival street', { newConversation: true });
  assert.match(first.reply, /three bikes/);
  h.clock.ms = NOW + 20 * 60_000;
  const later = await h.ask('bikes at percival street', { newConversation: true });
  assert.notEqual(later.reply, first.reply, 'the age note follows the clock');
  assert.equal(c.calls.understand, 1);
  // A new snapshot: the memory starts afresh and the answer has the new counts.
  index = indexOf(londonStations().map((s) => (s.id === 'BikePoints_3' ? station('BikePoints_3', 'Percival Street, Finsbury', 51.527, -0.1045, 6, 1, 7) : s)));
  const fresh = await h.ask('bikes at percival street', { newConversation: true });
  assert.match(fresh.reply, /six bikes/);
  assert.equal(fresh.stations[0].bikes, 6);
  assert.equal(c.calls.understand, 2);
});

test('open options are part of what is remembered: "2" is read afresh when a choice is open', async () => {
  const h = harness({ brain: memoisedBrain(defaultBrain(), { interpret: true }) });
  const alone = await h.ask('2', { conversationId: 'test:a', newConversation: true });
  await h.ask('waterloo', { conversationId: 'test:b' });
  const picked = await h.ask('2', { conversationId: 'test:b' });
  assert.equal(alone.stations.length, 0);
  assert.equal(picked.stations.length, 1, 'the second Waterloo option');
});

test('the memory is bounded: two generations of max texts, the oldest understood again', async () => {
  const c = counted();
  const brain = memoisedBrain(c.brain, { interpret: false, max: 2 });
  const h = harness({ brain });
  for (const q of ['a1 street', 'a2 street', 'a3 street', 'a4 street', 'a5 street']) await h.ask(q, { newConversation: true });
  assert.equal(c.calls.understand, 5);
  await h.ask('a5 street', { newConversation: true });
  await h.ask('a4 street', { newConversation: true });
  assert.equal(c.calls.understand, 5, 'the two newest are still known');
  await h.ask('a1 street', { newConversation: true });
  assert.equal(c.calls.understand, 6, 'the oldest was let go');
});

test('without interpret, each lookup is made again (a live geocoder answers for itself)', async () => {
  const c = counted();
  const h = harness({ brain: memoisedBrain(c.brain, { interpret: false }) });
  await h.ask('spaces near angel station', { newConversation: true });
  await h.ask('spaces near angel station', { newConversation: true });
  assert.equal(c.calls.understand, 1);
  assert.equal(c.calls.interpret, 2);
});

test('the dev and recogniser dev sets on the real snapshot: remembered answers are the answers, asked twice', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london', 'eval/dev.jsonl', 'eval/asr-dev.jsonl') }, async () => {
  const json = JSON.parse(readFileSync(join(SHARED_DATA, 'tfl/bikepoint-2022-08-01T08-25-10Z.json'), 'utf8'));
  const snap = parseBikePoints(json, { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date('2022-08-01T08:26:00Z') });
  const index = new StationIndex([snap], [{ ...TFL_SYSTEM, aliases: [...TFL_SYSTEM.aliases] }]);
  const geocoder = buildGeocoder({ gazetteerPaths: [join(SHARED_DATA, 'london')], stations: () => index.stations, live: [], urls: { tfl: '', postcodes: '', nominatim: '', photon: '' }, userAgent: 'BikeBot-test' });
  const texts = ['eval/dev.jsonl', 'eval/asr-dev.jsonl'].flatMap((f) => loadEvalCases(join(SHARED_DIR, f)).map((c) => c.utterance));
  const c = counted();
  const handler = (brain: Brain) =>
    createTurnHandler({ index: () => index, geocoder, sessions: new MemoryKvStore({ sweepIntervalMs: 0 }), now: () => new Date('2022-08-01T08:27:00Z'), staleAfterMs: 600_000, sessionTtlMs: 900_000, brain });
  const memo = handler(memoisedBrain(c.brain, { interpret: true }));
  const plain = handler(defaultBrain());
  for (let round = 0; round < 2; round++) {
    for (const [i, text] of texts.entries()) {
      const msg = { channel: 'api' as const, conversationId: `chat:${round}:${i}`, newConversation: true, text };
      assert.deepEqual(await memo(msg), await plain(msg), text);
    }
  }
  assert.ok(c.calls.understand <= new Set(texts).size, `${c.calls.understand} understandings for ${new Set(texts).size} texts`);
});
