import type { Intent } from '../answer.js';
import type { Want } from '../station.js';
import type { FollowUp, Understanding } from '../understanding.js';
import { isValidLatLon } from '../geo.js';
import { MAX_MESSAGE_CHARS, mendWords, normaliseText, tokens } from './normalise.js';
import { withinOneEdit } from './phonetic.js';
import * as L from './lexicon.js';
import { STORY_WORDS, questionInStory } from './story.js';
import type { IntentModel } from './intent-model.js';
import { arbitrate } from './arbitrate.js';
import { accountErrand, cantDoOf, complaintNotOurs, whereLost } from './errands.js';
import { correctedReading, correctionOf } from './correction.js';
import { isCyclingAdvice } from './advice.js';
import type { WordSet } from './run-together.js';
import { PREFIX_SOFT, dockWordAt, followUpOf, hasPhrase, isAboutBot, isPriceAsk, isProblemAsk, looksForeign, noLongerNeeded, otherScript, removePhrases, socialOf, socialWithAside, wantOf, wholeSocial, type Social } from './intents.js';

export interface UnderstandContext {
  /** The previous answer asked the person to choose: "2" and "Waterloo 3" are choices. */
  optionsOpen?: boolean;
  /** City / scheme names and aliases (any case) of the configured systems. */
  systemNames?: string[];
  /** The trained second witness for what kind of message it is (intent-model.ts); without it, the word lists alone decide. */
  model?: IntentModel;
  /** The words of the stations' names (dialog/brain.ts NAME_WORDS): words run together part into them first ("pallmalleast"). */
  nameWords?: WordSet;
}

/** A street-type word, or a long one mistyped by a letter ("srreet"): what follows a name word. */
function streetType(t: string): boolean {
  if (L.STREET_TYPES.has(t)) return true;
  if (t.length < 5) return false;
  for (const w of LONG_STREET_TYPES) if (withinOneEdit(t, w)) return true;
  return false;
}
const LONG_STREET_TYPES: readonly string[] = [...L.STREET_TYPES].filter((w) => w.length >= 5);

/** "Abyssinia Close": close after a name word, and not "close to" or "close by", is the street. */
function closeIsStreet(toks: readonly string[], i: number): boolean {
  if (toks[i] !== 'close' || i === 0) return false;
  const prev = toks[i - 1];
  const next = toks[i + 1];
  if (next === 'to' || next === 'by' || next === 'enough' || next === 'here' || next === 'me') return false;
  return !L.FILLER.has(prev) && !L.BIKE_WORDS.has(prev) && !L.DOCK_SPACE_WORDS.has(prev) && !L.EBIKE_WORDS.has(prev) && !L.NEAR_WORDS.has(prev) && prev !== 'very' && prev !== 'so' && prev !== 'really';
}

/**
 * "does World's End Place have free docks where I can leave the bike": a "where" well into the question,
 * before "I can", says what the docks are for, not that the person asks what is near them; nor does
 * "ride around" ask what is around.
 */
function relativeWhere(toks: readonly string[], i: number): boolean {
  // "the bikes always run out around now", "around 6", "round lunchtime": when, not where.
  if (toks[i] === 'around' || toks[i] === 'round') return (i > 0 && MOVING.has(toks[i - 1])) || WHEN_WORDS.has(toks[i + 1] ?? '') || /^\d/.test(toks[i + 1] ?? '');
  return toks[i] === 'where' && i >= 3 && (toks[i + 1] === 'i' || toks[i + 1] === 'we' || toks[i + 1] === 'you') && (toks[i + 2] === 'can' || toks[i + 2] === 'could');
}
/** Times "around" can come before. */
const WHEN_WORDS: ReadonlySet<string> = new Set(['now', 'then', 'noon', 'midday', 'midnight', 'lunch', 'lunchtime', 'teatime', 'dinnertime', 'rush', 'morning', 'evening', 'tonight', 'today', 'tomorrow', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'half', 'quarter']);
/** "will we have to ride around for ages": around after a verb of going is how, not where. */
const MOVING: ReadonlySet<string> = new Set(['ride', 'riding', 'cycle', 'cycling', 'walk', 'walking', 'drive', 'driving', 'wander', 'wandering', 'circle', 'circling', 'wait', 'waiting', 'hang', 'hanging', 'look', 'looking', 'mess', 'messing', 'faff', 'faffing', 'run', 'running', 'go', 'going']);

/** Near phrases but "next to", "close to", "near to": those are read word by word, where a belonging was lost being no nearest asked. */
const NEAR_ASKED_PHRASES: readonly string[] = L.NEAR_PHRASES.filter((p) => p !== 'next to' && p !== 'close to' && p !== 'near to');

/** Being charged, said as the reason a dock is wanted. */
const CHARGED: ReadonlySet<string> = new Set(['charge', 'charged', 'charges', 'pay', 'paying']);

const BEING_CHARGED: readonly string[] = ['about to be charged', 'about to get charged', 'going to be charged', 'going to get charged', 'be charged', 'get charged', 'being charged', 'charged'];

/** Pronouns a statement opens with. */
const STATEMENT_OPENERS: ReadonlySet<string> = new Set(['i', 'im', 'ive', 'id', 'ill', 'we', 'were', 'weve', 'you', 'youre', 'it', 'its', 'thats', 'this', 'he', 'she', 'hes', 'shes', 'they', 'theyre']);

