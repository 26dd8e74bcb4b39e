import type { Station } from '../station.js';
import type { StationIndex } from '../station-index.js';
import { QUALIFIERS, STOP_WORDS, canonicalWords } from './name-words.js';
import { NameVocabulary, isNumber } from './name-vocabulary.js';
import { verdictOf, type Candidate, type ResolveResult } from './resolve-verdict.js';

export { verdictOf, type Candidate, type ResolveResult, type ResolveVerdict } from './resolve-verdict.js';

export interface ResolveOptions {
  systemId?: string;
}

const MAX_SPAN = 3;
/** Longer joins are not one mis-split word. */
const MAX_JOINED = 16;
const MAX_QUERY_WORDS = 40;
/** A rambling message names its station in full; past this many words the rest is not held against it. */
const LONG_SUBJECT = 8;

/** Share of all stations above which a name word is too common to find candidates by. */
const COMMON_SHARE = 0.05;
const COMMON_MIN = 100;

interface Found {
  i: number;
  j: number;
  vid: number;
  sim: number;
  common?: boolean;
}

interface Edge {
  qs: number;
  qe: number;
  ns: number;
  ne: number;
  sim: number;
  gain: number;
}

/**
 * Resolves what a person called a station to the stations it may mean, with a
 * calibrated confidence. The expensive part (vocabulary, sound keys, trigrams)
 * depends only on the station names, so it is shared across indexes whose names
 * are the same: a new snapshot with new counts costs one pass to rebind ids.
 */
export class StationResolver {
  private static readonly cores = new Map<string, NameVocabulary>();
  private static readonly byIndex = new WeakMap<StationIndex, StationResolver>();

  private readonly core: NameVocabulary;
  private readonly stations: Station[];

  private constructor(core: NameVocabulary, stations: Station[]) {
    this.core = core;
    this.stations = stations;
  }

