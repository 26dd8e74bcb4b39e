/**
 * Questions about cycling rather than for a bike: routes and directions ("best bike route along the canal
 * to Victoria Park", "how long would it take to cycle to greenwich"), safety and lanes ("is it safe to
 * cycle down Oxford Street at night", "is there a bike lane on Oxford Street"), the scheme's rules of use
 * ("do I need a helmet", "how old do you have to be to hire one", "can I take my dog on one of the bikes")
 * and jobs ("any job vacancies at santander cycles"). BikeBot reads station counts: it answers none of
 * these, and a place named in one is no station asked about. A fault ("is it safe to ride, the brakes are
 * loose") is a problem and is read first (understand.ts); a count asked with it ("any free docks near
 * the cycle superhighway") is ours. Pure, over normalised words.
 */
import * as L from './lexicon.js';
import { hasPhrase } from './intents.js';

/** Words of such questions that no station or London place name uses (checked against the TfL snapshot and gazetteer). */
const ADVICE_WORDS: ReadonlySet<string> = new Set(['route', 'routes', 'superhighway', 'superhighways', 'cycleway', 'cycleways', 'quietway', 'quietways', 'directions', 'helmet', 'helmets', 'tandem', 'tandems', 'abreast', 'job', 'jobs', 'vacancy', 'vacancies', 'career', 'careers', 'recruiting', 'apprenticeship', 'dog', 'passenger', 'passengers', 'licence', 'license', 'legal', 'illegal', 'headphones', 'earphones', 'earbuds', 'drunk', 'tipsy', 'alcohol', 'booze', 'pints', 'sober', 'hungover', 'backie', 'backy', 'croggy', 'pillion', 'allowed', 'permitted', 'banned', 'forbidden', 'tour', 'tours', 'guided', 'covid', 'coronavirus', 'hygiene', 'sanitised', 'sanitized', 'disinfected', 'towpath']);
/**
 * Safety, steepness, weight and speed asked of a road or the bikes ("is cycling in London dangerous", "how heavy are
 * the bikes"), not told of the hired bike ("this bike has a wobble, it's dangerous", "the battery died and now it's super heavy").
 */
const SAFETY_WORDS: ReadonlySet<string> = new Set(['steep', 'dangerous', 'safely', 'safe', 'heavy', 'mph']);
const ADVICE_PHRASES: readonly string[] = ['bike lane', 'bike lanes', 'cycle lane', 'cycle lanes', 'cycle path', 'cycle paths', 'bike path', 'bike paths', 'how old', 'minimum age', 'age limit', 'old enough', 'how long would it take', 'how long does it take', 'how long will it take', 'how far is', 'how many miles', 'quickest way', 'fastest way', 'best way to get', 'on the train', 'on the tube', 'on the bus', 'on a train', 'allowed in', 'allowed on', 'what age', 'child seat', 'child seats', 'baby seat', 'can kids', 'kids bike', 'kids bikes', 'for kids', 'cargo bike', 'cargo bikes', 'take my kids', 'take my kid', 'take my child', 'take my children', 'take my son', 'take my daughter', 'take my baby', 'how fast', 'top speed', 'work for you', 'work for santander', 'work for tfl', 'want to work for', 'speed limit', 'speed limits', 'red light', 'red lights', 'highway code', 'hand signals', 'on one bike', 'on the same bike', 'on a single bike', 'share a bike', 'share one bike', 'two of us on', 'both of us on', 'on the handlebars', 'on the back of', 'carry a passenger', 'after a few drinks', 'after drinking', 'been drinking', 'had a few drinks', 'under the influence', 'drink and ride', 'weight limit', 'maximum weight', 'max weight', 'too tall', 'too short', 'how tall', 'ride on the pavement', 'riding on the pavement', 'cycle on the pavement', 'cycling on the pavement', 'ride on pavements', 'cycle on pavements', 'ride on the footpath', 'cycle on the footpath', 'thames path', 'tow path', 'canal path'];
const SAFETY_PHRASES: readonly string[] = ['is it safe', 'safe to cycle', 'safe to ride'];
/** What asks for stations all the same: a dock or space word, a near word, availability. */
const OURS: ReadonlySet<string> = new Set([...L.DOCK_SPACE_WORDS, 'available', 'availability', 'nearest', 'closest', 'nearby', 'near']);

/** Whether the words ask about cycling (routes, safety, rules, jobs) and nothing of ours. */
export function isCyclingAdvice(text: string, toks: readonly string[]): boolean {
  const safety = toks.some((t) => SAFETY_WORDS.has(t)) || hasPhrase(text, SAFETY_PHRASES);
  const advice = toks.some((t) => ADVICE_WORDS.has(t)) || hasPhrase(text, ADVICE_PHRASES);
  // Safety asked ("is cycling in london safe", "how steep is it"), not told of a bike ("bike's got a bent frame, not safe").
  // "the bike i took … is dangerous", "this bike": one bike, the hired one; "are the bikes heavy": the scheme's.
  const saidOfOne = toks.some((t, i) => i > 0 && L.PROBLEM_THINGS.has(t) && THE.has(toks[i - 1]) && (!t.endsWith('s') || toks[i - 1] !== 'the'));
  const safetyAsked = safety && toks.some((t) => ASKED.has(t)) && !saidOfOne;
  if (!advice && !safetyAsked) return false;
  // "does the price include a helmet": a price question.
  // "any job vacancies at …": vacancies for a job are no free docks.
  const jobs = toks.some((t) => JOB_WORDS.has(t));
  // "is it free for kids": free of charge, a price question.
  if (toks.some((t) => (OURS.has(t) && !(jobs && (t === 'vacancy' || t === 'vacancies'))) || L.PRICE_WORDS.has(t) || t === 'free')) return false;
  // "how many bikes at …", "any e-bikes …": a count of ours asked alongside.
  for (let i = 0; i < toks.length; i++) {
    if (toks[i] !== 'many' && toks[i] !== 'any' && toks[i] !== 'some') continue;
    for (let j = i + 1; j <= i + 2 && j < toks.length; j++) if ((L.BIKE_WORDS.has(toks[j]) || L.EBIKE_WORDS.has(toks[j])) && !LANE.has(toks[j + 1] ?? '')) return false;
  }
  return true;
}
const JOB_WORDS: ReadonlySet<string> = new Set(['job', 'jobs', 'career', 'careers', 'recruiting', 'apprenticeship']);
const ASKED: ReadonlySet<string> = new Set(['is', 'are', 'how', 'what', 'whats', 'should', 'would', 'will', 'can', 'do', 'does']);
const THE: ReadonlySet<string> = new Set(['the', 'this', 'my', 'a', 'our', 'that']);
/** A bike word that names a kind of road, not bikes: "bike lanes", "cycle route". */
const LANE: ReadonlySet<string> = new Set(['lane', 'lanes', 'path', 'paths', 'route', 'routes', 'superhighway', 'superhighways']);