/** What SQL_WORDS is made of, and the column names a query dressed as one uses ("WHERE name = …"). */
const SQL_KEYWORDS: ReadonlySet<string> = new Set(['select', 'from', 'where', 'drop', 'table', 'database', 'insert', 'into', 'delete', 'union', 'all', 'update', 'set', 'truncate', 'alter', 'and', 'or', 'name', 'id', 'limit', 'like']);

/** "what's X like", "how's X looking": the openings of a question about how a place is. */
const HOW_IS: ReadonlySet<string> = new Set(['whats', 'hows']);
/** "what's available at X": no bike word, still a station question. */
const STATUS_WORDS: ReadonlySet<string> = new Set(['available', 'availability', 'status', 'left', 'free', 'open', 'working', 'capacity', 'situation', 'showing', 'count', 'numbers', 'looking', 'got']);
const COORDS = /(^|\s)(-?\d{1,2}\.\d{1,12})\s+(-?\d{1,3}\.\d{1,12})(?=\s|$)/;

const NOT_SUBJECT_PHRASES: readonly string[] = [...L.DOCK_SPACE_PHRASES, ...L.NEAR_PHRASES, 'docking station', 'docking point', 'bike point', 'boris bikes', 'boris bike', 'santander cycles', 'santander bikes', 'e bikes', 'e bike', 'how many', 'is there', 'are there', 'right now', 'at the moment', 'at the minute', 'in a minute', 'any luck', 'any good', 'any idea', 'can you', 'could you'];

/** Social phrases a message may open with, in the order they are tried. */
const OPENING_PHRASES: readonly string[] = [...L.CANCEL_PHRASES, ...L.GREETING_PHRASES, ...L.THANKS_PHRASES];

/** Sounds a message may open with before anything is said. */
const INTERJECTIONS: ReadonlySet<string> = new Set(['hmm', 'hm', 'mm', 'mmm', 'erm', 'er', 'um', 'umm', 'uh', 'ah', 'aah', 'eh', 'meh', 'oh', 'ooh', 'welp']);

/** Whether the words start with a social phrase or word (what the opening loop takes off). */
function opensSocially(toks: readonly string[]): boolean {
  const two = toks.length >= 2 ? `${toks[0]} ${toks[1]}` : toks[0];
  const three = toks.length >= 3 ? `${two} ${toks[2]}` : two;
  return OPENING_PHRASES.some((p) => two === p || three === p) || L.CANCEL.has(toks[0]) || L.GREETING.has(toks[0]) || (L.THANKS.has(toks[0]) && !L.THANKS_ALONE_ONLY.has(toks[0]));
}

function stripPhrasesForSubject(text: string): string {
  return removePhrases(text, NOT_SUBJECT_PHRASES);
}

/**
 * Little words a recogniser makes of a name's first sound ("to lee street" for
 * Tooley Street, "a do street" for Addo Street): trimmed from the subject, but
 * handed to the sound matcher as a possible start of the name.
 */
const SOUND_LEAD: ReadonlySet<string> = new Set(['to', 'too', 'two', 'a', 'an', 'the', 'in', 'on', 'of', 'for', 'and', 'or', 'he', 'she', 'we', 'me', 'my', 'i', 'grab', 'get', 'be', 'see', 'hi', 'so', 'well', 'way', 'do', 'then', 'now']);

/** A word trimmed from the subject that may still be part of a name as heard ("would" of "would street" for Wood Street). */
function soundLead(t: string): boolean {
  return SOUND_LEAD.has(t) || (L.FILLER.has(t) && !NEVER_NAME.has(t));
}
/** Filler that is the carrier of the question, never a recogniser's piece of a name. */
const NEVER_NAME: ReadonlySet<string> = new Set(['at', 'please', 'pls', 'plz', 'any', 'how', 'many', 'much', 'is', 'are', 'there', 'theres', 'status', 'available', 'availability', 'left', 'free', 'near', 'nearest', 'closest', 'nearby', 'around', 'round', 'currently', 'right', 'now', 'today', 'tonight']);

