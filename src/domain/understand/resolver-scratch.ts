/** Query words looked at: a longer subject keeps its last this many. */
export const MAX_QUERY_WORDS = 40;

/**
 * Scratch space for candidates(), reused across calls so that a message allocates
 * little more than the candidates it returns (the per-message garbage, not the
 * arithmetic, is what made the slowest messages slow: every few hundred messages
 * a scavenge lands in one). Each resolver over one system's names owns one set,
 * sized by that system's stations (not by every station loaded); candidates()
 * never awaits, so one set serves all of that resolver's calls.
 * "Found" pieces of the subject and "edges" (a piece meeting a word of a name)
 * are rows of parallel typed arrays; each touched station keeps its edges as a
 * linked list (head/tail/next) in the order they were made.
 */
export class Scratch {
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
  /** Where the station stands among the spelling candidates (valid where the core marks it spelled). */
  spelledAt = new Int32Array(0);
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
  /** 1 where the query word is like no word of any name: a word of the question, not of a name. */
  qStray = new Uint8Array(MAX_QUERY_WORDS);
  qSim = new Float64Array(MAX_QUERY_WORDS);
  nSim = new Float64Array(64);
  edgeOrder = new Int32Array(64);

  stations(n: number): void {
    if (this.stamp.length < n) {
      this.stamp = new Int32Array(n);
      this.head = new Int32Array(n);
      this.tail = new Int32Array(n);
      this.spelledAt = new Int32Array(n);
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
