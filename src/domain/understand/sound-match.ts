import { PHONEMES, VOWELS, firstReading } from './pronounce.js';
import type { NameWord } from './name-words.js';

/**
 * Sound match: a second witness beside spelling. Every station name is turned
 * into phonemes once per set of names (street part and area apart); a subject is
 * turned into phonemes the same way and aligned against them with no regard for
 * where either side splits its words — "to lee street" meets Tooley Street,
 * "chrome or street" Cromer Street. The cost model makes what recognisers do
 * cheap (reduced vowels, voicing, a British r that is not said, h and y glides)
 * and other consonant changes dear.
 */

const N = PHONEMES.length;
const P = (s: string): number => PHONEMES.indexOf(s as (typeof PHONEMES)[number]);

/** Substitution costs, N×N. */
const SUB = new Float32Array(N * N);
/** Cost of a phoneme said but not in the name, or in the name but not said. */
const GAP = new Float32Array(N);
/** What a phoneme is worth towards a name's length (vowels say less than consonants). */
const MASS = new Float32Array(N);

const REDUCED = new Set(['AH', 'IH', 'ER', 'UH']);
const VOWEL_NEAR: string[][] = [
  ['AH', 'IH', 'ER', 'UH', 'EH'],
  ['IY', 'IH', 'EY'],
  ['UW', 'UH', 'OW'],
  ['AA', 'AO', 'AH', 'OW', 'AW'],
  ['EH', 'EY', 'AE', 'IH'],
  ['AE', 'AA', 'AH', 'EH'],
  ['AY', 'AA', 'EY', 'OY'],
  ['OW', 'AO', 'AW'],
];
const CONSONANT_NEAR: Array<[string, string, number]> = [
  // Voicing: the cheapest consonant change.
  ['P', 'B', 0.3], ['T', 'D', 0.3], ['K', 'G', 0.3], ['F', 'V', 0.3], ['S', 'Z', 0.25], ['SH', 'ZH', 0.3], ['CH', 'JH', 0.3], ['TH', 'DH', 0.2],
  // Place neighbours a recogniser trades.
  ['M', 'N', 0.5], ['N', 'NG', 0.4], ['TH', 'F', 0.5], ['DH', 'V', 0.5], ['TH', 'T', 0.55], ['DH', 'D', 0.5], ['S', 'SH', 0.5], ['CH', 'SH', 0.4], ['JH', 'ZH', 0.4],
  ['CH', 'T', 0.6], ['JH', 'D', 0.6], ['L', 'R', 0.6], ['W', 'V', 0.6], ['W', 'R', 0.6], ['Z', 'ZH', 0.5], ['S', 'TH', 0.6], ['Z', 'DH', 0.6], ['K', 'T', 0.8], ['P', 'T', 0.8],
];

function buildCosts(): void {
  for (let a = 0; a < N; a++) {
    const va = a < VOWELS;
    MASS[a] = va ? 0.6 : 1;
    const name = PHONEMES[a];
    GAP[a] = va ? (REDUCED.has(name) ? 0.3 : 0.5) : 0.9;
    for (let b = 0; b < N; b++) {
      const vb = b < VOWELS;
      let c: number;
      if (a === b) c = 0;
      else if (va && vb) c = 0.45;
      else if (va !== vb) c = 1.3;
      else c = 1;
      SUB[a * N + b] = c;
    }
  }
  for (const group of VOWEL_NEAR) for (const x of group) for (const y of group) if (x !== y) setSub(x, y, REDUCED.has(x) && REDUCED.has(y) ? 0.15 : 0.25);
  for (const [x, y, c] of CONSONANT_NEAR) setSub(x, y, c);
  // Glides and a vowel-coloured r: a British r after a vowel is not said; h is dropped.
  GAP[P('R')] = 0.35;
  GAP[P('HH')] = 0.3;
  GAP[P('Y')] = 0.4;
  GAP[P('W')] = 0.5;
  GAP[P('T')] = 0.7;
  GAP[P('D')] = 0.7;
  setSub('ER', 'R', 0.35);
  setSub('UW', 'W', 0.5);
  setSub('IY', 'Y', 0.5);
}
function setSub(x: string, y: string, c: number): void {
  const a = P(x);
  const b = P(y);
  SUB[a * N + b] = Math.min(SUB[a * N + b], c);
  SUB[b * N + a] = Math.min(SUB[b * N + a], c);
}
buildCosts();

