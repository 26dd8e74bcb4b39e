import { PACKED } from './cmu-dictionary.js';
import { arpabet, isVowel, parseArpabet, phonemeCode, PHONEMES, VOWELS } from './phonemes.js';

export { arpabet, isVowel, PHONEMES, VOWELS };

/**
 * How words sound: ARPAbet phonemes from the CMU pronouncing dictionary, an
 * override table for London names whose spelling lies, compounds split into
 * dictionary words, and letter-to-sound rules for whatever is left. Phonemes are
 * small integers (see phonemes.ts).
 *
 * The dictionary is one packed string (cmu-dictionary.ts, "word codes" a line,
 * sorted) searched in place: it loads in a few milliseconds, where the package's
 * 4.7 MB object literal took ~0.6 s to compile in every process.
 */

/** Compares word with the word of the line starting at `start` (by UTF-16 code unit, as the packer sorted). */
function compareAt(word: string, start: number): number {
  for (let i = 0; ; i++) {
    const a = i < word.length ? word.charCodeAt(i) : -1;
    const c = PACKED.charCodeAt(start + i);
    const b = c === 32 ? -1 : c;
    if (a !== b || a === -1) return a - b;
  }
}

/**
 * Line starts sampled at even distances through PACKED (and, last, its length + 1):
 * constant once loaded. A full index of the 135,155 line starts cost every process two
 * passes over 2 MB (~14 ms) and half a megabyte before its first answer; these 8,192
 * cost a short backward scan each, and a lookup searches them, then the ~16 lines between two.
 */
const ANCHORS = anchorsOf(PACKED, 8192);

function anchorsOf(s: string, n: number): Int32Array {
  const at: number[] = [0];
  for (let i = 1; i < n; i++) {
    const start = s.lastIndexOf('\n', Math.floor((i * s.length) / n) - 1) + 1;
    if (start > at[at.length - 1]) at.push(start);
  }
  at.push(s.length + 1);
  return Int32Array.from(at);
}

/** The dictionary's reading of a word (or of "word(2)", its second one), or null. */
export function dictionaryReading(word: string): number[] | null {
  // The last anchor whose line is not after the word.
  let a = 0;
  let b = ANCHORS.length - 2;
  while (a < b) {
    const m = (a + b + 1) >> 1;
    if (compareAt(word, ANCHORS[m]) >= 0) a = m;
    else b = m - 1;
  }
  // Then between it and the next, probing from a middle character back to its line's
  // start: lo is always a line start, hi a line start or just past the text.
  let lo = ANCHORS[a];
  let hi = ANCHORS[a + 1];
  while (lo < hi) {
    const lineStart = PACKED.lastIndexOf('\n', ((lo + hi) >>> 1) - 1) + 1;
    const c = compareAt(word, lineStart);
    let end = PACKED.indexOf('\n', lineStart);
    if (end < 0) end = PACKED.length;
    if (c === 0) {
      const out: number[] = [];
      for (let i = lineStart + word.length + 1; i < end; i++) out.push(PACKED.charCodeAt(i) - 48);
      return out;
    }
    if (c < 0) hi = lineStart;
    else lo = end + 1;
  }
  return null;
}

/**
 * London names the dictionary lacks or says the American way: each with the ways a
 * Londoner says it (a recogniser hears those), the dictionary's own reading kept too.
 */
