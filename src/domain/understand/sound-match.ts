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
/** Distinct consonant-class grams (bigrams and the lone unigram), and the 32-bit words a set of them takes. */
const GRAMS = CLASSES * CLASSES + CLASSES;
const GRAM_WORDS = 3;
if (GRAMS > 32 * GRAM_WORDS) throw new Error('sound-match: gram sets need more words');

/**
 * A higher floor for the stations not marked (marks[s] !== mark): a caller that will use
 * weak alignments only of some names (those spelling found) says which, and the others'
 * alignments stop as soon as they must fall under minNameSim.
 */
export interface UnmarkedFloor {
  marks: Int32Array;
  mark: number;
  minNameSim: number;
}

/** Query phonemes of a word, memoised per index (bounded). */
type WordSounds = Map<string, number[]>;

/**
 * The phonemes of every station name (one reading per name, London's where the
 * override table has one), with each name's set of consonant-class grams to pick
 * the few names worth aligning. Built once per set of names. A query allocates
 * only its result: the subject's phonemes, word boundaries and alignment rows are
 * scratch rows of the index (match never awaits, so one set serves every call).
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
  /** Per station, its street's gram set as GRAM_WORDS bit words. */
  private readonly gramBits: Uint32Array;
  private readonly gramCount: Int32Array;
  private readonly words: WordSounds;
  // Scratch for one query: the subject's phonemes (q), where its words start and end
  // (flags over positions 0..m), its gram set, the shortlist and the alignment rows.
  private q = new Uint8Array(2 * MAX_Q);
  private starts = new Int32Array(32);
  private readonly isStart = new Uint8Array(MAX_Q + 1);
  private readonly isEnd = new Uint8Array(MAX_Q + 1);
  private readonly qBits = new Uint32Array(GRAM_WORDS);
  private readonly said = new Uint8Array(N);
  /** Per station: its share of the subject's grams, as stored (float32) so that every comparison sees the same value. */
  private readonly share: Float32Array;
  private readonly short = new Int32Array(SHORTLIST);
  private nStarts = 0;
  private qLength = 0;
  private leadEnd = 0;
  private tailStart = 0;
  /** What the subject's own words (not the lead or tail) weigh. */
  private qMass = 0;
  private rowCost = new Float32Array(MAX_Q + 1);
  private rowStart = new Int32Array(MAX_Q + 1);
  private prevCost = new Float32Array(MAX_Q + 1);
  private prevStart = new Int32Array(MAX_Q + 1);
  /** Per phoneme, the least it can cost to align it against the current subject (see align). */
  private readonly leastCost = new Float64Array(N);
  /** Per name phoneme of one alignment, the least the phonemes after it can cost. */
  private rest = new Float64Array(64);
  /** The last alignment's answer (align returns its cost): the subject span it covers. */
  private alignStart = -1;
  private alignEnd = -1;

  /** For tests: align every shortlisted name in full, with no early stop, to check the stops change nothing. */
  private readonly exhaustive: boolean;

  /** `weights[s][k]`: how informative word k of name s is (the spelling side's idf weights). */
  /** `readings`: the first readings of (some of) the names' words, read already (a build in steps reads them a few at a time); kept as this index's memo. */
  constructor(names: readonly (readonly NameWord[])[], weights: readonly (readonly number[])[], opts: { exhaustive?: boolean; readings?: WordSounds } = {}) {
    this.exhaustive = opts.exhaustive === true;
    this.words = opts.readings ?? new Map();
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
    this.gramCount = new Int32Array(n);
    this.gramBits = new Uint32Array(n * GRAM_WORDS);
    for (let s = 0; s < n; s++) {
      const st = streets[s];
      const at = this.streetAt[s];
      let m = 0;
      for (let k = 0; k < st.length; k++) m += MASS[st[k]] * weightsFlat[at + k];
      this.streetMass[s] = m;
      this.gramCount[s] = gramSet(st, 0, st.length, this.gramBits, s * GRAM_WORDS);
    }
    this.share = new Float32Array(n);
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
   * Each step is its own small method: V8 optimises them one by one as they get
   * hot, instead of swapping one long function into optimised code mid-loop.
   */
  match(subjectWords: readonly string[], allow?: (station: number) => boolean, lead: readonly string[] = [], tail: readonly string[] = [], minNameSim = 0.45, unmarked?: UnmarkedFloor): SoundHit[] {
    if (!this.hear(subjectWords, lead, tail)) return [];
    const m = this.qLength;
    this.prepareLeast(m);
    const n = this.shortlist(allow);
    const out: SoundHit[] = [];
    for (let k = 0; k < n; k++) {
      const s = this.short[k];
      const min = unmarked !== undefined && unmarked.marks[s] !== unmarked.mark ? Math.max(minNameSim, unmarked.minNameSim) : minNameSim;
      const hit = this.hitOf(s, m, min);
      if (hit !== null) out.push(hit);
    }
    return out;
  }

  /** Appends a word's phonemes to the subject's (q) at `at`, noting where it starts; returns the new length. */
  private append(w: string, at: number): number {
    const ph = this.word(w);
    if (ph.length === 0) return at;
    if (this.q.length < at + ph.length) {
      const q = new Uint8Array(2 * (at + ph.length));
      q.set(this.q);
      this.q = q;
    }
    if (this.starts.length <= this.nStarts) {
      const s = new Int32Array(2 * this.starts.length);
      s.set(this.starts);
      this.starts = s;
    }
    this.starts[this.nStarts++] = at;
    for (let j = 0; j < ph.length; j++) this.q[at + j] = ph[j];
    return at + ph.length;
  }

  /**
   * The subject as heard: lead words, the subject's, tail words, their phonemes back
   * to back in q (the last MAX_Q kept), with word starts and ends flagged. False when
   * the subject itself has less than two phonemes: nothing to match.
   */
  private hear(subjectWords: readonly string[], lead: readonly string[], tail: readonly string[]): boolean {
    this.nStarts = 0;
    let len = 0;
    for (let k = 0; k < lead.length; k++) len = this.append(lead[k], len);
    // The lead words are free: they count only where a name explains them.
    let leadEnd = len;
    for (let k = 0; k < subjectWords.length; k++) {
      const w = subjectWords[k];
      // Postcodes and codes ("n1", "se17") are not said as words.
      if (/\d/.test(w) && /[a-z]/.test(w)) continue;
      len = this.append(w, len);
    }
    // The tail words are free too.
    let tailStart = len;
    for (let k = 0; k < tail.length; k++) len = this.append(tail[k], len);
    if (tailStart - leadEnd < 2) return false;
    const starts = this.starts;
    let first = 0;
    if (len > MAX_Q) {
      const cut = len - MAX_Q;
      this.q.copyWithin(0, cut, len);
      len = MAX_Q;
      leadEnd = Math.max(0, leadEnd - cut);
      tailStart = Math.max(0, tailStart - cut);
      for (let i = 0; i < this.nStarts; i++) starts[i] -= cut;
      while (first < this.nStarts && starts[first] < 0) first++;
    }
    const m = len;
    const isStart = this.isStart;
    const isEnd = this.isEnd;
    isStart.fill(0, 0, m + 1);
    isEnd.fill(0, 0, m + 1);
    // A cut that fell inside a word: what is left of it starts the subject.
    isStart[0] = 1;
    for (let i = first; i < this.nStarts; i++) {
      const s = starts[i];
      isStart[s] = 1;
      if (s > 0) isEnd[s] = 1;
    }
    isEnd[m] = 1;
    let qMass = 0;
    for (let i = leadEnd; i < tailStart; i++) qMass += MASS[this.q[i]];
    this.qLength = m;
    this.leadEnd = leadEnd;
    this.tailStart = tailStart;
    this.qMass = qMass;
    return true;
  }

  /**
   * What each name phoneme costs at least against this subject: said as one of its
   * phonemes, or dropped. Lets an alignment give up on a name early (see align).
   */
  private prepareLeast(m: number): void {
    const q = this.q;
    const said = this.said;
    said.fill(0);
    for (let i = 0; i < m; i++) said[q[i]] = 1;
    const least = this.leastCost;
    for (let b = 0; b < N; b++) {
      let c: number = GAP[b];
      const row = b * N;
      for (let a = 0; a < N; a++) if (said[a] === 1 && SUB[row + a] < c) c = SUB[row + a];
      least[b] = c;
    }
  }

  /**
   * The SHORTLIST names sharing most of the subject's consonant grams, best first:
   * by share (shared grams over the name's and the subject's, so that a long subject
   * does not favour long names) descending, then station ascending. Returns how many.
   */
  private shortlist(allow: ((station: number) => boolean) | undefined): number {
    const qBits = this.qBits;
    qBits.fill(0);
    const nq = gramSet(this.q, 0, this.qLength, qBits, 0);
    const norm = Math.max(1, nq);
    const bits = this.gramBits;
    const gramCount = this.gramCount;
    const share = this.share;
    const short = this.short;
    let n = 0;
    const q0 = qBits[0];
    const q1 = qBits[1];
    const q2 = qBits[2];
    for (let s = 0, o = 0; s < gramCount.length; s++, o += GRAM_WORDS) {
      const b0 = bits[o] & q0;
      const b1 = bits[o + 1] & q1;
      const b2 = bits[o + 2] & q2;
      if ((b0 | b1 | b2) === 0) continue;
      const shared = popcount(b0) + popcount(b1) + popcount(b2);
      if (allow && !allow(s)) continue;
      // Read back: compared as stored (float32), as the other names' shares are.
      share[s] = shared / Math.sqrt(Math.max(1, gramCount[s]) * norm);
      const h = share[s];
      let k = n;
      if (k === SHORTLIST) {
        const last = short[k - 1];
        if (h < share[last] || (h === share[last] && s > last)) continue;
        k--;
      } else n++;
      while (k > 0 && (share[short[k - 1]] < h || (share[short[k - 1]] === h && short[k - 1] > s))) {
        short[k] = short[k - 1];
        k--;
      }
      short[k] = s;
    }
    return n;
  }

  /** Station s's alignment with the subject (q[0..m)), or null when it is matched less than minNameSim. */
  private hitOf(s: number, m: number, minNameSim: number): SoundHit | null {
    const mass = this.streetMass[s];
    if (mass <= 0) return null;
    // nameSim < minNameSim is dropped below: an alignment that must cost more than that stops early.
    const cost = this.align(this.street, this.streetWeight, this.streetAt[s], this.streetAt[s + 1], 0, m, this.beyond((1 - minNameSim) * mass));
    if (cost === Infinity) return null;
    const nameSim = Math.max(0, 1 - cost / mass);
    if (nameSim < minNameSim) return null;
    const q = this.q;
    const leadEnd = this.leadEnd;
    const tailStart = this.tailStart;
    const start = this.alignStart;
    const end = this.alignEnd;
    let explained = 0;
    let leadUsed = 0;
    // Branch-free sums: a sum taken only when the name reaches into the lead words would
    // have no type feedback until a real message first does, and throw optimised code away.
    for (let i = start; i < end; i++) {
      const mass = MASS[q[i]];
      explained += mass;
      leadUsed += i < leadEnd || i >= tailStart ? mass : 0;
    }
    let areaSaid = false;
    const a0 = this.areaAt[s];
    const a1 = this.areaAt[s + 1];
    if (a1 > a0 && end < m) {
      // The area, said after the street ("belle street merle a bone").
      let areaMass = 0;
      for (let i = a0; i < a1; i++) areaMass += MASS[this.area[i]];
      const b = this.align(this.area, null, a0, a1, end, m, this.beyond(0.4 * areaMass));
      if (b !== Infinity && 1 - b / areaMass >= 0.6) {
        areaSaid = true;
        for (let i = this.alignStart; i < this.alignEnd; i++) {
          const mass = MASS[q[i]];
          explained += mass;
          leadUsed += i >= tailStart ? mass : 0;
        }
      }
    }
    return { station: s, nameSim, coverage: Math.min(1, explained / (this.qMass + leadUsed)), areaSaid };
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
   * whole name, against a run of whole words of the subject. Returns the cost, and
   * leaves the subject span it covers in alignStart..alignEnd. Rows run over the
   * subject so they stay short. An answer above `limit` is of no use to the caller:
   * the alignment then stops as soon as no cell of a row is under it, with cost
   * Infinity (most shortlisted names are dropped after a few of their phonemes),
   * and only the cells that can stay under it are computed.
   */
  private align(name: Uint8Array, weight: Float32Array | null, n0: number, n1: number, from: number, to: number, limit = Infinity): number {
    const q = this.q;
    const isStart = this.isStart;
    const isEnd = this.isEnd;
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
    // insertions). Cells left out count as Infinity; every cell under the limit is
    // exactly what the full table holds. A row is written over [pLo, pHi] only, and
    // the one cell on either side that the next row reads is set to Infinity.
    // Every name phoneme still to come costs at least leastCost (weighted): a cell of
    // row j is hopeless above limit − rest[j]. Slightly under-counted (0.999) so float32
    // rounding of the table can never make a hopeless verdict wrong.
    if (this.rest.length < n1 - n0 + 1) this.rest = new Float64Array(2 * (n1 - n0 + 1));
    const rest = this.rest;
    rest[n1 - n0] = 0;
    for (let j = n1 - 1; j >= n0; j--) rest[j - n0] = rest[j - n0 + 1] + 0.999 * this.leastCost[name[j]] * (weight === null ? 1 : weight[j]);
    let lo = 0;
    let hi = m;
    let pLo = 0;
    let pHi = m;
    let rowLimit = limit - rest[0];
    if (rowLimit < 0) return Infinity;
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
      const full = Math.min(m, hi + 1);
      // hi + 1 may lie past the row before's written cells: it holds nothing.
      if (full > pHi) prev[full] = Infinity;
      let left: number;
      let leftS: number;
      if (i === 0) {
        left = Math.fround(prev[0] + gb);
        leftS = prevS[0];
        cur[0] = left;
        curS[0] = leftS;
        if (left <= rowLimit) newLo = newHi = 0;
        i = 1;
      } else {
        left = Infinity;
        leftS = 0;
      }
      const curLo = lo;
      // The cell to the left and the one diagonally up are carried in locals: as stored
      // (float32, hence fround), so every sum is the one the table would give.
      let diag = i - 1 >= pLo ? prev[i - 1] : Infinity;
      let diagS = prevS[i - 1];
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
      if (newLo < 0) return Infinity;
      pLo = curLo;
      pHi = i - 1;
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
    for (let i = Math.max(1, pLo); i <= pHi; i++) {
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
    this.alignStart = start;
    this.alignEnd = end + from;
    return best;
  }
}

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

/**
 * Adds the consonant-class bigrams of ps[from..to) (and a unigram for a run with one
 * consonant) to the bit set at bits[at..at + GRAM_WORDS); returns how many it added.
 */
function gramSet(ps: ArrayLike<number>, from: number, to: number, bits: Uint32Array, at: number): number {
  let prev = -1;
  let count = 0;
  let added = 0;
  for (let k = from; k < to; k++) {
    const c = SKELETON[ps[k]];
    if (c < 0) continue;
    if (prev >= 0 && c !== prev) added += addGram(bits, at, CLASSES + prev * CLASSES + c);
    if (c !== prev) count++;
    prev = c;
  }
  if (count === 1) added += addGram(bits, at, prev);
  return added;
}

function addGram(bits: Uint32Array, at: number, g: number): number {
  const word = at + (g >>> 5);
  const bit = 1 << (g & 31);
  if (bits[word] & bit) return 0;
  bits[word] |= bit;
  return 1;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
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
