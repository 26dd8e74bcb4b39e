import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arpabet, lettersToSound, pronounce } from '../../src/domain/understand/pronounce.js';
import { SoundIndex, soundDistance, soundSimilarity } from '../../src/domain/understand/sound-match.js';
import { canonicalWords, splitStationName } from '../../src/domain/understand/name-words.js';

const ph = (s: string) => s.split(' ').flatMap((w) => pronounce(w)[0]);

test('pronounce: the dictionary, London overrides, compounds and letter rules', () => {
  assert.equal(arpabet(pronounce('tooley')[0]), 'T UW L IY');
  // Spelling lies: Southwark, Marylebone, Holborn, Leicester are said the London way first.
  assert.equal(arpabet(pronounce('southwark')[0]), 'S AH DH ER K');
  assert.equal(arpabet(pronounce('holborn')[0]), 'HH OW B ER N');
  assert.equal(arpabet(pronounce('leicester')[0]), 'L EH S T ER');
  assert.ok(pronounce('marylebone').length >= 2, 'Marylebone has more than one reading');
  // Not in the dictionary: a compound of two that are, or letter rules.
  assert.equal(arpabet(pronounce('shoreditch')[0]), 'SH AO D IH CH');
  assert.ok(pronounce('stebondale')[0].length >= 8);
  assert.equal(arpabet(lettersToSound('crinan')), 'K R IH N AE N');
  assert.equal(arpabet(pronounce('3')[0]), 'TH R IY');
});

test('cost model: voicing and vowel reduction are cheap, other consonant changes dear', () => {
  const base = ph('tap');
  const voiced = soundDistance(ph('tab'), base); // P → B
  const vowel = soundDistance(ph('tip'), base); // AE → IH
  const other = soundDistance(ph('tam'), base); // P → M
  assert.ok(voiced < other, `voicing ${voiced} < other ${other}`);
  assert.ok(vowel < other, `vowel ${vowel} < other ${other}`);
  assert.equal(soundDistance(base, base), 0);
  // Word breaks do not matter to the sound: "to lee" is Tooley.
  assert.equal(soundSimilarity(ph('to lee'), ph('tooley')), 1);
  assert.ok(soundSimilarity(ph('jury'), ph('jewry')) > 0.9);
  assert.ok(soundSimilarity(ph('jury'), ph('derry')) < soundSimilarity(ph('jury'), ph('jewry')));
});

const NAMES = [
  'Tooley Street, Bermondsey', 'Foley Street, Fitzrovia', 'Cromer Street, Bloomsbury', 'Coram Street, Bloomsbury', 'Jewry Street, Aldgate', 'Derry Street, Kensington',
  'Tyers Gate, Bermondsey', "Storey's Gate, Westminster", 'Leman Street, Aldgate', 'London Street, Paddington', 'Gloucester Terrace, Bayswater', 'Gloucester Street, Pimlico',
  'Gloucester Road Station, South Kensington', 'Bell Street , Marylebone', 'Cadogan Close, Victoria Park', 'Cadogan Place, Knightsbridge',
];

test('sound index: names found across word splits and joins, the right one first', () => {
  const idx = new SoundIndex(NAMES.map(splitStationName), NAMES.map((n) => splitStationName(n).map(() => 5)));
  const best = (said: string) => {
    const hits = idx.match(canonicalWords(said));
    hits.sort((a, b) => b.nameSim * b.coverage - a.nameSim * a.coverage);
    return NAMES[hits[0].station];
  };
  assert.equal(best('to lee street'), 'Tooley Street, Bermondsey');
  assert.equal(best('chrome or street'), 'Cromer Street, Bloomsbury');
  assert.equal(best('jury street'), 'Jewry Street, Aldgate');
  assert.equal(best('tires gate'), 'Tyers Gate, Bermondsey');
  assert.equal(best('lee mean street'), 'Leman Street, Aldgate');
  assert.equal(best('gloucester tear us'), 'Gloucester Terrace, Bayswater');
  assert.equal(best('cod oh gun close'), 'Cadogan Close, Victoria Park');
  // The area said after the street is heard too.
  const bell = idx.match(canonicalWords('belle street merle a bone')).find((h) => NAMES[h.station].startsWith('Bell'));
  assert.ok(bell && bell.areaSaid && bell.coverage > 0.9, JSON.stringify(bell));
  // Lead words are free unless the name uses them: "to" + "lee street".
  const lead = idx.match(canonicalWords('lee street'), undefined, ['to']).find((h) => NAMES[h.station].startsWith('Tooley'));
  assert.ok(lead && lead.nameSim > 0.95, JSON.stringify(lead));
});

test('sound index: stopping hopeless alignments early finds exactly what aligning every name in full finds', async () => {
  const fc = (await import('fast-check')).default;
  const names = NAMES.map(splitStationName);
  const weights = names.map((ws) => ws.map((_, k) => 1 + ((k * 7) % 9)));
  const fast = new SoundIndex(names, weights);
  const full = new SoundIndex(names, weights, { exhaustive: true });
  // Subjects made of pieces of the names, misheard words and fillers, split and joined anywhere.
  const pieces = [...new Set(NAMES.flatMap((n) => canonicalWords(n)))];
  const word = fc.oneof(fc.constantFrom(...pieces), fc.constantFrom('the', 'a', 'to', 'lee', 'chrome', 'or', 'bikes', 'near', 'tear', 'us', 'oh', 'gun'), fc.stringMatching(/^[a-z]{1,9}$/));
  const subject = fc.array(word, { minLength: 1, maxLength: 12 }).map((ws) => canonicalWords(ws.join(' ')));
  fc.assert(
    fc.property(subject, fc.array(fc.constantFrom('to', 'at', 'the'), { maxLength: 2 }), (said, lead) => {
      const all = full.match(said, undefined, lead);
      assert.deepEqual(fast.match(said, undefined, lead), all);
      // A caller that wants only strong hits gets exactly those.
      assert.deepEqual(fast.match(said, undefined, lead, [], 0.55), all.filter((h) => h.nameSim >= 0.55));
    }),
    { numRuns: 400, seed: 12 },
  );
});
