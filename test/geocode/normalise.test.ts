import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WordComparer } from '../../src/domain/understand/phonetic.js';

const editDistance = (a: string, b: string, max?: number) => new WordComparer().distance(a, b, max);
import { foldText, normaliseKey, tokenize } from '../../src/geocode/normalise.js';

test('apostrophes of every sort vanish; & is and; accents fold', () => {
  for (const s of ["Dr Johnson's House", 'Dr Johnson\u2019s House', 'Dr Johnson\u02bcs House', 'dr johnsons house']) {
    assert.equal(normaliseKey(s), 'dr johnson house');
  }
  assert.equal(foldText('Totteridge & Whetstone'), 'totteridge and whetstone');
  assert.equal(normaliseKey('Totteridge & Whetstone'), normaliseKey('totteridge and whetstone'));
  assert.equal(foldText('Ste-Catherine / Dézéry'), 'ste catherine dezery');
});

test('St, Saint and Street meet in one token; the leading "the" goes', () => {
  assert.deepEqual(tokenize('Great Portland Street'), tokenize('great portland st'));
  assert.deepEqual(tokenize("St. Paul's"), tokenize('Saint Pauls'));
  assert.deepEqual(tokenize('The Old Vic'), ['old', 'vic']);
  assert.deepEqual(tokenize('Leicester Square'), tokenize('leicester sq'));
});

test('editDistance counts a transposition as one edit and stops early past max', () => {
  assert.equal(editDistance('history', 'histroy', 2), 1);
  assert.equal(editDistance('natural', 'natral', 2), 1);
  assert.equal(editDistance('museum', 'museum', 1), 0);
  assert.equal(editDistance('kitten', 'sitting', 5), 3);
  assert.equal(editDistance('abcdefgh', 'zzzzzzzz', 2), 3);
  assert.equal(editDistance('short', 'muchlongerword', 2), 3);
});

test('the possessive of a name in -s is said without it: "St James\'s" = "St James"', () => {
  assert.equal(normaliseKey("St James's Park"), normaliseKey('st james park'));
  assert.equal(normaliseKey('St. James\u2019s Square'), normaliseKey('saint james square'));
  assert.equal(normaliseKey("King's Road"), normaliseKey('kings road'));
});
