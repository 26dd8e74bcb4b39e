import type { Station } from '../station.js';
import type { SoundHit } from './sound-match.js';

/** Evidence for one station, exposed for interpret() and the benchmark. */
export interface Candidate {
  station: Station;
  /** Share of the station's street words that were said (weighted by how rare they are). */
  recall: number;
  /** Share of the subject's words that this name explains. */
  precision: number;
  /** The combined strength of the evidence (spelling and sound), 0..1. */
  raw: number;
  areaMatched: boolean;
  /** Strength by spelling alone. */
  spelling: number;
  /** Strength by sound alone (0 when sound found nothing). */
  sound: number;
}

/** Every Candidate is made here, so that they share one object shape. */
export function candidate(station: Station, recall: number, precision: number, raw: number, areaMatched: boolean, spelling = raw, sound = 0): Candidate {
  return { station, recall, precision, raw, areaMatched, spelling, sound };
}
// The first Candidate fixes the shape's number fields as doubles: had it been a whole
// 0 or 1, the first fraction would change the shape under code already optimised for it.
candidate({} as Station, 0.5, 0.5, 0.5, false, 0.5, 0.5);

/**
 * One ranked list from two witnesses. Spelling finds typos, abbreviations and
 * partial names; sound finds what a recogniser respelt across word boundaries.
 * A station either finds keeps the stronger reading, and a little more when both
 * agree; then the list is ordered by that one strength.
 */

/** At or below this, a sound alignment is no evidence (unrelated names align this well by chance). */
export const SOUND_FLOOR = 0.55;

/** How strong a sound hit is on the spelling scale: the name's match and how much of the subject it explains. */
export function soundStrength(h: SoundHit): number {
  const name = Math.max(0, (h.nameSim - SOUND_FLOOR) / (1 - SOUND_FLOOR));
  return Math.pow(h.coverage, 1.5) * name;
}

/** A station only sound finds must be found this strongly to be listed at all. */
const SOUND_ALONE = 0.25;

/**
 * The least nameSim with which a station that spelling did not find can reach SOUND_ALONE
 * (coverage is at most 1), a hair under for rounding: the sound witness need not finish
 * aligning such a name once it must fall short of this.
 */
export const SOUND_ALONE_NAME_SIM = SOUND_FLOOR + (1 - SOUND_FLOOR) * SOUND_ALONE - 1e-6;

function combined(spelling: number, sound: number): number {
  const hi = Math.max(spelling, sound);
  const lo = Math.min(spelling, sound);
  // Two witnesses agreeing are worth more than the stronger alone, never more than 1.
  return hi + 0.25 * lo * (1 - hi);
}

/**
 * Merges sound hits (station slots into `stations`) into the spelling candidates, best
 * first. `spelledAt(slot)` says where the station in that slot stands among the spelling
 * candidates (-1: not there); a caller that knows it saves building a map of them.
 */
export function combineEvidence(spelled: Candidate[], hits: readonly SoundHit[], stations: readonly Station[], spelledAt?: (slot: number) => number): Candidate[] {
  if (hits.length === 0) return spelled;
  let at = spelledAt;
  if (at === undefined) {
    const byId = new Map<string, number>();
    for (let i = 0; i < spelled.length; i++) if (!byId.has(spelled[i].station.id)) byId.set(spelled[i].station.id, i);
    at = (slot) => byId.get(stations[slot].id) ?? -1;
  }
  const out = spelled.slice();
  for (const h of hits) {
    const s = soundStrength(h);
    if (s <= 0) continue;
    const st = stations[h.station];
    const i = at(h.station);
    // What the sound says of how much of the subject the name explains: all it covers, if it matched well.
    const precision = h.coverage * Math.min(1, h.nameSim / 0.9);
    if (i >= 0) {
      const c = out[i];
      // Recall and precision are the spelling's unless sound is the stronger witness.
      const lead = s > c.spelling;
      out[i] = candidate(c.station, lead ? Math.max(c.recall, h.nameSim) : c.recall, lead ? Math.max(c.precision, precision) : c.precision, combined(c.spelling, s), c.areaMatched || h.areaSaid, c.spelling, s);
    } else if (s >= SOUND_ALONE) {
      out.push(candidate(st, h.nameSim, precision, s, h.areaSaid, 0, s));
    }
  }
  // Array sort is stable: equal strengths keep the spelling order.
  out.sort(byStrength);
  return out;
}

/** Stronger first, then more of the name said. (-1, 0 or 1: a difference would be a heap number per comparison.) */
function byStrength(a: Candidate, b: Candidate): number {
  if (a.raw !== b.raw) return a.raw > b.raw ? -1 : 1;
  if (a.recall !== b.recall) return a.recall > b.recall ? -1 : 1;
  return 0;
}

/** Log-odds of a strength, clamped: how far apart two strengths are counts more near 0 and 1. */
function logit(x: number): number {
  const y = Math.min(0.995, Math.max(0.005, x));
  return Math.log(y / (1 - y));
}

/**
 * What the confidence in candidate c (by default the leader) is read from: its
 * strength; its lead over the best other station, plainly and in log-odds (0.99
 * against 0.9 is a wider gap than 0.6 against 0.51); whether both witnesses back
 * it; and its lead by each witness alone (the fit weighs sound's lead for it, and
 * spelling's, which mostly repeats the plain lead, slightly against).
 */
export function confidenceFeatures(cands: readonly Candidate[], c: Candidate = cands[0]): number[] {
  let other = 0;
  let spelling = 0;
  let sound = 0;
  let seen = false;
  for (let i = 0; i < cands.length; i++) {
    const x = cands[i];
    if (x.station.id === c.station.id) continue;
    if (!seen) (other = x.raw), (seen = true);
    if (x.spelling > spelling) spelling = x.spelling;
    if (x.sound > sound) sound = x.sound;
  }
  const agree = c.spelling > 0.3 && c.sound > 0.3 ? 1 : 0;
  return [c.raw, c.raw - other, agree, logit(c.raw) - logit(other), c.spelling - spelling, c.sound - sound];
}

/**
 * Logistic coefficients (bias, strength, lead, agree, log-odds lead, spelling lead,
 * sound lead), fitted by scripts/calibrate.ts on the tune half (split by station)
 * of the dev files and of our generated cases, never on the held-out half.
 */
const COEF = [-1.748, 0.364, 0.606, 0.691, 3.908, -0.605, 1.698];

function logistic(x: readonly number[]): number {
  let z = COEF[0];
  for (let i = 0; i < x.length; i++) z += COEF[i + 1] * x[i];
  return 1 / (1 + Math.exp(-z));
}

/** The probability, as calibrated, that cands[0] is the station meant. */
export function confidenceOf(cands: readonly Candidate[]): number {
  if (!cands.length) return 0;
  // Never above the leader's share of the evidence among close rivals: two equal readings are a coin toss.
  let total = 0;
  for (let i = 0; i < Math.min(cands.length, 12); i++) total += Math.pow(cands[i].raw, 16);
  const share = total > 0 ? Math.pow(cands[0].raw, 16) / total : 0;
  return Math.min(logistic(confidenceFeatures(cands)), share);
}

/** The same for another candidate: its lead over the best other station is negative. */
export function confidenceOfOther(cands: readonly Candidate[], c: Candidate): number {
  if (c === cands[0]) return confidenceOf(cands);
  return logistic(confidenceFeatures(cands, c));
}
