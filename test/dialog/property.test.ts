import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { harness } from './fixtures.js';
import { INTENTS, type Answer } from '../../src/domain/answer.js';
import { smsSegments } from '../../src/dialog/sms.js';

const WANTS = ['bikes', 'ebikes', 'docks', 'any'];

function assertContract(a: Answer, text: string): void {
  const where = `for ${JSON.stringify(text.slice(0, 80))}`;
  assert.ok(INTENTS.includes(a.intent), `intent ${a.intent} ${where}`);
  assert.ok(WANTS.includes(a.want), `want ${a.want} ${where}`);
  assert.equal(typeof a.reply, 'string');
  assert.ok(a.reply.trim().length > 0, `empty reply ${where}`);
  assert.ok(smsSegments(a.reply) <= 2, `${smsSegments(a.reply)} segments ${where}: ${a.reply}`);
  assert.ok(Array.isArray(a.stations) && Array.isArray(a.options), where);
  assert.ok(a.options.length <= 8, where);
  for (const o of a.options) assert.ok(typeof o.id === 'string' && typeof o.name === 'string', where);
  for (const s of a.stations) {
    assert.equal(typeof s.id, 'string');
    for (const k of ['bikes', 'emptyDocks', 'docks', 'brokenDocks', 'distanceM'] as const) assert.ok(s[k] === null || (typeof s[k] === 'number' && s[k]! >= 0), `${k} ${where}`);
  }
  assert.ok(a.place === null || (Number.isFinite(a.place.lat) && Number.isFinite(a.place.lon)), where);
  assert.ok(a.dataAsOf === null || !Number.isNaN(Date.parse(a.dataAsOf)), where);
  assert.equal(typeof a.stale, 'boolean');
  assert.deepEqual(JSON.parse(JSON.stringify(a)), a, 'the answer is plain JSON');
}

const hostile = fc.oneof(
  fc.constant(''),
  fc.constant(' \t\n '),
  fc.constant('x'.repeat(10_240)),
  fc.string({ minLength: 9_000, maxLength: 10_240 }),
  fc.constant('🚲🚲🚲 🙂 bikes near 🏛️'),
  fc.constantFrom('自転車はどこ', 'велосипед у вокзала', 'دراجة قرب المحطة', 'בייק ליד', 'सायकल कहाँ है', 'Ελεύθερες θέσεις'),
  fc.constantFrom('<script>alert(1)</script>', '<b>bikes</b> at <i>waterloo</i>', '&amp;&lt;&gt;&#0;', "'; DROP TABLE stations; --", '1 OR 1=1', 'SELECT * FROM users WHERE 1=1'),
  fc.constantFrom('2', '0', '-1', '99', 'the second one', 'next one?', 'and docks?', 'what about e-bikes?', 'cancel', 'waterloo', 'waterloo 3', '51.5, -0.1', '91, 181', 'NaN, Infinity'),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\uD800', '\uFFFF', '\u202E', '\u200B', 'a', ' ', '.', '-', '1'), maxLength: 60 }),
);

test('no message throws; every answer keeps the contract and fits two SMS segments', async () => {
  const h = harness();
  await fc.assert(
    fc.asyncProperty(hostile, fc.boolean(), async (text, voice) => {
      const a = await h.ask(text, { voice });
      assertContract(a, text);
    }),
    { numRuns: 300 },
  );
  assert.deepEqual(h.errors, [], 'no internal error was swallowed along the way');
});

test('random multi-turn conversations keep the contract at every turn', async () => {
  const turn = fc.oneof(hostile, fc.constantFrom('bikes near angel', 'docks at amwell street', 'river street', 'locked lane', '3', 'yes', 'help'));
  await fc.assert(
    fc.asyncProperty(fc.array(turn, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 3 }), async (texts, channel) => {
      const h = harness({ conversationId: `prop:${channel}` });
      for (const text of texts) {
        h.clock.ms += 30_000;
        const a = await h.ask(text, { voice: channel === 1, channel: channel === 1 ? 'voice' : 'sms' });
        assertContract(a, text);
        if (a.options.length > 0) assert.equal(a.stations.length, 0, 'asking to choose is not answering');
      }
      assert.deepEqual(h.errors, []);
    }),
    { numRuns: 60 },
  );
});

test('odd message objects from a channel do not throw either', async () => {
  const h = harness();
  const odd = [
    { channel: 'api', conversationId: 'x', text: undefined },
    { channel: 'api', conversationId: 'x', text: 42 },
    { channel: 'api', conversationId: undefined, text: 'bikes near angel' },
    { channel: 'api', conversationId: 'x', text: 'nearest bikes', location: { lat: Number.NaN, lon: 1 } },
    { channel: 'api', conversationId: 'x', text: 'nearest bikes', location: { lat: 51.53, lon: -0.106 } },
  ];
  for (const m of odd) {
    const a = await h.handle(m as never);
    assertContract(a, String(m.text));
  }
  const a = await h.handle(null as never);
  assert.equal(a.intent, 'unknown');
});