/** Two or more Latin-letter words inside another script, with a street word or all capitalised ("Alfreda Street"). */
function latinName(raw: string): string | null {
  for (const m of raw.slice(0, MAX_MESSAGE_CHARS).matchAll(LATIN_RUN)) {
    const words = m[0].trim().split(/\s+/);
    if (words.length < 2 || words.length > 7) continue;
    const lower = words.map((w) => w.toLowerCase().replace(/['’.]/g, ''));
    if (lower.some((w) => L.STREET_TYPES.has(w)) || words.every((w) => /^[A-Z]/.test(w))) return lower.join(' ');
  }
  return null;
}
const LATIN_RUN = /[A-Za-z][A-Za-z'’.]*(?:[ \t]+[A-Za-z][A-Za-z'’.]*)+/g;

/** Who a bare hello is said to ("how do, mate"). */
const ADDRESSED: ReadonlySet<string> = new Set(['mate', 'lads', 'lad', 'all', 'there', 'pal', 'love', 'luv', 'duck', 'folks', 'everyone', 'bikebot', 'bot', 'chuck', 'cock', 'pet', 'youth', 'kid', 'sir', 'madam']);

/** A bike, e-bike or dock-space word: what makes a message ours. */
function wantWord(t: string): boolean {
  return L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t);
}

/** Longer than any name said with its area and a few stray words (the longest London name is seven words). */
const RAMBLE_WORDS = 16;

/** Content words naming a station or place: want, intent and politeness words removed. */
function subjectOf(text: string, before: readonly string[] = []): { subject: string | null; lead: string; tail: string; said: string; head: string } {
  // Words of a social opening just before ("ta runs street" for Torrens Street) may be heard as the name's start, never as its subject.
  const toks = [...before, ...tokens(stripPhrasesForSubject(text))];
  const keep = toks.map((t, i) => {
    if (i < before.length) return false;
    const beforeStreetType = i + 1 < toks.length && streetType(toks[i + 1]) && !L.NEAR_WORDS.has(t);
    if (beforeStreetType && (L.STATION_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t) || L.BIKE_WORDS.has(t))) return true;
    if (L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t)) return false;
    // "Import Dock" is a name; "the dock at Import" or "any dock" is not: 'dock' after a word that may be a name is kept, as 'station' is.
    if (t === 'dock' && i > before.length && !L.STATION_WORDS.has(toks[i - 1]) && !L.FILLER.has(toks[i - 1]) && !wantWord(toks[i - 1])) return true;
    if (t === 'dock' || t === 'docking' || t === 'bikepoint' || t === 'rack') return false;
    if (L.GREETING.has(t) || (L.THANKS.has(t) && !L.THANKS_ALONE_ONLY.has(t))) return false;
    if (L.FILLER.has(t) && !L.EDGE_ONLY.has(t)) return false;
    // A kiss signed at the end ("… any e bikes x"), never the x of "kings x".
    if (i === toks.length - 1 && /^x{1,3}$/.test(t) && !L.CROSS_BEFORE.has(toks[i - 1] ?? '')) return false;
    return true;
  });
  let lo = 0;
  let hi = toks.length;
  while (lo < hi && (!keep[lo] || L.EDGE_ONLY.has(toks[lo]))) lo++;
  while (hi > lo && (!keep[hi - 1] || (L.EDGE_ONLY.has(toks[hi - 1]) && !closeIsStreet(toks, hi - 1)))) hi--;
  const out: string[] = [];
  // The words kept before the first want word dropped, when kept words follow it (the name said first).
  let headEnd = -1;
  for (let i = lo; i < hi; i++) {
    if (keep[i]) out.push(toks[i]);
    else if (headEnd < 0 && out.length >= 2 && wantWord(toks[i])) headEnd = out.length;
  }
  const head = headEnd > 0 && headEnd < out.length ? spellOut(out.slice(0, headEnd)).join(' ') : '';
  let k = lo;
  while (k > 0 && lo - k < 2 && (soundLead(toks[k - 1]) || k <= before.length)) k--;
  let e = hi;
  while (e < toks.length && e - hi < 2 && soundLead(toks[e])) e++;
  // The words as said, fillers inside kept: "burr mont see street" is not "burr mont street" to the ear.
  const said = hi - lo > out.length ? toks.slice(lo, hi).join(' ') : '';
  return out.length ? { subject: spellOut(out).join(' '), lead: toks.slice(k, lo).join(' '), tail: toks.slice(hi, e).join(' '), said, head } : { subject: null, lead: '', tail: '', said: '', head: '' };
}

/**
 * Abbreviations a person types but no name spells that way: "gt percy st",
 * "s kensington", "kings x". Spelt out before both the station names and the
 * gazetteer see the subject, so each matches the words it knows.
 */
function spellOut(words: string[]): string[] {
  // Most subjects have none: copy only when a word changes.
  let out: string[] | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    const prev = words[i - 1];
    let r = w;
    // A lone compass letter abbreviates a direction before a word ("n kensington") or after a street word ("queens gate n").
    if (w.length === 1 && L.COMPASS_LETTERS[w] && ((next !== undefined && /^[a-z]{3,}$/.test(next)) || (next === undefined && prev !== undefined && L.STREET_TYPES.has(prev)))) r = L.COMPASS_LETTERS[w];
    else if (w === 'x' && prev !== undefined && L.CROSS_BEFORE.has(prev)) r = 'cross';
    else if (Object.hasOwn(L.WORD_ABBREVIATIONS, w)) r = L.WORD_ABBREVIATIONS[w];
    if (r !== w) (out ??= words.slice())[i] = r;
  }
  return out ?? words;
}

/**
 * "wie viele wrights lane": in a foreign question the words before the name are the
 * question's, not the name's: the name is taken from after the last foreign word, two
 * words at least.
 */
function withoutForeignLead(s: ReturnType<typeof subjectOf>): ReturnType<typeof subjectOf> {
  if (!s.subject) return s;
  let words = s.subject.split(' ');
  // "stonecutter street | platz abstellen": the question's foreign words after the name are no part of it
  // (words English also writes, and street words, stay: "… wharf station").
  let end = words.length;
  while (end > 2 && L.FOREIGN_WORDS.has(words[end - 1]) && !L.ENGLISH_WORDS.has(words[end - 1]) && !L.STREET_TYPES.has(words[end - 1])) end--;
  const trimmed = end < words.length;
  words = words.slice(0, end);
  // The name follows the question's last foreign word ("wie viele gerade | soho square", "hay bicis en | cheapside").
  // A word English writes too is no cut inside the name ("… a waterloo station 3": 'station' is German and
  // French as well), only where the name starts after it ("an der | station | wellington arch").
  let i = words.length - 2;
  while (i >= 0 && !(L.FOREIGN_WORDS.has(words[i]) && (i === 0 || !L.ENGLISH_WORDS.has(words[i])))) i--;
  if (i < 0) return trimmed ? { ...s, subject: words.join(' '), said: '' } : s;
  let j = i + 1;
  // Words of both languages right after the cut are still the question's ("gerade | station | lots road").
  while (words.length - j > 2 && (L.EDGE_ONLY.has(words[j]) || (L.FOREIGN_WORDS.has(words[j]) && L.ENGLISH_WORDS.has(words[j])))) j++;
  return { ...s, subject: words.slice(j).join(' '), said: '' };
}

