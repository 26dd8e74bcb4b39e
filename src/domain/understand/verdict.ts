import type { Station } from '../station.js';
import type { StationMatch } from '../understanding.js';
import { confidenceOf, confidenceOfOther, type Candidate } from './confidence.js';
import { nameTokens } from './normalise.js';

export type { Candidate } from './confidence.js';

export type ResolveVerdict = 'confident' | 'ambiguous' | 'none';

export interface ResolveResult {
  /** Best first. confident: one; ambiguous: the close candidates; none: the closest few as suggestions. */
  matches: StationMatch[];
  verdict: ResolveVerdict;
  /** Calibrated probability, 0..1, that matches[0] is the station meant (0 when there is none). */
  confidence: number;
  /** The leader's name stands word for word in what was said, and no rival's does (exactUnique). */
  whole?: boolean;
}


/**
 * Thresholds on the calibrated confidence, chosen from the reliability table
 * (`bikebot eval`, scripts/calibrate.ts, tune half): at ≥ 0.9 about 99.4% of
 * answers are right, so they are given; from 0.3 the right station is usually
 * among the best three, so the person is asked; below, it is not known.
 */
export const ANSWER_AT = 0.9;
export const ASK_AT = 0.3;

/** How sure a spelt-out partial name must be to be answered. */
const SPELT_SURE = 0.95;

/** Siblings ("Waterloo Station 1, 2, 3") within this much of the best are all offered. */
const SIBLING_MARGIN = 0.25;
const SOUND_SIBLING_MARGIN = 0.1;
const CONSISTENT_PRECISION = 0.85;
/** Close candidates returned for a choice among siblings: the dialog lists up to eight and narrows down by area beyond. */
const MAX_CLOSE = 16;
/** A question about an uncertain reading offers the best few. */
const MAX_ASK = 3;
const ASK_MARGIN = 0.3;
/** The leader's strength below which nothing is offered as a choice (only as a suggestion). */
const ASK_STRENGTH = 0.3;

/** The name said in full, and no other station's name as fully: never a "did you mean". */
function exactUnique(cands: readonly Candidate[], subject: string | undefined): boolean {
  const top = cands[0];
  // A street word typed short ("eversholt st") is the name's in full, if a little less surely by spelling.
  const short = subject !== undefined && STREET_ABBREVIATED.test(` ${subject} `);
  if (top.recall < (short ? SHORT_RECALL : 0.999) || top.spelling < top.sound) return false;
  if (top.precision >= 0.999) return !(cands.length > 1 && cands[1].station.id !== top.station.id && cands[1].precision >= 0.999 && cands[1].recall >= 0.999);
  // Words around the name that it does not explain ("need 2 at greenland road", "margery street worth
  // trying"): the name is still said in full when its street part stands in the question word for word,
  // and no other candidate's does.
  if (subject === undefined) return false;
  const said = ` ${subject} `;
  if (!saidWhole(top, said)) return false;
  // A rival nearly as strong, or explaining more of what was said, heard the other words as its name ("park
  // rode baker street" is Park Road (Baker Street) respelt, not Baker Street and two words of the question).
  for (let i = 1; i < Math.min(cands.length, RIVALS); i++) {
    const c = cands[i];
    if (c.station.id !== top.station.id && (c.raw >= top.raw - RIVAL_MARGIN || c.precision > top.precision + RIVAL_MARGIN || saidWhole(c, said))) return false;
  }
  return true;
}

/** What "st" for "street" leaves of a name's recall (0.991 for Eversholt Street): still the whole name said. */
const SHORT_RECALL = 0.98;
/**
 * "eaton square free docks", "kingsway e bikes": the name said is one station's whole street part, and the only
 * rivals as fully matched are that name with a direction added ("Eaton Square (South)", "Kingsway Southbound"):
 * the plain one is meant, as a rider says "Kingsway" for Kingsway and "Kingsway southbound" for the other.
 * Puts the plain one first (cands is reordered in place) and says whether it found one.
 */
function plainOverQualified(cands: Candidate[], subject: string | undefined): boolean {
  if (subject === undefined || cands.length < 2) return false;
  const full = (c: Candidate) => c.precision >= 0.999 && c.recall >= 0.999;
  let n = 0;
  while (n < cands.length && n < RIVALS && full(cands[n])) n++;
  if (n < 2) return false;
  const said = subject.split(' ');
  let plain = -1;
  for (let i = 0; i < n; i++) {
    const street = streetWords(cands[i]);
    if (street.length === said.length && street.every((w, k) => w === said[k])) {
      if (plain >= 0 && cands[plain].station.id !== cands[i].station.id) return false;
      plain = i;
    }
  }
  if (plain < 0) return false;
  for (let i = 0; i < n; i++) {
    if (i === plain || cands[i].station.id === cands[plain].station.id) continue;
    const extra = streetWords(cands[i]).filter((w) => !said.includes(w));
    if (extra.length === 0 || !extra.every((w) => DIRECTIONS.has(w))) return false;
  }
  if (plain > 0) cands.unshift(...cands.splice(plain, 1));
  return true;
}
const DIRECTIONS: ReadonlySet<string> = new Set(['north', 'south', 'east', 'west', 'northbound', 'southbound', 'eastbound', 'westbound', 'n', 's', 'e', 'w']);
function streetWords(c: Candidate): string[] {
  const comma = c.station.name.indexOf(',');
  return nameTokens(comma < 0 ? c.station.name : c.station.name.slice(0, comma));
}