const LONDON: Record<string, string[]> = {
  marylebone: ['M AA R L IH B AH N', 'M AE R IH L IH B OW N', 'M AA R IY L IY B OW N'],
  southwark: ['S AH DH ER K'],
  holborn: ['HH OW B ER N', 'HH OW L B AO N'],
  greenwich: ['G R EH N IH CH', 'G R IH N IH JH'],
  belvoir: ['B IY V ER'],
  cadogan: ['K AH D AH G AH N'],
  leicester: ['L EH S T ER'],
  gloucester: ['G L AO S T ER'],
  worcester: ['W UH S T ER'],
  berkeley: ['B AA K L IY'],
  grosvenor: ['G R OW V N ER'],
  theobalds: ['T IH B AH L D Z', 'TH IY AH B AO L D Z'],
  theobald: ['T IH B AH L D'],
  clerkenwell: ['K L AA K AH N W EH L'],
  bermondsey: ['B ER M AH N D Z IY'],
  pancras: ['P AE N K R AH S'],
  plaistow: ['P L AA S T OW', 'P L EY S T OW'],
  hertford: ['HH AA T F ER D'],
  derby: ['D AA B IY'],
  clapham: ['K L AE P AH M'],
  streatham: ['S T R EH T AH M'],
  lewisham: ['L UW IH SH AH M'],
  chelsea: ['CH EH L S IY'],
  fulham: ['F UH L AH M'],
  woolwich: ['W UH L IH CH'],
  aldwych: ['AO L D W IH CH'],
  dulwich: ['D AH L IH CH'],
  chiswick: ['CH IH Z IH K'],
  warwick: ['W AO R IH K'],
  harwich: ['HH AE R IH JH'],
  keswick: ['K EH Z IH K'],
  walworth: ['W AO L W ER TH'],
  hoxton: ['HH AA K S T AH N'],
  islington: ['IH Z L IH NG T AH N'],
  deptford: ['D EH T F ER D'],
  pimlico: ['P IH M L IH K OW'],
  vauxhall: ['V AA K S HH AO L'],
  shoreditch: ['SH AO D IH CH'],
  houndsditch: ['HH AW N D Z D IH CH'],
  fitzrovia: ['F IH T S R OW V IY AH'],
  borough: ['B AH R AH'],
  thames: ['T EH M Z'],
  ravenscourt: ['R EY V AH N Z K AO T'],
  bloomsbury: ['B L UW M Z B R IY'],
  finsbury: ['F IH N Z B R IY'],
  shadwell: ['SH AE D W EH L'],
  stepney: ['S T EH P N IY'],
  wandsworth: ['W AA N D Z W ER TH'],
  battersea: ['B AE T ER S IY'],
  knightsbridge: ['N AY T S B R IH JH'],
  edgware: ['EH JH W EH R'],
  mile: ['M AY L'],
  quay: ['K IY'],
  ralph: ['R EY F', 'R AE L F'],
  st: ['S AH N T', 'S T R IY T'],
};

/** Letter-to-sound rules, longest spelling first at each position: for words no dictionary has. */
const RULES: Array<[string, string]> = [
  ['tch', 'CH'], ['igh', 'AY'], ['ough', 'AO'], ['augh', 'AO'], ['tion', 'SH AH N'], ['sion', 'ZH AH N'], ['ture', 'CH ER'], ['eau', 'OW'],
  ['sch', 'S K'], ['ch', 'CH'], ['sh', 'SH'], ['th', 'TH'], ['ph', 'F'], ['wh', 'W'], ['ck', 'K'], ['ng', 'NG'], ['qu', 'K W'], ['gh', ''], ['kn', 'N'], ['wr', 'R'], ['dg', 'JH'],
  ['ee', 'IY'], ['ea', 'IY'], ['oo', 'UW'], ['ai', 'EY'], ['ay', 'EY'], ['ei', 'EY'], ['ey', 'IY'], ['oa', 'OW'], ['ow', 'OW'], ['ou', 'AW'], ['oi', 'OY'], ['oy', 'OY'],
  ['au', 'AO'], ['aw', 'AO'], ['ew', 'UW'], ['ie', 'IY'], ['ue', 'UW'], ['ar', 'AA R'], ['er', 'ER'], ['ir', 'ER'], ['ur', 'ER'], ['or', 'AO R'],
  ['a', 'AE'], ['b', 'B'], ['c', 'K'], ['d', 'D'], ['e', 'EH'], ['f', 'F'], ['g', 'G'], ['h', 'HH'], ['i', 'IH'], ['j', 'JH'], ['k', 'K'], ['l', 'L'], ['m', 'M'],
  ['n', 'N'], ['o', 'AA'], ['p', 'P'], ['q', 'K'], ['r', 'R'], ['s', 'S'], ['t', 'T'], ['u', 'AH'], ['v', 'V'], ['w', 'W'], ['x', 'K S'], ['y', 'IY'], ['z', 'Z'],
];

/** A rule with its sound already in codes. */
interface Rule {
  spelling: string;
  sound: readonly number[];
}

/**
 * RULES by their first letter, each list in RULES' order (longest spelling first):
 * only those can match at a position, and the sounds are parsed once, not per letter.
 */
