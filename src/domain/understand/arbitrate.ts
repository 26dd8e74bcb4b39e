/**
 * Where the word lists (understand.ts) and the trained intent model (intent-model.ts) disagree,
 * which reading stands. The lists are precise but know only their words; the model has seen
 * thousands of phrasings but no names. The model is asked only where the lists were unsure, and
 * overrules them only above a threshold that grows with what the lists had to go on
 * (intent-model.ts `Overrule`, chosen by scripts/tune-overrule.ts so that no station or place
 * question of the guard sets is sent away). Pure.
 */
import type { Intent } from '../answer.js';
import type { Understanding } from '../understanding.js';
import { mendWords, normaliseText, tokens } from './normalise.js';
import * as L from './lexicon.js';
import { hasPhrase } from './intents.js';
import { allPriceWords } from './intents.js';
import type { IntentModel } from './intent-model.js';

/**
 * Intents a model may give where the lists found a name: "unknown" only when all but certain
 * (overrule.notAName; an unknown name is otherwise the resolver's to say) and "other_language"
 * only for a sentence with no bike or street word in it (a foreign question that names a
 * station is answered: "bonjour, il y a des vélos à Cromer Street ?").
 */
const MODEL_SAYS_NOT_A_NAME: ReadonlySet<string> = new Set(['help', 'prices', 'problem', 'greeting', 'thanks', 'cancel']);

/** Street words that are nothing else in English (not "way", "park", "close", "green"…). */
const PLAIN_STREET_WORDS: ReadonlySet<string> = new Set(['street', 'st', 'road', 'rd', 'lane', 'ln', 'square', 'sq', 'gardens', 'gdns', 'avenue', 'ave', 'terrace', 'crescent', 'mews']);

/** What a hire's price is asked of ("how much is a bike at waterloo"), and how long such a question runs. */
const PRICED_BIKES: ReadonlySet<string> = new Set(['bike', 'bikes', 'ebike', 'ebikes', 'bicycle', 'bicycles', 'cycle', 'cycles', 'hire', 'rent', 'rental']);
const PRICED_BIKE_WORDS = 10;

/** The reading that stands: the lists' (u), or the model's intent where it is sure enough to overrule them. */
export function arbitrate(u: Understanding, text: string, model: IntentModel, words: readonly string[] | null): Understanding {
  if (u.followUp && u.followUp.kind !== 'choose_name') return u;
  // "hi, i've been overcharged for my ride": a greeting with words after it the lists could not read is
  // weighed like a message they found nothing in; a greeting or thanks on its own is theirs to say.
  const openingOnly = u.social !== null && u.social !== undefined && u.intent === u.social;
  // "unlock bike 40213", "lime bikes near me": the lists know these are not ours (explicit unknown).
  if (u.coordinates || u.intent === 'other_language' || (u.intent === 'unknown' && u.explicit === true) || ((u.intent === 'cancel' || u.intent === 'greeting' || u.intent === 'thanks') && !openingOnly)) return u;
  // "bikes at Tooley Street": a bike or dock word and a street named — nothing a model could overrule at its price per message.
  if (u.explicit && u.subject !== null && tokens(u.subject).some((t) => PLAIN_STREET_WORDS.has(t))) return u;
  // "where is the nearest cycle hire to the Natural History Museum", "the closest bike rack to Buckingham Palace":
  // the nearest of ours to a place, said in so many words; the model, which has seen no places, may hear a tourist's question.
  if (u.near && u.subject !== null && nearestOursTo(words ?? mendWords(tokens(normaliseText(text))))) return u;
  const raw = typeof text === 'string' ? text.slice(0, 200) : '';
  // The words the lists read (normalised once per message); made here only for a message the lists answered before reading words.
  const toks = words ?? mendWords(tokens(normaliseText(text)));
  // "?", "£££": nothing for the model to read, and what the lists made of the signs stands.
  if (toks.length === 0) return u;
  const g = model.guess(raw, toks);
  if (g.label === 'station' || g.label === u.intent) return u;
  // The model's reading: an intent and nothing else of the lists' (no subject, follow-up or coordinates).
  const take = (intent: Intent): Understanding => ({ intent, want: intent === 'nearest' ? u.want : 'any', subject: null, near: intent === 'nearest', coordinates: null, systemHint: u.systemHint, followUp: null, explicit: true, foreign: u.foreign });
  // Nearest needs a bike or dock word, which the lists would have seen: from nothing, never. Nor another
  // language, from a sentence plainly English ("when was the scheme launched": English words, no foreign one).
  if (u.intent === 'unknown' || openingOnly) return g.p >= model.overrule.nothing && g.label !== 'unknown' && g.label !== 'nearest' && !(g.label === 'other_language' && plainlyEnglish(toks)) ? take(g.label) : u;
  if (u.intent === 'station_status' || u.intent === 'nearest') {
    const read = nameOrModel(u, { label: g.label, p: g.p }, take, toks, model);
    // The lists' name stands; should it name nothing at all, the model's reading is the answer.
    return read === u && u.subject !== null && g.label !== 'nearest' && g.p >= model.overrule.nothingFound ? { ...u, otherwise: g.label } : read;
  }
  // prices, problem, help found by a phrase: overruled only by a sure model, and never to "other language"
  // where the lists saw nothing foreign ("hilfe" is asking for help, the way "merci" is thanks).
  if (g.label === 'other_language' && !u.foreign) return u;
  // Nor waved away as small talk: "charged £10 for a 20 min ride?? that's wrong" is the charge reported.
  // A call-off said with it ("no no that's wrong ignore me") is the model's to hear.
  if ((u.intent === 'problem' || u.intent === 'prices') && (g.label === 'cancel' || g.label === 'thanks' || g.label === 'greeting') && !toks.some((t) => L.CANCEL.has(t)) && !hasPhrase(toks.join(' '), L.CANCEL_PHRASES)) return u;
  // "how much is a bike at waterloo": a price asked of a bike is ours, whatever else is said with it (the
  // place); the model, which has seen no names, hears the name's words as some other question.
  // A short question only: a long one that names bikes and money in passing may be about anything.
  if (u.intent === 'prices' && g.label === 'unknown' && toks.length <= PRICED_BIKE_WORDS && (toks.some((t) => PRICED_BIKES.has(t)) || allPriceWords(toks))) return u;
  return g.p >= model.overrule.phrase && g.label !== 'nearest' ? take(g.label) : u;
}