/** Consonant classes for finding candidates: voicing and place neighbours merge, vowels and glides vanish. */
const SKELETON = new Int8Array(N).fill(-1);
for (const [cls, members] of [
  [0, ['P', 'B']], [1, ['T', 'D']], [2, ['K', 'G']], [3, ['F', 'V', 'TH', 'DH']], [4, ['S', 'Z']], [5, ['SH', 'ZH', 'CH', 'JH']], [6, ['M', 'N', 'NG']], [7, ['L']],
] as Array<[number, string[]]>) for (const m of members) SKELETON[P(m)] = cls;
const CLASSES = 8;

export interface SoundHit {
  station: number;
  /** How well the whole street part of the name was matched, 0..1. */
  nameSim: number;
  /** Share of the subject's sound that the name (street and area) explains, 0..1. */
  coverage: number;
  /** The area was said, and matched. */
  areaSaid: boolean;
}

/** At most this many stations get a full alignment. */
const SHORTLIST = 40;
/** Longest subject aligned, in phonemes (a rambling message keeps its end). */
const MAX_Q = 90;

/** Query phonemes of a word, memoised per index (bounded). */
type WordSounds = Map<string, number[]>;

/**
 * The phonemes of every station name (one reading per name, London's where the
 * override table has one), with a bigram index of consonant classes to pick the
 * few names worth aligning. Built once per set of names; queries allocate only
 * their result.
 */
export class SoundIndex {
  /** Street phonemes of all stations, back to back; station s spans streetAt[s]..streetAt[s+1]. */
  private readonly street: Uint8Array;
  private readonly streetAt: Int32Array;
  private readonly area: Uint8Array;
  private readonly areaAt: Int32Array;
  /** Per street phoneme: how much its word tells names apart (rare words count, "street" little). */
  private readonly streetWeight: Float32Array;
  private readonly streetMass: Float32Array;
  private readonly postings: Int32Array[];
  private readonly gramCount: Int32Array;
  private readonly words: WordSounds = new Map();
  // Scratch, sized for the longest name / subject.
  private readonly hits: Float32Array;
  private readonly stamp: Int32Array;
  private gen = 0;
  private readonly touched: Int32Array;
  private rowCost = new Float32Array(MAX_Q + 1);
  private rowStart = new Int32Array(MAX_Q + 1);
  private prevCost = new Float32Array(MAX_Q + 1);
  private prevStart = new Int32Array(MAX_Q + 1);
  /** Per phoneme, the least it can cost to align it against the current subject (see align). */
  private readonly leastCost = new Float64Array(N);
  /** Per name phoneme of one alignment, the least the phonemes after it can cost. */
  private rest = new Float64Array(64);

  /** For tests: align every shortlisted name in full, with no early stop, to check the stops change nothing. */
  private readonly exhaustive: boolean;

