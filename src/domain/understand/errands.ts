/**
 * Errands BikeBot cannot run, asked of it outright: an action on a hire ("unlock bike 40213",
 * "can you reserve me a dock"), a change to a rider's account ("update my card details",
 * "delete my account", "cancel my annual membership") and lost property ("I left my phone in
 * the basket, has anyone handed it in?"). BikeBot reads station counts and holds no account,
 * so each is answered by saying so and where to go (the operator), never as a fault report:
 * a fault ("my card was declined", "can't log in", "charged twice") is the operator's to fix
 * and stays a problem. Pure functions over normalised words (normalise.ts).
 */
import type { CantDo } from '../understanding.js';
import * as L from './lexicon.js';

/** Words that may come before what is asked of the bot ("can you please …"). */
const ASKED_OF_BOT: ReadonlySet<string> = new Set(['can', 'could', 'would', 'will', 'you', 'u', 'please', 'pls', 'plz', 'just', 'hey', 'ok', 'okay', 'so', 'i', 'want', 'to', 'need', 'me', 'it', 'be', 'possible', 'is', 'there', 'a', 'way', 'we', 'wonder', 'wondering', 'was', 'if', 'whether', 'kindly', 'able']);
/** A polite ask runs to more words before its verb ("would it be possible to reserve …", "i was wondering if you could hold …"). */
const ASK_LEAD_WORDS = 8;
/** And before an errand on one's account, asked how to do ("how do i …", "i'd like to …"). */
const ASKED_HOW: ReadonlySet<string> = new Set([...ASKED_OF_BOT, 'how', 'do', 'id', 'like', 'wanna', 'wish', 'hi', 'hello']);

/** What a hire action acts on must be ours ("cancel" alone calls the conversation off; "book a table" is no hire). */
function hireThing(t: string): boolean {
  return L.BIKE_WORDS.has(t) || L.EBIKE_WORDS.has(t) || L.STATION_WORDS.has(t) || L.DOCK_SPACE_WORDS.has(t) || t === 'hire' || t === 'membership' || t === 'ride' || t === 'journey';
}

/**
 * What the person asks to change of their account: the verb first (after the words one asks
 * with), the thing of the account within a few words ("add my friend to my account").
 */
const ACCOUNT_VERBS: ReadonlySet<string> = new Set(['reset', 'change', 'update', 'delete', 'close', 'cancel', 'transfer', 'add', 'remove', 'edit', 'amend', 'switch', 'deactivate', 'terminate', 'unsubscribe', 'pause', 'freeze', 'upgrade', 'downgrade', 'merge', 'sign', 'register', 'open', 'create', 'email', 'send', 'renew']);
const ACCOUNT_THINGS: ReadonlySet<string> = new Set(['member', 'password', 'payment', 'method', 'account', 'accounts', 'email', 'address', 'card', 'details', 'membership', 'memberships', 'subscription', 'pin', 'profile', 'username', 'name', 'number', 'history', 'statement', 'statements', 'receipts', 'invoices', 'billing', 'debit']);
/**
 * Said of an account errand, a fault or a charge: "change my card, it keeps getting declined",
 * "cancel my membership, I was charged twice", "how much to cancel membership". Those stay the
 * fault report or the price question they are.
 */
const NOT_AN_ERRAND: ReadonlySet<string> = new Set([...L.PROBLEM_NEGATIONS, ...L.PROBLEM_WORDS, ...L.PROBLEM_STATES, ...L.STATION_WORDS, 'docks', 'spaces', 'space', 'gaps', 'slots', 'spots', 'complaints', 'customer', 'contact', 'support', 'declined', 'locked', 'blocked', 'suspended', 'charged', 'charge', 'charges', 'refund', 'refunded', 'error', 'twice', 'wrong', 'wrongly', 'consent', 'hacked', 'debt', 'owe', 'cost', 'costs', 'price', 'prices', 'fee', 'fees', 'much', 'cheaper', 'cheap', 'worth', 'discount', 'money', 'gym', 'netflix', 'bank', 'oyster', 'train', 'spotify', 'amazon', 'insurance']);

/**
 * What a rider leaves in a basket or drops by a dock: never a bike, dock or membership key
 * ("my membership key doesn't work" is a fault).
 */
