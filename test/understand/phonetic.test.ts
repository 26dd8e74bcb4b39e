import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, phoneticKey, wordSimilarity } from '../../src/domain/understand/phonetic.js';

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
