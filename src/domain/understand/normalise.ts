/**
 * Text clean-up shared by intent classification and station matching: one message in,
 * lower-case words out, the way a person would read it — tags and entities dropped,
 * accents folded, stretched letters ("biiikes", "waterlooooo") shrunk, words run
 * together ("waterloostation3", "bikesatwaterloo") parted where a word of ours shows
 * the seam. Everything is bounded: a message is cut before any regex runs, so a 10 kB
 * paste costs the same as a tweet. Pure: nothing here is remembered between calls.
 */
import { BIKE_WORDS, DOCK_SPACE_WORDS, EBIKE_WORDS, KNOWN_WORDS, UNDOUBLE_TARGETS } from './lexicon.js';
import { MIN_RUN, partRun, type WordSet } from './run-together.js';
import { dictionaryReading } from './pronounce.js';
import { joinSpokenPostcodes } from '../postcode.js';

/** Longer than any real question; the rest is noise we refuse to scan. */
export const MAX_MESSAGE_CHARS = 400;

const HTML_TAG = /<[^>]{0,200}>/g;
/** A printf placeholder left in a form's text ("… Selby Street %s", "%1$s"): the slot, not a word. */
const PRINTF = /(^|\s)%(?:\d\$)?[sdif](?=[\s.,!?]|$)/g;
/** Script and style bodies are code, not words a person said. */
const HTML_CODE = /<(script|style)\b[^>]{0,200}>[\s\S]{0,2000}?<\/\1\s*>/gi;
const HTML_ENTITY = /&(amp|lt|gt|quot|apos|nbsp|#\d{1,6});/gi;
/**
 * Code, not words: shell substitutions, backticks, URL escapes, path
 * walks, SQL tautologies, statements after a quote or semicolon ("X'; DROP TABLE …;", up to their own
 * semicolon: "'; DROP TABLE stations; -- how many bikes at X" asks after it) and comment markers.
 * A person reading "bikes at X$(rm -rf /)" sees "bikes at X" and some noise.
 */
const CODE = /\$\([^)]{0,200}\)?|\$\{[^}]{0,200}\}?|%[0-9a-f]{2}|(?:\.\.?\/)+\S*|['"]\s*(?:or|and)\s+['"]?\w{1,20}['"]?\s*(?:=|like)\s*['"]?\w{1,20}['"]?|[;'"]\s*--|[;'"]\s*;?\s*(?:select|drop|insert|delete|update|union|alter|create|truncate|exec)\b[^;]{0,200};?/gi;
const SHELL_COMMANDS = 'rm|cat|curl|wget|ls|echo|chmod|chown|bash|sh|zsh|nc|kill|killall|shutdown|reboot|mkfs|dd|cp|mv|python3?|perl|ping|whoami|uname|id|env|export|eval|exec|grep|printf|wc|head|tail|sort|awk|sed|jq|xargs|tee|less|more|sudo';
/**
 * A shell command line: after ";", "&&" or "|" in a message, or opening it after a "$ " prompt,
 * "sudo", or with a flag ("curl -s …"; never a bare "id like a bike"), to the end of the message.
 * Commands go; what they quote stays ("&& echo 'is Sail Street ok'", "curl "bikes?station=X"").
 */
const SHELL = new RegExp(`(?:(?:;|&&|\\|\\|?)\\s*(?:sudo\\s+)?(?:${SHELL_COMMANDS})\\b|^\\s*(?:\\$\\s*|sudo\\s+)(?:sudo\\s+)?(?:${SHELL_COMMANDS})\\b|^\\s*(?:${SHELL_COMMANDS})\\s+--?[a-z]|^\\s*(?:echo|printf)\\s+(?=["'])).{0,300}$`, 'gi');
const QUOTED = /'([^'\n]{1,200})'|"([^"\n]{1,200})"/g;
/** Between the commands of a line, and between a command and the words a person wrote after it ("…", "...", a wide gap). */
const SHELL_SEPARATOR = /\s*(?:;|&&|\|\|?|\.{3,}|…)\s*|\s{3,}/;
/** "echo free docks at knaresborough place?": what echo prints is the person's words, quoted or not (its flags are not). */
const ECHO_PIECE = /^\s*(?:\$\s*)?(?:sudo\s+)?(?:echo|printf)\s+(?:-[a-z]+\s+)*([^|<>]*)(?:[<>].*)?$/i;
const SHELL_PIECE = new RegExp(`^\\s*(?:\\$\\s*)?(?:sudo\\s+)?(?:${SHELL_COMMANDS})\\b|^\\s*-`, 'i');

