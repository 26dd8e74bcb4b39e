import type { Station } from '../station.js';
import type { StationIndex } from '../station-index.js';
import { QUALIFIERS, STOP_WORDS, canonicalWords, type NameWord } from './name-words.js';
import { NameVocabulary, isNumber, type Posting } from './name-vocabulary.js';
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

/**
 * Scratch space for candidates(), reused across calls so that a message allocates
 * little more than the candidates it returns (the per-message garbage, not the
 * arithmetic, is what made the slowest messages slow: every few hundred messages
 * a scavenge lands in one). candidates() never awaits, so one set serves all.
 * "Found" pieces of the subject and "edges" (a piece meeting a word of a name)
 * are rows of parallel typed arrays; each touched station keeps its edges as a
 * linked list (head/tail/next) in the order they were made.
 */
class Scratch {
  // Found: (piece i..j of the subject, vocabulary word, similarity, common?)
  fI = new Int32Array(64);
  fJ = new Int32Array(64);
  fVid = new Int32Array(64);
  fSim = new Float64Array(64);
  fCommon = new Uint8Array(64);
  // Edges
  eQs = new Int32Array(1024);
  eQe = new Int32Array(1024);
  eNs = new Int32Array(1024);
  eNe = new Int32Array(1024);
  eNext = new Int32Array(1024);
  eSim = new Float64Array(1024);
  eGain = new Float64Array(1024);
  // Per station (by resolver index)
  stamp = new Int32Array(0);
  head = new Int32Array(0);
  tail = new Int32Array(0);
  gen = 0;
  // Per touched station, in first-touched order
  touched = new Int32Array(256);
  raw = new Float64Array(256);
  recall = new Float64Array(256);
  precision = new Float64Array(256);
  area = new Uint8Array(256);
  order = new Int32Array(256);
  orderTmp = new Int32Array(256);
  // Per query word / name word
  qWeight = new Float64Array(MAX_QUERY_WORDS);
  qSim = new Float64Array(MAX_QUERY_WORDS);
  nSim = new Float64Array(64);
  edgeOrder = new Int32Array(64);

