import { KIND_WORDS, STREET_WORDS } from './normalise.js';

/** Words that describe rather than identify: saying less of them costs little. */
export const GENERIC = new Set([...STREET_WORDS, ...Object.keys(KIND_WORDS), 'station', 'london', 'international', 'll', 'ctr', 'n', 's', 'e', 'w', 'upper', 'lower', 'great', 'new', 'old', 'hq', 'house', 'hall']);

export const GENERIC_COVERAGE_FACTOR = 0.5;
/**
 * A type word said but not matched costs this much, on top of recall: "regents park
 * mosque" is no park, "abbey road studios" no DLR station, and "regent st" is not
 * The Regent's Park. Such a name can still be offered, never confidently.
 */
export const TYPE_CLASH_FACTOR = 0.45;

/** Words that say what sort of place is meant (a kind, or a street type). "st" first is Saint. */
export function typeWordAt(tokens: readonly string[], i: number): 'kind' | 'street' | null {
  const t = tokens[i];
  if (Object.hasOwn(KIND_WORDS, t)) return 'kind';
  if (STREET_WORDS.has(t) && !(t === 'st' && i === 0)) return 'street';
  return null;
}