/**
 * A command line, command by command: each command goes but keeps what it quotes; a piece after a
 * separator that is no command is the person's own ("sudo rm -rf / ; any bikes left at Cromer Street").
 */
function shellWords(line: string): string {
  let kept = ' ';
  for (const piece of line.split(SHELL_SEPARATOR)) {
    const said = ECHO_PIECE.exec(piece);
    kept += said ? ` ${said[1].replace(/["']/g, ' ')} ` : SHELL_PIECE.test(piece) ? quotedWords(piece) : ` ${piece} `;
  }
  return kept;
}

/** What a command or a call quotes ("echo 'is Sail Street ok'", "status(\"Rampayne Street\")"): the person's words in it. */
function quotedWords(code: string): string {
  let kept = ' ';
  for (const m of code.matchAll(QUOTED)) kept += `${m[1] ?? m[2]} `;
  return kept;
}

/** Backticks: code ("`rm -rf /`") goes, a name set in them ("- station: `Tanner Street`") is read. */
const BACKTICKS = /`([^`\n]{0,200})`/g;
const backtickWords = (_: string, inside: string): string => (TEMPLATE_WORDS.test(inside) && !IDENTIFIER.test(inside) ? ` ${inside} ` : quotedWords(inside));
/** A JSON key ("station": …) or a bare true/false/null value: the form's, not the person's words. */
const JSON_NOISE = /"[\w ]{1,40}"\s*:(?:\s*(?:true|false|null)\b)?/g;
/**
 * UTF-8 read as Latin-1 or Windows-1252 ("Ã¢â‚¬Å“" for a curly quote, "ï¿½" for a lost character): what a
 * broken form pastes around the words, not words.
 */
const MOJIBAKE = /(?:[ÃÂâÅï][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]{1,3})+|\ufffd/g;
/** Template braces: plain words inside are kept ("{{Belgrave Square}}", "{{snowsfields}}"); code ("{{7*7}}") and a placeholder's own name are dropped. */
const TEMPLATE = /\{\{([^{}]{0,200})\}\}|\$\{([^{}]{0,200})\}/g;
/** Plain words, as a name is written: with its area after a comma ("`Hoxton Street, Hoxton`") and the dot of "St." too. */
const TEMPLATE_WORDS = /^\s*[\w'’.-]+(?:,?\s+[\w'’.-]+){0,9}\s*$/;
/** What template placeholders are called ("{{station}} bikes {{count}}"): the slot, not a name. */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['station', 'stations', 'name', 'names', 'user', 'username', 'count', 'counts', 'location', 'place', 'id', 'value', 'var', 'text', 'query', 'input', 'city', 'area', 'address', 'postcode', 'number', 'message', 'msg', 'item', 'field', 'placeholder', 'x', 'y']);
/** A variable's name, not words: "station_name", "user.name", "/station_name", "#each", "stationName", "HOME". */
const IDENTIFIER = /^\s*(?:[#/^>!&]|\S*[_.]\S*\s*$|[a-z]+[A-Z]\w*\s*$|[A-Z][A-Z0-9]+\s*$)/;
/** "{{Belgrave Square}}" and "${Vincent Street}" keep their words; "${user.name}" and "{{/station_name}}" are slots. */
const templateWords = (_: string, braces: string | undefined, dollar: string | undefined): string => {
  const inside = braces ?? dollar ?? '';
  if (!TEMPLATE_WORDS.test(inside) || IDENTIFIER.test(inside) || PLACEHOLDERS.has(inside.trim().toLowerCase())) return ' ';
  // A shell variable is one word ("${HOME}", "${x}"); a name put in one by hand has a space.
  return dollar !== undefined && !/\S\s+\S/.test(inside) ? ' ' : ` ${inside} `;
};
const CURRENCY = /[£€$]+/g;
/** A currency sign in a run of keyboard symbols ("##$%^&*", "lkj2##$$qq") is noise, not money. */
const CURRENCY_IN_NOISE = /[#%^&*@;{}[\]|\\~<>=+]+[£€$]+[£€$#%^&*@;{}[\]|\\~<>=+]*|[£€$]+[#%^&*@;{}[\]|\\~<>=+]+/g;
const SHIFT_SLIP = /([!?])1+(?=[!?1]|\s|$)/g;
/** "- station: Endsleigh Gardens" on a line of a form says where, as "at" does (not "Waterloo station: any bikes?"). */
const FORM_PLACE_LABEL = /(^|\n|[-*•]\s)\s*(?:station|dock|docking station|location|stop|place|where)\s*:/gim;
/** "🚲🚲 at Eversholt St??": a bicycle drawn is a bike said. */
const BIKE_EMOJI = /(?:\u{1F6B2}|\u{1F6B4}|\u{1F6B5})(?:\u{200D}[\u2640\u2642]\uFE0F?|[\u{1F3FB}-\u{1F3FF}])*/gu;
/** "$ check-status …": a shell prompt, not money. */
const SHELL_PROMPT = /^\s*\$\s+(?=[a-z])/i;
/** A link pasted in: its host, scheme and keys are no words of the person's; a name in it may be. */
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
/**
 * The names a link holds: path segments and query values of several words ("/maps/search/Wellington+Street+Strand",
 * "?name=Putney%20Bridge%20Road"); "google.com", "id=42" and "station" alone say nothing.
 */
function urlWords(url: string): string {
  const names: string[] = [];
  const rest = url.replace(/^(?:https?:\/\/)?[^/?#]*/i, '');
  for (const part of rest.split(/[/?&#=]+/)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      decoded = part.replace(/%[0-9a-f]{2}|\+/gi, ' ');
    }
    const words = decoded.split(/[\s_-]+/).filter((w) => /^[\p{L}']+$/u.test(w));
    if (words.length >= 2) names.push(words.join(' '));
  }
  return names.length ? ` ${names.join(', ')} ` : ' ';
}
/** "--station=\"Hardwick Street\"", "[STATION_NAME=Fore Street Avenue]", "?name=Putney%20Bridge%20Road": a parameter saying where. */
const PLACE_PARAMETER = /(?:--?|\[|\b)(?:station(?:[_ -]?name)?|name|location|dock|stop|place)\s*=\s*|--(?:station|name|location|stop|dock)\s+/gi;
const FORM_HEADING = /^\s*#+\s*(?:question|query|request|enquiry|inquiry|ask)\s*:?\s*$/gim;
/**
 * "- mood: _late_", "- time: 8:15", "- priority: high": a form's listed line about the asker or the message, not
 * where; it would add its words to the name. Lines keyed station, need, question and the like stay, and so does
 * a line with no list marker ("time: 8am, any bikes at …" is a message).
 */
const FORM_META_LINE = /^\s*[-*•]\s*(?:mood|feeling|time|date|when|priority|urgency|urgent|sent|id|tags?|notes?|lang|language|channel|device|version|timestamp|weather)\s*:[^\n]*$/gim;
/**
 * A list's numbers and bullets on the lines after the first ("> Stebondale Street\n1. are there
 * spaces"): the list's, not a platform's or a dock's number. The first line's "2." stays: it may
 * be the choice a person replies with.
 */
const LIST_MARKER = /\n[ \t]*(?:\d{1,2}[.)]|[-*+•])[ \t]+/g;
/**
 * Markup tags in square brackets ("[STATION_NAME]Selby Street[/STATION_NAME]", "[b]…[/b]"): the tags go, what they
 * hold stays. One word in brackets that no tag or slot is called ("any bikes at [Moorgate]") is a name set off, and stays.
 */
const BRACKET_TAG = /\[(\/?)([A-Za-z][A-Za-z0-9_]{0,30})\]/g;
const MARKUP_TAGS: ReadonlySet<string> = new Set(['b', 'i', 'u', 's', 'url', 'quote', 'code', 'img', 'color', 'size', 'center', 'list']);
const bracketTag = (tag: string, closing: string, name: string): string => (closing !== '' || name.includes('_') || MARKUP_TAGS.has(name.toLowerCase()) || PLACEHOLDERS.has(name.toLowerCase()) ? ' ' : ` ${name} `);
/**
 * Letters spaced out one by one ("e - b i k e s   a t   E m p i r e   S q u a r e"): four or more
 * single letters or digits in a row, a single space apart. Once a message is written so, every such
 * run (two or more) is a word, and the wider gaps are where its words part.
 */
const SPACED_RUN = /(?:^|\s)(?:[\p{L}\p{N}] ){3,}[\p{L}\p{N}](?=\s|$)/u;
const SPACED_WORD = /(?<=^|\s)(?:[\p{L}\p{N}] )+[\p{L}\p{N}](?=\s|$)/gu;
/** A currency sign before a number ("£2", "$ 3"), and after one ("2€", "2 €"). */
const CURRENCY_BEFORE_NUMBER = /[£€$]+(?=\s?\d)/g;
const CURRENCY_AFTER_NUMBER = /(\d\s?)([£€$]+)/g;
/** The token a currency sign away from any number becomes (see isPriceAsk). */
export const MONEY_SIGN = 'moneysign';
const CURRENCY_WORDS: Readonly<Record<string, string>> = { '£': ' pounds ', '€': ' euros ', $: ' dollars ' };
/** Past this many characters a message is a paste, and a word it repeats PADDING_REPEATS times is padding. */
const LONG_TEXT = 200;
const PADDING_REPEATS = 4;

/** "bikes at X lorem ipsum dolor lorem ipsum …": the words said over and over are dropped, wherever the cut fell. */
function withoutPadding(s: string): string {
  const words = s.split(' ');
  const seen = new Map<string, number>();
  for (const w of words) seen.set(w, (seen.get(w) ?? 0) + 1);
  const kept = words.filter((w) => (seen.get(w) ?? 0) < PADDING_REPEATS);
  // The same question pasted over and over is still that question: once.
  return kept.length > 0 ? kept.join(' ') : [...seen.keys()].join(' ');
}

/** The same one to four words over and over: padding, not a question ("lorem ipsum lorem ipsum …"). */
const REPEATED = /\b((?:[a-z0-9]+ ){1,4}?)\1{2,}/g;
const DIACRITICS = /[\u0300-\u036f]/g;
/** A small letter then a capital and a small letter: "StreetRightNow", not "McDonald" or "ATM". */
const CAMEL = /([a-z]{2})([A-Z][a-z])/g;
/** Lower-case words of letters and digits, single spaces, nothing at either end: what normaliseText makes of anything. */
const CLEAN = /^[a-z0-9]+(?: [a-z0-9]+)*$/;
/** ASCII letters, digits and spaces: nothing for tags, entities, code, accents or apostrophes to change. */
const PLAIN = /^[A-Za-z0-9 ]*$/;
/** A letter said three times or more: nobody's spelling, everybody's emphasis ("sooo", "waterlooooo"). */
const STRETCHED = /([a-z])\1{2,}/g;
const HAS_STRETCH = /([a-z])\1\1/;
const ONE_LETTER_HELD = /^([a-z])\1+$/;
/** No word of a name is this long: a longer run of letters is words typed without spaces, a keyboard mash or a pasted blob. */
const BLOB = /\b[a-z0-9]{31,}\b/g;

function decodeEntity(_m: string, name: string): string {
  switch (name.toLowerCase()) {
    case 'amp':
      return ' and ';
    case 'nbsp':
      return ' ';
    case 'apos':
      return "'";
    default:
      return ' ';
  }
}

/**
 * Lower-case, NFKC, no tags, accents folded (fahrräder → fahrrader), apostrophes
 * dropped inside words (St John's → st johns), & spelt "and", every other
 * non-alphanumeric run (emoji, tabs, punctuation) turned into one space.
 * Decimal points and minus signs are kept so coordinates survive.
 */
export function normaliseText(raw: string, nameWords?: WordSet): string {
  if (typeof raw === 'string' && raw.length <= MAX_MESSAGE_CHARS && SPACED_RUN.test(raw)) raw = raw.replace(SPACED_WORD, (w) => w.replace(/ /g, ''));
  // Already clean (subjects, names said back, most system names): every step below would
  // return it unchanged, so skip the dozen copies they make.
  if (typeof raw === 'string' && raw.length <= MAX_MESSAGE_CHARS && CLEAN.test(raw)) {
    const clean = joinSpokenPostcodes(raw);
    return HAS_STRETCH.test(clean) ? unstretch(clean) : clean;
  }
  const whole = typeof raw === 'string' ? raw : String(raw ?? '');
  // A person skims a wall of text for its start and its end: the question is usually at one of them.
  let s = whole.length > MAX_MESSAGE_CHARS * 2 ? `${whole.slice(0, MAX_MESSAGE_CHARS).replace(/\s\S*$/, '')} ${whole.slice(-MAX_MESSAGE_CHARS).replace(/^\S*\s/, '')}` : whole;
  // "bikesatAldersgateStreet": where a capital follows small letters, a typist meant a new word.
  s = s.replace(CAMEL, '$1 $2');
  // "??!?1!!": a 1 among exclamation marks is the shift key missed, not a number; "# Question" over a
  // form is its label.
  // Drawn among words only: a row of bicycles alone ("🚲🚲🚲") asks nothing a reader could answer.
  if (/\p{L}/u.test(s)) s = s.replace(BIKE_EMOJI, ' bike ');
  s = s.replace(SHELL_PROMPT, '').replace(URL, urlWords).replace(SHIFT_SLIP, '$1').replace(FORM_HEADING, ' ').replace(FORM_META_LINE, ' ').replace(LIST_MARKER, '\n').replace(BRACKET_TAG, bracketTag).replace(FORM_PLACE_LABEL, '$1 at ').replace(PLACE_PARAMETER, ' at ');
  if (PLAIN.test(s)) {
    // Letters, digits and spaces only (most segments of station names): every step up to
    // the lower-casing is a no-op on these, and they ran for each name of every snapshot.
    s = s.toLowerCase();
  } else {
    s = s.replace(MOJIBAKE, ' ').normalize('NFKC').replace(HTML_CODE, ' ').replace(HTML_TAG, ' ').replace(PRINTF, '$1 ').replace(HTML_ENTITY, decodeEntity).replace(TEMPLATE, templateWords).replace(BACKTICKS, backtickWords).replace(SHELL, shellWords).replace(CODE, ' ').replace(JSON_NOISE, ' ');
    s = s.normalize('NFKD').replace(DIACRITICS, '').toLowerCase();
    s = s.replace(/['’‘`´]/g, '').replace(/&/g, ' and ');
    // "is it €2", "£1.65?": a currency sign by a number is a word about money. Elsewhere ("£££ for a ride?",
    // "bikes @@ aston street ##$%^&*", "$ curl …") it is a weaker sign (MONEY_SIGN), asking prices only
    // when nothing else is asked. Among nothing but symbols ("{}[]%%$$##@@") it is keyboard noise.
    if (/[\p{L}\p{N}]/u.test(s)) {
      s = s.replace(CURRENCY_BEFORE_NUMBER, (c) => CURRENCY_WORDS[c[0]] ?? ' ').replace(CURRENCY_AFTER_NUMBER, (_m, n: string, c: string) => n + (CURRENCY_WORDS[c[0]] ?? ' '));
      s = s.replace(CURRENCY_IN_NOISE, ' ').replace(CURRENCY, ` ${MONEY_SIGN} `);
    }
  }
  // Keep "-0.10" and "51.52"; any other dot or dash separates words.
  s = s.replace(/[^a-z0-9.\-]+/g, ' ');
  s = s.replace(/(^|[^0-9])[.\-]+(?![0-9])/g, '$1 ').replace(/([0-9])[.\-]+(?![0-9])/g, '$1 ');
  s = s.replace(/([a-z])[.\-]+/g, '$1 ');
  s = s.replace(BLOB, (run) => partRun(run, nameWords)?.join(' ') ?? ' ').replace(/\s+/g, ' ').trim();
  // A postcode read out ("s e one seven e h") is one word before its letters are read as compass points or initials.
  s = joinSpokenPostcodes(s);
  if (HAS_STRETCH.test(s)) s = unstretch(s);
  // Padding goes whole; a word said twice ("bikes bikes") is emphasis and stays.
  if (s.length > LONG_TEXT) s = withoutPadding(s);
  if (s.length > 40) s = `${s} `.replace(REPEATED, ' ').replace(/\s+/g, ' ').trim();
  if (s.length <= MAX_MESSAGE_CHARS) return s;
  // Whole words from the start and from the end, half the room each.
  const half = MAX_MESSAGE_CHARS / 2;
  return `${s.slice(0, half).replace(/\s\S*$/, '')} ${s.slice(-half).replace(/^\S*\s/, '')}`.trim();
}

