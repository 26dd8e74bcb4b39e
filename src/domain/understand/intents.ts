import type { Want } from '../station.js';
import type { FollowUp } from '../understanding.js';
import { MONEY_SIGN, mendWords, normaliseText, tokens } from './normalise.js';
import * as L from './lexicon.js';

/**
 * What kind of message it is, from its words alone: social phrases (greeting, thanks,
 * cancel), questions that are not about one station (what BikeBot can do, prices, a
 * problem with a bike or dock), a language BikeBot cannot read, what the person wants,
 * and references back to the previous turn. Pure functions over normalised words
 * (normalise.ts) and the vocabulary in lexicon.ts.
 */

export const SOCIAL_SOFT: ReadonlySet<string> = new Set(['i', 'anymore', 'longer', 'now', 'stuff', 'jubbly', 'well', 'partner', 'friend', 'again', 'actually', 'oh', 'ah', 'erm', 'um', 'wait', 'hmm', 'bikebot', 'bot', 'schon', 'mille', 'many', 'a', 'lot', 'so', 'much', 'very', 'you', 'u', 'mate', 'please', 'pls', 'there', 'bot', 'again', 'all', 'for', 'that', 'this', 'it', 'beaucoup', 'vielmals', 'really', 'x', 'xx', 'lol', 'then', 'man', 'buddy', 'pal', 'bud', 'love', 'luv', 'mate', 'guys', 'folks', 'everyone', 'again', 'kindly', 'big', 'loads', 'ever', 'so', 'much', 'how', 'are', 'you', 'doing', 'today', 'good', 'fine', 'its', 'any', 'sorry', 'ive', 'im', 'most']);
export const PREFIX_SOFT: ReadonlySet<string> = new Set(['actually', 'so', 'ok', 'okay', 'well', 'oh', 'um', 'uh', 'er', 'right', 'and', 'but', 'instead', 'wait', 'sorry', 'please', 'also', 'now', 'that', 'this', 'it']);
const FOLLOW_SOFT: ReadonlySet<string> = new Set(['what', 'about', 'and', 'how', 'any', 'for', 'then', 'instead', 'please', 'some', 'there', 'is', 'are', 'the', 'only', 'just', 'or', 'with', 'ok', 'okay', 'so']);

/**
 * Whether ` ${phrase} ` occurs in padded (a text with a space at each end), found
 * in place: the phrase lists are long and most phrases are absent, so building
 * the spaced needle for each of them was most of what a message allocated.
 */
