import type { Want } from '../station.js';
import type { FollowUp } from '../understanding.js';
import { tokens } from './normalise.js';
import * as L from './lexicon.js';

/**
 * The conversational cues in a message: social phrases (greeting, thanks, cancel),
 * what the person wants, and references back to the previous turn.
 */

export const SOCIAL_SOFT = new Set(['bikebot', 'bot', 'schon', 'mille', 'many', 'a', 'lot', 'so', 'much', 'very', 'you', 'u', 'mate', 'please', 'pls', 'there', 'bot', 'again', 'all', 'for', 'that', 'this', 'it', 'beaucoup', 'vielmals', 'really', 'x', 'xx', 'lol', 'then', 'man', 'buddy']);
export const PREFIX_SOFT = new Set(['actually', 'so', 'ok', 'okay', 'well', 'oh', 'um', 'uh', 'er', 'right', 'and', 'but', 'instead', 'wait', 'sorry', 'please', 'also', 'now', 'that', 'this', 'it']);
const FOLLOW_SOFT = new Set(['what', 'about', 'and', 'how', 'any', 'for', 'then', 'instead', 'please', 'some', 'there', 'is', 'are', 'the', 'only', 'just', 'or', 'with', 'ok', 'okay', 'so']);

/**
 * Whether ` ${phrase} ` occurs in padded (a text with a space at each end), found
 * in place: the phrase lists are long and most phrases are absent, so building
 * the spaced needle for each of them was most of what a message allocated.
 */
function occurs(padded: string, phrase: string): boolean {
  const n = phrase.length;
  if (n === 0) return padded.includes('  ');
  for (let i = padded.indexOf(phrase, 1); i >= 0; i = padded.indexOf(phrase, i + 1)) {
    if (padded.charCodeAt(i - 1) === 32 && padded.charCodeAt(i + n) === 32) return true;
  }
  return false;
}

/** Whether phrase occurs in text between spaces or the text's ends (as ` ${phrase} ` in ` ${text} `). */
function occursIn(text: string, phrase: string): boolean {
  const n = phrase.length;
  if (n === 0) return ` ${text} `.includes('  ');
  for (let i = text.indexOf(phrase); i >= 0; i = text.indexOf(phrase, i + 1)) {
    if ((i === 0 || text.charCodeAt(i - 1) === 32) && (i + n === text.length || text.charCodeAt(i + n) === 32)) return true;
  }
  return false;
}

export function hasPhrase(text: string, phrases: readonly string[]): boolean {
  for (const p of phrases) if (occursIn(text, p)) return true;
  return false;
}

/** Any whitespace but single inner spaces: what removePhrases' clean-up would change. */
const UNTIDY = /[^\S ]| {2}|^ | $/;

export function removePhrases(text: string, phrases: readonly string[]): string {
  let padded = ` ${text} `;
  let removed = false;
  for (const p of phrases) {
    // Most phrases are absent: test before splitting, which allocates.
    if (occurs(padded, p)) {
      padded = padded.split(` ${p} `).join(' ');
      removed = true;
    }
  }
  if (removed) return padded.replace(/\s+/g, ' ').trim();
  return UNTIDY.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

export type Social = 'greeting' | 'thanks' | 'cancel' | 'help';

export function socialOf(text: string, toks: string[]): Social | null {
  if (hasPhrase(text, L.CANCEL_PHRASES)) return 'cancel';
  if (hasPhrase(text, L.THANKS_PHRASES)) return 'thanks';
  if (hasPhrase(text, L.GREETING_PHRASES)) return 'greeting';
  for (const t of toks) {
    if (L.CANCEL.has(t)) return 'cancel';
  }
  for (const t of toks) {
    if (L.THANKS.has(t)) return 'thanks';
  }
  for (const t of toks) {
    if (L.GREETING.has(t)) return 'greeting';
  }
  return null;
}

const SOCIAL_PHRASES = [...L.CANCEL_PHRASES, ...L.THANKS_PHRASES, ...L.GREETING_PHRASES];

/** Every word is a social word (or soft padding): "thanks so much", "hi there", "merci beaucoup". */
export function wholeSocial(text: string, toks: string[]): Social | null {
  const rest = tokens(removePhrases(text, SOCIAL_PHRASES));
  const social = (t: string) => L.CANCEL.has(t) || L.THANKS.has(t) || L.GREETING.has(t) || SOCIAL_SOFT.has(t) || L.HELP.has(t);
  if (!rest.every(social)) return null;
  if (rest.some((t) => L.HELP.has(t))) return 'help';
  return socialOf(text, toks);
}

export function wantOf(text: string, toks: string[]): Want {
  if (hasPhrase(text, L.DOCK_SPACE_PHRASES)) return 'docks';
  const hasEbike = toks.some((t, i) => L.EBIKE_WORDS.has(t) || (t === 'e' && (toks[i + 1] === 'bike' || toks[i + 1] === 'bikes')));
  const hasDockWord = toks.some((t, i) => L.DOCK_SPACE_WORDS.has(t) && !L.STREET_TYPES.has(toks[i + 1] ?? ''));
  if (hasDockWord) return 'docks';
  if (hasEbike) return 'ebikes';
  if (toks.some((t) => L.BIKE_WORDS.has(t))) return 'bikes';
  return 'any';
}

export function followUpOf(text: string, toks: string[], optionsOpen: boolean | undefined): FollowUp | null {
  const core = toks.filter((t) => !FOLLOW_SOFT.has(t) && t !== 'one' && t !== 'option' && t !== 'number' && t !== 'no' && t !== 'nr');
  if (optionsOpen !== false && core.length === 1) {
    const t = core[0];
    const n = /^\d{1,2}$/.test(t) ? Number(t) : L.ORDINALS[t];
    if (n !== undefined && (n === -1 || (n >= 1 && n <= 20)) && (optionsOpen === true || /^\d{1,2}$/.test(t) || toks.length > 1 || t in L.ORDINALS)) {
      if (!(optionsOpen !== true && n === -1)) return { kind: 'choose', index: n === -1 ? -1 : n - 1 };
    }
  }
  if (hasPhrase(text, L.NEXT_PHRASES) && core.every((t) => ['next', 'another', 'other', 'others', 'else', 'somewhere', 'anything', 'further', 'closest', 'nearest', 'more', 'elsewhere', 'station', 'dock'].includes(t))) {
    return { kind: 'next' };
  }
  const wantWords = core.filter((t) => !(t === 'e'));
  if (wantWords.length > 0 && wantWords.length <= 3 && wantWords.every((t) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t) || t === 'docks')) {
    if (toks[0] === 'what' || toks[0] === 'and' || toks[0] === 'how' || toks[0] === 'any' || toks.length <= 3) return { kind: 'want', want: wantOf(text, toks) };
  }
  return null;
}
