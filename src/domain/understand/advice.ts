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

/**
 * Words of such questions that no station or London place name uses (checked against the TfL snapshot and gazetteer),
 * nor a recogniser hears in one ("teens" in "St Martin's Close", "color" in "Columbia Road", "minors" for Minories).
 */
const ADVICE_WORDS: ReadonlySet<string> = new Set(['route', 'routes', 'superhighway', 'superhighways', 'cycleway', 'cycleways', 'quietway', 'quietways', 'directions', 'helmet', 'helmets', 'tandem', 'tandems', 'abreast', 'job', 'jobs', 'vacancy', 'vacancies', 'career', 'careers', 'recruiting', 'recruitment', 'apprenticeship', 'apprenticeships', 'internship', 'internships', 'employment', 'employer', 'dog', 'passenger', 'passengers', 'licence', 'license', 'legal', 'illegal', 'teenager', 'teenagers', 'underage', 'sponsor', 'sponsors', 'sponsored', 'sponsoring', 'sponsorship', 'advertise', 'advertising', 'advertisement', 'advertisements', 'advert', 'adverts', 'franchise', 'invest', 'investment', 'investor', 'investors', 'disabled', 'disability', 'disabilities', 'wheelchair', 'wheelchairs', 'handcycle', 'handcycles', 'tricycle', 'tricycles', 'trike', 'trikes', 'tours', 'gps', 'tracker', 'trackers', 'insured', 'insurance', 'manufacturer', 'manufactured', 'cleaned', 'sanitised', 'sanitized', 'serviced', 'wifi', 'headphones', 'earphones', 'earbuds', 'drunk', 'tipsy', 'alcohol', 'booze', 'pints', 'sober', 'hungover', 'backie', 'backy', 'croggy', 'pillion', 'allowed', 'permitted', 'banned', 'forbidden', 'tour', 'guided', 'covid', 'coronavirus', 'hygiene', 'disinfected', 'towpath']);
/**
 * Safety, steepness, weight and speed asked of a road or the bikes ("is cycling in London dangerous", "how heavy are
 * the bikes"), not told of the hired bike ("this bike has a wobble, it's dangerous", "the battery died and now it's super heavy").
 */
const SAFETY_WORDS: ReadonlySet<string> = new Set(['steep', 'dangerous', 'safely', 'safe', 'heavy', 'mph']);
const ADVICE_PHRASES: readonly string[] = ['bike lane', 'bike lanes', 'cycle lane', 'cycle lanes', 'cycle path', 'cycle paths', 'bike path', 'bike paths', 'how old', 'minimum age', 'age limit', 'old enough', 'how long would it take', 'how long does it take', 'how long will it take', 'how far is', 'how many miles', 'quickest way', 'fastest way', 'best way to get', 'allowed in', 'allowed on', 'what age', 'child seat', 'child seats', 'baby seat', 'can kids', 'kids bike', 'kids bikes', 'for kids', 'cargo bike', 'cargo bikes', 'take my kids', 'take my kid', 'take my child', 'take my children', 'take my son', 'take my daughter', 'take my baby', 'how fast', 'top speed', 'work for you', 'work for santander', 'work for tfl', 'want to work for', 'are you hiring', 'r u hiring', 'you guys hiring', 'are they hiring', 'is santander hiring', 'is tfl hiring', 'charge my phone', 'charge a phone', 'charging my phone', 'charge your phone', 'phone charger', 'charge my laptop', 'speed limit', 'speed limits', 'red light', 'red lights', 'highway code', 'hand signals', 'on one bike', 'on the same bike', 'on a single bike', 'share a bike', 'share one bike', 'two of us on', 'both of us on', 'on the handlebars', 'on the back of', 'carry a passenger', 'after a few drinks', 'after drinking', 'been drinking', 'had a few drinks', 'under the influence', 'drink and ride', 'weight limit', 'maximum weight', 'max weight', 'too tall', 'too short', 'how tall', 'ride on the pavement', 'riding on the pavement', 'cycle on the pavement', 'cycling on the pavement', 'ride on pavements', 'cycle on pavements', 'ride on the footpath', 'cycle on the footpath', 'thames path', 'tow path', 'canal path', 'how to get to', 'how do i get to', 'how would i get to', 'how can i get to', 'directions to', 'way to get to', 'bus lane', 'bus lanes', 'in the bus lane', 'cycle in the bus'];
const SAFETY_PHRASES: readonly string[] = ['is it safe', 'safe to cycle', 'safe to ride'];
/**
 * A bike taken on other transport ("am I allowed to bring one onto the DLR", "a santander bike aboard a thames clipper"):
 * the rules of another network. Not a station of it ("on the tube station forecourt").
 */
