import { STOP_WORDS } from './name-words.js';

/** A rambling message names its station in full; past this many words the rest is not held against it. */
export const LONG_SUBJECT = 8;

/** A rambling message names its station in full (see LONG_SUBJECT). */
export function isLong(q: readonly string[]): boolean {
  let content = 0;
  for (let i = 0; i < q.length; i++) if (!STOP_WORDS.has(q[i])) content++;
  return content > LONG_SUBJECT;
}

/** Content words in q[from..to), at least one: how far a word said lies from the match. */
export function countContent(q: readonly string[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!STOP_WORDS.has(q[i])) n++;
  return Math.max(1, n);
}