export function tokens(normalised: string): string[] {
  return normalised.length === 0 ? [] : normalised.split(' ');
}

/** The words a station or place name is made of: "St. John's Wood Road" → st johns wood road. */
export function nameTokens(name: string): string[] {
  const s = normaliseText(name);
  // Normalised text is single-spaced and trimmed already; only kept dots and dashes need splitting.
  return tokens(s.indexOf('.') < 0 && s.indexOf('-') < 0 ? s : s.replace(/[.\-]/g, ' ').replace(/\s+/g, ' ').trim());
}

/** Words that, run together with a name, show where it ends ("waterloostation", "hydeparkbikes"). */
const JOINED_SUFFIXES: readonly string[] = ['stations', 'station', 'ebikes', 'bikes', 'bike', 'docks', 'spaces', 'available', 'please', 'left', 'free', 'today', 'street', 'road', 'square', 'lane', 'gardens'];
/** Words a hurried thumb runs into what follows ("anybikesatwaterloo"). */
const JOINED_PREFIXES: readonly string[] = ['any', 'ebikes', 'bikes', 'bike', 'docks', 'spaces'];
/** Question openings run into the rest ("howmanyspacesat…", "isthereabike…"): parted into their words first. */
const JOINED_OPENERS: readonly (readonly string[])[] = [['how', 'many'], ['are', 'there'], ['is', 'there'], ['where', 'are'], ['where', 'is'], ['got', 'any']];
/** Only after one of JOINED_PREFIXES: "bikesatwaterloo", "docksnearbank". */
const JOINED_LINKS: readonly string[] = ['at', 'near', 'in', 'by', 'around', 'for'];
const MIN_PART = 4;

