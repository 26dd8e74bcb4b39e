import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type AjvModule from 'ajv';
import { quickCheck } from '../../src/channels/quick-check.js';
import { CHAT_BODY_SCHEMA } from '../../src/channels/chat-api.js';

const AjvCtor = ((m: { default?: unknown }) => (m.default ?? m) as typeof AjvModule.default)(createRequire(import.meta.url)('ajv'));
// The options of strict-input.ts.
const ajv = new AjvCtor({ coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, strict: false, validateSchema: false });
const full = ajv.compile(CHAT_BODY_SCHEMA as object);
const chatQuick = quickCheck(CHAT_BODY_SCHEMA);
const quick = (d: unknown): boolean => {
  assert.ok(chatQuick, 'the chat body schema has a quick check');
  return chatQuick(d);
};

test('quick check: the chat body schema gets one, and it accepts ordinary bodies', () => {
  assert.ok(chatQuick);
  const id = 'abcdefghijklmnop_-0123';
  for (const body of [
    { text: 'bikes at waterloo' },
    { text: 'x', conversationId: id },
    { text: 'é'.repeat(500), deviceToken: id, location: { lat: 51.5, lon: -0.1 } },
    { text: '🚲'.repeat(500) }, // 1,000 UTF-16 units, 500 characters: Ajv counts characters
  ]) {
    assert.equal(full(body), true, JSON.stringify(body));
    assert.equal(quick(body), true, JSON.stringify(body));
  }
});

test('quick check: never accepts what Ajv refuses', () => {
  const bad: unknown[] = [
    null, [], 'text', 3, {}, { text: '' }, { text: 3 }, { text: 'a'.repeat(501) }, { text: '🚲'.repeat(501) },
    { text: 'a', extra: 1 }, { text: 'a', conversationId: 'short' }, { text: 'a', conversationId: 'a'.repeat(65) },
    { text: 'a', conversationId: 'abcdefghijklmnop!' }, { text: 'a', location: { lat: 91, lon: 0 } }, { text: 'a', location: { lat: 0 } },
    { text: 'a', location: { lat: 0, lon: 0, alt: 1 } }, { text: 'a', location: { lat: '1', lon: 0 } }, { text: 'a', location: [] },
    { text: 'a', deviceToken: null }, Object.assign(Object.create({ inherited: 1 }), { text: 'a' }),
  ];
  for (const body of bad) {
    assert.equal(full(body), false, JSON.stringify(body));
    assert.equal(quick(body), false, JSON.stringify(body));
  }
  const key = fc.constantFrom('text', 'conversationId', 'deviceToken', 'location', 'lat', 'lon', 'other', '__proto__', 'constructor');
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 510 }), fc.stringMatching(/^[A-Za-z0-9_-]{14,66}$/), fc.double(), fc.integer({ min: -200, max: 200 }), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 2 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
  })).v;
  fc.assert(
    fc.property(fc.oneof(value, fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 })), (body) => {
      if (quick(body)) assert.equal(full(body), true, JSON.stringify(body));
    }),
    { numRuns: 20_000 },
  );
});

test('quick check: none for schemas with keywords it does not read', () => {
  assert.equal(quickCheck({ type: 'string', format: 'email' }), null);
  assert.equal(quickCheck({ type: ['string', 'null'] }), null);
  assert.equal(quickCheck({ type: 'object', properties: { a: { type: 'number', exclusiveMinimum: 0 } } }), null);
  assert.equal(quickCheck({ type: 'object', additionalProperties: { type: 'string' } }), null);
  assert.equal(quickCheck({ type: 'string', minimum: 1 }), null);
  assert.equal(quickCheck({ anyOf: [{ type: 'string' }] }), null);
});