function systemHintOf(subject: string | null, systemNames: readonly string[] | undefined): { hint: string | null; subject: string | null } {
  if (!subject || !systemNames?.length) return { hint: null, subject };
  for (const raw of systemNames) {
    const name = normaliseText(raw);
    if (!name) continue;
    if (subject === name) return { hint: raw, subject: null };
    if (!subject.endsWith(` ${name}`)) continue;
    const rest = subject.slice(0, -name.length - 1);
    // "museum of london" names a museum; "… in london" or "… new york" names the city.
    if (/\s(in|at|near|across|around|throughout)$/.test(rest) || name.includes(' ')) return { hint: raw, subject: rest.replace(/\s(in|at|near|across|around|throughout)$/, '').trim() || null };
    return { hint: raw, subject };
  }
  return { hint: null, subject };
}

/** "Hello Santander Cycles", "thanks Citi Bike": a hello or thanks said to the scheme by its name is still only that. */
function socialToScheme(norm: string, toks: readonly string[], systemNames: readonly string[] | undefined): Social | null {
  if (!systemNames?.length || !(L.GREETING.has(toks[0]) || L.THANKS.has(toks[0]))) return null;
  const rest = removePhrases(norm, systemNames.map((n) => normaliseText(n)).filter((n) => n.length > 0));
  return rest !== norm && rest.length > 0 ? wholeSocial(rest, tokens(rest)) : null;
}

function result(intent: Intent, want: Want, extra: Partial<Understanding> = {}): Understanding {
  return { intent, want, subject: null, near: false, coordinates: null, systemHint: null, followUp: null, explicit: false, foreign: false, ...extra };
}

/** What a message says, before any lookup. Pure, and bounded in time by the length cap in normaliseText. */
export function understand(text: string, ctx: UnderstandContext = {}): Understanding {
  const fix = typeof text === 'string' ? correctionOf(text) : null;
  if (fix) {
    const corrected = correctedReading(understand(fix.question, ctx), understand(fix.meant, ctx));
    if (corrected) return corrected;
  }
  const heard: Heard = { words: null };
  const u = byWordLists(text, ctx, heard);
  return ctx.model ? arbitrate(u, text, ctx.model, heard.words) : u;
}

/** What the word lists made of the message on the way, for the model to read too: its normalised words (null before they were made). */
interface Heard {
  words: readonly string[] | null;
}

