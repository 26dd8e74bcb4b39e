import { STOP_WORDS } from './name-words.js';
import type { NameVocabulary, Posting } from './name-vocabulary.js';
import { scratch } from './resolver-scratch.js';

/**
 * Finding the stations a subject may mean: the pieces of the subject that match
 * name words, which of them are too common to search by, and the edges (a piece
 * meeting a word of a station's name) that score() weighs. All rows go into scratch.
 */

const MAX_SPAN = 3;
/** Longer joins are not one mis-split word. */
const MAX_JOINED = 16;

/** Every (piece of the subject, name word) pair that may match, in subject order, into scratch's found rows; returns how many. */
export function findPieces(core: NameVocabulary, q: readonly string[]): number {
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
export function markCommon(core: NameVocabulary, nFound: number, commonAt: number): boolean {
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
export function markRareStations(core: NameVocabulary, nFound: number): number {
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
export function collectEdges(core: NameVocabulary, nFound: number, rare: boolean, mark: number): number {
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

function isCommon(core: NameVocabulary, vid: number, commonAt: number): boolean {
  return core.postingsOf(vid).length > commonAt || STOP_WORDS.has(core.vocab[vid].text);
}

function allKnown(q: readonly string[], i: number, j: number, core: NameVocabulary): boolean {
  for (let k = i; k <= j; k++) if (!core.isWord(q[k])) return false;
  return true;
}
