import { canonicalWords, splitStationName } from './name-words.js';

/** Reading a subject against a dock's name: transit, street and kind-of-place words. */

/** Words that make "X station" mean the rail or tube station, a place, rather than a dock. */
export const TRANSIT_WORDS = new Set(['station', 'tube', 'underground', 'overground', 'dlr', 'rail', 'railway', 'train', 'metro', 'subway']);
/** Words that make a dock's name a street: "Westminster Bridge Road" is not the bridge. */
const STREET_WORDS = new Set(['road', 'street', 'lane', 'avenue', 'way', 'row', 'terrace', 'crescent', 'grove', 'place', 'close', 'walk', 'drive', 'mews', 'embankment', 'approach', 'parade']);
/** Words that say the phrase names a kind of place, not a street: "Lambeth Palace", "Albert Bridge". */
export const PLACE_KIND_WORDS = new Set(['bridge', 'palace', 'museum', 'gallery', 'cathedral', 'church', 'abbey', 'chapel', 'mosque', 'temple', 'hospital', 'theatre', 'market', 'tower', 'hall', 'stadium', 'library', 'college', 'university', 'pier', 'monument', 'memorial', 'zoo', 'arena', 'centre', 'park']);

export function nameHasTransitWord(name: string): boolean {
  return canonicalWords(name).some((w) => TRANSIT_WORDS.has(w));
}

/**
 * The phrase is all in a dock's name, but the name says more ("Westminster Bridge
 * Road" for "westminster bridge"), or the phrase names a kind of place the dock's
 * name does not: the literal reading may be the wrong one.
 */
export function dockNameSaysMore(subjectWords: readonly string[], dockName: string): boolean {
  const said = new Set(subjectWords);
  // "st" is how both "street" and "saint" arrive.
  if (said.has('st')) said.add('street');
  const name = splitStationName(dockName);
  const street = name.filter((w) => w.part === 'street' && !w.optional).map((w) => w.text);
  if (street.some((w) => STREET_WORDS.has(w) && !said.has(w))) return true;
  const all = new Set(name.map((w) => w.text));
  return subjectWords.some((w) => PLACE_KIND_WORDS.has(w) && !all.has(w));
}