/**
 * A message's words as a person reads them: words run together parted at a word of ours. A word
 * that is already one of ours, or would leave a stub shorter than MIN_PART, is left alone,
 * so names ("Moorgate", "Kingsway") are never cut. Returns the input when nothing changes.
 */
export function mendWords(words: readonly string[], nameWords?: WordSet): readonly string[] {
  let out: string[] | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    // A key held a moment too long at the end ("helpp", "thankss"): the word of ours it doubles.
    const undoubled = w.length >= 5 && w.charCodeAt(w.length - 1) === w.charCodeAt(w.length - 2) && !KNOWN_WORDS.has(w) && UNDOUBLE_TARGETS.has(w.slice(0, -1)) ? w.slice(0, -1) : null;
    if (undoubled !== null) {
      out ??= words.slice(0, i);
      out.push(undoubled);
      continue;
    }
    // "how much's", its apostrophe gone: "how much is" (no word of ours or the dictionary's ends so).
    if (w === 'muchs') {
      out ??= words.slice(0, i);
      out.push('much', 'is');
      continue;
    }
    const typo = typoOf(w);
    if (typo !== null) {
      out ??= words.slice(0, i);
      out.push(typo);
      continue;
    }
    const mended = mendWord(w, nameWords);
    if (mended === null) {
      out?.push(w);
      continue;
    }
    out ??= words.slice(0, i);
    out.push(...mended);
  }
  return out ?? words;
}