  /** `weights[s][k]`: how informative word k of name s is (the spelling side's idf weights). */
  constructor(names: readonly (readonly NameWord[])[], weights: readonly (readonly number[])[], opts: { exhaustive?: boolean } = {}) {
    this.exhaustive = opts.exhaustive === true;
    // Plain loops and typed arrays: this runs once per set of names, in a process that has
    // not compiled it yet (before its first answer), where every closure and iterator costs.
    const n = names.length;
    const streets: number[][] = [];
    const areas: number[][] = [];
    const weightsFlat: number[] = [];
    for (let si = 0; si < n; si++) {
      const ws = names[si];
      const st: number[] = [];
      const ar: number[] = [];
      for (let k = 0; k < ws.length; k++) {
        const w = ws[k];
        if (w.optional) continue;
        const ph = this.word(w.text);
        if (w.part === 'street') {
          const weight = Math.max(0.15, Math.min(1, (weights[si]?.[k] ?? 5) / 5));
          for (let j = 0; j < ph.length; j++) {
            st.push(ph[j]);
            weightsFlat.push(weight);
          }
        } else for (let j = 0; j < ph.length; j++) ar.push(ph[j]);
      }
      streets.push(st);
      areas.push(ar);
    }
    [this.street, this.streetAt] = pack(streets);
    [this.area, this.areaAt] = pack(areas);
    this.streetWeight = new Float32Array(weightsFlat);
    this.streetMass = new Float32Array(n);
    const lists: number[][] = [];
    for (let g = 0; g < CLASSES * CLASSES + CLASSES; g++) lists.push([]);
    this.gramCount = new Int32Array(n);
    // The last station each gram was listed for: a name lists each of its grams once.
    const listedFor = new Int32Array(lists.length).fill(-1);
    for (let s = 0; s < n; s++) {
      const st = streets[s];
      const at = this.streetAt[s];
      let m = 0;
      for (let k = 0; k < st.length; k++) m += MASS[st[k]] * weightsFlat[at + k];
      this.streetMass[s] = m;
      let count = 0;
      grams(st, (g) => {
        if (listedFor[g] === s) return;
        listedFor[g] = s;
        lists[g].push(s);
        count++;
      });
      this.gramCount[s] = count;
    }
    this.postings = lists.map((l) => new Int32Array(l));
    this.hits = new Float32Array(n);
    this.stamp = new Int32Array(n);
    this.touched = new Int32Array(n);
  }

  get size(): number {
    return this.gramCount.length;
  }

  /** The first reading of a word (name or subject), memoised in this index. */
  private word(w: string): number[] {
    let ph = this.words.get(w);
    if (!ph) {
      ph = firstReading(w);
      if (this.words.size > 50_000) this.words.clear();
      this.words.set(w, ph);
    }
    return ph;
  }

