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
  raw: number;
  areaMatched: boolean;
}

const CONFIDENT_RAW = 0.68;
/** The runner-up must trail by this much: two good readings make a question, not an answer. */
const CONFIDENT_GAP = 0.2;
const SIBLING_MARGIN = 0.25;
const CONSISTENT_PRECISION = 0.85;
/** Close candidates returned for a choice: the dialog lists up to eight and narrows down by area beyond. */
const MAX_CLOSE = 16;

/**
 * Turns raw match strength into a probability-like score: a candidate's share of
 * the evidence among close rivals, times how good the match is on its own.
 */
function calibrate(cands: Candidate[]): StationMatch[] {
  const top = cands.slice(0, 12);
  const total = top.reduce((s, c) => s + Math.pow(c.raw, 8), 0) || 1;
  return top.map((c) => ({ station: c.station, score: Math.min(1, c.raw * (Math.pow(c.raw, 8) / total)) }));
}

export function verdictOf(cands: Candidate[]): ResolveResult {
  if (cands.length === 0) return { matches: [], verdict: 'none' };
  const best = cands[0];
  const consistent = cands.filter((c) => c.precision >= CONSISTENT_PRECISION && c.recall >= 0.4 && c.raw >= best.raw - SIBLING_MARGIN);
  const scored = calibrate(cands);
  const scoreOf = new Map(scored.map((m) => [m.station.id, m.score]));
  const match = (c: Candidate): StationMatch => ({ station: c.station, score: scoreOf.get(c.station.id) ?? 0 });
  const second = cands[1];
  const gap = second ? best.raw - second.raw : best.raw;
  if (best.raw >= CONFIDENT_RAW && best.precision >= CONSISTENT_PRECISION && best.recall >= 0.65 && gap >= CONFIDENT_GAP) {
    return { matches: [match(best)], verdict: 'confident' };
  }
  if (consistent.length >= 2 || (best.raw >= 0.6 && best.precision >= 0.75)) {
    const opts = consistent.length >= 2 ? consistent : [best];
    return { matches: opts.slice(0, MAX_CLOSE).map(match), verdict: 'ambiguous' };
  }
  return { matches: cands.filter((c) => c.raw >= 0.25).slice(0, 3).map(match), verdict: 'none' };
}