/**
 * Words of ours a typist slips on ("bkies", "mnay", "stret", "spcaes"): the one such word a letter
 * swapped, dropped, added or changed away, for a word neither we nor the dictionary know. Names are
 * left to the matchers: a word the dictionary knows ("bikes", "penfold") is never changed.
 */
const TYPO_TARGETS: readonly string[] = [...new Set([...BIKE_WORDS, ...EBIKE_WORDS, ...DOCK_SPACE_WORDS, 'many', 'street', 'road', 'nearest', 'closest', 'available', 'station', 'please', 'where'])].filter((w) => w.length >= 4);
/** Each target and its one-letter deletions → the targets (symmetric deletion: candidates, checked below). */
const TYPO_INDEX: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  const add = (k: string, t: string) => (m.get(k) ?? m.set(k, []).get(k)!).push(t);
  for (const t of TYPO_TARGETS) {
    add(t, t);
    for (let i = 0; i < t.length; i++) add(t.slice(0, i) + t.slice(i + 1), t);
  }
  return m;
})();

function typoOf(w: string): string | null {
  if (w.length < 4 || w.length > 12 || KNOWN_WORDS.has(w) || !/^[a-z]+$/.test(w) || dictionaryReading(w) !== null) return null;
  const found = new Set<string>();
  const look = (k: string) => {
    for (const t of TYPO_INDEX.get(k) ?? []) if (oneEditApart(w, t)) found.add(t);
  };
  look(w);
  for (let i = 0; i < w.length; i++) look(w.slice(0, i) + w.slice(i + 1));
  return found.size === 1 ? [...found][0] : null;
}