  /**
   * Stations whose name sounds like (part of) the subject, best aligned first,
   * restricted to `allow` (station slots) when given. Names matched less than
   * `minNameSim` are left out (and their alignments cut short): a caller that
   * ignores weaker hits says so, and pays only for the ones it uses.
   */
  match(subjectWords: readonly string[], allow?: (station: number) => boolean, lead: readonly string[] = [], tail: readonly string[] = [], minNameSim = 0.45): SoundHit[] {
    const q: number[] = [];
    const wordStart: number[] = [];
    for (const w of lead) {
      const ph = this.word(w);
      if (ph.length === 0) continue;
      wordStart.push(q.length);
      for (const p of ph) q.push(p);
    }
    // The lead words are free: they count only where a name explains them.
    let leadEnd = q.length;
    for (const w of subjectWords) {
      // Postcodes and codes ("n1", "se17") are not said as words.
      if (/\d/.test(w) && /[a-z]/.test(w)) continue;
      const ph = this.word(w);
      if (ph.length === 0) continue;
      wordStart.push(q.length);
      for (const p of ph) q.push(p);
    }
    // The tail words are free too.
    let tailStart = q.length;
    for (const w of tail) {
      const ph = this.word(w);
      if (ph.length === 0) continue;
      wordStart.push(q.length);
      for (const p of ph) q.push(p);
    }
    if (tailStart - leadEnd < 2) return [];
    if (q.length > MAX_Q) {
      const cut = q.length - MAX_Q;
      q.splice(0, cut);
      leadEnd = Math.max(0, leadEnd - cut);
      tailStart = Math.max(0, tailStart - cut);
      for (let i = 0; i < wordStart.length; i++) wordStart[i] -= cut;
      while (wordStart.length && wordStart[0] < 0) wordStart.shift();
      if (wordStart[0] !== 0) wordStart.unshift(0);
    }
    const m = q.length;
    // Word starts and ends, as flags over positions 0..m.
    const isStart = new Uint8Array(m + 1);
    const isEnd = new Uint8Array(m + 1);
    for (const s of wordStart) {
      isStart[s] = 1;
      if (s > 0) isEnd[s] = 1;
    }
    isEnd[m] = 1;
    let qMass = 0;
    for (let i = leadEnd; i < tailStart; i++) qMass += MASS[q[i]];

    // Shortlist by shared consonant-class bigrams.
    const gen = ++this.gen;
    let nTouched = 0;
    const qGrams = new Set<number>();
    grams(q, (g) => qGrams.add(g));
    // What each name phoneme costs at least against this subject: said as one of its
    // phonemes, or dropped. Lets an alignment give up on a name early (see align).
    const least = this.leastCost;
    least.set(GAP);
    const said = new Set(q);
    for (let b = 0; b < N; b++) for (const a of said) if (SUB[b * N + a] < least[b]) least[b] = SUB[b * N + a];
    for (const g of qGrams) {
      const list = this.postings[g];
      for (let k = 0; k < list.length; k++) {
        const s = list[k];
        if (this.stamp[s] !== gen) {
          this.stamp[s] = gen;
          this.hits[s] = 0;
          this.touched[nTouched++] = s;
        }
        this.hits[s]++;
      }
    }
    // The SHORTLIST best by (share desc, station asc), kept sorted as they come: a
    // common subject touches hundreds of names, and sorting them all to keep 40 was a
    // tenth of a message's cost.
    const short: number[] = [];
    const hits = this.hits;
    const norm = Math.max(1, qGrams.size);
    for (let t = 0; t < nTouched; t++) {
      const s = this.touched[t];
      if (allow && !allow(s)) continue;
      // Shared grams over the name's and the subject's: a long subject should not favour long names.
      hits[s] = hits[s] / Math.sqrt(Math.max(1, this.gramCount[s]) * norm);
      // Read back: compared as stored (float32), as the other names' shares are.
      const h = hits[s];
      let k = short.length;
      if (k === SHORTLIST) {
        const last = short[k - 1];
        if (h < hits[last] || (h === hits[last] && s > last)) continue;
        k--;
      } else short.push(s);
      while (k > 0 && (hits[short[k - 1]] < h || (hits[short[k - 1]] === h && short[k - 1] > s))) {
        short[k] = short[k - 1];
        k--;
      }
      short[k] = s;
    }

    const out: SoundHit[] = [];
    for (const s of short) {
      const mass = this.streetMass[s];
      if (mass <= 0) continue;
      // nameSim < minNameSim is dropped below: an alignment that must cost more than that stops early.
      const a = this.align(q, isStart, isEnd, this.street, this.streetWeight, this.streetAt[s], this.streetAt[s + 1], 0, m, this.beyond((1 - minNameSim) * mass));
      if (a.cost === Infinity) continue;
      const nameSim = Math.max(0, 1 - a.cost / mass);
      if (nameSim < minNameSim) continue;
      let explained = 0;
      let leadUsed = 0;
      for (let i = a.start; i < a.end; i++) {
        explained += MASS[q[i]];
        if (i < leadEnd || i >= tailStart) leadUsed += MASS[q[i]];
      }
      let areaSaid = false;
      const a0 = this.areaAt[s];
      const a1 = this.areaAt[s + 1];
      if (a1 > a0 && a.end < m) {
        // The area, said after the street ("belle street merle a bone").
        let areaMass = 0;
        for (let i = a0; i < a1; i++) areaMass += MASS[this.area[i]];
        const b = this.align(q, isStart, isEnd, this.area, null, a0, a1, a.end, m, this.beyond(0.4 * areaMass));
        if (b.cost !== Infinity && 1 - b.cost / areaMass >= 0.6) {
          areaSaid = true;
          for (let i = b.start; i < b.end; i++) {
            explained += MASS[q[i]];
            if (i >= tailStart) leadUsed += MASS[q[i]];
          }
        }
      }
      out.push({ station: s, nameSim, coverage: Math.min(1, explained / (qMass + leadUsed)), areaSaid });
    }
    return out;
  }

