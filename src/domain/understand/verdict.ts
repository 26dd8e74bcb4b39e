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
  if (top.recall < 0.999 || top.spelling < top.sound) return false;
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

/** Candidates after the first checked for a name also said whole. */
const RIVALS = 8;
/** A rival this close to a name said whole with words around it may be what those words were. */
const RIVAL_MARGIN = 0.15;

/** Whether the station's name before its area ("Greenland Road" of "Greenland Road, Camden Town") stands word for word in the padded subject. */
function saidWhole(c: Candidate, paddedSubject: string): boolean {
  const comma = c.station.name.indexOf(',');
  const street = nameTokens(comma < 0 ? c.station.name : c.station.name.slice(0, comma)).join(' ');
  return street.length > 0 && paddedSubject.includes(` ${street} `);
}

export function verdictOf(cands: Candidate[], subject?: string): ResolveResult {
  if (cands.length === 0) return { matches: [], verdict: 'none', confidence: 0 };
  const best = cands[0];
  const whole = exactUnique(cands, subject);
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
