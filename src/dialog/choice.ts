/**
 * How people answer "which one?": "3", "three", "station three", "the third one",
 * "number three", "option three", a key pressed on the phone, "Waterloo 3", and on
 * a call whatever the recogniser wrote for "two" ("to", "too") or "four" ("for").
 *
 * Two readings of a number compete. Ordinals ("the third one") count down the list.
 * A bare number names the option whose own name carries it when the options are a
 * numbered family ("Waterloo Station 1 … 3", which choose.ts lists in that order, so
 * the two readings agree); otherwise it counts down the list.
 */
import { shortName } from './replies/format.js';

export interface ChoiceOptions {
  /** Spoken input: homophones of numbers ("to", "for") count as numbers when nothing else does. */
  voice: boolean;
}

/** The outcome: an option's 0-based index, a number beyond the list, or nothing recognised as a choice. */
export type Choice = { kind: 'option'; index: number } | { kind: 'out_of_range'; said: number } | null;

const CARDINALS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
};
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, last: -1,
  '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5, '6th': 6, '7th': 7, '8th': 8, '9th': 9, '10th': 10,
};
/** What speech recognisers write for a number said alone. Only on calls, and only when no other number was said. */
const HOMOPHONES: Record<string, number> = { to: 2, too: 2, tu: 2, for: 4, fore: 4, won: 1, free: 3, tree: 3, ate: 8 };

/** Words around a choice that say nothing about which: "I'd like option number three please". */
const FILLER = new Set([
  'the', 'a', 'an', 'number', 'no', 'nr', 'num', 'option', 'choice', 'station', 'stn', 'dock', 'docks', 'docking', 'please', 'pls', 'i', 'id', 'd',
  'ill', 'll', 'im', 'want', 'would', 'like', 'take', 'go', 'for', 'with', 'that', 'it', 'its', 's', 'is', 'say', 'mean', 'meant', 'er', 'erm', 'um',
  'uh', 'umm', 'ok', 'okay', 'oh', 'hash', 'pound', 'press', 'pressed', 'dial', 'yes', 'yeah', 'yep', 'thanks', 'thank', 'you', 'cheers', 'one',
  'ones', 'lets', 'let', 'me', 'have', 'pick', 'choose', 'make', 'try', 'just', 'hmm', 'so', 'well', 'then', 'of', 'them', 'those', 'at', 'to',
  'too', 'which', 'was', 'my', 'bikes', 'bike', 'spaces', 'space', 'ebikes', 'e', 'thats', 'theres', 'go', 'gonna', 'will', 'do', 'can', 'get', 'need', 'want', 'wanna', 'how', 'about', 'what', 'think', 'guess', 'maybe', 'probably', 'reckon', 'actually',
]);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1$2')
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The numbers an option's own name carries ("Waterloo Station 3" → [3]), area left out. */
export function nameNumbers(name: string): number[] {
  return words(shortName(name))
    .filter((w) => /^\d{1,3}$/.test(w))
    .map(Number);
}

/** Options whose names each carry one number, all different: "Waterloo Station 1, 2, 3". */
export function numberedFamily(names: readonly string[]): boolean {
  if (names.length < 2) return false;
  const nums = names.map(nameNumbers);
  if (!nums.every((n) => n.length === 1)) return false;
  return new Set(nums.map((n) => n[0])).size === names.length;
}

/** Name words of an option, numbers as digits, for "Waterloo 3" / "waterloo three". */
function nameWords(name: string): string[] {
  return words(name).map((w) => (w in CARDINALS ? String(CARDINALS[w]) : w));
}

function wordMatches(said: string, name: readonly string[]): boolean {
  // A typed prefix ("water") names the word; short words must be whole.
  return name.some((w) => w === said || (said.length >= 3 && w.startsWith(said)));
}

/** Reads the reply as a choice among `options`, or null when it is not one. */
export function readChoice(text: string, options: ReadonlyArray<{ name: string }>, opts: ChoiceOptions): Choice {
  const ws = words(text);
  if (ws.length === 0 || ws.length > 12 || options.length === 0) return null;
  const ordinals: number[] = [];
  const numbers: number[] = [];
  const rest: string[] = [];
  const homophones: number[] = [];
  for (const w of ws) {
    if (w in ORDINALS) ordinals.push(ORDINALS[w]);
    else if (/^\d{1,3}$/.test(w)) numbers.push(Number(w));
    else if (w in CARDINALS && w !== 'oh' && w !== 'one') numbers.push(CARDINALS[w]);
    else if (w === 'one') rest.push(w);
    else if (opts.voice && w in HOMOPHONES) homophones.push(HOMOPHONES[w]);
    else if (!FILLER.has(w)) rest.push(w);
  }
  const ones = rest.filter((w) => w === 'one').length;
  const named = rest.filter((w) => w !== 'one');
  // "one" is a number ("number one", "Waterloo one") unless it stands for the option itself:
  // "the third one", "the Soho one".
  const pronoun = named.length > 0 && ws[0] === 'the' && ws[ws.length - 1] === 'one' && ones === 1;
  if (ordinals.length === 0 && numbers.length === 0 && ones > 0 && !pronoun) numbers.push(1);
  // "to" in "take me to Waterloo" is not a two: with name words, only a last word counts ("Waterloo station to").
  const lastIsHomophone = opts.voice && ws[ws.length - 1] in HOMOPHONES;
  if (ordinals.length === 0 && numbers.length === 0 && homophones.length === 1 && (named.length === 0 || lastIsHomophone)) numbers.push(homophones[0]);

  const names = options.map((o) => o.name);
  const family = numberedFamily(names);
  const position = (n: number): Choice => (n === -1 ? { kind: 'option', index: options.length - 1 } : n >= 1 && n <= options.length ? { kind: 'option', index: n - 1 } : { kind: 'out_of_range', said: n });

  if (named.length === 0) {
    if (ordinals.length === 1 && numbers.length === 0) return position(ordinals[0]);
    if (numbers.length === 1 && ordinals.length === 0) {
      const n = numbers[0];
      if (family) {
        const hit = names.findIndex((nm) => nameNumbers(nm)[0] === n);
        if (hit >= 0) return { kind: 'option', index: hit };
      }
      return position(n);
    }
    return null;
  }

  // Name words with at most one number: "Waterloo 3", "waterloo station three", "the Soho one".
  if (numbers.length > 1 || ordinals.length > 1) return null;
  const fits = options
    .map((o, i) => ({ i, name: nameWords(o.name) }))
    .filter(({ name }) => named.every((w) => wordMatches(w, name)));
  if (fits.length === 0) return null;
  if (numbers.length === 1) {
    const withNumber = fits.filter(({ name }) => name.includes(String(numbers[0])));
    if (withNumber.length === 1) return { kind: 'option', index: withNumber[0].i };
    // "Waterloo option 3": the words fit every option and the number counts down the list.
    if (withNumber.length === 0 && fits.length === options.length && !family) return position(numbers[0]);
    return null;
  }
  if (ordinals.length === 1 && fits.length === options.length) return position(ordinals[0]);
  return fits.length === 1 && ordinals.length === 0 ? { kind: 'option', index: fits[0].i } : null;
}
