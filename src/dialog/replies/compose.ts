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
  const last = short.slice(0, min);
  return { text: trimToSms(render(join(parts, last, false))), kept: last.length };
}