const BELONGINGS: ReadonlySet<string> = new Set(['phone', 'mobile', 'iphone', 'wallet', 'purse', 'keys', 'bag', 'bags', 'handbag', 'backpack', 'rucksack', 'sunglasses', 'glasses', 'jacket', 'coat', 'scarf', 'hat', 'cap', 'umbrella', 'headphones', 'earphones', 'airpods', 'earbuds', 'laptop', 'camera', 'watch', 'ring', 'gloves', 'charger', 'passport', 'jumper', 'hoodie', 'shopping', 'lunchbox', 'bottle', 'book', 'kindle', 'ipad', 'tablet', 'necklace', 'bracelet', 'earring', 'earrings', 'belongings', 'stuff', 'things', 'briefcase', 'helmet']);
const LOSS_VERBS: ReadonlySet<string> = new Set(['left', 'leave', 'lost', 'lose', 'dropped', 'drop', 'forgot', 'forgotten', 'misplaced', 'found', 'find', 'handed']);
/** Said only of lost property. */
const LOST_PROPERTY_PHRASES: readonly (readonly string[])[] = [['lost', 'property'], ['handed', 'in'], ['lost', 'and', 'found'], ['lost', 'found']];

function phraseIn(toks: readonly string[], p: readonly string[]): boolean {
  for (let i = 0; i + p.length <= toks.length; i++) if (p.every((w, k) => toks[i + k] === w)) return true;
  return false;
}

/** Lost property: a belonging left, lost, dropped or found ("lost my sunglasses on a bike"), or the office asked after. */
function lostProperty(toks: readonly string[]): boolean {
  if (LOST_PROPERTY_PHRASES.some((p) => phraseIn(toks, p))) return true;
  for (let i = 0; i < toks.length; i++) {
    if (!LOSS_VERBS.has(toks[i])) continue;
    // "left my phone", "dropped my keys", "found someones wallet", "lost a bag": the belonging within three words.
    for (let j = i + 1; j <= i + 3 && j < toks.length; j++) {
      if (BELONGINGS.has(toks[j])) return true;
      if (hireThing(toks[j])) break;
    }
  }
  return false;
}

/**
 * Where a belonging was lost, not a place asked about: the near word just after "lost my wallet"
 * ("dropped my keys next to the docking station", "lost my purse by the station").
 */
export function whereLost(toks: readonly string[], i: number): boolean {
  if (!LOST_AT.has(toks[i])) return false;
  for (let j = i - 1; j >= i - 3 && j >= 0; j--) {
    if (!BELONGINGS.has(toks[j])) continue;
    for (let k = j - 1; k >= j - 3 && k >= 0; k--) if (LOSS_VERBS.has(toks[k])) return true;
  }
  return false;
}

/** Prepositions of where, not "nearest" or "where" (asked: "lost my phone, nearest bike?"). */
const LOST_AT: ReadonlySet<string> = new Set(['near', 'around', 'close', 'next', 'by', 'outside']);

/** An action on the account asked for ("update my card details", "how do i delete my account"). */
export function accountErrand(toks: readonly string[]): boolean {
  if (toks.some((t) => NOT_AN_ERRAND.has(t))) return false;
  if (recordsAsked(toks)) return true;
  let i = 0;
  while (i < toks.length && i < 6 && ASKED_HOW.has(toks[i])) i++;
  if (i >= toks.length || !ACCOUNT_VERBS.has(toks[i])) return false;
  // "email me my ride history", "send me my receipts"; not "email address for complaints".
  if ((toks[i] === 'email' || toks[i] === 'send') && toks[i + 1] !== 'me') return false;
  // "sign me up", "sign up for": the thing may follow the particle.
  return toks.slice(i + 1, i + 7).some((t) => ACCOUNT_THINGS.has(t));
}

/**
 * Records of one's rides asked for ("could you email me an invoice for my hires", "where do I
 * download VAT receipts"): the account's to send, never a price asked.
 */
const RECORDS: ReadonlySet<string> = new Set(['receipt', 'receipts', 'invoice', 'invoices', 'vat', 'statement', 'statements', 'history', 'proof']);
const DELIVERED: ReadonlySet<string> = new Set(['send', 'sent', 'email', 'emailed', 'emailing', 'get', 'getting', 'download', 'downloaded', 'print', 'printed', 'copy', 'copies', 'need', 'want', 'request', 'find', 'see', 'view', 'access', 'where']);
const HISTORY_OF: ReadonlySet<string> = new Set(['ride', 'rides', 'riding', 'journey', 'journeys', 'trip', 'trips', 'hire', 'hires', 'payment', 'payments', 'usage', 'account', 'billing']);
function recordsAsked(toks: readonly string[]): boolean {
  // "my ride history", "journey history": history of hires; "the Natural History Museum" is a place.
  const records = toks.some((t, i) => RECORDS.has(t) && (t !== 'history' || HISTORY_OF.has(toks[i - 1] ?? '')));
  return records && toks.some((t) => DELIVERED.has(t));
}

