import test from 'node:test';
import assert from 'node:assert/strict';
import { dictionary } from 'cmu-pronouncing-dictionary';
import { dictionaryReading } from '../../src/domain/understand/pronounce.js';
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