  static fromStations(stations: readonly Station[]): StationResolver {
    const sorted = [...stations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const fingerprint = sorted.map((s) => `${s.id}\u0001${s.name}`).join('\u0002');
    let core = StationResolver.cores.get(fingerprint);
    if (!core) {
      core = new NameVocabulary(sorted);
      // A handful of distinct name sets at most (one per feed set); drop the oldest.
      if (StationResolver.cores.size >= 4) StationResolver.cores.delete(StationResolver.cores.keys().next().value as string);
      StationResolver.cores.set(fingerprint, core);
    }
    return new StationResolver(core, sorted);
  }

  /** One resolver per index object; the name-derived core is reused while names stay the same. */
  static forIndex(index: StationIndex): StationResolver {
    let r = StationResolver.byIndex.get(index);
    if (!r) {
      r = StationResolver.fromStations(index.stations);
      StationResolver.byIndex.set(index, r);
    }
    return r;
  }

  get size(): number {
    return this.stations.length;
  }

  /** Forgets the per-word lookup memo (shared by resolvers of the same names): for benchmarks that time uncached work. */
  clearMemo(): void {
    this.core.clearMemo();
  }

  /** Identifies the name-derived core: the same object for every resolver over the same names. */
  get coreToken(): object {
    return this.core;
  }

  /** True when both were built from the same names (the expensive part was done once). */
  sharesCoreWith(other: StationResolver): boolean {
    return this.core === other.core;
  }

  /** Scored candidates, best first (no verdict): for interpret() and diagnostics. */
  candidates(subject: string, opts: ResolveOptions = {}): Candidate[] {
    const q = canonicalWords(subject).slice(-MAX_QUERY_WORDS);
    if (q.length === 0) return [];
    const core = this.core;
    const qWeight = q.map((w) => core.queryWeight(w));
    // Every (piece of the subject, name word) pair that may match, in subject order.
    const found: Found[] = [];
    for (let i = 0; i < q.length; i++) {
      let span = '';
      for (let j = i; j < Math.min(q.length, i + MAX_SPAN); j++) {
        span += q[j];
        if (j > i && (span.length < 5 || span.length > MAX_JOINED)) continue;
        // Pieces that are all name words as they stand only join into an exact name word
        // ("knights bridge"); a fuzzy join is for speech-recogniser debris ("clerk and well").
        const matches = j === i || !allKnown(q, i, j, core) ? core.lookup(span) : core.lookupExact(span);
        for (const [vid, sim0] of matches) {
          // Joined pieces against joined name words is the same as matching them one by one.
          if (j > i && core.vocab[vid].pair) continue;
          // A word split in two ("knights bridge") is likely; three pieces less so.
          found.push({ i, j, vid, sim: j === i ? sim0 : sim0 * (j - i === 1 ? 0.97 : 0.93) });
        }
      }
    }
    // Words in hundreds of names ("and", "avenue", "street") cannot make a station worth
    // naming on their own: when the subject also shares a rarer word with some names,
    // only those names are scored, and the common words count towards them alone.
    // This keeps a message's cost proportional to the names it could mean, not to the
    // number of stations loaded.
    const commonAt = Math.max(COMMON_MIN, Math.ceil(this.stations.length * COMMON_SHARE));
    const isCommon = (vid: number) => core.postingsOf(vid).length > commonAt || STOP_WORDS.has(core.vocab[vid].text);
    let rare = false;
    for (let a = 0; a < found.length; ) {
      // A common word as said keeps its spelling variants common too ("st" → "street", "s").
      let b = a;
      let said = false;
      for (; b < found.length && found[b].i === found[a].i && found[b].j === found[a].j; b++) if (found[b].sim === 1 && isCommon(found[b].vid)) said = true;
      for (; a < b; a++) {
        found[a].common = said || isCommon(found[a].vid);
        if (!found[a].common) rare = true;
      }
    }
    const mark = rare ? core.nextMark() : 0;
    if (rare) for (const f of found) if (!f.common) for (const p of core.postingsOf(f.vid)) core.marks[p.station] = mark;
    const edgesBy = new Map<number, Edge[]>();
    for (const f of found) {
      const postings = core.postingsOf(f.vid);
      const only = rare && f.common;
      for (let k = 0; k < postings.length; k++) {
        const p = postings[k];
        if (only && core.marks[p.station] !== mark) continue;
        let list = edgesBy.get(p.station);
        if (!list) edgesBy.set(p.station, (list = []));
        const ww = core.wordWeight[p.station];
        const weight = p.len === 1 ? ww[p.pos] : ww[p.pos] + ww[p.pos + 1];
        const areaFactor = core.words[p.station][p.pos].part === 'area' ? 0.8 : 1;
        list.push({ qs: f.i, qe: f.j, ns: p.pos, ne: p.pos + p.len - 1, sim: f.sim, gain: f.sim * weight * areaFactor + f.sim * 0.01 });
      }
    }
    const long = q.filter((w) => !STOP_WORDS.has(w)).length > LONG_SUBJECT;
    const out: Candidate[] = [];
    for (const [si, edges] of edgesBy) {
      const station = this.stations[si];
      if (opts.systemId !== undefined && station.systemId !== opts.systemId) continue;
      out.push(this.score(si, station, edges, q, qWeight, long));
    }
    out.sort((a, b) => b.raw - a.raw || b.recall - a.recall);
    return out;
  }

  private score(si: number, station: Station, edges: Edge[], q: string[], qWeight: number[], long: boolean): Candidate {
    const words = this.core.words[si];
    const weights = this.core.wordWeight[si];
    edges.sort((a, b) => b.gain - a.gain);
    const qSim = new Array<number>(q.length).fill(0);
    const nSim = new Array<number>(words.length).fill(0);
    for (const e of edges) {
      let free = true;
      for (let i = e.qs; i <= e.qe && free; i++) if (qSim[i] > 0) free = false;
      for (let i = e.ns; i <= e.ne && free; i++) if (nSim[i] > 0) free = false;
      if (!free) continue;
      for (let i = e.qs; i <= e.qe; i++) qSim[i] = e.sim;
      for (let i = e.ns; i <= e.ne; i++) nSim[i] = e.sim;
    }
    let den = 0;
    let num = 0;
    let areaMatched = false;
    words.forEach((w, i) => {
      if (w.part === 'area') {
        if (nSim[i] > 0 && !STOP_WORDS.has(w.text)) areaMatched = true;
        return;
      }
      // "Here East North": a trailing direction tells siblings apart; "South Park" starts with its name.
      const trailing = i > 0 && (words[i + 1] === undefined || words[i + 1].part !== 'street');
      const optional = w.optional || (QUALIFIERS.has(w.text) && trailing) || isNumber(w.text) || STOP_WORDS.has(w.text);
      if (nSim[i] > 0) {
        den += weights[i];
        num += nSim[i] * weights[i];
      } else if (!optional) den += weights[i];
    });
    const recall = den > 0 ? Math.min(1, num / den) : 0;
    let lo = -1;
    let hi = -1;
    for (let i = 0; i < q.length; i++) if (qSim[i] > 0) (lo = lo < 0 ? i : lo), (hi = i);
    let said = 0;
    let explained = 0;
    for (let i = 0; i < q.length; i++) {
      let w = qWeight[i];
      if (qSim[i] === 0 && (i < lo || i > hi)) {
        if (long) continue;
        // Words far from the match are less likely to be part of the name.
        const d = i < lo ? countContent(q, i, lo) : countContent(q, hi + 1, i + 1);
        w *= Math.pow(0.6, Math.max(0, d - 1));
      }
      said += w;
      explained += w * qSim[i];
    }
    const precision = said > 0 ? explained / said : 0;
    let raw = Math.pow(precision, 1.5) * (0.35 + 0.65 * recall);
    if (long && recall < 0.95) raw *= 0.6;
    return { station, recall, precision, raw, areaMatched };
  }

  resolve(subject: string, opts: ResolveOptions = {}): ResolveResult {
    return verdictOf(this.candidates(subject, opts));
  }
}

function allKnown(q: string[], i: number, j: number, core: NameVocabulary): boolean {
  for (let k = i; k <= j; k++) if (!core.isWord(q[k])) return false;
  return true;
}

function countContent(q: string[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!STOP_WORDS.has(q[i])) n++;
  return Math.max(1, n);
}