/**
 * A complaint about someone or something not ours ("I would like to make a complaint about one of your
 * employees", "who do I complain to about a taxi that cut me up"): a matter for the
 * operator or someone else, not a fault with a bike or dock. A complaint about a bike, dock, charge
 * or hire ("a complaint about a charge on my card") stays the fault report it is.
 */
const COMPLAINT: ReadonlySet<string> = new Set(['complain', 'complaint', 'complaints', 'complaining']);
const NOT_OURS_COMPLAINED_OF: ReadonlySet<string> = new Set(['staff', 'staffer', 'employee', 'employees', 'worker', 'workers', 'driver', 'drivers', 'motorist', 'motorists', 'cyclist', 'cyclists', 'rider', 'riders', 'pedestrian', 'pedestrians', 'person', 'people', 'man', 'woman', 'guy', 'bloke', 'lady', 'someone', 'somebody', 'officer', 'warden', 'wardens', 'attendant', 'mechanic', 'courier', 'neighbour', 'neighbours', 'van', 'lorry', 'taxi', 'cab', 'bus', 'ulez', 'congestion', 'council', 'roadworks', 'pothole', 'potholes']);
/** How a person behaved towards one, said of someone. */
const CONDUCT: ReadonlySet<string> = new Set(['rude', 'abusive', 'aggressive', 'threatening', 'harassed', 'harassing', 'hostile', 'racist', 'sexist', 'swore', 'shouted', 'yelled', 'unhelpful', 'impolite']);
const PEOPLE: ReadonlySet<string> = new Set([...NOT_OURS_COMPLAINED_OF].filter((t) => !['van', 'lorry', 'taxi', 'cab', 'bus', 'ulez', 'congestion', 'council', 'roadworks', 'pothole', 'potholes'].includes(t)));
export function complaintNotOurs(toks: readonly string[]): boolean {
  for (let i = 0; i < toks.length; i++) {
    // "someone was rude to me at the dock", "the guy at the station was really aggressive": how a person behaved.
    if (CONDUCT.has(toks[i]) && toks.slice(Math.max(0, i - 8), i).some((t) => PEOPLE.has(t))) return true;
    if (!COMPLAINT.has(toks[i])) continue;
    for (let j = i + 1; j <= i + 5 && j < toks.length; j++) {
      if (hireThing(toks[j]) || L.PROBLEM_THINGS.has(toks[j])) return false;
      if (NOT_OURS_COMPLAINED_OF.has(toks[j])) return true;
    }
  }
  return false;
}

/** An action on a bike, dock or hire the bot cannot take, asked of it: "unlock bike 40213", "can you hold a bike for me". */
function hireAction(toks: readonly string[]): boolean {
  let i = 0;
  while (i < toks.length && i < ASK_LEAD_WORDS && ASKED_OF_BOT.has(toks[i])) i++;
  if (i >= toks.length || !(L.CANT_DO_VERBS.has(toks[i]) || toks[i] === 'pay')) return false;
  // "pay for my ride (with my card ending 4432)" asks BikeBot to pay; "can i pay for my ride with contactless" asks how one pays.
  if (toks[i] === 'pay' && (toks.slice(0, i).includes('i') || toks[i + 1] !== 'for')) return false;
  // "hold on, any bikes at …" waits; "hold a bike for me" reserves.
  if (toks[i] === 'hold' && (toks[i + 1] === 'on' || toks[i + 1] === 'up' || toks[i + 1] === 'of')) return false;
  return toks.slice(i + 1, i + 5).some(hireThing);
}

/**
 * Which errand BikeBot cannot run the words ask for, or null. stationAsked: the message also asks for a
 * station or what is near ("left my phone at home, nearest bike?", "bikes at kings cross, i left my wallet
 * at home"), which is ours to answer whatever was left behind.
 */
export function cantDoOf(toks: readonly string[], stationAsked: boolean): CantDo | null {
  // "cancel my annual membership and stop it renewing" is the account's; "cancel my hire", the hire's.
  if (accountErrand(toks)) return 'account';
  if (hireAction(toks)) return 'hire';
  if (!stationAsked && lostProperty(toks)) return 'lost_property';
  return null;
}