const RULES_BY_LETTER: ReadonlyMap<string, readonly Rule[]> = (() => {
  const m = new Map<string, Rule[]>();
  for (const [spelling, sound] of RULES) {
    let list = m.get(spelling[0]);
    if (!list) m.set(spelling[0], (list = []));
    list.push({ spelling, sound: parseArpabet(sound) });
  }
  return m;
})();
const SOFT_C = parseArpabet('S');
const SOFT_G = parseArpabet('JH');

/** Spelling-to-sound by rule: a rough reading, but near enough for the aligner's cost model. */
export function lettersToSound(word: string): number[] {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  // A final silent e ("gate", "stone") only lengthens the vowel before it.
  if (w.length > 3 && w.endsWith('e') && !/[aeiou]e$|le$/.test(w)) w = w.slice(0, -1);
  const out: number[] = [];
  let i = 0;
  while (i < w.length) {
    const rule = RULES_BY_LETTER.get(w[i])?.find((r) => w.startsWith(r.spelling, i));
    if (!rule) {
      i++;
      continue;
    }
    const g = rule.spelling;
    let sound = rule.sound;
    // A soft c or g before e, i, y.
    const next = w[i + 1];
    if ((g === 'c' || g === 'g') && (next === 'e' || next === 'i' || next === 'y')) sound = g === 'c' ? SOFT_C : SOFT_G;
    // A doubled consonant sounds once.
    if (g.length === 1 && !'aeiouy'.includes(g) && i > 0 && w[i - 1] === g) sound = [];
    for (const code of sound) out.push(code);
    i += g.length;
  }
  return out;
}

const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

function dictionaryReadings(word: string): number[][] {
  const out: number[][] = [];
  const first = dictionaryReading(word);
  if (first === null) return out;
  out.push(first);
  const second = dictionaryReading(`${word}(2)`);
  if (second !== null) out.push(second);
  return out;
}

/** A word the dictionary lacks as two or three it has ("shoreditch" → shore + ditch). */
function compound(word: string, depth = 0): number[] | null {
  for (let cut = word.length - 3; cut >= 3; cut--) {
    const head = word.slice(0, cut);
    const tail = word.slice(cut);
    const h = dictionaryReading(head);
    if (!h) continue;
    const t0 = dictionaryReading(tail);
    if (t0) return [...h, ...t0];
    if (depth === 0) {
      const t = compound(tail, 1);
      if (t) return [...h, ...t];
    }
  }
  return null;
}

function numberReading(w: string): number[] {
  const n = Number(w);
  return n < NUMBERS.length ? (dictionaryReading(NUMBERS[n]) ?? []) : w.split('').flatMap((d) => dictionaryReading(NUMBERS[Number(d)]) ?? []);
}

/**
 * pronounce(word)[0] without finding the other readings: what a name's sound index
 * keeps of each of its words, for the cost of one dictionary search where the word has
 * a reading (the second reading's search and the override table's others are skipped).
 */
export function firstReading(word: string): number[] {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return numberReading(w);
  if (Object.hasOwn(LONDON, w)) return parseArpabet(LONDON[w][0]);
  const first = dictionaryReading(w);
  if (first !== null) return first;
  const stem = w.endsWith('s') ? dictionaryReading(w.slice(0, -1)) : null;
  if (stem) return [...stem, phonemeCode('Z')!];
  return (w.length >= 6 ? compound(w) : null) ?? lettersToSound(w);
}

/**
 * The ways a word is said, most likely first (at most three): London overrides,
 * then the dictionary, then a compound of dictionary words, then letter rules.
 */
export function pronounce(word: string): number[][] {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return [numberReading(w)];
  const out: number[][] = [];
  if (Object.hasOwn(LONDON, w)) for (const s of LONDON[w]) out.push(parseArpabet(s));
  for (const r of dictionaryReadings(w)) out.push(r);
  // "johns", "pauls": a possessive the dictionary lacks is the name and an s.
  const stem = out.length === 0 && w.endsWith('s') ? dictionaryReading(w.slice(0, -1)) : null;
  if (stem) out.push([...stem, phonemeCode('Z')!]);
  if (out.length === 0 && w.length >= 6) {
    const c = compound(w);
    if (c) out.push(c);
  }
  if (out.length === 0) out.push(lettersToSound(w));
  return out.slice(0, 3);
}