function byWordLists(text: string, ctx: UnderstandContext, heard: Heard): Understanding {
  const raw = typeof text === 'string' ? text.slice(0, 200) : '';
  if (L.GREETING_EMOJI.test(raw)) return result('greeting', 'any');
  if (raw.trim() && L.THANKS_EMOJI.test(raw)) return result('thanks', 'any');
  // "?" asks what this is; "?????" is bewilderment at an answer, not a question.
  if (/^\s*\?{1,2}\s*$/.test(raw)) return result('help', 'any');
  if (/^\s*\?+\s*$/.test(raw)) return result('unknown', 'any');
  // "£££?", "$$": money signs and nothing else ask what it costs.
  if (/^[\s?!.]*[£€$][\s£€$?!.]*$/.test(raw)) return result('prices', 'any');
  // Cyrillic, Greek, CJK …: nothing in it can be read as a name, so say which language we read.
  if (otherScript(raw)) {
    // A thank-you or a hello is understood whatever the script, as "merci" and "bonjour" are.
    if (L.OTHER_SCRIPT_THANKS.test(raw)) return result('thanks', 'any', { foreign: true });
    if (L.OTHER_SCRIPT_GREETING.test(raw)) return result('greeting', 'any', { foreign: true });
    // "すみません、Alfreda Streetのステーションに…": a name in Latin letters inside it may be a station's, said
    // as it is written; it is answered only when it names one outright (fresh-question.ts), else the language is said.
    const named = latinName(raw);
    if (named !== null) return result('station_status', 'any', { subject: named, foreign: true });
    return result('other_language', 'any', { foreign: true });
  }
  // A long message is answered by the question in it, when it has one.
  const asked = typeof text === 'string' ? questionInStory(text) : null;
  if (asked !== null) return byWordLists(asked, ctx, heard);
  let toks = mendWords(tokens(normaliseText(text, ctx.nameWords)), ctx.nameWords);
  heard.words = toks;
  let norm = toks.join(' ');
  if (L.WAVED_AWAY.test(norm)) {
    // "forget bikes and tell me …": only what is left is asked; "forget the bikes" alone calls it off.
    norm = norm.replace(new RegExp(L.WAVED_AWAY.source, 'g'), ' ').replace(/\s+/g, ' ').trim();
    toks = tokens(norm);
    heard.words = toks;
    if (toks.every((t) => L.FILLER.has(t) || L.CANCEL.has(t) || t === 'and' || t === 'so')) return result('cancel', 'any');
  }
  if (toks.length === 0) return result('unknown', 'any');
  // "1; DROP TABLE users": the statement is dropped as code (normaliseText), and "1" before it is no choice of option 1.
  if (!/[a-z]{2}/.test(norm) && /\b(select|drop|insert|delete|update|union|alter|truncate)\b/i.test(raw)) return result('unknown', 'any');
  if (toks.every((t) => L.JUNK.has(t))) return result('unknown', 'any');
  if (toks.length === 1 && L.CANCEL_ALONE.has(toks[0])) return result('cancel', 'any');

  // "nah its ok i got a bike now", "I'll figure it out myself, bye": nothing more is wanted, said before any aside is weighed.
  const whole = wholeSocial(norm, toks) ?? socialToScheme(norm, toks, ctx.systemNames) ?? (noLongerNeeded(norm, toks) ? 'cancel' : null) ?? socialWithAside(raw, toks);
  if (whole) return result(whole, 'any');
  // "how do", "how do lads": the northern hello, said whole; "how do i …" goes on to a question.
  if (toks[0] === 'how' && toks[1] === 'do' && toks.slice(2).every((t) => ADDRESSED.has(t))) return result('greeting', 'any');

  // "cancel my annual membership", "cancel my hire": an errand, not a call-off with words after it.
  if (L.CANCEL.has(toks[0]) && (toks[1] === 'my' || accountErrand(toks))) {
    const errand = cantDoOf(toks, true);
    if (errand) return result('unknown', 'any', { explicit: true, cantDo: errand });
  }
  // "cancel. actually bikes at X", "hallo, gibt es …": a social opening gives way to the request after it.
  let opening: Social | null = null;
  let body = norm;
  let openingWords: string[] = [];
  // "oh wait cancel, my mate's got me a lift", "right ok thanks, …": soft words before the opening are the opening's.
  const soft = toks.findIndex((t) => !PREFIX_SOFT.has(t));
  if (soft > 0 && toks.length > soft + 1 && (L.CANCEL.has(toks[soft]) || L.GREETING.has(toks[soft]) || (L.THANKS.has(toks[soft]) && !L.THANKS_ALONE_ONLY.has(toks[soft])))) toks = toks.slice(soft);
  for (;;) {
    const first = toks[0];
    const two = toks.length >= 2 ? `${toks[0]} ${toks[1]}` : first;
    const three = toks.length >= 3 ? `${two} ${toks[2]}` : two;
    const phrase = OPENING_PHRASES.find((p) => two === p || three === p);
    if (phrase && toks.length > phrase.split(' ').length) {
      opening ??= socialOf(phrase, tokens(phrase));
      openingWords = toks.slice(0, phrase.split(' ').length);
      toks = toks.slice(phrase.split(' ').length);
    } else if (toks.length > 1 && (L.CANCEL.has(first) || L.GREETING.has(first) || (L.THANKS.has(first) && !L.THANKS_ALONE_ONLY.has(first)))) {
      opening ??= socialOf(first, [first]);
      openingWords = [first];
      toks = toks.slice(1);
    } else if (toks.length > 1 && (PREFIX_SOFT.has(first) || INTERJECTIONS.has(first)) && (opening || opensSocially(toks.slice(1)))) {
      // "hmm never mind, …", "oh hi, …": a sound before the social opening is no part of what follows.
      toks = toks.slice(1);
    } else break;
  }
  body = toks.join(' ');
  // "bikes at X'; DROP TABLE …": a person reads the question and ignores the code after it.
  const sql = L.SQL_WORDS.exec(body);
  if (sql) {
    const before = body.slice(0, sql.index).trim();
    // "SELECT docks FROM clifton road": a question dressed as a query is still read, its keywords skipped.
    const dressed = before ? [] : tokens(body).filter((t) => !SQL_KEYWORDS.has(t));
    const want = (t: string) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t);
    if (dressed.some(want) && dressed.some((t) => !want(t) && !L.FILLER.has(t) && /[a-z]{3}/.test(t))) body = dressed.join(' ');
    else body = before;
    // "1; SELECT …" is not a choice of option 1: with no words before it, there is no question.
    if (!/[a-z]{2}/.test(body)) return result('unknown', 'any');
    toks = tokens(body);
  }
  const foreign = looksForeign(raw, toks);
  // "ur a waste of space", "outer space": words of ours in a phrase about something else say nothing of ours.
  if (hasPhrase(body, L.NOT_OUR_IDIOMS)) {
    body = removePhrases(body, L.NOT_OUR_IDIOMS);
    toks = tokens(body);
    // Unless something of ours is left besides ("… space station … any bikes at waterloo").
    const ours = toks.some((t) => wantWord(t) || L.STATION_WORDS.has(t)) || hasPhrase(body, L.NEAR_PHRASES);
    if (!ours) return result('unknown', 'any', { foreign });
  }

  const followUp = followUpOf(body, toks, ctx.optionsOpen);
  if (followUp) {
    const intent: Intent = followUp.kind === 'next' ? 'nearest' : 'station_status';
    const want = followUp.kind === 'want' ? followUp.want : 'any';
    return result(intent, want, { followUp, explicit: true });
  }

  let want = wantOf(body, toks);
  if (want === 'any' && hasPhrase(body, L.HERE_PHRASES)) want = 'bikes';
  // "the petrol station", "an ev charging station" are stations of another kind.
  const bikeSignal = toks.some((t, i) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || dockWordAt(toks, i) || (L.STATION_WORDS.has(t) && !L.OTHER_STATION_KINDS.has(toks[i - 1] ?? ''))) || want !== 'any';
  const nearSignal = hasPhrase(body, L.NEAR_PHRASES) || L.WANT_IN_PLACE.test(body) || toks.some((t, i) => L.NEAR_WORDS.has(t) && !closeIsStreet(toks, i) && !relativeWhere(toks, i));

  const coordMatch = COORDS.exec(body);
  let coordinates: { lat: number; lon: number } | null = null;
  if (coordMatch) {
    const lat = Number(coordMatch[2]);
    const lon = Number(coordMatch[3]);
    if (isValidLatLon(lat, lon)) coordinates = { lat, lon };
  }
  if (coordinates) {
    return result('nearest', want, { coordinates, near: true, explicit: true, subject: null });
  }

  // "where can I park my car near Oxford Street", "where can I buy a second hand road bike": another vehicle,
  // or a bike to buy, with nothing else of ours said, is another errand. Docks are ours whatever car is named
  // ("free docks at Brompton Car Prak?": a name mistyped past its street word).
  const otherVehicle = toks.some((t, i) => L.OTHER_VEHICLES.has(t) && !L.STREET_TYPES.has(toks[i + 1] ?? '') && toks[i + 1] !== 'park');
  // A bike after the trade word ("buy a second hand road bike") or "… bike to buy"; not "bikes at ann sell house" (a name heard as words).
  const isBike = (w: string | undefined): boolean => w !== undefined && (L.BIKE_WORDS.has(w) || L.EBIKE_WORDS.has(w));
  const buyingBike = !toks.some((t) => L.HIRE_WORDS.has(t)) && toks.some((t, i) => L.TRADE_WORDS.has(t) && (toks.slice(i + 1, i + 6).some(isBike) || (toks[i - 1] === 'to' && isBike(toks[i - 2]))));
  if ((otherVehicle && !toks.some((t) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.STATION_WORDS.has(t) || t === 'docks')) || buyingBike) return result('unknown', 'any', { foreign });
  // "lime bikes near me": another operator's bikes; "unlock bike 40213", "can you reserve me a dock": an errand we cannot run.
  // Said outright (explicit): no model overrules it (arbitrate.ts).
  if (toks.some((t, i) => L.OTHER_SCHEMES.has(t) && (isBike(toks[i + 1]) || (toks[i + 1] === 'e' && isBike(toks[i + 2]))))) return result('unknown', 'any', { foreign, explicit: true });
  // "do you have bikes in birmingham": another city's scheme, unless it is one of ours (a configured system's name).
  if (toks.some((t, i) => L.OTHER_CITIES.has(t) && CITY_LINKS.has(toks[i - 1] ?? '') && !ctx.systemNames?.some((n) => normaliseText(n) === t))) return result('unknown', 'any', { foreign, explicit: true });
  // "update my card details", "I left my phone in the basket": errands only the operator can run, said so.
  // "bikes at kings cross, i left my wallet at home": a station asked for, whatever was left behind.
  // "dropped my keys next to the docking station": near where they were lost, not a nearest asked.
  const askedNear = nearSignal && (hasPhrase(body, NEAR_ASKED_PHRASES) || L.WANT_IN_PLACE.test(body) || toks.some((t, i) => L.NEAR_WORDS.has(t) && !closeIsStreet(toks, i) && !relativeWhere(toks, i) && !whereLost(toks, i)));
  const cantDo = cantDoOf(toks, askedNear || toks.some((t, i) => wantWord(t) && PLACE_LINKS.has(toks[i + 1])));
  if (cantDo) return result('unknown', 'any', { foreign, explicit: true, cantDo });
  // Not about one station, and never answered with one: the operator's contact, the scheme's prices.
  // Asked in another language ("i freni sono rotti", "cuánto cuesta"), a report or a price question is
  // answered by saying which language we read: an English answer about the wrong thing helps no one.
  // "complaint about a cyclist on the pavement": someone else's matter, whatever the model makes of "complaint".
  if (complaintNotOurs(toks)) return result('unknown', 'any', { foreign, explicit: true });
  const problem = isProblemAsk(body, toks);
  // "is it safe to cycle down Oxford Street at night", "do I need a helmet": about cycling, not for a bike; said so.
  if (!problem && isCyclingAdvice(body, toks)) return result('unknown', 'any', { foreign, explicit: true });
  // "where's the nearest free dock? I'm about to be charged": the charge is why a dock is wanted, not a price asked.
  const chargeOnly = nearSignal && want !== 'any' && !toks.some((t) => L.PRICE_WORDS.has(t) && !CHARGED.has(t)) && !hasPhrase(body, ['how much']);
  const service = problem ? 'problem' : !chargeOnly && isPriceAsk(body, toks, bikeSignal) ? 'prices' : null;
  if (service && foreign) return result('other_language', 'any', { foreign });
  if (service) return result(service, 'any', { systemHint: systemHintOf(subjectOf(body).subject, ctx.systemNames).hint, explicit: true });
  // "translate 'bicycle' to Spanish": a bike word quoted in a task of another kind.
  if (toks.some((t) => OTHER_TASKS.has(t))) return result('unknown', 'any', { foreign, explicit: true });
  if (!bikeSignal && (toks.some((t) => L.OFF_TOPIC.has(t)) || hasPhrase(body, L.OFF_TOPIC_PHRASES))) return result('unknown', 'any', { foreign });
  // "are there toilets near the docking station", "nearest cashpoint to the dock": what is asked for is something else.
  if (offTopicAsked(toks)) return result('unknown', 'any', { foreign, explicit: true });
  // Help asked for in another language ("necesito ayuda") is best answered by saying which language we read.
  // "are you any use for the bikes", "what do you do for santander bikes": the bikes named as what the bot is for.
  const botForBikes = bikeSignal && !nearSignal && toks.some((t) => BOT_PURPOSE.has(t)) && isAboutBot(toks.filter((t) => !L.BIKE_WORDS.has(t) && !L.EBIKE_WORDS.has(t) && !SCHEME_WORDS.has(t)));
  if (botForBikes || (!bikeSignal && !nearSignal && (toks.some((t) => L.HELP.has(t)) || hasPhrase(body, L.HELP_PHRASES) || L.HELP_RE.test(body) || isAboutBot(toks)))) {
    // "Hi, is this the Santander bikes chat?", "hello, are you a real person?": a hello that checks who answers is the hello.
    if (opening === 'greeting' && !foreign && IDENTITY_ASKED.test(body)) return result('greeting', 'any');
    return result(foreign ? 'other_language' : 'help', 'any', { foreign });
  }
  // "who won the match", "what time is it": a question about something else entirely.
  // "whats at pott street", "what is there at …": what a place holds.
  // "what's Tooley Street like right now", "how's Cromer Street looking": how a place is, asked of a dock.
  const statusAsk = toks.some((t) => STATUS_WORDS.has(t)) || ((toks[0] === 'what' || toks[0] === 'whats') && toks.slice(1, 4).includes('at')) || (HOW_IS.has(toks[0]) && toks.length <= 9 && toks.slice(2).some((t) => t === 'like' || t === 'looking'));
  if (!bikeSignal && !nearSignal && !statusAsk && L.QUESTION_OPENERS.has(toks[0]) && toks[1] !== 'about') return result(opening ?? 'unknown', 'any', { foreign, social: opening });
  if (/^[\d\s.\-]+$/.test(body)) {
    if (opening) return result(opening, 'any');
    return result('unknown', 'any');
  }

  // The charge said as the reason ("I'm about to be charged") is no part of a name.
  const named = chargeOnly ? removePhrases(body, BEING_CHARGED) : body;
  // "I was wondering whether you could tell me where the nearest docking station to the British Museum might be",
  // "we're at the Science Museum, nearest bikes?": the place is what follows "to" after the near word, or "at" before it.
  const target = nearSignal && !foreign ? nearTarget(tokens(named)) : null;
  const said = foreign ? withoutForeignLead(subjectOf(named, openingWords.slice(-1))) : target ? subjectOf(target) : subjectOf(named, openingWords.slice(-1));
  const hinted = systemHintOf(said.subject, ctx.systemNames);
  const subject = hinted.subject;
  const explicit = bikeSignal || nearSignal;
  // "how many docking stations are there in London", "how many bikes does the scheme have in total": the whole
  // scheme counted, no dock or place asked about.
  // "how many people use the bikes every day": the scheme's figures, no count at a dock.
  if (toks.some((t, i) => t === 'many' && toks[i - 1] === 'how' && (RIDERS.has(toks[i + 1]) || RIDERS.has(toks[i + 2] ?? ''))) && !toks.some((t) => L.PRICE_WORDS.has(t))) return result('unknown', 'any', { foreign, explicit: true });
  // "can you add a docking station near my house", "please put more bikes at my local station": asked of the operator.
  if (ASKED_TO_ADD.test(body)) return result('unknown', 'any', { foreign, explicit: true });
  const wholeScheme = subject === null ? hinted.hint !== null : tokens(subject).every((t) => SCHEME_WIDE.has(t)) && (hinted.hint !== null || tokens(subject).some((t) => SCHEME_MARKERS.has(t)));
  if (wholeScheme && toks.includes('how') && toks.includes('many') && !toks.some((t) => L.NEAR_WORDS.has(t)) && !hasPhrase(body, L.NEAR_PHRASES)) return result('unknown', 'any', { foreign, explicit: true });
  if (subject === null) {
    // "¿dónde hay bicicletas?": a bike word in a question BikeBot cannot read further.
    if (explicit && foreign) return result('other_language', 'any', { foreign });
    // "who designed the bikes", "when did the boris bikes start": a question about the bikes, not for some.
    if (explicit && aboutNotFor(toks, nearSignal)) return result('unknown', 'any', { foreign });
    if (explicit) return result('nearest', want, { near: true, explicit, systemHint: hinted.hint, foreign });
    return result(opening ?? (foreign ? 'other_language' : 'unknown'), 'any', { foreign, social: opening });
  }
  const subjectToks = tokens(subject);
  const streetSaid = subjectToks.some((t) => L.STREET_TYPES.has(t));
  // The question word heads a "name" with no place in it ("who designed", not "when … at waterloo"): nothing was asked for at a place.
  if (explicit && !streetSaid && subjectToks[0] === toks[0] && !subjectToks.some((t) => PLACE_LINKS.has(t)) && aboutNotFor(toks, nearSignal)) return result('unknown', 'any', { foreign });
  // "i'm bored", "it's raining": a bare statement about oneself or the world, not a name (those come with a street word).
  if (!explicit && !streetSaid && STATEMENT_OPENERS.has(toks[0])) return result(opening ?? 'unknown', 'any', { foreign, social: opening });
  // A rambling story with nothing of ours in it (no bike, dock or near word, no street word): its words are not a
  // name, however many of them look like one ("… tells kevin … until tomorrow" is no Tallis Street).
  if (!explicit && !streetSaid && opening === null && subjectToks.length > RAMBLE_WORDS) return result('unknown', 'any', { foreign });
  // A story this long says its street in passing ("… chase the postman down the road …"): a name is never most of it.
  if (!explicit && subjectToks.length > STORY_WORDS) return result(opening ?? 'unknown', 'any', { foreign, social: opening });
  const choose: FollowUp | null = ctx.optionsOpen ? { kind: 'choose_name', text: subject } : null;
  const same = hinted.subject === said.subject;
  const lead = same && (said.lead || said.said || said.tail) ? { lead: said.lead, tail: said.tail, said: said.said || (subject as string) } : {};
  const head = same && said.head ? { head: said.head } : {};
  return result(nearSignal ? 'nearest' : 'station_status', want, { subject, near: nearSignal, explicit, systemHint: hinted.hint, followUp: choose, foreign, social: opening, ...lead, ...head });
}

