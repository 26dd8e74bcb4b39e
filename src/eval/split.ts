import type { EvalCase } from './eval-case.js';

/**
 * Tune and held-out halves of an evaluation set, split by station: every case
 * that names a station goes where its station goes, so a name tuned on is never
 * judged again in the held-out half (a sentence split would leak the names).
 * Cases with no station (places, intents, odd input) split by their id.
 */
export type Split = 'tune' | 'held-out';
export const SPLITS: readonly Split[] = ['tune', 'held-out'];

/** FNV-1a, 32-bit: stable across runs, machines and Node versions. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The half a station belongs to. */
export function stationSplit(stationId: string): Split {
  return fnv1a(stationId) % 2 === 0 ? 'tune' : 'held-out';
}

/** The half a case belongs to: that of the first of its stations (sorted), else of its id. */
export function splitOf(c: EvalCase): Split {
  const ids = [...(c.expect.station_ids ?? []), ...(c.expect.ambiguous_among ?? [])].sort();
  return ids.length ? stationSplit(ids[0]) : fnv1a(c.id) % 2 === 0 ? 'tune' : 'held-out';
}

export function selectSplit(cases: readonly EvalCase[], split: Split | 'all'): EvalCase[] {
  return split === 'all' ? cases.slice() : cases.filter((c) => splitOf(c) === split);
}