/** Candidates after the first checked for a name also said whole. */
const RIVALS = 8;
/** A rival this close to a name said whole with words around it may be what those words were. */
const RIVAL_MARGIN = 0.15;

/**
 * Whether the station's name before its area ("Greenland Road" of "Greenland Road, Camden Town") stands word
 * for word in the padded subject. A street word abbreviated on either side is the same word ("Eversholt St"
 * is Eversholt Street said whole): both are read with it written out.
 */
function saidWhole(c: Candidate, paddedSubject: string): boolean {
  const comma = c.station.name.indexOf(',');
  const street = nameTokens(comma < 0 ? c.station.name : c.station.name.slice(0, comma));
  if (street.length === 0) return false;
  if (paddedSubject.includes(` ${street.join(' ')} `)) return true;
  return STREET_ABBREVIATED.test(paddedSubject) && writtenOut(paddedSubject).includes(` ${street.map(fullStreetWord).join(' ')} `);
}

/** Street words as typed short ("st", "rd") and in full. */
const STREET_IN_FULL: Readonly<Record<string, string>> = { st: 'street', rd: 'road', sq: 'square', ave: 'avenue', av: 'avenue', ln: 'lane', pl: 'place', gdns: 'gardens', terr: 'terrace', tce: 'terrace', cres: 'crescent', ct: 'court' };
const STREET_ABBREVIATED = new RegExp(` (?:${Object.keys(STREET_IN_FULL).join('|')}) `);
const fullStreetWord = (w: string): string => (Object.hasOwn(STREET_IN_FULL, w) ? STREET_IN_FULL[w] : w);
function writtenOut(padded: string): string {
  return padded.split(' ').map(fullStreetWord).join(' ');
}

export function verdictOf(cands: Candidate[], subject?: string): ResolveResult {
  if (cands.length === 0) return { matches: [], verdict: 'none', confidence: 0 };
  const plain = plainOverQualified(cands, subject);
  const best = cands[0];
  const whole = plain || exactUnique(cands, subject);
  const confidence = whole ? Math.max(confidenceOf(cands), ANSWER_AT) : confidenceOf(cands);
  const match = (c: Candidate): StationMatch => ({ station: c.station, score: c === best ? confidence : confidenceOfOther(cands, c) });
  // Most of the name unsaid ("n1" for "Liverpool Road (N1 Centre)") is no answer, however lonely the match.
  // A name's one distinctive word spelt out, its street word left off ("orsett" for Orsett Terrace), is enough when nothing else comes close.
  const spelt = best.precision >= 0.97 && best.spelling >= best.sound && confidence >= SPELT_SURE;
  if (whole || (confidence >= ANSWER_AT && best.precision >= 0.75 && best.recall >= (spelt ? 0.55 : 0.65))) return { matches: [match(best)], verdict: 'confident', confidence, whole };
  // Namesakes by spelling within a margin; a station only sound puts there must be closer still.
  const consistent = cands.filter((c) => c.precision >= CONSISTENT_PRECISION && c.recall >= 0.4 && c.raw >= best.raw - (c.sound > c.spelling ? SOUND_SIBLING_MARGIN : SIBLING_MARGIN));
  if (consistent.length >= 2) return { matches: consistent.slice(0, MAX_CLOSE).map(match), verdict: 'ambiguous', confidence };
  // A question needs a reading worth offering: a leader this weak is no name said ("is the central line running").
  if (confidence >= ASK_AT && best.raw >= ASK_STRENGTH) {
    const opts: Candidate[] = [];
    for (const c of cands) if (opts.length < MAX_ASK && c.raw >= best.raw - ASK_MARGIN && !opts.some((o) => o.station.id === c.station.id)) opts.push(c);
    return { matches: opts.map(match), verdict: 'ambiguous', confidence };
  }
  const out: StationMatch[] = [];
  for (let i = 0; i < cands.length && out.length < 3; i++) if (cands[i].raw >= 0.25) out.push(match(cands[i]));
  return { matches: out, verdict: 'none', confidence };
}
