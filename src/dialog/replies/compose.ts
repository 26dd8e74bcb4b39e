import { fitsSms, trimToSms } from '../sms.js';

/**
 * Puts a reply together so that it fits two SMS segments, by dropping whole list
 * optional sentences and whole list items rather than cutting words: a shorter
 * list is still a true answer, a sentence cut in half is not.
 */
export interface ListItem {
  full: string;
  /** A tighter form (the name without its area, say), tried before dropping the item. */
  short?: string;
}

export interface ReplyParts {
  head: string;
  items?: ListItem[];
  /** Number the items "1) …" (options, ranked lists). */
  numbered?: boolean;
  /** Items never dropped below this many (2 for a choice: one option is not a choice). */
  minItems?: number;
  /** Sentences after the list that must stay (the data's age, "reply with a number"). */
  tail?: string[];
  /** Sentences dropped first when room runs out. */
  optional?: string[];
}

export interface Composed {
  text: string;
  /** How many list items made it into the text, in order. */
  kept: number;
}

function join(parts: ReplyParts, items: string[], withOptional: boolean): string {
  // Numbered items go one a line: names carry commas ("Waterloo Station 3, Waterloo"),
  // so on one line the list is hard to read. Newlines cost one GSM-7 septet, like a space.
  const ended = items.map((it) => (/[.!?]$/.test(it) ? it : `${it}.`));
  const list = parts.numbered ? ended.map((it, i) => `${i + 1}) ${it}`).join('\n') : items.join(' ');
  const after = [...(parts.tail ?? []), ...(withOptional ? (parts.optional ?? []) : [])].filter((p) => p.length > 0).join(' ');
  const pieces = [parts.head, list, after].filter((p) => p.length > 0);
  return pieces.join(parts.numbered && list.length > 0 ? '\n' : ' ').replace(/[ \t]{2,}/g, ' ').trim();
}

/** `render` is applied before measuring, so speech expansion is counted too. */
export function compose(parts: ReplyParts, render: (s: string) => string = (s) => s): Composed {
  const items = parts.items ?? [];
  const min = Math.min(parts.minItems ?? 1, items.length);
  const fits = (text: string): boolean => fitsSms(render(text));
  const full = items.map((i) => i.full);
  const short = items.map((i) => i.short ?? i.full);
  // Optional sentences go first; then, for each list length from the longest, the
  // full names and then the short ones: two short names beat one long one.
  const attempts: Array<[string[], boolean]> = [[full, true]];
  for (let n = full.length; n >= min; n--) attempts.push([full.slice(0, n), false], [short.slice(0, n), false]);
  for (const [list, withOptional] of attempts) {
    const text = join(parts, list, withOptional);
    if (fits(text)) return { text: render(text), kept: list.length };
  }
  // A choice (at least two items, each a name) whose names are so long, or so far
  // outside GSM-7, that even the fewest short ones do not fit: shorten each from the
  // middle, keeping its first and last words, so the options stay told apart ("... Gate 1",
  // "... Gate 2") and the tail ("Reply with a number.") stays whole. Items that carry
  // counts are never shortened this way: the count is the answer.
  const last = short.slice(0, min);
  for (let room = min >= 2 ? Math.max(0, ...last.map((t) => Array.from(t).length)) - 1 : 0; room >= 12; room--) {
    const text = join(parts, last.map((t) => elide(t, room)), false);
    if (fits(text)) return { text: render(text), kept: last.length };
  }
  return { text: trimToSms(render(join(parts, last, false))), kept: last.length };
}

/** At most `room` characters: the first words, "...", the last word (two when it is a number); whole words only. */
export function elide(text: string, room: number): string {
  const chars = Array.from(text);
  if (chars.length <= room) return text;
  const words = text.split(' ');
  // A number alone says little: "Gate 2" is kept whole, not just "2".
  const keep = words.length > 2 && Array.from(words[words.length - 1]).length <= 3 ? 2 : 1;
  const lastWord = words.slice(-keep).join(' ');
  let head = '';
  for (const w of words.slice(0, -keep)) {
    const next = head ? `${head} ${w}` : w;
    if (Array.from(`${next} ... ${lastWord}`).length > room) break;
    head = next;
  }
  if (!head) return Array.from(`... ${lastWord}`).length <= room ? `... ${lastWord}` : chars.slice(0, Math.max(1, room - 3)).join('') + '...';
  return `${head.replace(/[,;:]$/, '')} ... ${lastWord}`;
}