/** The first thing asked for ("any …", "are there …", "nearest …") is none of ours: a toilet, a cafe, a cashpoint. */
function offTopicAsked(toks: readonly string[]): boolean {
  for (let i = 0; i < toks.length; i++) {
    if (!ASKS_FOR.has(toks[i])) continue;
    for (let j = i + 1; j <= i + 3 && j < toks.length; j++) {
      if (L.OFF_TOPIC.has(toks[j])) return true;
      if (!THING_PADDING.has(toks[j])) break;
    }
    return false;
  }
  return false;
}
const ASKS_FOR: ReadonlySet<string> = new Set(['any', 'nearest', 'closest', 'theres', 'there']);
const THING_PADDING: ReadonlySet<string> = new Set(['a', 'an', 'any', 'some', 'the', 'good', 'decent', 'nice', 'public', 'cheap', 'open']);

/** How a city is said as where the bikes are asked for ("in paris", "around manchester"); not "from leeds". */
const CITY_LINKS: ReadonlySet<string> = new Set(['in', 'around', 'across', 'throughout', 'to', 'for']);

/** The whole scheme, counted: what is left of a name when nothing but the scheme is named. */
/** Who the scheme's figures count. */
const RIDERS: ReadonlySet<string> = new Set(['people', 'riders', 'users', 'members', 'customers', 'cyclists', 'commuters', 'tourists', 'subscribers']);
/** More docks or bikes asked for, of the operator: a suggestion, not a count. */
const ASKED_TO_ADD = /(?:^| )(?:(?:add|build|install|introduce|provide) (?:a |an |some |more |another |extra |new |a new |an extra |some more )|(?:put|open|get|bring|send) (?:in |on )?(?:more |extra |a new |some more |an extra |in a new |another new ))(?:new |extra )?(?:docking stations?|docks?|stations?|bikes?|e ?bikes?|bike stations?)(?= |$)/;

