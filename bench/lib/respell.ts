import { dictionary } from 'cmu-pronouncing-dictionary';
import { PHONEMES, VOWELS, pronounce } from '../../src/domain/understand/pronounce.js';
import type { EvalCase } from '../../src/eval/eval-case.js';
import { splitStationName } from '../../src/domain/understand/name-words.js';
import { seededRandom } from '../../src/replay/faults.js';

/**
 * Our own respeller: makes many more test cases than the dev files hold, from
 * every station name, the way a recogniser or a hurried thumb would write it.
 * Recogniser style: the name's phonemes re-cut into everyday words with no regard
 * for the name's own word breaks ("Tooley" → "to lee"), homophones, a vowel heard
 * as a neighbour. Typed style: dropped, doubled and swapped letters, abbreviations,
 * the area left off. Deterministic (seeded), so a score is reproducible.
 * It shares the pronouncing dictionary with the matcher but none of its code
 * (segmentation is here, alignment is there).
 */

/** Seeded, so a generated set is the same on every run (the replay server's mulberry32). */
export const rng: (seed: number) => () => number = seededRandom;

/** Vowels a listener may hear for one another (one step, both ways). */
const VOWEL_SWAPS: Record<string, string[]> = {
  AH: ['IH', 'ER', 'AA'], IH: ['AH', 'IY'], ER: ['AH', 'AA'], IY: ['IH'], UW: ['UH'], UH: ['UW', 'AH'], AA: ['AO', 'AH'], AO: ['AA', 'OW'], EH: ['AE', 'EY'], AE: ['EH', 'AA'], EY: ['EH'], OW: ['AO'],
};

/** phoneme string ("K R OW M") → plain words said that way, shortest spelling first. */
export type SoundWords = Map<string, string[]>;

/** Words a recogniser would write: letters only, short, not a name-ish rarity (at most two readings). */
export function soundWords(): SoundWords {
  const out: SoundWords = new Map();
  for (const [word, pron] of Object.entries(dictionary)) {
    if (!/^[a-z]{1,7}$/.test(word)) continue;
    if (word.length === 1 && word !== 'a' && word !== 'i') continue;
    if (dictionary[`${word}(3)`] !== undefined) continue;
    const key = pron.replace(/\d/g, '');
    const list = out.get(key);
    if (list) list.push(word);
    else out.set(key, [word]);
  }
  for (const list of out.values()) list.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  return out;
}

const NAMES = PHONEMES as readonly string[];

/**
 * Re-cuts a phoneme run into words: each piece 1–5 phonemes that some word is said
 * as (a vowel may be heard as a neighbour). Random among the cuts that work, with
 * a preference for pieces that cross the original word breaks. null when none.
 */
export function recut(ph: readonly number[], words: SoundWords, rand: () => number): string[] | null {
  const n = ph.length;
  // Every way to say ph[i..j) as one word, found once.
  const pieces: Array<Array<{ j: number; word: string }>> = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j <= Math.min(n, i + 5); j++) {
      const seg = ph.slice(i, j).map((p) => NAMES[p]);
      const exact = words.get(seg.join(' '));
      if (exact) for (const w of exact.slice(0, 3)) pieces[i].push({ j, word: w });
      // One vowel heard as a neighbour.
      for (let k = 0; k < seg.length; k++) {
        for (const alt of VOWEL_SWAPS[seg[k]] ?? []) {
          const s2 = seg.slice();
          s2[k] = alt;
          const ws = words.get(s2.join(' '));
          if (ws) pieces[i].push({ j, word: ws[0] });
        }
      }
    }
  }
  // Reachable-to-end table, then a random walk along it.
  const ok = new Uint8Array(n + 1);
  ok[n] = 1;
  for (let i = n - 1; i >= 0; i--) ok[i] = pieces[i].some((p) => ok[p.j]) ? 1 : 0;
  if (!ok[0]) return null;
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    const choices = pieces[i].filter((p) => ok[p.j]);
    // Favour pieces of two to four phonemes: one-phoneme words ("a", "i") are rarer in real transcripts.
    const weights = choices.map((p) => (p.j - i === 1 ? 0.3 : p.j - i <= 4 ? 1 : 0.6));
    let r = rand() * weights.reduce((a, b) => a + b, 0);
    let pick = choices[0];
    for (let k = 0; k < choices.length; k++) {
      r -= weights[k];
      if (r <= 0) {
        pick = choices[k];
        break;
      }
    }
    out.push(pick.word);
    i = pick.j;
  }
  return out;
}

