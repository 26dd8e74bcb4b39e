import { FOREIGN_WORDS, KNOWN_WORDS } from './lexicon.js';
import { dictionaryReading } from './pronounce.js';

/**
 * Words typed with no spaces ("anyfreedocksatexhibitionroadknightsbridge",
 * "canidropitoffatmoriestreetanyspaces"), parted the way a reader parts them: into the fewest
 * words the pronouncing dictionary (135,000 English words and names) or our own lexicon knows.
 * mendWords in normalise.ts parts a run at the words of ours it can see at its ends; this is
 * for the runs it cannot, and for those so long they would otherwise be dropped as a mash.
 *
 * A letter no known word covers is allowed, dearly (a station's own odd word, "morie"), so a
 * run that is mostly known still parts; one that is mostly not ("asdkjhqwlekjh") is a mash and
 * is left alone. Pure; the work is bounded by MAX_RUN letters × MAX_WORD lengths.
 */

/** Words one can ask about one by one (a Set, or the station names' vocabulary, built when first asked). */
export interface WordSet {
  has(word: string): boolean;
}

/** Runs shorter than this are left to mendWords and the matchers. */
export const MIN_RUN = 10;
/**
 * Shorter runs than this part only into words we list ("streetrightnow"): one of that length may
 * be a long name the dictionary lacks ("spitalfields"), which its short words would chop.
 */
const LONG_RUN = 18;
const MAX_RUN = 64;
const MAX_WORD = 20;
/**
 * What a piece costs as a word: fewer, longer words are the likelier reading ("knightsbridge", not
 * "knights bridge"), and a word people type ("off", "docks") beats one only the dictionary has
 * ("toff", "sat"): the dictionary holds every surname and abbreviation, so its short words are dear.
 */
function pieceCost(w: string, listedOnly: boolean, nameWords: WordSet | undefined): number {
  if (w.length === 1) return w === 'a' || w === 'i' ? 1 : Infinity;
  // Our lexicon lists foreign words too ("que", "es"): a run is parted into English ones only.
  if (COMMON.has(w) || (KNOWN_WORDS.has(w) && !FOREIGN_WORDS.has(w) && w.length > 2)) return 0.8;
  // A word of the stations' names ("pall", "mall" of Pall Mall East) is as likely as one of ours: a run
  // that names a station parts into its name, not into the dictionary's words around a stray piece ("pal lmal least").
  if (nameWords !== undefined && w.length >= MIN_NAME_PIECE && nameWords.has(w)) return 0.8;
  if (w.length === 2 || listedOnly) return Infinity;
  if (dictionaryReading(w) === null) return Infinity;
  return w.length >= 5 ? 1 : 2.5;
}
/** Name words shorter than this ("of", "st", "way") are too easily found by chance inside other words. */
const MIN_NAME_PIECE = 4;
/** Short everyday words our lexicon has no reason to list. */
const COMMON: ReadonlySet<string> = new Set(['at', 'it', 'off', 'out', 'up', 'down', 'over', 'back', 'into', 'onto', 'with', 'from', 'just', 'like', 'put', 'let', 'see', 'say', 'way', 'day', 'its', 'our', 'his', 'her', 'him', 'she', 'they', 'them', 'then', 'than', 'was', 'were', 'has', 'had', 'been', 'will', 'would', 'should', 'could', 'about', 'after', 'before', 'still', 'some', 'very', 'also', 'only', 'even', 'well', 'much', 'more', 'most', 'less', 'one', 'two', 'three', 'four', 'five', 'six', 'ten', 'car', 'bus', 'tube', 'train', 'stop', 'park', 'if', 'on', 'by', 'of', 'to', 'in', 'is', 'me', 'my', 'an', 'or', 'no', 'so', 'do', 'go', 'we', 'us', 'am', 'be', 'im', 'ur', 'u', 'r', 'new', 'old', 'big', 'too', 'yet', 'why', 'who', 'did', 'does', 'have', 'got']);
/**
 * Letters no word covers, as one piece ("morie"): dearer than the dictionary's short words for a
 * long piece, cheaper for a short one, so a run is parted at the words people type and what is
 * left between them stays whole.
 */
const LOOSE_COST = 1;
const LOOSE_LETTER_COST = 0.5;
/** A run is parted only when known words cover this share of its letters, in two words at least. */
const MIN_KNOWN = 0.5;
/** Letters no word covers stand as a word of their own only this long ("morie"); shorter, the parting is a guess. */
const MIN_LOOSE = 3;

/**
 * The words a run of letters (a-z only) was typed as, or null when it is one word, or no words.
 * nameWords: the words of the snapshot's station names (NAME_WORDS in dialog/brain.ts), preferred as pieces.
 */
export function partRun(run: string, nameWords?: WordSet): string[] | null {
  const n = run.length;
  if (n < MIN_RUN || n > MAX_RUN || !/^[a-z]+$/.test(run) || KNOWN_WORDS.has(run) || nameWords?.has(run) === true || dictionaryReading(run) !== null) return null;
  // cost[i]: cheapest reading of run[0..i); from[i]: where its last piece starts; known[i]: whether that piece is a word.
  const cost = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1);
  const known = new Uint8Array(n + 1);
  cost[0] = 0;
  const listedOnly = n < LONG_RUN;
  for (let i = 0; i < n; i++) {
    if (cost[i] === Infinity) continue;
    // Letters no word covers, as one piece of at least MIN_LOOSE ("morie").
    for (let j = listedOnly ? n + 1 : i + MIN_LOOSE; j <= Math.min(n, i + MAX_WORD); j++) {
      const c = cost[i] + LOOSE_COST + LOOSE_LETTER_COST * (j - i);
      if (c < cost[j]) {
        cost[j] = c;
        from[j] = i;
        known[j] = 0;
      }
    }
    for (let j = i + 1; j <= Math.min(n, i + MAX_WORD); j++) {
      const pc = pieceCost(run.slice(i, j), listedOnly, nameWords);
      if (pc === Infinity) continue;
      const c = cost[i] + pc;
      if (c < cost[j]) {
        cost[j] = c;
        from[j] = i;
        known[j] = 1;
      }
    }
  }
  const words: string[] = [];
  let covered = 0;
  let knownWords = 0;
  for (let j = n; j > 0; j = from[j]) {
    words.push(run.slice(from[j], j));
    if (known[j]) {
      covered += j - from[j];
      knownWords++;
    }
  }
  return knownWords >= 2 && covered >= MIN_KNOWN * n ? words.reverse() : null;
}