const ON_BOARD: ReadonlySet<string> = new Set(['on', 'onto', 'aboard', 'into']);
const TRANSPORT: ReadonlySet<string> = new Set(['train', 'trains', 'tube', 'tubes', 'bus', 'buses', 'overground', 'underground', 'dlr', 'tram', 'trams', 'tramlink', 'ferry', 'ferries', 'boat', 'boats', 'clipper', 'clippers', 'riverboat', 'coach', 'coaches', 'plane', 'eurostar', 'crossrail', 'metro', 'subway', 'elizabeth']);
function onOtherTransport(toks: readonly string[]): boolean {
  for (let i = 0; i + 1 < toks.length; i++) {
    if (!ON_BOARD.has(toks[i])) continue;
    const j = toks[i + 1] === 'the' || toks[i + 1] === 'a' || toks[i + 1] === 'an' ? i + 2 : i + 1;
    // One word may name which ("a thames clipper", "the london overground").
    for (const k of [j, j + 1]) if (TRANSPORT.has(toks[k] ?? '') && !L.STATION_WORDS.has(toks[k + 1] ?? '')) return true;
  }
  return false;
}
const AGE_WORDS: ReadonlySet<string> = new Set(['twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen']);
/** Who is that age: "I'm fifteen", "she is 14", "he's only thirteen". */
const RIDER_IS: ReadonlySet<string> = new Set(['im', 'is', 'hes', 'shes', 'theyre', 'were', 'only', 'aged', 'age']);
/** An age said ("are over 16s allowed", "is my 15 year old old enough"): who may ride is the scheme's rule, not a count. */
function ageSaid(toks: readonly string[]): boolean {
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if ((toks[i - 1] === 'under' || toks[i - 1] === 'over') && /^\d{1,2}s$/.test(t)) return true;
    if (/^\d{1,2}$/.test(t) && (toks[i + 1] === 'year' || toks[i + 1] === 'years' || toks[i + 1] === 'yr' || toks[i + 1] === 'yrs') && (toks[i + 2] === 'old' || toks[i + 2] === 'olds')) return true;
    if (/^\d{1,2}$/.test(t) && (toks[i + 1] === 'yo' || toks[i + 1] === 'yos')) return true;
    // "can I use the bikes if I'm fifteen", "my son is 14": an age said of the rider.
    if ((AGE_WORDS.has(t) || /^1\d$/.test(t)) && RIDER_IS.has(toks[i - 1] ?? '')) return true;
  }
  return false;
}
/** Working for the scheme ("how would I go about becoming a mechanic for you", "work as a driver"). */
const WORK_FOR = /(?:^| )(?:become|becoming|be|being|work as|working as|apply to be|train as|join as|join) (?:a |an |one of your |your |the )?(?:member of staff|staff member|staff|team|employee|mechanic|driver|ambassador|volunteer)(?= |$)/;

/** What asks for stations all the same: a dock or space word, a near word, availability. */
const OURS: ReadonlySet<string> = new Set([...L.DOCK_SPACE_WORDS, 'available', 'availability', 'nearest', 'closest', 'nearby', 'near']);

/** Whether the words ask about cycling (routes, safety, rules, jobs) and nothing of ours. */
export function isCyclingAdvice(text: string, toks: readonly string[]): boolean {
  const safety = toks.some((t) => SAFETY_WORDS.has(t)) || hasPhrase(text, SAFETY_PHRASES);
  const advice = toks.some((t) => ADVICE_WORDS.has(t)) || hasPhrase(text, ADVICE_PHRASES) || onOtherTransport(toks) || ageSaid(toks) || WORK_FOR.test(text);
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