const SCHEME_MARKERS: ReadonlySet<string> = new Set(['total', 'altogether', 'overall', 'whole', 'entire', 'scheme', 'system', 'network', 'city']);
const SCHEME_WIDE: ReadonlySet<string> = new Set(['total', 'altogether', 'overall', 'whole', 'entire', 'scheme', 'system', 'network', 'city', 'all', 'together', 'stations', 'station', 'of', 'the', 'in', 'have', 'has', 'got', 'does', 'do', 'they', 'you']);

/** Question words that ask about bikes rather than for them, with no place named. */
const ABOUT_NOT_FOR: ReadonlySet<string> = new Set(['who', 'when', 'why', 'whose']);
/** Words that end the place named after "to" or "at": the sentence goes on ("… to the British Museum might be"). */
const PLACE_ENDS: ReadonlySet<string> = new Set(['might', 'may', 'would', 'could', 'is', 'please', 'pls', 'if', 'so', 'as', 'thanks', 'thank', 'cheers', 'because', 'cause', 'and', 'but', 'i', 'im', 'we', 'were']);
const NEAR_POINTERS: ReadonlySet<string> = new Set(['nearest', 'closest', 'near', 'nearby', 'close']);

/**
 * The words naming the place in a near question said with a preamble: after "to" that follows the near word
 * ("the nearest docking station to | the british museum | might be"), or after "at" before the near word
 * ("were at | the science museum | nearest bikes"). Null when neither shape is there, or nothing follows.
 */