/** The street part and the area of a name as said ("Bell Street , Marylebone" → ["bell street", "marylebone"]). */
export function nameParts(name: string): { street: string[]; area: string[] } {
  const ws = splitStationName(name);
  return { street: ws.filter((w) => w.part === 'street' && !w.optional).map((w) => w.text), area: ws.filter((w) => w.part === 'area').map((w) => w.text) };
}

/** One reading of each word, the London one where there is one; phonemes back to back. */
function phonemesOf(words: readonly string[]): number[] {
  return words.flatMap((w) => pronounce(w)[0]);
}

/** A recogniser-style respelling of words: re-cut as a whole, or word by word where the whole will not cut. */
export function respellWords(words: readonly string[], sw: SoundWords, rand: () => number): string | null {
  const whole = recut(phonemesOf(words), sw, rand);
  if (whole) return whole.join(' ');
  const parts = words.map((w) => recut(phonemesOf([w]), sw, rand)?.join(' ') ?? w);
  return parts.join(' ');
}

const TEMPLATES = ['{x}', 'any bikes at {x}', '{x} bikes', 'docks at {x}', 'is there space at {x}', 'how many e-bikes at {x}', 'bikes at {x} please'];
const WANT_OF = ['any', 'bikes', 'bikes', 'docks', 'docks', 'ebikes', 'bikes'] as const;

const ABBREV: Record<string, string> = { street: 'st', road: 'rd', square: 'sq', avenue: 'ave', place: 'pl', gardens: 'gdns', terrace: 'terr', crescent: 'cres', lane: 'ln', station: 'stn' };

function typo(word: string, rand: () => number): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(rand() * (word.length - 2));
  const k = Math.floor(rand() * 3);
  if (k === 0) return word.slice(0, i) + word.slice(i + 1); // dropped
  if (k === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swapped
  return word.slice(0, i) + word[i] + word.slice(i); // doubled
}

/** Neighbouring keys on a QWERTY keyboard: the slip of a thumb. */
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function neighbours(ch: string): string {
  for (let r = 0; r < ROWS.length; r++) {
    const i = ROWS[r].indexOf(ch);
    if (i < 0) continue;
    return (ROWS[r][i - 1] ?? '') + (ROWS[r][i + 1] ?? '');
  }
  return '';
}

/** One letter of a word replaced by a key next to it. */
function slip(word: string, rand: () => number): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rand() * (word.length - 1));
  const near = neighbours(word[i]);
  if (!near) return word;
  return word.slice(0, i) + near[Math.floor(rand() * near.length)] + word.slice(i + 1);
}

/**
 * More typed noise, drawn from its own seeded stream so the cases above stay as they
 * were: a key next to the right one (gen_keyboard), two words run together or the
 * apostrophe and space habits of a phone (gen_joined), and the name in a lazy
 * lower-case hurry with no street word ("percival" for Percival Street: gen_bare).
 */
export function generateTypedCases(stations: readonly Station[], opts: { seed?: number } = {}): EvalCase[] {
  const rand = rng((opts.seed ?? 9) + 1000);
  const byStreet = new Map<string, string[]>();
  const byBare = new Map<string, string[]>();
  for (const s of stations) {
    const st = nameParts(s.name).street;
    byStreet.set(st.join(' '), [...(byStreet.get(st.join(' ')) ?? []), s.id]);
    const bare = st.filter((w) => !STREET_WORDS.has(w)).join(' ');
    byBare.set(bare, [...(byBare.get(bare) ?? []), s.id]);
  }
  // A bare name that is also an area or a landmark ("bethnal green", "lambeth palace") names that place, not the dock.
  const areas = new Set(stations.map((s) => nameParts(s.name).area.join(' ')));
  const out: EvalCase[] = [];
  let n = 0;
  for (const s of stations) {
    const { street, area } = nameParts(s.name);
    if (street.length === 0) continue;
    const key = street.join(' ');
    const kind = ['gen_keyboard', 'gen_joined', 'gen_bare'][Math.floor(rand() * 3)];
    let words = street.slice();
    let among = byStreet.get(key) ?? [s.id];
    if (kind === 'gen_keyboard') {
      let longest = 0;
      for (let i = 1; i < words.length; i++) if (words[i].length > words[longest].length) longest = i;
      words[longest] = slip(words[longest], rand);
    } else if (kind === 'gen_joined') {
      if (words.length < 2) continue;
      const i = Math.floor(rand() * (words.length - 1));
      words = [...words.slice(0, i), words[i] + words[i + 1], ...words.slice(i + 2)];
    } else {
      const bare = words.filter((w) => !STREET_WORDS.has(w));
      // Only where the rest is still a name of its own ("percival", not "new").
      if (bare.length === 0 || bare.length === words.length || bare.join('').length < 6) continue;
      if (areas.has(bare.join(' ')) || bare.some((w) => PLACE_WORDS.has(w) || areas.has(w))) continue;
      among = byBare.get(bare.join(' ')) ?? [s.id];
      words = bare;
    }
    const withArea = area.length > 0 && rand() < 0.3;
    const text = [...words, ...(withArea ? area : [])].join(' ');
    const t = Math.floor(rand() * TEMPLATES.length);
    const expect = expectFor(s, among, withArea, stations);
    out.push({ id: `k${String(++n).padStart(5, '0')}`, kind: 'name', utterance: TEMPLATES[t].replace('{x}', text), intent: 'station_status', want: WANT_OF[t], expect, noise: kind });
  }
  return out;
}

