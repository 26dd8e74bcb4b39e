import { QUALIFIERS, STOP_WORDS, type NameWord } from './name-words.js';
import { isNumber } from './name-vocabulary.js';

/** Per name word, what score() needs to know that depends only on the name. */
export const AREA = 1;
/** Not saying it is no mismatch (parenthesised, a trailing qualifier, a number, a stop word). */
export const OPTIONAL = 2;
/** An area word that counts as the area being said. */
export const AREA_SAYS = 4;

export function wordFlags(words: readonly NameWord[]): Uint8Array {
  const flags = new Uint8Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.part === 'area') {
      flags[i] = AREA | (STOP_WORDS.has(w.text) ? 0 : AREA_SAYS);
      continue;
    }
    // "Here East North": a trailing direction tells siblings apart; "South Park" starts with its name.
    const trailing = i > 0 && (words[i + 1] === undefined || words[i + 1].part !== 'street');
    const optional = w.optional || (QUALIFIERS.has(w.text) && trailing) || isNumber(w.text) || STOP_WORDS.has(w.text);
    flags[i] = optional ? OPTIONAL : 0;
  }
  return flags;
}
