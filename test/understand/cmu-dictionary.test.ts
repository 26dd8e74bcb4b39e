import test from 'node:test';
import assert from 'node:assert/strict';
import { dictionary } from 'cmu-pronouncing-dictionary';
import { dictionaryReading, firstReading, pronounce } from '../../src/domain/understand/pronounce.js';
import { parseArpabet } from '../../src/domain/understand/phonemes.js';

test('the packed dictionary reads every entry of the package as the package does (re-pack with scripts/pack-cmudict.mjs after an upgrade)', () => {
  let n = 0;
  for (const [word, phones] of Object.entries(dictionary)) {
    assert.deepEqual(dictionaryReading(word), parseArpabet(phones), word);
    n++;
  }
  assert.ok(n > 130_000);
});

test('the packed dictionary has an entry exactly where the package has one (its own keys, not Object.prototype\'s)', () => {
  for (const w of ['', 'zzqx', 'constructor', 'toString', '__proto__', 'tooleyy', 'a ', ' a', 'waterloo\n']) {
    assert.deepEqual(dictionaryReading(w), Object.hasOwn(dictionary, w) ? parseArpabet(dictionary[w]) : null, JSON.stringify(w));
  }
});

test('firstReading(w) is pronounce(w)[0]: dictionary words, London overrides, plurals, compounds, numbers, letter rules', () => {
  const words = Object.keys(dictionary).filter((w, i) => i % 5 === 0 && !w.includes('('));
  words.push('marylebone', 'greenwich', 'st', 'johns', 'shoreditch', 'houndsditch', 'kennington', 'qeop', 'xyzzyq', 'bxqtrk', '0', '7', '12', '13', '2024', 'Waterloo');
  for (const w of words) assert.deepEqual(firstReading(w), pronounce(w)[0], w);
});
