import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { phoneticKey, withinOneEdit, WordComparer } from '../../src/domain/understand/phonetic.js';

const words = new WordComparer();
const editDistance = (a: string, b: string, max?: number) => words.distance(a, b, max);
const wordSimilarity = (a: string, b: string) => words.similarity(a, b);

test('sound keys merge what a speech recogniser confuses', () => {
  assert.equal(phoneticKey('pancreas'), phoneticKey('pancras'));
  assert.equal(phoneticKey('fitsrovia'), phoneticKey('fitzrovia'));
  assert.equal(phoneticKey('knight'), phoneticKey('nite'));
  assert.equal(phoneticKey('crynan'), phoneticKey('crinan'));
  assert.notEqual(phoneticKey('marsh'), phoneticKey('quill'));
});

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('sqaure', 'square'), 1);
  assert.equal(editDistance('raod', 'road'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.ok(editDistance('abcdefghij', 'zyxwvutsrq', 3) > 3, 'bounded search gives up early');
});

test('word similarity: typos and sound-alikes close, different words far', () => {
  assert.ok(wordSimilarity('gardn', 'garden') >= 0.8);
  assert.ok(wordSimilarity('clerkandwell', 'clerkenwell') >= 0.8);
  assert.ok(wordSimilarity('gascoin', 'gascoyne') >= 0.8);
  assert.equal(wordSimilarity('regent', 'regents'), 0.95);
  assert.ok(wordSimilarity('park', 'baker') < 0.72, 'a shared sound key alone does not make short words alike');
  assert.ok(wordSimilarity('ram', 'rum') < 0.72, 'one letter wrong in a three-letter word is another word');
  assert.equal(wordSimilarity('2', '3'), 0);
});

test('withinOneEdit is the distance at most one, read without rows (an added, dropped or changed letter, or a swap)', () => {
  for (const [a, b, want] of [
    ['stret', 'street', true],
    ['sqaure', 'square', true],
    ['garden', 'gardens', true],
    ['road', 'raod', true],
    ['road', 'road', true],
    ['', 'a', true],
    ['', '', true],
    ['terrace', 'terarce', true],
    ['terrace', 'tarrece', false],
    ['abc', 'cba', false],
    ['close', 'closed!', false],
  ] as const) assert.equal(withinOneEdit(a, b), want, `${a} / ${b}`);
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 7 });
  fc.assert(fc.property(word, word, (a, b) => withinOneEdit(a, b) === editDistance(a, b, 1) <= 1), { numRuns: 5000 });
});

test('a comparer gives the same distance whatever it compared before (its rows grow for long words and are reused)', () => {
  const fresh = () => new WordComparer();
  const used = new WordComparer();
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x'), maxLength: 90 });
  fc.assert(fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, max) => used.distance(a, b, max) === fresh().distance(a, b, max)), { numRuns: 2000 });
});
