import type { Station } from '../station.js';
import type { StationMatch } from '../understanding.js';

export type ResolveVerdict = 'confident' | 'ambiguous' | 'none';

export interface ResolveResult {
  /** Best first. confident: one; ambiguous: the close candidates; none: the closest few as suggestions. */
  matches: StationMatch[];
  verdict: ResolveVerdict;
}

/** Internal evidence for one station, exposed for interpret() and the benchmark. */
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

const CONFIDENT_RAW = 0.68;
/** The runner-up must trail by this much: two good readings make a question, not an answer. */
const CONFIDENT_GAP = 0.2;
const SIBLING_MARGIN = 0.25;
const CONSISTENT_PRECISION = 0.85;
/** Close candidates returned for a choice: the dialog lists up to eight and narrows down by area beyond. */
const MAX_CLOSE = 16;

/** How many leading candidates share the evidence (see calibrate). */
const CALIBRATED = 12;

/**
 * Turns raw match strength into a probability-like score: a candidate's share of
 * the evidence among close rivals (the first CALIBRATED candidates; the others
 * score 0), times how good the match is on its own.
 */
function scoreIn(c: Candidate, total: number): number {
  return Math.min(1, c.raw * (Math.pow(c.raw, 8) / total));
}

/** The calibrated score of c: that of the last leading candidate with its station id (as a map by id would give), else 0. */
function scoreOf(cands: readonly Candidate[], total: number, c: Candidate): number {
  const id = c.station.id;
  for (let i = Math.min(cands.length, CALIBRATED) - 1; i >= 0; i--) if (cands[i].station.id === id) return scoreIn(cands[i], total);
  return 0;
}

export function verdictOf(cands: Candidate[]): ResolveResult {
  if (cands.length === 0) return { matches: [], verdict: 'none' };
  const best = cands[0];
  // calibrate()'s denominator, without building its list: only the few matches returned get a score.
  let total = 0;
  for (let i = 0; i < Math.min(cands.length, CALIBRATED); i++) total += Math.pow(cands[i].raw, 8);
  total = total || 1;
  const match = (c: Candidate): StationMatch => ({ station: c.station, score: scoreOf(cands, total, c) });
  const second = cands.length > 1 ? cands[1] : undefined;
  const gap = second ? best.raw - second.raw : best.raw;
  if (best.raw >= CONFIDENT_RAW && best.precision >= CONSISTENT_PRECISION && best.recall >= 0.65 && gap >= CONFIDENT_GAP) {
    return { matches: [match(best)], verdict: 'confident' };
  }
  const consistent = cands.filter((c) => c.precision >= CONSISTENT_PRECISION && c.recall >= 0.4 && c.raw >= best.raw - SIBLING_MARGIN);
  if (consistent.length >= 2 || (best.raw >= 0.6 && best.precision >= 0.75)) {
    const opts = consistent.length >= 2 ? consistent : [best];
    return { matches: opts.slice(0, MAX_CLOSE).map(match), verdict: 'ambiguous' };
  }
  const out: StationMatch[] = [];
  for (let i = 0; i < cands.length && out.length < 3; i++) if (cands[i].raw >= 0.25) out.push(match(cands[i]));
  return { matches: out, verdict: 'none' };
}
