/**
 * Matching a reply against the options the bot just offered. The person only has
 * to say enough to tell the options apart ("Waterloo 3", "the Soho one"), so this
 * compares with the few names on the table, not with the whole station list.
 */
import { ORDINALS } from '../domain/understand/lexicon.js';
import { withinOneEdit } from '../domain/understand/phonetic.js';

const STOP = new Set(['the', 'one', 'a', 'at', 'on', 'in', 'please', 'station', 'stn', 'st', 'street', 'road', 'rd', 'i', 'mean', 'meant', 'number', 'no', 'yes', 'that', 'near', 'by', 'of']);

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

function tokenMatches(said: string, name: readonly string[]): boolean {
  if (/^\d+$/.test(said)) return name.includes(said);
  // A typed prefix ("water") or a small slip in a longer word still names the word.
  return name.some((w) => w === said || (said.length >= 3 && w.startsWith(said)) || (said.length >= 5 && w.length >= 5 && withinOneEdit(said, w)));
}


/**
 * Indexes of every option the text fits: numbers must agree ("Waterloo 3" is not
 * "Waterloo Station 1"), and every distinguishing word said must be in the name.
 * One index names an option; several ("south bank" after "which area?") narrow the choice.
 */
export function matchOptions(text: string, options: ReadonlyArray<{ name: string }>): number[] {
  const said = tokens(text).filter((t) => !STOP.has(t));
  if (said.length === 0 || said.length > 12) return [];
  const out: number[] = [];
  options.forEach((o, i) => {
    const name = tokens(o.name);
    const numbersOk = said.filter((t) => /^\d+$/.test(t)).every((t) => name.includes(t));
    if (numbersOk && said.every((t) => tokenMatches(t, name))) out.push(i);
  });
  return out;
}

/**
 * "2", "2.", "#2", "the second one", "number 3": a bare choice, 0-based; -1 for
 * "the last one". A safety net under understand(), which should already say so.
 */
export function bareChoice(text: string): number | null {
  const t = text.toLowerCase().trim();
  const digit = /^(?:number\s+|no\.?\s*|#|option\s+)?(\d{1,2})\s*[.)!]?$/.exec(t);
  if (digit) return Number(digit[1]) - 1;
  const word = /^(?:the\s+)?(first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last|one|two|three|four|five)(?:\s+one)?(?:\s+please)?[.!]?$/.exec(t);
  if (word) {
    // The understanding's table counts from 1, with -1 for "last".
    const n = ORDINALS[word[1]];
    return n < 0 ? n : n - 1;
  }
  return null;
}