function nearTarget(toks: readonly string[]): string | null {
  const near = toks.findIndex((t) => NEAR_POINTERS.has(t));
  if (near < 0) return null;
  const to = toks.indexOf('to', near + 1);
  let from = to > near && to - near <= 5 ? to + 1 : -1;
  let end = toks.length;
  if (from < 0) {
    const at = toks.lastIndexOf('at', near);
    if (at < 0 || near - at < 2) return null;
    from = at + 1;
    end = near;
  }
  const place: string[] = [];
  for (let i = from; i < end && !PLACE_ENDS.has(toks[i]) && !wantWord(toks[i]); i++) place.push(toks[i]);
  const named = place.filter((t) => !L.FILLER.has(t));
  return named.length > 0 ? place.join(' ') : null;
}

/** Who is answering, asked: "is this …", "are you …", "am i talking to …", "anyone there". */
const IDENTITY_ASKED = /^(?:is (?:this|that|it|anyone|anybody)|are you|am i|anyone|anybody|who is|whos)\b/;
/** Tasks of another kind, whatever words of ours they carry. */
const OTHER_TASKS: ReadonlySet<string> = new Set(['translate', 'translation', 'translating']);
/** Words asking what a bot is for or good for; with them, bikes named are the bot's subject, not a request. */
const BOT_PURPOSE: ReadonlySet<string> = new Set(['use', 'useful', 'for', 'do', 'does', 'work', 'works', 'this']);
/** The scheme named in general. */
const SCHEME_WORDS: ReadonlySet<string> = new Set(['santander', 'boris', 'hire', 'scheme', 'cycles', 'cycle', 'docking', 'the']);
const PLACE_LINKS: ReadonlySet<string> = new Set(['at', 'in', 'near', 'by', 'outside', 'on']);

function aboutNotFor(toks: readonly string[], nearSignal: boolean): boolean {
  return !nearSignal && ABOUT_NOT_FOR.has(toks[0]) && !toks.some((t) => STATUS_WORDS.has(t));
}
