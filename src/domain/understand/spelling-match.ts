import { QUALIFIERS, STOP_WORDS, type NameWord } from './name-words.js';
import { isNumber, type NameVocabulary, type Posting } from './name-vocabulary.js';
import type { Scratch } from './resolver-scratch.js';

/**
 * Spelling match: the parts of matching a subject to station names by their
 * letters that StationResolver.candidates() runs in turn — what each name word is
 * (area, optional), the pieces of the subject that meet name words (typos, split
 * and joined words), which words are too common to search by, the edges score()
 * weighs, and the stable order of the scored stations. All rows live in the
 * resolver's scratch, passed in.
 */

// ——— Name word flags

/** Per name word, what score() needs to know that depends only on the name. */
export const AREA = 1;
/** Not saying it is no mismatch (parenthesised, a trailing qualifier, a number, a stop word). */
export const OPTIONAL = 2;
/** An area word that counts as the area being said. */
export const AREA_SAYS = 4;

export function wordFlags(words: readonly NameWord[]): Uint8Array {
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

// ——— Subject content

/** A rambling message names its station in full; past this many words the rest is not held against it. */
export const LONG_SUBJECT = 8;

/** A rambling message names its station in full (see LONG_SUBJECT). */
export function isLong(q: readonly string[]): boolean {
  let content = 0;
  for (let i = 0; i < q.length; i++) if (!STOP_WORDS.has(q[i])) content++;
  return content > LONG_SUBJECT;
}

/** Content words in q[from..to), at least one: how far a word said lies from the match. */
export function countContent(q: readonly string[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!STOP_WORDS.has(q[i])) n++;
  return Math.max(1, n);
}

// ——— Candidate search

/**
 * Finding the stations a subject may mean: the pieces of the subject that match
 * name words, which of them are too common to search by, and the edges (a piece
 * meeting a word of a station's name) that score() weighs. All rows go into the scratch x.
 */

const MAX_SPAN = 3;
/** Longer joins are not one mis-split word. */
const MAX_JOINED = 16;

/** Every (piece of the subject, name word) pair that may match, in subject order, into x's found rows; returns how many. */
export function findPieces(x: Scratch, core: NameVocabulary, q: readonly string[]): number {
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
          nFound = found(x, nFound, i, j, vid, j === i ? sim0 : sim0 * (j - i === 1 ? 0.97 : 0.93));
        }
      } else {
        const vid = core.exactId(span);
        if (vid < 0 || core.vocab[vid].pair) continue;
        x.found(nFound + 1);
        nFound = found(x, nFound, i, j, vid, 1 * (j - i === 1 ? 0.97 : 0.93));
      }
    }
  }
  return nFound;
}

function found(x: Scratch, f: number, i: number, j: number, vid: number, sim: number): number {
  x.fI[f] = i;
  x.fJ[f] = j;
  x.fVid[f] = vid;
  x.fSim[f] = sim;
  return f + 1;
}

/** Marks each found row common or not (see candidates()); true when some row is not. */
export function markCommon(x: Scratch, core: NameVocabulary, nFound: number, commonAt: number): boolean {
  const { fI, fJ, fVid, fSim, fCommon } = x;
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
export function markRareStations(x: Scratch, core: NameVocabulary, nFound: number): number {
  const { fVid, fCommon } = x;
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
 * made; returns how many stations were touched (x.touched, first-touched order).
 */
export function collectEdges(x: Scratch, core: NameVocabulary, nFound: number, rare: boolean, mark: number): number {
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
      edge(x, core, e, si, p, fI[f], fJ[f], fSim[f]);
    }
  }
  return nTouched;
}

function edge(x: Scratch, core: NameVocabulary, e: number, si: number, p: Posting, qs: number, qe: number, sim: number): void {
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

function isCommon(core: NameVocabulary, vid: number, commonAt: number): boolean {
  return core.postingsOf(vid).length > commonAt || STOP_WORDS.has(core.vocab[vid].text);
}

function allKnown(q: readonly string[], i: number, j: number, core: NameVocabulary): boolean {
  for (let k = i; k <= j; k++) if (!core.isWord(q[k])) return false;
  return true;
}

// ——— Candidate order

/** Stable merge sort of x.order[0..n) by raw, then recall, highest first. */
export function sortOrder(x: Scratch, n: number): void {
  const { raw, recall } = x;
  let a = x.order;
  let b = x.orderTmp;
  // Runs of 8 by insertion, then bottom-up merges.
  const RUN = 8;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const v = a[i];
      let k = i;
      while (k > lo && after(raw, recall, a[k - 1], v) > 0) {
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
      while (i < mid && j < hi) b[k++] = after(raw, recall, a[i], a[j]) > 0 ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    const t = a;
    a = b;
    b = t;
  }
  if (a !== x.order) for (let i = 0; i < n; i++) x.order[i] = a[i];
}

/** > 0 when touched slot j goes before slot i: the comparator the candidates were sorted with. */
function after(raw: Float64Array, recall: Float64Array, i: number, j: number): number {
  return raw[j] - raw[i] || recall[j] - recall[i];
}