/** One letter inserted, deleted, changed, or two neighbours swapped. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    const diff: number[] = [];
    for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
    if (diff.length === 1) return true;
    return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

/** The words one word stands for, or null when it stands for itself. */
function mendWord(w: string, nameWords: WordSet | undefined): string[] | null {
  if (w.length < 2 * MIN_PART - 1 || KNOWN_WORDS.has(w)) return null;
  const parts: string[] = [];
  split(w, parts, 0);
  // What the words of ours at its ends left is still a run ("canidropitoffatmoriestreetany"): parted into the words it holds.
  const whole = parts.flatMap((p) => (p.length >= MIN_RUN ? (partRun(p, nameWords) ?? [p]) : [p]));
  return whole.length > 1 ? whole : null;
}

/**
 * No English word has a letter three times running: a stretched word ("biiikes",
 * "thaaanks") is the word of ours it shrinks to with single letters, else the word with
 * doubles ("waterlooooo" → waterloo, "hyyyde" → hyyde, left to the fuzzy match).
 */
function unstretch(text: string): string {
  return text
    .split(' ')
    .map((w) => {
      if (!HAS_STRETCH.test(w)) return w;
      // "xxxxxxxx", "aaaaa": one letter held down is no word at all.
      if (ONE_LETTER_HELD.test(w)) return '';
      const single = w.replace(STRETCHED, '$1');
      if (KNOWN_WORDS.has(single)) return single;
      // "houseeeee": the dictionary knows "house", not "housee"; "cheeeese" keeps the pair it knows.
      const double = w.replace(STRETCHED, '$1$1');
      return dictionaryReading(double) === null && dictionaryReading(single) !== null ? single : double;
    })
    .filter((w) => w !== '')
    .join(' ');
}