  stations(n: number): void {
    if (this.stamp.length < n) {
      this.stamp = new Int32Array(n);
      this.head = new Int32Array(n);
      this.tail = new Int32Array(n);
      this.gen = 0;
    }
    if (this.touched.length < n) {
      this.touched = new Int32Array(n);
      this.raw = new Float64Array(n);
      this.recall = new Float64Array(n);
      this.precision = new Float64Array(n);
      this.area = new Uint8Array(n);
      this.order = new Int32Array(n);
      this.orderTmp = new Int32Array(n);
    }
    if (++this.gen >= 0x3fffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
  }

  found(n: number): void {
    if (n <= this.fI.length) return;
    const size = Math.max(n, this.fI.length * 2);
    this.fI = grow(this.fI, size);
    this.fJ = grow(this.fJ, size);
    this.fVid = grow(this.fVid, size);
    this.fSim = growF(this.fSim, size);
    const c = new Uint8Array(size);
    c.set(this.fCommon);
    this.fCommon = c;
  }

  edges(n: number): void {
    if (n <= this.eQs.length) return;
    const size = Math.max(n, this.eQs.length * 2);
    this.eQs = grow(this.eQs, size);
    this.eQe = grow(this.eQe, size);
    this.eNs = grow(this.eNs, size);
    this.eNe = grow(this.eNe, size);
    this.eNext = grow(this.eNext, size);
    this.eSim = growF(this.eSim, size);
    this.eGain = growF(this.eGain, size);
  }

  nameWords(n: number): void {
    if (n > this.nSim.length) this.nSim = new Float64Array(Math.max(n, this.nSim.length * 2));
  }

  edgeList(n: number): void {
    if (n > this.edgeOrder.length) this.edgeOrder = new Int32Array(Math.max(n, this.edgeOrder.length * 2));
  }
}

function grow(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function growF(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

const scratch = new Scratch();

/** Per name word, what score() needs to know that depends only on the name. */
const AREA = 1;
/** Not saying it is no mismatch (parenthesised, a trailing qualifier, a number, a stop word). */
const OPTIONAL = 2;
/** An area word that counts as the area being said. */
const AREA_SAYS = 4;

function wordFlags(words: readonly NameWord[]): Uint8Array {
  const flags = new Uint8Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.part === 'area') {
      flags[i] = AREA | (STOP_WORDS.has(w.text) ? 0 : AREA_SAYS);
      continue;
    }
    // "Here East North": a trailing direction tells siblings apart; "South Park" starts with its name.
    const trailing = i > 0 && (words[i + 1] === undefined || words[i + 1].part !== 'street');
    const optional = w.optional || (QUALIFIERS.has(w.text) && trailing) || isNumber(w.text) || STOP_WORDS.has(w.text);
    flags[i] = optional ? OPTIONAL : 0;
  }
  return flags;
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

  private static readonly flagsByCore = new WeakMap<NameVocabulary, Uint8Array[]>();

  private readonly core: NameVocabulary;
  private readonly stations: Station[];
  private readonly flags: Uint8Array[];

  private constructor(core: NameVocabulary, stations: Station[]) {
    this.core = core;
    this.stations = stations;
    let flags = StationResolver.flagsByCore.get(core);
    if (!flags) StationResolver.flagsByCore.set(core, (flags = core.words.map(wordFlags)));
    this.flags = flags;
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

  /**
   * Scored candidates, best first (no verdict): for interpret() and diagnostics.
   * Each step is its own small function over the scratch rows: V8 optimises them
   * one by one as they get hot, rather than swapping one long function into
   * optimised code in the middle of a loop (on-stack replacement), which made the
   * first few hundred messages of a process slow.
   */
  candidates(subject: string, opts: ResolveOptions = {}): Candidate[] {
    const words = canonicalWords(subject);
    const q0 = Math.max(0, words.length - MAX_QUERY_WORDS);
    const q = q0 === 0 ? words : words.slice(q0);
    if (q.length === 0) return [];
    const core = this.core;
    for (let i = 0; i < q.length; i++) scratch.qWeight[i] = core.queryWeight(q[i]);
    const nFound = findPieces(core, q);
    // Words in hundreds of names ("and", "avenue", "street") cannot make a station worth
    // naming on their own: when the subject also shares a rarer word with some names,
    // only those names are scored, and the common words count towards them alone.
    // This keeps a message's cost proportional to the names it could mean, not to the
    // number of stations loaded.
    const rare = markCommon(core, nFound, Math.max(COMMON_MIN, Math.ceil(this.stations.length * COMMON_SHARE)));
    const mark = rare ? markRareStations(core, nFound) : 0;
    scratch.stations(this.stations.length);
    const nTouched = collectEdges(core, nFound, rare, mark);
    const n = this.scoreAll(nTouched, q, isLong(q), opts.systemId);
    sortOrder(n);
    return this.emit(n);
  }

  /** Scores every touched station (of the system asked for); returns how many, their slots in scratch.order. */
  private scoreAll(nTouched: number, q: readonly string[], long: boolean, systemId: string | undefined): number {
    const { touched, order } = scratch;
    let n = 0;
    for (let t = 0; t < nTouched; t++) {
      const si = touched[t];
      if (systemId !== undefined && this.stations[si].systemId !== systemId) continue;
      this.score(si, t, q, long);
      order[n++] = t;
    }
    return n;
  }

  private emit(n: number): Candidate[] {
    const { order, touched, recall, precision, raw, area } = scratch;
    const out: Candidate[] = [];
    for (let k = 0; k < n; k++) {
      const t = order[k];
      out.push(candidate(this.stations[touched[t]], recall[t], precision[t], raw[t], area[t] === 1));
    }
    return out;
  }

  /** Scores station si (touched slot t) from its edges into the scratch score rows. */
  private score(si: number, t: number, q: readonly string[], long: boolean): void {
    const x = scratch;
    const words = this.core.words[si];
    const weights = this.core.wordWeight[si];
    const flags = this.flags[si];
    const nw = words.length;
    const qn = q.length;
    // The station's edges, strongest first (stable: equal gains keep the order they were made in).
    let m = 0;
    for (let e = x.head[si]; e >= 0; e = x.eNext[e]) m++;
    x.edgeList(m);
    const eo = x.edgeOrder;
    const gain = x.eGain;
    m = 0;
    for (let e = x.head[si]; e >= 0; e = x.eNext[e]) {
      const g = gain[e];
      let k = m++;
      while (k > 0 && gain[eo[k - 1]] < g) {
        eo[k] = eo[k - 1];
        k--;
      }
      eo[k] = e;
    }
    x.nameWords(nw);
    const qSim = x.qSim;
    const nSim = x.nSim;
    qSim.fill(0, 0, qn);
    nSim.fill(0, 0, nw);
    const { eQs, eQe, eNs, eNe, eSim } = x;
    for (let k = 0; k < m; k++) {
      const e = eo[k];
      const qs = eQs[e];
      const qe = eQe[e];
      const ns = eNs[e];
      const ne = eNe[e];
      let free = true;
      for (let i = qs; i <= qe && free; i++) if (qSim[i] > 0) free = false;
      for (let i = ns; i <= ne && free; i++) if (nSim[i] > 0) free = false;
      if (!free) continue;
      const sim = eSim[e];
      for (let i = qs; i <= qe; i++) qSim[i] = sim;
      for (let i = ns; i <= ne; i++) nSim[i] = sim;
    }
    let den = 0;
    let num = 0;
    let areaMatched = false;
    for (let i = 0; i < nw; i++) {
      const f = flags[i];
      if (f & AREA) {
        if (nSim[i] > 0 && f & AREA_SAYS) areaMatched = true;
        continue;
      }
      if (nSim[i] > 0) {
        den += weights[i];
        num += nSim[i] * weights[i];
      } else if (!(f & OPTIONAL)) den += weights[i];
    }
    const recall = den > 0 ? Math.min(1, num / den) : 0;
    let lo = -1;
    let hi = -1;
    for (let i = 0; i < qn; i++) if (qSim[i] > 0) (lo = lo < 0 ? i : lo), (hi = i);
    let said = 0;
    let explained = 0;
    const qWeight = x.qWeight;
    for (let i = 0; i < qn; i++) {
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
    x.raw[t] = raw;
    x.recall[t] = recall;
    x.precision[t] = precision;
    x.area[t] = areaMatched ? 1 : 0;
  }

  resolve(subject: string, opts: ResolveOptions = {}): ResolveResult {
    return verdictOf(this.candidates(subject, opts));
  }
}

/** Every (piece of the subject, name word) pair that may match, in subject order, into scratch's found rows; returns how many. */
function findPieces(core: NameVocabulary, q: readonly string[]): number {
  const x = scratch;
  const qn = q.length;
  let nFound = 0;
  for (let i = 0; i < qn; i++) {
    let span = '';
    for (let j = i; j < Math.min(qn, i + MAX_SPAN); j++) {
      span += q[j];
      if (j > i && (span.length < 5 || span.length > MAX_JOINED)) continue;
      // Pieces that are all name words as they stand only join into an exact name word
      // ("knights bridge"); a fuzzy join is for speech-recogniser debris ("clerk and well").
      if (j === i || !allKnown(q, i, j, core)) {
        const matches = core.lookup(span);
        x.found(nFound + (matches.length >> 1));
        for (let m = 0; m < matches.length; m += 2) {
          const vid = matches[m];
          // Joined pieces against joined name words is the same as matching them one by one.
          if (j > i && core.vocab[vid].pair) continue;
          // A word split in two ("knights bridge") is likely; three pieces less so.
          const sim0 = matches[m + 1];
          nFound = found(nFound, i, j, vid, j === i ? sim0 : sim0 * (j - i === 1 ? 0.97 : 0.93));
        }
      } else {
        const vid = core.exactId(span);
        if (vid < 0 || core.vocab[vid].pair) continue;
        x.found(nFound + 1);
        nFound = found(nFound, i, j, vid, 1 * (j - i === 1 ? 0.97 : 0.93));
      }
    }
  }
  return nFound;
}

function found(f: number, i: number, j: number, vid: number, sim: number): number {
  const x = scratch;
  x.fI[f] = i;
  x.fJ[f] = j;
  x.fVid[f] = vid;
  x.fSim[f] = sim;
  return f + 1;
}

/** Marks each found row common or not (see candidates()); true when some row is not. */
function markCommon(core: NameVocabulary, nFound: number, commonAt: number): boolean {
  const { fI, fJ, fVid, fSim, fCommon } = scratch;
  let rare = false;
  for (let a = 0; a < nFound; ) {
    // A common word as said keeps its spelling variants common too ("st" → "street", "s").
    let b = a;
    let said = false;
    for (; b < nFound && fI[b] === fI[a] && fJ[b] === fJ[a]; b++) if (fSim[b] === 1 && isCommon(core, fVid[b], commonAt)) said = true;
    for (; a < b; a++) {
      const common = said || isCommon(core, fVid[a], commonAt);
      fCommon[a] = common ? 1 : 0;
      if (!common) rare = true;
    }
  }
  return rare;
}

/** Marks (core.marks) the stations that carry a rare word of the subject; returns the mark. */
function markRareStations(core: NameVocabulary, nFound: number): number {
  const { fVid, fCommon } = scratch;
  const mark = core.nextMark();
  const marks = core.marks;
  for (let f = 0; f < nFound; f++) {
    if (fCommon[f]) continue;
    const postings = core.postingsOf(fVid[f]);
    for (let k = 0; k < postings.length; k++) marks[postings[k].station] = mark;
  }
  return mark;
}

/**
 * One edge per (found row, station word it meets), kept per station in the order
 * made; returns how many stations were touched (scratch.touched, first-touched order).
 */
function collectEdges(core: NameVocabulary, nFound: number, rare: boolean, mark: number): number {
  const x = scratch;
  const { fI, fJ, fVid, fSim, fCommon, stamp, head, tail, touched } = x;
  const marks = core.marks;
  const gen = x.gen;
  let nTouched = 0;
  let nEdges = 0;
  for (let f = 0; f < nFound; f++) {
    const postings = core.postingsOf(fVid[f]);
    const only = rare && fCommon[f] === 1;
    x.edges(nEdges + postings.length);
    for (let k = 0; k < postings.length; k++) {
      const p = postings[k];
      const si = p.station;
      if (only && marks[si] !== mark) continue;
      const e = nEdges++;
      if (stamp[si] !== gen) {
        stamp[si] = gen;
        head[si] = e;
        touched[nTouched++] = si;
      } else x.eNext[tail[si]] = e;
      tail[si] = e;
      edge(core, e, si, p, fI[f], fJ[f], fSim[f]);
    }
  }
  return nTouched;
}

function edge(core: NameVocabulary, e: number, si: number, p: Posting, qs: number, qe: number, sim: number): void {
  const x = scratch;
  const ww = core.wordWeight[si];
  const weight = p.len === 1 ? ww[p.pos] : ww[p.pos] + ww[p.pos + 1];
  const areaFactor = core.words[si][p.pos].part === 'area' ? 0.8 : 1;
  x.eNext[e] = -1;
  x.eQs[e] = qs;
  x.eQe[e] = qe;
  x.eNs[e] = p.pos;
  x.eNe[e] = p.pos + p.len - 1;
  x.eSim[e] = sim;
  x.eGain[e] = sim * weight * areaFactor + sim * 0.01;
}

/** A rambling message names its station in full (see LONG_SUBJECT). */
function isLong(q: readonly string[]): boolean {
  let content = 0;
  for (let i = 0; i < q.length; i++) if (!STOP_WORDS.has(q[i])) content++;
  return content > LONG_SUBJECT;
}

/** Every Candidate is made here, so that they share one object shape. */
function candidate(station: Station, recall: number, precision: number, raw: number, areaMatched: boolean): Candidate {
  return { station, recall, precision, raw, areaMatched };
}
// The first Candidate fixes the shape's number fields as doubles: had it been a whole
// 0 or 1, the first fraction would change the shape under code already optimised for it.
candidate({} as Station, 0.5, 0.5, 0.5, false);

function isCommon(core: NameVocabulary, vid: number, commonAt: number): boolean {
  return core.postingsOf(vid).length > commonAt || STOP_WORDS.has(core.vocab[vid].text);
}

/** Stable merge sort of scratch.order[0..n) by raw, then recall, highest first. */
function sortOrder(n: number): void {
  let a = scratch.order;
  let b = scratch.orderTmp;
  // Runs of 8 by insertion, then bottom-up merges.
  const RUN = 8;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const v = a[i];
      let k = i;
      while (k > lo && after(a[k - 1], v) > 0) {
        a[k] = a[k - 1];
        k--;
      }
      a[k] = v;
    }
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = after(a[i], a[j]) > 0 ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    const t = a;
    a = b;
    b = t;
  }
  if (a !== scratch.order) for (let i = 0; i < n; i++) scratch.order[i] = a[i];
}

/** > 0 when touched slot j goes before slot i: the comparator the candidates were sorted with. */
function after(i: number, j: number): number {
  return scratch.raw[j] - scratch.raw[i] || scratch.recall[j] - scratch.recall[i];
}

function allKnown(q: readonly string[], i: number, j: number, core: NameVocabulary): boolean {
  for (let k = i; k <= j; k++) if (!core.isWord(q[k])) return false;
  return true;
}

function countContent(q: readonly string[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!STOP_WORDS.has(q[i])) n++;
  return Math.max(1, n);
}