  /**
   * A limit safely above `cost`: float32 rows and a double threshold must never
   * disagree about an alignment right at the threshold, so only one clearly past it stops.
   */
  private beyond(cost: number): number {
    return this.exhaustive ? Infinity : cost * (1 + 1e-5) + 1e-5;
  }

  /**
   * Semi-global alignment of name[n0..n1) against the subject q[from..to): the
   * whole name, against a run of whole words of the subject. Returns the cost and
   * the subject span it covers. Rows run over the subject so they stay short.
   * An answer above `limit` is of no use to the caller: the alignment then stops
   * as soon as no cell of a row is under it, with cost Infinity (most shortlisted
   * names are dropped after a few of their phonemes), and only the cells that can
   * stay under it are computed.
   */
  private align(q: readonly number[], isStart: Uint8Array, isEnd: Uint8Array, name: Uint8Array, weight: Float32Array | null, n0: number, n1: number, from: number, to: number, limit = Infinity): { cost: number; start: number; end: number } {
    const m = to - from;
    let prev = this.prevCost;
    let cur = this.rowCost;
    let prevS = this.prevStart;
    let curS = this.rowStart;
    // Row for the empty name prefix: any word start is a free beginning.
    for (let i = 0; i <= m; i++) {
      prev[i] = isStart[from + i] || i === 0 ? 0 : Infinity;
      prevS[i] = from + i;
    }
    // Phonemes said inside a word before the name starts are extra sound.
    for (let i = 1; i <= m; i++) {
      if (prev[i] === Infinity && prev[i - 1] !== Infinity) {
        prev[i] = prev[i - 1] + GAP[q[from + i - 1]];
        prevS[i] = prevS[i - 1];
      }
    }
    // Cells above `limit` cannot lead to an answer under it (costs only grow along a
    // path), so each row is computed only from the first cell of the row before that
    // is under it (lo) to where the row can no longer get under it (past hi, only by
    // insertions). Cells left out hold Infinity; every cell under the limit is exactly
    // what the full table holds.
    // Every name phoneme still to come costs at least leastCost (weighted): a cell of
    // row j is hopeless above limit − rest[j]. Slightly under-counted (0.999) so float32
    // rounding of the table can never make a hopeless verdict wrong.
    if (this.rest.length < n1 - n0 + 1) this.rest = new Float64Array(2 * (n1 - n0 + 1));
    const rest = this.rest;
    rest[n1 - n0] = 0;
    for (let j = n1 - 1; j >= n0; j--) rest[j - n0] = rest[j - n0 + 1] + 0.999 * this.leastCost[name[j]] * (weight === null ? 1 : weight[j]);
    let lo = 0;
    let hi = m;
    let rowLimit = limit - rest[0];
    if (rowLimit < 0) return NO_ALIGNMENT;
    while (hi > 0 && prev[hi] > rowLimit) hi--;
    for (let j = n0; j < n1; j++) {
      const b = name[j];
      const w = weight === null ? 1 : weight[j];
      const gb = GAP[b] * w;
      rowLimit = limit - rest[j - n0 + 1];
      const row = b * N;
      let newLo = -1;
      let newHi = -1;
      let i = lo;
      if (i === 0) {
        cur[0] = prev[0] + gb;
        curS[0] = prevS[0];
        if (cur[0] <= rowLimit) newLo = newHi = 0;
        i = 1;
      } else cur.fill(Infinity, 0, i);
      const full = Math.min(m, hi + 1);
      // The cell to the left and the one diagonally up are carried in locals: as stored
      // (float32, hence fround), so every sum is the one the table would give.
      let diag = prev[i - 1];
      let diagS = prevS[i - 1];
      let left = cur[i - 1];
      let leftS = curS[i - 1];
      for (; i <= full; i++) {
        const a = q[from + i - 1];
        const up = prev[i];
        const upS = prevS[i];
        let c = diag + SUB[row + a] * w;
        let s = diagS;
        const del = up + gb;
        if (del < c) {
          c = del;
          s = upS;
        }
        const ins = left + GAP[a] * w;
        if (ins < c) {
          c = ins;
          s = leftS;
        }
        left = Math.fround(c);
        leftS = s;
        diag = up;
        diagS = upS;
        cur[i] = left;
        curS[i] = s;
        if (left <= rowLimit) {
          if (newLo < 0) newLo = i;
          newHi = i;
        }
      }
      for (; i <= m; i++) {
        left = Math.fround(left + GAP[q[from + i - 1]] * w);
        if (left > rowLimit) break;
        cur[i] = left;
        curS[i] = leftS;
        newHi = i;
      }
      if (i <= m) cur.fill(Infinity, i, m + 1);
      if (newLo < 0) return NO_ALIGNMENT;
      lo = newLo;
      hi = newHi;
      const t = prev;
      prev = cur;
      cur = t;
      const ts = prevS;
      prevS = curS;
      curS = ts;
    }
    let best = Infinity;
    let end = -1;
    let start = -1;
    for (let i = 1; i <= m; i++) {
      // End on a word end, or pay for the rest of the word.
      let c = prev[i];
      if (!isEnd[from + i]) {
        let k = i;
        while (k < m && !isEnd[from + k]) c += GAP[q[from + k++]] * 0.5;
        if (c < best) (best = c), (end = k), (start = prevS[i]);
        continue;
      }
      if (c < best) (best = c), (end = i), (start = prevS[i]);
    }
    return { cost: best, start, end: end + from };
  }
}