function occurs(padded: string, phrase: string): boolean {
  const n = phrase.length;
  if (n === 0) return padded.includes('  ');
  // One search call and the next start worked out at every find: a call or sum that only a
  // find inside a word reached would have no type feedback until a real message first did,
  // and throw the optimised code away.
  for (let from = 1; ; ) {
    const i = padded.indexOf(phrase, from);
    if (i < 0) return false;
    from = i + 1;
    if (padded.charCodeAt(i - 1) === 32 && padded.charCodeAt(i + n) === 32) return true;
  }
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

/** "that's all", "that's it": the end of a conversation, a call-off alone and a sign-off with thanks or a goodbye. */
const CLOSINGS: readonly string[] = ['thats all', 'that is all', 'thats it', 'thats everything', 'all done', 'that will be all', 'sorted it', 'that sorted it'];

export function socialOf(text: string, toks: readonly string[]): Social | null {
  if (hasPhrase(text, L.CANCEL_PHRASES)) {
    // "ok that's all, thanks", "that's all i needed, bye": thanks; "erm no that's it, bye" still calls off.
    const closing = hasPhrase(text, CLOSINGS) && !hasPhrase(removePhrases(text, CLOSINGS), L.CANCEL_PHRASES) && !toks.some((t) => L.CANCEL.has(t));
    const thanked = toks.some((t) => L.THANKS.has(t) && t !== 'ok' && t !== 'okay') || hasPhrase(text, L.THANKS_PHRASES);
    if (!(closing && thanked)) return 'cancel';
  }
  if (hasPhrase(text, L.THANKS_PHRASES)) return 'thanks';
  // "I'm most grateful for your assistance. Good day.": a thank-you word outranks a hello phrase said with it.
  if (hasPhrase(text, L.GREETING_PHRASES)) return toks.some((t) => L.THANKS.has(t) && !L.THANKS_ALONE_ONLY.has(t)) ? 'thanks' : 'greeting';
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

const SOCIAL_PHRASES: readonly string[] = [...L.CANCEL_PHRASES, ...L.THANKS_PHRASES, ...L.GREETING_PHRASES];

/** Every word is a social word (or soft padding): "thanks so much", "hi there", "merci beaucoup". */
export function wholeSocial(text: string, toks: readonly string[]): Social | null {
  const rest = tokens(removePhrases(text, SOCIAL_PHRASES));
  const thanked = toks.some((t) => L.THANKS.has(t) && !L.THANKS_ALONE_ONLY.has(t)) || hasPhrase(text, L.THANKS_PHRASES);
  // "thanks for the help", "cheers for the info": what is thanked for is part of the thanks.
  const social = (t: string) => L.CANCEL.has(t) || L.THANKS.has(t) || L.GREETING.has(t) || SOCIAL_SOFT.has(t) || L.HELP.has(t) || (thanked && THANKED_FOR.has(t));
  if (!rest.every(social)) return null;
  if (!thanked && rest.some((t) => L.HELP.has(t))) return 'help';
  return socialOf(text, toks);
}

/** Where a first clause ends: a comma, a full stop, a dash between words. */
const FIRST_CLAUSE = /^([^,;.!?:]+?)(?:[,;.!:]+|\s[-–—]\s)\s*(\S[^?]*)$/;
/** Street words that only a name uses ("way", "walk", "row" are everyday words too). */
const NAME_STREET_WORDS: ReadonlySet<string> = new Set(['street', 'st', 'road', 'rd', 'lane', 'avenue', 'ave', 'square', 'sq', 'gardens', 'crescent', 'terrace', 'mews', 'grove']);
/** A capitalised word: a name, in a rest that is otherwise about the person. */
const NAME_CASE = /\b[A-Z][a-z]/;
/** Where a last clause begins: after the last comma, full stop or dash. */
const LAST_CLAUSE = /^([^?]*\S)\s*(?:[,;.!:]+|\s[-–—])\s*([^,;.!:?]+?)[\s.!]*$/;
/** Words of a clause about the person ("my mate's got me a lift", "train's here", "I'm on my way to work"). */
const ABOUT_ME: ReadonlySet<string> = new Set(['i', 'im', 'ive', 'ill', 'id', 'my', 'me', 'we', 'were', 'weve', 'our', 'us', 'its', 'thats', 'theres', 'got', 'here', 'already', 'from', 'kids', 'mate', 'mates', 'friend', 'friends', 'wife', 'husband', 'partner', 'they', 'theyre']);

/**
 * A hello, thanks or call-off said whole in the first clause, and after it only the person's circumstances
 * ("I don't need it now, train's here", "Greetings from a tourist!", "oh wait cancel, my mate's got me a lift"):
 * nothing of ours is asked (no bike, dock, station, near, price or help word, no question mark), so the
 * social clause is the message. A name after it ("thanks, waterloo 3") says nothing about the person and is read.
 */
export function socialWithAside(raw: string, toks: readonly string[]): Social | null {
  // "Sorry, I've changed my mind, we're going to …": an apology first is no clause of its own.
  const said = raw.replace(APOLOGY_FIRST, '');
  const m = FIRST_CLAUSE.exec(said);
  // A name in the rest ("hiya, it's Tooley Street I'm after") is what is asked about: capitalised past its
  // first word (I, I'm … aside), or a street word.
  const named = m ? namesSomeone(m[2]) : false;
  const clause = m && !named ? asideAfter(mendWords(tokens(normaliseText(m[1]))), tokens(normaliseText(m[2]))) : null;
  if (clause) return clause;
  // "its fine we'll get an uber. cancel": the social clause last, the circumstances first.
  const last = LAST_CLAUSE.exec(said);
  const lastSaid = last && !namesSomeone(last[1]) ? asideAfter(mendWords(tokens(normaliseText(last[2]))), tokens(normaliseText(last[1]))) : null;
  if (lastSaid) {
    // Given up on before the thanks ("I no longer require assistance, thank you", "Thank you, but I'll leave it
    // for today"): a call-off. Another call-off phrase beside a thanks ("thanks!! my daughter found one") is
    // left to socialOf; a closing ("that's all i needed, bye") is no call-off beside a goodbye.
    const before = removePhrases(normaliseText(last![1]), CLOSINGS);
    if (lastSaid !== 'cancel' && hasPhrase(before, GIVEN_UP)) return 'cancel';
    if (lastSaid === 'cancel' || !hasPhrase(before, L.CANCEL_PHRASES)) return lastSaid;
  }
  // "greetings from a tourist", "g'morning from sydney, well, from paddington": where a hello comes from.
  const from = toks.indexOf('from');
  return from >= 1 && L.GREETING.has(toks[from - 1]) ? asideAfter(toks.slice(0, from), toks.slice(from)) : null;
}

/** A capitalised word past a clause's first word (I, I'm … aside): a name said in it. */
function namesSomeone(clause: string): boolean {
  return NAME_CASE.test(clause.replace(/^\S+/, '').replace(/\bI(?:'\w+)?\b/g, ''));
}

/** Which social reading wins when two are said: a call-off, then thanks, then a hello. */
const SOCIAL_RANK: readonly Social[] = ['cancel', 'thanks', 'greeting'];
/** An apology as the message's first clause. */
const APOLOGY_FIRST = /^\s*(?:(?:oh|so|um|er)\s+)?(?:sorry|apologies|my apologies|i do apologi[sz]e|i apologi[sz]e)\s*[,.!;:]+\s*/i;
/** Call-offs that give up on the question, which outrank a thanks said with them. */
const GIVEN_UP: readonly string[] = ['leave it', 'no longer require', 'no longer need', 'rather not', 'not continue', 'changed my mind', 'never mind', 'forget it', 'dont bother', 'give up', 'doesnt matter', 'does not matter'];

function asideAfter(head: readonly string[], tail: readonly string[]): Social | null {
  // "at" points at a place ("we are at waterloo, thanks"): that is worth reading.
  if (head.length === 0 || tail.length === 0 || !tail.some((t) => ABOUT_ME.has(t)) || tail.some((t) => NAME_STREET_WORDS.has(t) || t === 'at')) return null;
  const social = wholeSocial(head.join(' '), head);
  if (social === null || social === 'help') return null;
  // Both clauses social ("I'm most grateful for your assistance. Good day."): ranked as socialOf ranks them.
  const other = wholeSocial(tail.join(' '), tail);
  if (other !== null && other !== 'help') return SOCIAL_RANK.indexOf(other) < SOCIAL_RANK.indexOf(social) ? other : social;
  const tailText = tail.join(' ');
  const ours = (t: string) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t) || L.STATION_WORDS.has(t) || L.NEAR_WORDS.has(t) || L.PRICE_WORDS.has(t) || L.HELP.has(t);
  if (tail.some(ours) || hasPhrase(tailText, L.NEAR_PHRASES) || hasPhrase(tailText, L.HELP_PHRASES)) return null;
  // "Thank you, but I'll leave it for today": given up on, whatever the thanks.
  return social !== 'cancel' && hasPhrase(tailText, GIVEN_UP) ? 'cancel' : social;
}

/**
 * The person no longer needs an answer, said as a statement rather than a "cancel": they found or sorted
 * one ("nah its ok i got a bike now", "we found a space already"), will do without ("I'll figure it out
 * myself", "ill just get the tube instead"), are fine ("we're all good now"), are not bothered, or that will be
 * all. Only a message made of such a statement, social words and padding ("meh", "bye", "anyway"): a
 * thank-you with it is thanks ("ta, found one"), a hello with it a greeting ("hi im good, you?").
 */
export function noLongerNeeded(text: string, toks: readonly string[]): boolean {
  // A closing ("that's all") is no call-off beside a goodbye (socialOf): the call-off must be another.
  if (!NO_LONGER_NEEDED.test(text) && !hasPhrase(removePhrases(text, CLOSINGS), L.CANCEL_PHRASES)) return false;
  if (toks.some((t) => (L.THANKS.has(t) && !L.THANKS_ALONE_ONLY.has(t) && !FAREWELLS.has(t)) || L.GREETING.has(t)) || hasPhrase(text, GRATITUDE_PHRASES) || hasPhrase(text, L.GREETING_PHRASES)) return false;
  const rest = tokens(removePhrases(text.replace(NO_LONGER_NEEDED_ALL, ' '), SOCIAL_PHRASES));
  return rest.every((t) => L.CANCEL.has(t) || SOCIAL_SOFT.has(t) || DONE_SOFT.has(t) || FAREWELLS.has(t));
}
/** Found or got one of ours, or sorted it. */
const FOUND = String.raw`(?:(?:i|we|ive|weve|just|already|now)\s+)*(?:found|got|grabbed|spotted|managed to (?:find|get|grab)|sorted|figured)\s+(?:one|it|another|somewhere|something|myself|ourselves|out|(?:a|an|another|the)\s+(?:(?:e\s+)?bike|ebike|dock|space|spot|station|place|one))`;
/** Will do without: sort it oneself, walk, another way of getting there. */
const WITHOUT = String.raw`(?:ill|i will|well|we will|i can|we can|i shall|i guess ill|i think ill|(?:im|were|i am|we are)\s+(?:gonna|going to))\s+(?:just\s+|probably\s+|prob\s+)?(?:sort (?:it|this|myself|ourselves|something)(?: out)?|figure (?:it|this|something) out|work (?:it|this|something) out|manage|cope|walk|walk it|find (?:one|another|it)|look myself|do it myself|(?:try|ask|check)(?: again)? later|ask someone else|(?:get|take|jump on|hop on|catch) (?:the|a) (?:bus|tube|train|taxi|cab|uber|overground))`;
/** Fine as one is, not bothered, that will be all. */
const FINE = String.raw`(?:im|i am|were|we are|all)\s+(?:all\s+)?(?:good|fine|ok|okay|alright|sorted|set)|not (?:bothered|fussed)|(?:it |that )?(?:doesnt|does not) matter|(?:maybe |some )?(?:another|other) time|on second thoughts?|thatll (?:be all|be it|do)|that will (?:be all|do)`;
const NO_LONGER_NEEDED = new RegExp(String.raw`(?:^|\s)(?:${FOUND}|${WITHOUT}|${FINE})(?=\s|$)`);
const NO_LONGER_NEEDED_ALL = new RegExp(NO_LONGER_NEEDED.source, 'g');
/** Padding said with it ("meh", "its fine", "anyway", "instead", "already"). */
const DONE_SOFT: ReadonlySet<string> = new Set(['here', 'meh', 'its', 'ok', 'okay', 'fine', 'myself', 'ourselves', 'already', 'just', 'instead', 'anyway', 'anyways', 'no', 'worries', 'after', 'in', 'the', 'end', 'cool', 'right', 'yeah', 'yep', 'sorry', 'nah', 'not', 'needed', 'ignore', 'me']);
/** A sign-off (thanks words in lexicon.ts): said after a call-off it leaves the call-off standing ("I'll manage, bye"). */
const FAREWELLS: ReadonlySet<string> = new Set([...L.SIGN_OFFS, 'tata']);
/** Thanks phrases that thank, not the sign-offs among them ("see you", "take care", "have a good one"). */
const GRATITUDE_PHRASES: readonly string[] = L.THANKS_PHRASES.filter((p) => !/\b(?:bye|see|later|soon|care|night|have|ra)\b/.test(p));

/** What people thank for. */
const THANKED_FOR: ReadonlySet<string> = new Set(['the', 'your', 'help', 'info', 'information', 'advice', 'answer', 'answers', 'tip', 'tips', 'reply', 'helping', 'update', 'that', 'this', 'everything', 'all', 'assistance', 'time']);

/**
 * A dock-space word that asks for a space: not a street's word ("Spaces Lane") nor the places of
 * something else ("any nice pizza places near Sail Street", "coffee spots").
 */
export function dockWordAt(toks: readonly string[], i: number): boolean {
  return L.DOCK_SPACE_WORDS.has(toks[i]) && !L.STREET_TYPES.has(toks[i + 1] ?? '') && !L.OFF_TOPIC.has(toks[i - 1] ?? '');
}

export function wantOf(text: string, toks: readonly string[]): Want {
  if (hasPhrase(text, L.DOCK_SPACE_PHRASES)) return 'docks';
  const hasEbike = toks.some((t, i) => L.EBIKE_WORDS.has(t) || (t === 'e' && (toks[i + 1] === 'bike' || toks[i + 1] === 'bikes')));
  const hasDockWord = toks.some((_, i) => dockWordAt(toks, i));
  if (hasDockWord) return 'docks';
  if (hasEbike) return 'ebikes';
  if (toks.some((t) => L.BIKE_WORDS.has(t))) return 'bikes';
  return 'any';
}

export function followUpOf(text: string, toks: readonly string[], optionsOpen: boolean | undefined): FollowUp | null {
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

/** Asks that are not about one station, answered without one. */
export type ServiceAsk = 'prices' | 'problem';

/**
 * A price question ("how much does it cost to hire a bike", "is it free for the first 30
 * minutes", "day pass?"): a price cue, and nothing else said but bike, hire and time words
 * — or, with a bike word, whatever else ("how much is a bike at Waterloo": prices are per
 * scheme). "stock price of …" or "how much space at …" are not.
 */
const FREE_OF_CHARGE = /(?:^|\b(?:are|r|is|its)) (?:(?:the|ur|your|these|those|santander|boris|it|they) )?(?:(?:e )?bikes? |ebikes? |cycles? |rides? |it |they |them )?(?:free|free of charge|free to use|for free)$/;

export function isPriceAsk(text: string, toks: readonly string[], bikeSignal: boolean): boolean {
  if (hasPhrase(text, L.NOT_OUR_CHARGE)) return false;
  // "r ur bikes free", "is it free to use": free of charge, not a free dock (that is asked at somewhere).
  if (FREE_OF_CHARGE.test(text)) return true;
  let cue = hasPhrase(text, L.PRICE_PHRASES);
  // A currency sign away from any number: a price question only when nothing else is asked.
  let sign = false;
  for (let i = 0; i < toks.length && !cue; i++) {
    const t = toks[i];
    if (t === MONEY_SIGN) sign = true;
    else if (L.PRICE_WORDS.has(t) && !L.STREET_TYPES.has(toks[i + 1] ?? '')) cue = true;
    // "how much is it", "how much?" on its own; not "how much space at …".
    else if (t === 'how' && toks[i + 1] === 'much' && (i + 2 === toks.length || L.HOW_MUCH_PRICE_NEXT.has(toks[i + 2])) && !hasSpaceWord(toks, i + 2)) cue = true;
  }
  if (!cue && !sign) return false;
  if (bikeSignal && cue) return true;
  const rest = toks.filter((t) => !L.PRICE_WORDS.has(t) && !L.PRICE_CONTEXT.has(t) && !L.FILLER.has(t) && !SOCIAL_SOFT.has(t) && !/^\d+$/.test(t));
  return rest.length <= 2 && !rest.some((t) => L.OFF_TOPIC.has(t));
}

/**
 * Every word a price question's ("what is the fee if you exceed the time limit"): a price word and
 * nothing but hire, time and padding words beside it. Nothing in it for a model to read otherwise.
 */
export function allPriceWords(toks: readonly string[]): boolean {
  return toks.some((t) => L.PRICE_WORDS.has(t)) && toks.every((t) => L.PRICE_WORDS.has(t) || L.PRICE_CONTEXT.has(t) || L.FILLER.has(t) || SOCIAL_SOFT.has(t) || /^\d+$/.test(t));
}

/** Intensifiers between "I'm" and how the speaker feels ("i'm absolutely knackered"). */
const SELF_INTENSIFIERS: ReadonlySet<string> = new Set(['so', 'really', 'totally', 'absolutely', 'completely', 'well', 'proper', 'bloody', 'pretty', 'quite', 'too', 'very', 'just', 'feeling']);

/** "i'm knackered", "she's shattered", "we are exhausted": the word describes a person, not a bike. */
function saidOfMe(toks: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && i - j <= 3 && SELF_INTENSIFIERS.has(toks[j])) j--;
  if (j < 0) return false;
  const t = toks[j];
  // "we're" is written "were" once normalised: a person only where no thing comes before it ("the bikes were broken").
  if (t === 'were') return j === 0 || CLAUSE_JOINS.has(toks[j - 1]);
  return PERSON_IS.has(t) || t === 'feel' || t === 'feels' || t === 'feeling' || ((t === 'am' || t === 'is' || t === 'are') && PERSONS.has(toks[j - 1] ?? ''));
}
/** A person and the verb "to be", run together as normalise.ts writes them ("she's" is "shes"). */
const PERSON_IS: ReadonlySet<string> = new Set(['im', 'shes', 'hes', 'theyre', 'youre']);
const CLAUSE_JOINS: ReadonlySet<string> = new Set(['and', 'but', 'so', 'cos', 'because', 'now', 'ok', 'well']);
const PERSONS: ReadonlySet<string> = new Set(['i', 'she', 'he', 'we', 'they', 'you', 'mum', 'dad', 'wife', 'husband', 'partner', 'friend', 'mate', 'sister', 'brother', 'son', 'daughter', 'kids', 'everyone']);

/** "how much space", "how much room is there": a count, not a price. */
function hasSpaceWord(toks: readonly string[], from: number): boolean {
  for (let i = from; i < Math.min(toks.length, from + 3); i++) if (L.DOCK_SPACE_WORDS.has(toks[i]) && toks[i] !== 'return') return true;
  return false;
}

/**
 * Something is wrong with a bike, a dock or a hire: "my bike has a flat tyre", "the dock
 * won't release my bike", "bike is broken", "who do I call about a stuck bike". A count
 * of broken docks ("how many broken docks at …") is a station question, not a report.
 */
export function isProblemAsk(text: string, toks: readonly string[]): boolean {
  if (hasPhrase(text, L.NOT_OUR_CHARGE)) return false;
  if (hasPhrase(text, L.PROBLEM_PHRASES)) return !brokenCount(toks);
  if (doneToMyBike(toks)) return true;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (L.PROBLEM_WORDS.has(t) && !L.STREET_TYPES.has(toks[i + 1] ?? '') && !saidOfMe(toks, i)) return true;
    // "won't release", "doesn't let me", "can't undock", "not releasing", "keeps locking"
    if (L.PROBLEM_NEGATIONS.has(t)) {
      for (let j = i + 1; j <= i + 3 && j < toks.length; j++) {
        if (L.PROBLEM_VERBS.has(toks[j]) && !(toks[j] === 'get' && !toks.slice(j + 1, j + 6).some((x) => PROBLEM_AFTER_GET.has(x)))) return !(t === 'not' && toks[j] === 'free');
        if (!SOFT_BETWEEN.has(toks[j])) break;
      }
    }
    // "bike is broken", "the dock's stuck", "it keeps beeping"; "stuck bike", "dead battery"
    const thingBefore = i > 0 && (LINKING.has(toks[i - 1]) || L.PROBLEM_THINGS.has(toks[i - 1]));
    const thingAfter = L.PROBLEM_THINGS.has(toks[i + 1] ?? '') && toks[i + 1] !== 'it' && toks[i + 1] !== 'point' && toks[i + 1] !== 'station';
    if (L.PROBLEM_STATES.has(t) && (thingBefore || thingAfter) && !brokenCount(toks) && !saidOfMe(toks, i)) return true;
  }
  return false;
}

/** Something done to one's bike ("lost my bike", "the dock ate my bike", "someone nicked my bike"): a report, not a search. */
function doneToMyBike(toks: readonly string[]): boolean {
  for (let i = 1; i + 1 < toks.length; i++) {
    if (toks[i] !== 'my' || !L.PROBLEM_THINGS.has(toks[i + 1])) continue;
    const v = toks[i - 1];
    if (PAST_DONE_TO.has(v) || (v.length > 4 && v.endsWith('ed') && !NOT_DONE_TO.has(v))) return true;
  }
  return false;
}
/** Irregular past tenses of what happens to a bike. */
const PAST_DONE_TO: ReadonlySet<string> = new Set(['lost', 'ate', 'eaten', 'stole', 'broke', 'took', 'taken', 'swallowed', 'crashed', 'nicked', 'smashed', 'bent', 'hit', 'kept', 'left']);
/** Past tenses that are the question itself ("where I parked my bike", "docked my bike"). */
const NOT_DONE_TO: ReadonlySet<string> = new Set(['parked', 'docked', 'returned', 'hired', 'rented', 'booked', 'unlocked', 'needed', 'wanted', 'used']);

const LINKING: ReadonlySet<string> = new Set(['is', 's', 'are', 'was', 'were', 'got', 'gets', 'keeps', 'seems', 'looks', 'went', 'been', 'has', 'totally', 'completely', 'all', 'just']);
const SOFT_BETWEEN: ReadonlySet<string> = new Set(['it', 'me', 'the', 'my', 'a', 'to', 'be', 'seem', 'even', 'properly', 'get', 'just', 'and', 'so', 'on', 'of', 'out', 'this', 'that']);
/** "can't get it out", "can't get the bike to release": get is a problem verb only with these. */
const PROBLEM_AFTER_GET: ReadonlySet<string> = new Set(['out', 'free', 'unlocked', 'released', 'undocked', 'back']);

/** "how many broken docks at …", "any broken bikes at …": counting what is broken. */
function brokenCount(toks: readonly string[]): boolean {
  for (let i = 0; i + 1 < toks.length; i++) {
    if ((toks[i] === 'broken' || toks[i] === 'faulty') && (toks[i + 1] === 'docks' || toks[i + 1] === 'bikes' || toks[i + 1] === 'stands' || toks[i + 1] === 'points')) {
      return toks.slice(0, i).some((t) => t === 'many' || t === 'any' || t === 'number' || t === 'count');
    }
  }
  return false;
}

/** Words with a letter of another Latin alphabet that English never uses (accents on e, as in café, are English enough). */
const NOT_ENGLISH_LETTERS = /\p{L}*[åäöøæœßñçãõłśźżşğıčřšžůąęăâîșțőűėųūįāēīģķļņđ]\p{L}*/gu;

/** Letters outside the Latin script: Cyrillic, Greek, Arabic, CJK … */
const NON_LATIN_LETTER = /[^\p{Script=Latin}\P{L}]/gu;
const LETTER = /\p{L}/gu;

/**
 * Written in a language BikeBot does not read: mostly letters of another script, or more
 * words that are only foreign ("wo", "ist", "comment", "donde") than English function
 * words, two at least. Not decisive on its own: a foreign message that still names a
 * station ("y a-t-il des vélos à Cromer Street") is answered.
 */
export function looksForeign(raw: string, toks: readonly string[]): boolean {
  if (otherScript(raw)) return true;
  // Letters English never writes ("många", "straße", "niño") are foreign words as well.
  let foreign = raw.length > 400 ? 0 : (raw.toLowerCase().match(NOT_ENGLISH_LETTERS) ?? []).length;
  let english = 0;
  for (const t of toks) {
    if (L.FOREIGN_WORDS.has(t)) foreign++;
    else if (L.ENGLISH_WORDS.has(t)) english++;
  }
  // "Preciso de ajuda", "Nerede bisiklet var": a short message can hold only one or two such words.
  return (foreign >= 2 && foreign > english) || (foreign >= 1 && english === 0 && toks.length <= 3 && foreign * 2 >= toks.length);
}

/** Mostly letters of another script: nothing in it can be matched against names. */
export function otherScript(raw: string): boolean {
  const sample = raw.length > 400 ? raw.slice(0, 400) : raw;
  const letters = sample.match(LETTER)?.length ?? 0;
  return letters >= 2 && (sample.match(NON_LATIN_LETTER)?.length ?? 0) * 2 >= letters;
}

/** Words a question about BikeBot itself is made of ("what kind of stuff can you do", "is this a bot"). */
const ABOUT_BOT_WORDS: ReadonlySet<string> = new Set(['r', 'word', 'phrase', 'human', 'person', 'real', 'chatting', 'talking', 'speaking', 'dont', 'not', 'sure', 'idk', 'no', 'idea', 'you', 'u', 'ya', 'this', 'bot', 'bikebot', 'robot', 'chatbot', 'service', 'app', 'thing', 'do', 'does', 'doing', 'help', 'use', 'explain', 'answer', 'ask', 'asking', 'understand', 'examples', 'example', 'work', 'works', 'know', 'tell', 'able', 'capable', 'for', 'what', 'whats', 'kind', 'sort', 'type', 'types', 'of', 'stuff', 'things', 'questions', 'question', 'can', 'could', 'should', 'would', 'will', 'me', 'some', 'give', 'show', 'is', 'are', 'a', 'an', 'the', 'exactly', 'really', 'please', 'i', 'im', 'new', 'here', 'say', 'just', 'how', 'to', 'with', 'about', 'yourself', 'your', 'features', 'commands', 'options', 'list', 'anything', 'else', 'other', 'good', 'at', 'supposed', 'meant', 'purpose', 'point', 'so', 'then', 'ok', 'okay', 'um', 'hmm', 'any', 'more', 'tips', 'that', 'it', 'there', 'be', 'used', 'go', 'start', 'on', 'meant', 'expected', 'am', 'write', 'send', 'info', 'information', 'have', 'got', 'offer', 'provide', 'which', 'question', 'chat', 'chatline', 'helpline']);
/** The words that make such a question about the bot rather than about a place. */
const BOT_REFERENCES: ReadonlySet<string> = new Set(['human', 'you', 'u', 'ya', 'bot', 'bikebot', 'robot', 'chatbot', 'yourself', 'examples', 'example', 'questions', 'commands', 'features', 'service', 'app', 'type', 'say', 'ask', 'chat', 'chatline', 'helpline']);

/**
 * A question about BikeBot itself: every word is one a question about a bot is made of,
 * and one of them names the bot or its questions. "what can you do", "is this a bot",
 * "give me some examples of what to ask" — but not "what can you tell me about Soho".
 */
export function isAboutBot(toks: readonly string[]): boolean {
  if (toks.length < 2 || toks.length > 14) return false;
  // Padding people add ("what do you actually do") says nothing either way.
  return toks.every((t) => ABOUT_BOT_WORDS.has(t) || SOCIAL_SOFT.has(t) || PREFIX_SOFT.has(t)) && toks.some((t) => BOT_REFERENCES.has(t));
}
