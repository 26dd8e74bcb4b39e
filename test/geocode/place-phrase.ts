/**
 * A crude stand-in for the understanding step, for the shared-data test only: it
 * strips the words of wanting (bikes, docks, nearest…) and leaves the place phrase.
 * The real extraction lives in src/domain/understand.
 */
const FILLER = [
  /\bwhere can i (grab|get|find|drop off|leave|park|return)( a| my)?( bike)?\b/g,
  /\bsomewhere to (leave|drop|park|return)( off)?( my| a)?( bike)?\b/g,
  /\b(i'?m|i am|im) (at|in|near|by)\b/g,
  /\b(nearest|closest|near|nearby|around|close to|next to|any|some|anywhere|somewhere)\b/g,
  /\b(e-?bikes?|e bikes?|bikes?|docks?|docking|spaces?|stations? to drop|drop off|to)\b/g,
  /\b(in|at|for)\b/g,
];

export function placePhrase(utterance: string): string {
  let s = ` ${utterance.toLowerCase()} `;
  for (const re of FILLER) s = s.replace(re, ' ');
  return s.replace(/[?!.,]+/g, ' ').replace(/\s+/g, ' ').trim();
}
