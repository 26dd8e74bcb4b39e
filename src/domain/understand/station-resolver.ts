import type { Station } from '../station.js';
import type { StationIndex } from '../station-index.js';
import type { StationMatch } from '../understanding.js';
import { phoneticKey, wordSimilarity } from './phonetic.js';
import { QUALIFIERS, STOP_WORDS, canonicalWords, splitStationName, type NameWord } from './name-words.js';

export type ResolveVerdict = 'confident' | 'ambiguous' | 'none';

export interface ResolveResult {
  /** Best first. confident: one; ambiguous: the close candidates; none: the closest few as suggestions. */
  matches: StationMatch[];
  verdict: ResolveVerdict;
}

export interface ResolveOptions {
  systemId?: string;
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

const MIN_SIM = 0.72;
/** Trigrams shared by more vocabulary words than this are skipped when finding candidates. */
const COMMON_GRAM = 250;
/** At most this many candidate words get the full similarity check. */
const MAX_VERIFY = 80;
const MAX_SPAN = 3;
/** Longer joins are not one mis-split word. */
const MAX_JOINED = 16;
const MAX_QUERY_WORDS = 40;
/** A rambling message names its station in full; past this many words the rest is not held against it. */
const LONG_SUBJECT = 8;
const UNKNOWN_WORD_WEIGHT = 3.5;
const STOP_WEIGHT = 0.1;
const NUMBER_WEIGHT = 3;

interface VocabEntry {
  text: string;
  key: string;
  idf: number;
  /** Two adjacent name words written as one ("knightsbridge" ↔ "knights bridge"). */
  pair: boolean;
}

interface Posting {
  station: number;
  pos: number;
  len: 1 | 2;
}

interface Edge {
  qs: number;
  qe: number;
  ns: number;
  ne: number;
  sim: number;
  gain: number;
}

function trigrams(s: string): string[] {
  const p = `^${s}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= p.length; i++) out.push(p.slice(i, i + 3));
  return out;
}

function isNumber(w: string): boolean {
  return /^\d+$/.test(w);
}

/** Everything derived from the station names alone: shared by every index with the same names. */
class ResolverCore {
  readonly ids: string[];
  readonly words: NameWord[][];
  readonly wordWeight: number[][];
  readonly vocab: VocabEntry[] = [];
  private readonly vocabId = new Map<string, number>();
  private readonly postings: Posting[][] = [];
  private readonly trigramIndex = new Map<string, number[]>();
  private readonly keyIndex = new Map<string, number[]>();
  private readonly spanMemo = new Map<string, Array<[number, number]>>();
  /** Scratch trigram counts, one per vocabulary word, always left zeroed. */
  private counts = new Int32Array(0);

  constructor(stations: readonly { id: string; name: string }[]) {
    this.ids = stations.map((s) => s.id);
    this.words = stations.map((s) => splitStationName(s.name));
    const df = new Map<string, number>();
    for (const ws of this.words) for (const w of new Set(ws.map((x) => x.text))) df.set(w, (df.get(w) ?? 0) + 1);
    const n = Math.max(1, stations.length);
    const idf = (w: string) => Math.log(1 + n / (df.get(w) ?? 1));
    this.wordWeight = this.words.map((ws) => ws.map((w) => (STOP_WORDS.has(w.text) ? STOP_WEIGHT : isNumber(w.text) ? NUMBER_WEIGHT : idf(w.text))));
    this.words.forEach((ws, si) => {
      ws.forEach((w, pos) => {
        this.post(w.text, idf(w.text), false, { station: si, pos, len: 1 });
        const next = ws[pos + 1];
        if (next && next.part === w.part && !isNumber(next.text) && !isNumber(w.text)) {
          this.post(w.text + next.text, Math.max(idf(w.text), idf(next.text)), true, { station: si, pos, len: 2 });
        }
      });
    });
    this.counts = new Int32Array(this.vocab.length);
  }

  private post(text: string, idf: number, pair: boolean, p: Posting): void {
    let id = this.vocabId.get(text);
    if (id === undefined) {
      id = this.vocab.length;
      this.vocab.push({ text, key: phoneticKey(text), idf, pair });
      this.vocabId.set(text, id);
      this.postings.push([]);
      for (const g of new Set(trigrams(text))) {
        let list = this.trigramIndex.get(g);
        if (!list) this.trigramIndex.set(g, (list = []));
        list.push(id);
      }
      const key = this.vocab[id].key;
      let klist = this.keyIndex.get(key);
      if (!klist) this.keyIndex.set(key, (klist = []));
      klist.push(id);
    } else if (!pair && this.vocab[id].pair) {
      this.vocab[id] = { ...this.vocab[id], pair: false, idf };
    }
    this.postings[id].push(p);
  }

  /** How informative a word of the subject is. */
  queryWeight(w: string): number {
    if (STOP_WORDS.has(w)) return STOP_WEIGHT;
    if (isNumber(w)) return NUMBER_WEIGHT;
    const id = this.vocabId.get(w);
    return id !== undefined && !this.vocab[id].pair ? this.vocab[id].idf : UNKNOWN_WORD_WEIGHT;
  }

  /** Vocabulary words like this piece of the subject, with their similarity. */
  lookup(span: string): Array<[number, number]> {
    const memo = this.spanMemo.get(span);
    if (memo) return memo;
    const out: Array<[number, number]> = [];
    const exact = this.vocabId.get(span);
    if (exact !== undefined) {
      out.push([exact, 1]);
      // A name word as it stands is no typo: only its plural or singular is as close.
      for (const alt of [`${span}s`, span.endsWith('s') ? span.slice(0, -1) : '']) {
        const id = alt ? this.vocabId.get(alt) : undefined;
        if (id !== undefined) out.push([id, 0.95]);
      }
      if (span === 'st') {
        const street = this.vocabId.get('street');
        if (street !== undefined) out.push([street, 0.95]);
      }
    } else if (!isNumber(span) && span.length >= 3) {
      const counts = this.counts;
      const touched: number[] = [];
      const grams = trigrams(span);
      let informative = 0;
      for (const g of grams) {
        const list = this.trigramIndex.get(g);
        // "str", "ree", "eet" are in half the names: they tell nothing and cost most.
        if (!list || list.length > COMMON_GRAM) continue;
        informative++;
        for (const id of list) {
          if (counts[id] === 0) touched.push(id);
          counts[id]++;
        }
      }
      const key = phoneticKey(span);
      for (const id of this.keyIndex.get(key) ?? []) {
        if (counts[id] === 0) touched.push(id);
        counts[id] += 100;
      }
      const need = Math.min(span.length >= 9 ? 3 : span.length >= 6 ? 2 : 1, Math.max(1, informative));
      const kept: number[] = [];
      for (const id of touched) {
        if (counts[id] >= need && Math.abs(this.vocab[id].text.length - span.length) <= 4) kept.push(id);
      }
      if (kept.length > MAX_VERIFY) kept.sort((a, b) => counts[b] - counts[a]).length = MAX_VERIFY;
      for (const id of touched) counts[id] = 0;
      for (const id of kept) {
        const v = this.vocab[id];
        const sim = wordSimilarity(span, v.text, key, v.key);
        if (sim >= MIN_SIM) out.push([id, sim]);
      }
    } else if (span === 'st') {
      const street = this.vocabId.get('street');
      if (street !== undefined) out.push([street, 0.95]);
    }
    // A word that is (nearly) a name word as it stands is not a typo of another one:
    // "regent" is Regent's, not Regency.
    if (out.some(([, sim]) => sim >= 0.95)) {
      for (let k = out.length - 1; k >= 0; k--) if (out[k][1] < 0.85) out.splice(k, 1);
    }
    if (this.spanMemo.size > 20_000) this.spanMemo.clear();
    this.spanMemo.set(span, out);
    return out;
  }

  clearMemo(): void {
    this.spanMemo.clear();
  }

  lookupExact(span: string): Array<[number, number]> {
    const id = this.vocabId.get(span);
    return id === undefined ? [] : [[id, 1]];
  }

  isWord(w: string): boolean {
    const id = this.vocabId.get(w);
    return (id !== undefined && !this.vocab[id].pair) || STOP_WORDS.has(w);
  }

  postingsOf(id: number): Posting[] {
    return this.postings[id];
  }
}

/**
 * Resolves what a person called a station to the stations it may mean, with a
 * calibrated confidence. The expensive part (vocabulary, sound keys, trigrams)
 * depends only on the station names, so it is shared across indexes whose names
 * are the same: a new snapshot with new counts costs one pass to rebind ids.
 */
export class StationResolver {
  private static readonly cores = new Map<string, ResolverCore>();
  private static readonly byIndex = new WeakMap<StationIndex, StationResolver>();

  private readonly core: ResolverCore;
  private readonly stations: Station[];

  private constructor(core: ResolverCore, stations: Station[]) {
    this.core = core;
    this.stations = stations;
  }

  static fromStations(stations: readonly Station[]): StationResolver {
    const sorted = [...stations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const fingerprint = sorted.map((s) => `${s.id}\u0001${s.name}`).join('\u0002');
    let core = StationResolver.cores.get(fingerprint);
    if (!core) {
      core = new ResolverCore(sorted);
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
    const edgesBy = new Map<number, Edge[]>();
    for (let i = 0; i < q.length; i++) {
      let span = '';
      for (let j = i; j < Math.min(q.length, i + MAX_SPAN); j++) {
        span += q[j];
        if (j > i && (span.length < 5 || span.length > MAX_JOINED)) continue;
        // Pieces that are all name words as they stand only join into an exact name word
        // ("knights bridge"); a fuzzy join is for speech-recogniser debris ("clerk and well").
        const matches = j === i || !allKnown(q, i, j, core) ? core.lookup(span) : core.lookupExact(span);
        for (const [vid, sim0] of matches) {
          // A word split in two ("knights bridge") is likely; three pieces less so.
          const sim = j === i ? sim0 : sim0 * (j - i === 1 ? 0.97 : 0.93);
          // Joined pieces against joined name words is the same as matching them one by one.
          if (j > i && core.vocab[vid].pair) continue;
          for (const p of core.postingsOf(vid)) {
            let list = edgesBy.get(p.station);
            if (!list) edgesBy.set(p.station, (list = []));
            const ww = core.wordWeight[p.station];
            const nw = core.words[p.station];
            const weight = p.len === 1 ? ww[p.pos] : ww[p.pos] + ww[p.pos + 1];
            const areaFactor = nw[p.pos].part === 'area' ? 0.8 : 1;
            list.push({ qs: i, qe: j, ns: p.pos, ne: p.pos + p.len - 1, sim, gain: sim * weight * areaFactor + sim * 0.01 });
          }
        }
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

function allKnown(q: string[], i: number, j: number, core: ResolverCore): boolean {
  for (let k = i; k <= j; k++) if (!core.isWord(q[k])) return false;
  return true;
}

function countContent(q: string[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!STOP_WORDS.has(q[i])) n++;
  return Math.max(1, n);
}

const CONFIDENT_RAW = 0.68;
/** The runner-up must trail by this much: two good readings make a question, not an answer. */
const CONFIDENT_GAP = 0.2;
const SIBLING_MARGIN = 0.25;
const CONSISTENT_PRECISION = 0.85;
const MAX_OPTIONS = 8;

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
    return { matches: opts.slice(0, MAX_OPTIONS).map(match), verdict: 'ambiguous' };
  }
  return { matches: cands.filter((c) => c.raw >= 0.25).slice(0, 3).map(match), verdict: 'none' };
}