/** The station, or a choice among namesakes (those in the area said, when it is said: "Queen's Gate (South)" and "(Central)" are both South Kensington). */
function expectFor(s: Station, namesakes: readonly string[], withArea: boolean, stations: readonly Station[]): EvalCase['expect'] {
  let among = namesakes;
  if (withArea) {
    const area = nameParts(s.name).area.join(' ');
    among = namesakes.filter((id) => nameParts(stations.find((x) => x.id === id)?.name ?? '').area.join(' ') === area);
  }
  return among.length > 1 ? { ambiguous_among: [...among] } : { station_ids: [s.id] };
}

/** Words that make a phrase a place of its own. */
const PLACE_WORDS: ReadonlySet<string> = new Set(['park', 'palace', 'green', 'bridge', 'station', 'market', 'monument', 'common', 'fields', 'junction', 'wharf', 'pier', 'cross', 'circus', 'london', 'city', 'museum', 'church', 'hospital']);

/** The street-type words a hurried person leaves off. */
const STREET_WORDS: ReadonlySet<string> = new Set(['street', 'road', 'square', 'avenue', 'place', 'lane', 'gardens', 'terrace', 'crescent', 'grove', 'walk', 'way', 'row', 'close', 'mews', 'drive', 'gate', 'hill', 'yard', 'court']);

export interface Station {
  id: string;
  name: string;
}

/**
 * Generated cases for every station: `perStation` recogniser-style asks and as
 * many typed ones. The expected answer is the station; where other stations have
 * the same street words (and the ask leaves the area off) it is a choice among them.
 */
export function generateCases(stations: readonly Station[], opts: { seed?: number; perStation?: number } = {}): EvalCase[] {
  const rand = rng(opts.seed ?? 9);
  const per = opts.perStation ?? 2;
  const sw = soundWords();
  const byStreet = new Map<string, string[]>();
  for (const s of stations) {
    const key = nameParts(s.name).street.join(' ');
    byStreet.set(key, [...(byStreet.get(key) ?? []), s.id]);
  }
  const out: EvalCase[] = [];
  let n = 0;
  const push = (s: Station, text: string, withArea: boolean, street: string, noise: string) => {
    const t = Math.floor(rand() * TEMPLATES.length);
    const namesakes = byStreet.get(street) ?? [s.id];
    const expect = expectFor(s, namesakes, withArea, stations);
    out.push({ id: `g${String(++n).padStart(5, '0')}`, kind: 'name', utterance: TEMPLATES[t].replace('{x}', text), intent: 'station_status', want: WANT_OF[t], expect, noise });
  };
  for (const s of stations) {
    const { street, area } = nameParts(s.name);
    if (street.length === 0) continue;
    const key = street.join(' ');
    for (let k = 0; k < per; k++) {
      const withArea = area.length > 0 && rand() < 0.35;
      const said = respellWords(street, sw, rand);
      if (said && said !== key) {
        const areaSaid = withArea ? ` ${respellWords(area, sw, rand) ?? area.join(' ')}` : '';
        push(s, said + areaSaid, withArea, key, 'gen_asr');
      }
      // Typed: one of a typo, an abbreviation, the full name, the street alone.
      const kind = k % 2 === 0 ? (rand() < 0.5 ? 'gen_typo' : 'gen_abbrev') : rand() < 0.5 ? 'gen_exact' : 'gen_partial';
      let words = street.slice();
      if (kind === 'gen_typo') {
        let longest = 0;
        for (let i = 1; i < words.length; i++) if (words[i].length > words[longest].length) longest = i;
        words[longest] = typo(words[longest], rand);
      } else if (kind === 'gen_abbrev') words = words.map((w) => ABBREV[w] ?? w);
      const typedArea = kind === 'gen_exact' ? area : kind === 'gen_partial' ? [] : withArea ? area : [];
      const text = [...words, ...typedArea].join(' ');
      if (kind === 'gen_abbrev' && text === [...street, ...typedArea].join(' ')) continue;
      push(s, text, typedArea.length > 0, key, kind);
    }
  }
  return out;
}

export { VOWELS };