const NO_ALIGNMENT = { cost: Infinity, start: -1, end: -1 } as const;

function pack(rows: number[][]): [Uint8Array, Int32Array] {
  const at = new Int32Array(rows.length + 1);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    at[i] = n;
    n += rows[i].length;
  }
  at[rows.length] = n;
  const flat = new Uint8Array(n);
  rows.forEach((r, i) => flat.set(r, at[i]));
  return [flat, at];
}

/** Consonant-class bigrams of a phoneme run (and a unigram for a run with one consonant). */
function grams(ps: readonly number[], add: (g: number) => void): void {
  let prev = -1;
  let count = 0;
  for (const p of ps) {
    const c = SKELETON[p];
    if (c < 0) continue;
    if (prev >= 0 && c !== prev) add(CLASSES + prev * CLASSES + c);
    if (c !== prev) count++;
    prev = c;
  }
  if (count === 1) add(prev);
}

/** The alignment cost of two phoneme runs, both whole: for tests and the respeller. */
export function soundDistance(a: readonly number[], b: readonly number[]): number {
  const n = b.length;
  let prev = new Float32Array(n + 1);
  let cur = new Float32Array(n + 1);
  for (let j = 1; j <= n; j++) prev[j] = prev[j - 1] + GAP[b[j - 1]];
  for (let i = 1; i <= a.length; i++) {
    const x = a[i - 1];
    cur[0] = prev[0] + GAP[x];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j - 1] + SUB[x * N + b[j - 1]], prev[j] + GAP[x], cur[j - 1] + GAP[b[j - 1]]);
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/** Sound similarity of two phoneme runs, 0..1, by the cost model against the mass of the second. */
export function soundSimilarity(said: readonly number[], name: readonly number[]): number {
  let mass = 0;
  for (const p of name) mass += MASS[p];
  return mass > 0 ? Math.max(0, 1 - soundDistance(said, name) / mass) : 0;
}
