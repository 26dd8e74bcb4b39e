import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { understand } from '../../src/domain/understand/understand.js';
import { StationResolver } from '../../src/domain/understand/station-resolver.js';
import { interpret } from '../../src/domain/understand/interpret.js';
import { INTENTS } from '../../src/domain/answer.js';
import { fixtureIndex, TinyGeocoder } from './fixtures.js';

const index = fixtureIndex();
const resolver = StationResolver.forIndex(index);
const geocoder = new TinyGeocoder([]);

const messages = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.constantFrom('', ' ', '\u0000', '🤷‍♀️🚲', '<img src=x onerror=alert(1)>', "'; DROP TABLE sessions; --", 'Ελληνικά 東京 مرحبا', 'a'.repeat(10_000), '1e308,-1e308', '-0.0 -0.0', 'st st st st'),
  fc.array(fc.constantFrom('bikes', 'at', 'quill', 'street', 'near', '2', 'e', '-', 'the', 'cancel', 'st.', '&', 'harbour', '51.5', '-0.1'), { maxLength: 30 }).map((w) => w.join(' ')),
);

test('understand, resolve and interpret never throw, and always return a known intent', async () => {
  await fc.assert(
    fc.asyncProperty(messages, fc.boolean(), async (text, optionsOpen) => {
      const u = understand(text, { optionsOpen, systemNames: ['london'] });
      assert.ok(INTENTS.includes(u.intent));
      assert.ok(['bikes', 'ebikes', 'docks', 'any'].includes(u.want));
      const r = resolver.resolve(u.subject ?? text);
      assert.ok(['confident', 'ambiguous', 'none'].includes(r.verdict));
      for (const m of r.matches) assert.ok(m.score >= 0 && m.score <= 1, `score ${m.score}`);
      const it = await interpret(u, { index, geocoder, resolver });
      assert.ok(['station', 'choose', 'place', 'not_found'].includes(it.kind));
    }),
    { numRuns: 300, seed: 42 },
  );
});