function split(w: string, out: string[], depth: number): void {
  if (depth > 4 || KNOWN_WORDS.has(w)) {
    out.push(w);
    return;
  }
  // "station3", "waterloostation3": a number at the end of a long word is a station's number.
  const num = /^([a-z]{4,})([0-9]{1,2})$/.exec(w);
  if (num) {
    split(num[1], out, depth + 1);
    out.push(num[2]);
    return;
  }
  for (const opener of JOINED_OPENERS) {
    const joined = opener.join('');
    if (w.length - joined.length >= MIN_PART && w.startsWith(joined)) {
      out.push(...opener);
      split(w.slice(joined.length), out, depth + 1);
      return;
    }
  }
  for (const suffix of JOINED_SUFFIXES) {
    if (w.length - suffix.length >= MIN_PART && w.endsWith(suffix)) {
      split(w.slice(0, -suffix.length), out, depth + 1);
      out.push(suffix);
      return;
    }
  }
  for (const prefix of JOINED_PREFIXES) {
    // "docksat": the prefix and a link word, nothing else.
    if (w.startsWith(prefix) && JOINED_LINKS.includes(w.slice(prefix.length))) {
      out.push(prefix, w.slice(prefix.length));
      return;
    }
    if (w.length - prefix.length >= MIN_PART - 1 && w.startsWith(prefix)) {
      out.push(prefix);
      let rest = w.slice(prefix.length);
      const link = JOINED_LINKS.find((l) => rest.length - l.length >= MIN_PART - 1 && rest.startsWith(l));
      if (link) {
        out.push(link);
        rest = rest.slice(link.length);
      }
      split(rest, out, depth + 1);
      return;
    }
  }
  out.push(w);
}