const NEAREST_TO: ReadonlySet<string> = new Set(['nearest', 'closest']);

/** "nearest | cycle hire | to …", "closest | bike rack | to …": a near word, a thing of ours, then "to". */
function nearestOursTo(toks: readonly string[]): boolean {
  const ours = (t: string) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t) || L.STATION_WORDS.has(t) || t === 'docking' || t === 'rack' || t === 'racks';
  for (let i = 0; i < toks.length; i++) {
    if (!NEAREST_TO.has(toks[i])) continue;
    const to = toks.indexOf('to', i + 1);
    // The word before "to" is the thing: "bike rack to" is ours, "bike shop to" is not; "nearest to the London
    // Eye" leaves the thing unsaid, and to this bot that is a dock.
    if (to > i && to <= i + 4 && (to === i + 1 || ours(toks[to - 1])) && to + 1 < toks.length) return true;
  }
  return false;
}
/** "the nearest one to …": one of what this bot knows. */
const ONE: ReadonlySet<string> = new Set(['one', 'ones']);

/** Two English words at least and none only foreign. */
function plainlyEnglish(toks: readonly string[]): boolean {
  let english = 0;
  for (const t of toks) {
    if (L.FOREIGN_WORDS.has(t) && !L.ENGLISH_WORDS.has(t)) return false;
    if (L.ENGLISH_WORDS.has(t)) english++;
  }
  return english >= 2;
}

/** A station or nearest reading of the lists against the model's guess g (see arbitrate). */
function nameOrModel(u: Understanding, g: { label: Intent; p: number }, take: (intent: Intent) => Understanding, toks: readonly string[], model: IntentModel): Understanding {
  // "the closest train station to heathrow": a station word after a transit word is not the bike kind.
  const bikeWord = toks.some((t, i) => L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t) || (L.STATION_WORDS.has(t) && !L.OTHER_STATION_KINDS.has(toks[i - 1] ?? '')));
  // "where can I get a decent curry round here", "where can i park my car in camden": a near word with
  // nothing bike-like named is a weak reading, whether or not words were left over to search near.
  if (u.subject === null) return g.p >= (bikeWord ? model.overrule.stationWord : model.overrule.bareName) && g.label !== 'nearest' ? take(g.label) : u;
  // "closest to victoria coach station", "what's nearest to the o2": what is nearest is left unsaid, and
  // to a bike-share bot that is a dock; "the nearest pub to me" says what it wants.
  const nearestTo = toks.some((t, i) => NEAREST_TO.has(t) && (toks[i + 1] === 'to' || (ONE.has(toks[i + 1]) && toks[i + 2] === 'to')) && i + 3 < toks.length);
  if (u.near && !bikeWord && !nearestTo && g.label !== 'nearest') return g.p >= model.overrule.nearOnly ? take(g.label) : u;
  // A whole sentence in another language read as a name ("bisiklet kiralamak ne kadar"): no bike word and no street word in it.
  // Said in another language with a bike word ("unde găsesc o bicicletă?") it is still no name, when the model is sure.
  // A subject of English words only after a foreign question ("il y a des vélos à | bricklayers arms") is a name
  // said in it; it must still be named outright (fresh-question.ts) to be answered.
  const subjectWords = tokens(u.subject);
  const foreignSubject = subjectWords.some((t) => L.FOREIGN_WORDS.has(t) && !L.ENGLISH_WORDS.has(t));
  const foreignSentence = g.label === 'other_language' && (!u.explicit || (u.foreign && foreignSubject)) && !subjectWords.some((t) => L.STREET_TYPES.has(t));
  // "so basically what happened was i was walking down the road…": eight words or more are a story, not a
  // name (the longest London name is seven words), unless the model hears a name in it; twelve where a bike
  // word was said ("…the rent…"), since the name is then often said with the words around it.
  const story = g.label === 'unknown' && tokens(u.subject).length >= (u.explicit ? 12 : 8);
  if (MODEL_SAYS_NOT_A_NAME.has(g.label) || foreignSentence || story) return g.p >= (u.explicit ? model.overrule.stationWord : model.overrule.bareName) ? take(g.label) : u;
  // "is hyde park open at night", "recommend a shop to buy a decent road bike": words read as a name that
  // the model is all but certain are about something else. Its own threshold, set high: the one a
  // recogniser's mangled name ("hair offered rode") must never cross.
  return g.label === 'unknown' && g.p >= model.overrule.notAName ? take('unknown') : u;
}
