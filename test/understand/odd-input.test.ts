/**
 * Odd text, understood as a person would and never a crash (fast-check). Each property
 * takes a plain question whose answer is known and disguises it the way people do —
 * stretched letters, words run together, stray punctuation, markup, SQL or shell
 * tails, a wall of padding — and asks that the answer stays the same station.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { harness } from '../dialog/fixtures.js';
import { INTENTS } from '../../src/domain/answer.js';
import { mendWords, normaliseText, tokens } from '../../src/domain/understand/normalise.js';
import { understand } from '../../src/domain/understand/understand.js';

/** Plain asks and the station each names (test/dialog/fixtures.ts londonStations). */
const ASKS: Array<{ want: string; name: string; id: string }> = [
  { want: 'bikes', name: 'percival street', id: 'BikePoints_3' },
  { want: 'docks', name: 'amwell street', id: 'BikePoints_5' },
  { want: 'bikes', name: 'myddelton square', id: 'BikePoints_2' },
  { want: 'spaces', name: 'river street', id: 'BikePoints_1' },
  { want: 'bikes', name: 'waterloo station 3', id: 'BikePoints_12' },
];
const ask = fc.constantFrom(...ASKS);
const OPTS = { numRuns: 120, seed: 9 };

/** "percival" → "perciiival": one letter said three to six times. */
const stretch = (word: string) =>
  fc.tuple(fc.nat({ max: Math.max(0, word.length - 1) }), fc.integer({ min: 3, max: 6 })).map(([i, n]) => (/[a-z]/.test(word[i]) ? word.slice(0, i) + word[i].repeat(n) + word.slice(i + 1) : word));

async function firstStation(text: string): Promise<string | undefined> {
  const a = await harness().ask(text);
  return a.options.length > 0 ? undefined : a.stations[0]?.id;
}

test('plain asks answer their station (the baseline the disguises are held to)', async () => {
  for (const a of ASKS) assert.equal(await firstStation(`${a.want} at ${a.name}`), a.id, a.name);
});

test('stretched letters ("biiikes at perciiival streeet") are read as the words they stretch', async () => {
  await fc.assert(
    fc.asyncProperty(ask, fc.nat(), async (a, seed) => {
      const words = `${a.want} at ${a.name}`.split(' ');
      const w = seed % words.length;
      const stretched = fc.sample(stretch(words[w]), { numRuns: 1, seed })[0];
      const text = [...words.slice(0, w), stretched, ...words.slice(w + 1)].join(' ');
      assert.equal(await firstStation(text), a.id, text);
    }),
    OPTS,
  );
});

test('words run together ("bikesatpercival street", "waterloostation3") are parted where our words show the seam', async () => {
  for (const [text, id] of [
    ['bikesatpercival street', 'BikePoints_3'],
    ['anydocksat amwell street', 'BikePoints_5'],
    ['waterloostation3', 'BikePoints_12'],
    ['waterloo station3 bikes', 'BikePoints_12'],
    ['percivalstreet bikes', 'BikePoints_3'],
  ] as const) {
    assert.equal(await firstStation(text), id, text);
  }
  // A name that merely ends like one of our words is never cut.
  assert.deepEqual(mendWords(tokens(normaliseText('moorgate kingsway paddock'))), ['moorgate', 'kingsway', 'paddock']);
});

test('punctuation, quotes, markup and case around the words change nothing', async () => {
  const noise = fc.constantFrom('!!!', '???', '...', ',', ';', ' - ', '"', "'", '*', '_', '(', ')', ' :) ', '\t', '\n', '\u00a0', '\u200b', '<b>', '</b>', '&nbsp;', '&quot;');
  await fc.assert(
    fc.asyncProperty(ask, fc.array(noise, { minLength: 1, maxLength: 6 }), fc.boolean(), async (a, bits, upper) => {
      const words = `${a.want} at ${a.name}`.split(' ');
      const text = words.map((w, i) => w + (bits[i % bits.length] ?? ' ') + ' ').join('');
      const said = upper ? text.toUpperCase() : text;
      assert.equal(await firstStation(said), a.id, JSON.stringify(said));
    }),
    OPTS,
  );
});

test('an injection-looking tail is ignored, and injection alone is not a question', async () => {
  const tail = fc.constantFrom("'; DROP TABLE stations; --", '" OR 1=1 --', ' UNION SELECT password FROM users', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '${jndi:ldap://x/a}', '{{7*7}}', '$(rm -rf /)', '../../etc/passwd', '%27%22%3C');
  await fc.assert(
    fc.asyncProperty(ask, tail, async (a, t) => {
      const text = `${a.want} at ${a.name}${t}`;
      assert.equal(await firstStation(text), a.id, text);
      const alone = await harness().ask(t);
      assert.deepEqual(alone.stations, [], `${t} names no station`);
      assert.ok(['unknown', 'help'].includes(alone.intent), `${t} → ${alone.intent}`);
    }),
    OPTS,
  );
});

test('10 kB messages: the question at either end is found, the rest skimmed, in bounded time', async () => {
  const filler = fc.constantFrom('please ', 'lorem ipsum dolor ', 'so anyway ', '🚲 ', 'x', 'a b c ', '<div>', "'");
  await fc.assert(
    fc.asyncProperty(ask, filler, fc.boolean(), async (a, f, atEnd) => {
      const pad = f.repeat(Math.ceil(10_240 / f.length));
      const q = `${a.want} at ${a.name}`;
      const text = atEnd ? `${pad} ${q}` : `${q} ${pad}`;
      const t0 = performance.now();
      const got = await firstStation(text);
      assert.ok(performance.now() - t0 < 2000, 'a long message costs what a short one does, give or take');
      assert.equal(got, a.id, `${f} × ${pad.length / f.length}, question ${atEnd ? 'last' : 'first'}`);
    }),
    { numRuns: 40, seed: 9 },
  );
});

test('any string at all: understand() returns a known intent and the dialog a contract answer', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ minLength: 10_000, maxLength: 12_000 })), async (text) => {
      const u = understand(text);
      assert.ok(INTENTS.includes(u.intent));
      const a = await harness().ask(text);
      assert.ok(INTENTS.includes(a.intent));
      assert.ok(typeof a.reply === 'string' && a.reply.length > 0);
    }),
    { numRuns: 200, seed: 9 },
  );
});
