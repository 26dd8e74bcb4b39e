/**
 * A second witness for what kind of message it is: a small multinomial logistic model over
 * hashed words, word pairs and letter triples, trained (scripts/train-intents.ts) on
 * phrasings written for it, none of them in an evaluation set. The word lists in
 * intents.ts are precise but only know the words someone thought of; the model has
 * seen thousands of ways of asking and weighs words it was never told about ("is there a
 * deposit", "app keeps crashing when I unlock", "ile kosztuje przejazd"). understand.ts
 * asks it only where the lists found nothing sure, and takes its word only when it is
 * sure itself.
 *
 * Pure: the weights are a value decoded from the packed data once per brain and passed in.
 */

/** The classes, in the order of the packed weights. */
export const MODEL_LABELS = ['help', 'prices', 'problem', 'greeting', 'thanks', 'cancel', 'other_language', 'unknown', 'nearest', 'station'] as const;
export type ModelLabel = (typeof MODEL_LABELS)[number];

/**
 * How sure the model must be to overrule what the word lists found, by how much the lists
 * had to go on. Chosen with the weights (scripts/train-intents.ts), on a tune set never
 * reported as held out: a wrong override sends a station question to a canned reply.
 */
export interface Overrule {
  /** The lists found nothing they know ("unknown"). */
  nothing: number;
  /** The lists read the words as a name, with no bike, dock or place word to say so. */
  bareName: number;
  /** Only a near phrase ("where can I … in Camden") made the lists read a place to search near; no bike, dock or station word. */
  nearOnly: number;
  /** A bike, dock or place word made the lists read a station question. */
  stationWord: number;
  /** The lists read a name and the model says the message is about something else entirely ("unknown"). */
  notAName: number;
  /** The lists matched a phrase of a service intent (prices, problem, help). */
  phrase: number;
  /**
   * The lists read a name, the model another intent, and the name turned out to name nothing
   * (no station, place or suggestion): the model's intent is answered instead of "I couldn't find".
   */
  nothingFound: number;
}

export interface PackedIntentModel {
  overrule: Overrule;
  /** log2 of the hash space. */
  bits: number;
  /** One int8 weight per class and kept bucket is this many units of the real weight. */
  scale: number;
  labels: readonly string[];
  /** Kept buckets, ascending, as little-endian uint32, base64. */
  buckets: string;
  /** int8 weights, labels.length per kept bucket, in bucket order, base64; the bias row is bucket 0. */
  weights: string;
}

export interface IntentGuess {
  label: ModelLabel;
  /** The model's probability for label, in [0, 1]. */
  p: number;
  /** Probability of the station class (a question about a named station or place). */
  station: number;
}

/** FNV-1a over UTF-16 code units, fed a piece at a time: stable across runs and platforms, no allocation. */
const FNV_OFFSET = 0x811c9dc5;
function fnvChar(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
/** The hash state after each feature's prefix: constants of the feature scheme. */
const AFTER_U = fnv(FNV_OFFSET, 'u|');
const AFTER_B = fnv(FNV_OFFSET, 'b|');
const AFTER_C = fnv(FNV_OFFSET, 'c|');
const AFTER_N = fnv(FNV_OFFSET, 'n|');
const LETTERS = fnv(FNV_OFFSET, 'x|letters');
const SPACE = 32;
const LT = 60;
const GT = 62;

/** Most words a message is read by. */
const MAX_WORDS = 40;

function allDigits(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return t.length > 0;
}

/**
 * The features of a message, by name: each word, each pair of neighbouring words (with the
 * message's start and end), each letter triple of each word, and whether the raw text had
 * letters English does not write. For tests and diagnostics: the model hashes the same
 * names as it reads the words (writeFeatures), without building them.
 */
export function intentFeatureNames(raw: string, toks: readonly string[]): string[] {
  const out: string[] = [];
  const n = Math.min(toks.length, MAX_WORDS);
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    out.push(`u|${t}`);
    out.push(`b|${i === 0 ? '^' : toks[i - 1]} ${t}`);
    const w = `<${t}>`;
    if (t.length >= 2 && !allDigits(t)) for (let j = 0; j + 3 <= w.length; j++) out.push(`c|${w.slice(j, j + 3)}`);
  }
  if (n > 0) out.push(`b|${toks[n - 1]} $`);
  out.push(`n|${Math.min(n, 8)}`);
  if (hasForeignLetters(raw)) out.push('x|letters');
  return out;
}

function hasForeignLetters(raw: string): boolean {
  return /[^\x00-\x7f]/.test(raw) && /\p{L}/u.test(raw.replace(/[a-z]/gi, ''));
}

/** How many bucket ids writeFeatures may write for these words (bias included). */
function featureBound(toks: readonly string[]): number {
  const n = Math.min(toks.length, MAX_WORDS);
  let k = 4;
  for (let i = 0; i < n; i++) k += 2 + toks[i].length;
  return k;
}

/**
 * Writes the bucket ids of a message's features (bias first) into out, and returns how
 * many: the hash of each name intentFeatureNames gives, in its order, taken over the words
 * as they stand instead of over strings built for it (a message allocates nothing here).
 * `out` must hold featureBound(toks) ids.
 */
function writeFeatures(raw: string, toks: readonly string[], mask: number, out: Int32Array): number {
  let k = 0;
  out[k++] = 0;
  const n = Math.min(toks.length, MAX_WORDS);
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    out[k++] = bucket(fnv(AFTER_U, t), mask);
    // "b|" + previous word (or "^") + " " + word
    const before = i === 0 ? fnvChar(AFTER_B, 94) : fnv(AFTER_B, toks[i - 1]);
    out[k++] = bucket(fnv(fnvChar(before, SPACE), t), mask);
    if (t.length >= 2 && !allDigits(t)) {
      // Letter triples of "<" + word + ">".
      const len = t.length + 2;
      for (let j = 0; j + 3 <= len; j++) {
        let h = AFTER_C;
        for (let c = j; c < j + 3; c++) h = fnvChar(h, c === 0 ? LT : c === len - 1 ? GT : t.charCodeAt(c - 1));
        out[k++] = bucket(h, mask);
      }
    }
  }
  if (n > 0) out[k++] = bucket(fnvChar(fnvChar(fnv(AFTER_B, toks[n - 1]), SPACE), 36), mask);
  out[k++] = bucket(fnvChar(AFTER_N, 48 + Math.min(n, 8)), mask);
  if (hasForeignLetters(raw)) out[k++] = bucket(LETTERS, mask);
  return k;
}

function bucket(h: number, mask: number): number {
  return (h >>> 0 & mask) || 1;
}

/** Bucket ids of the features (bias first). */
export function intentFeatures(raw: string, toks: readonly string[], bits: number): number[] {
  const out = new Int32Array(featureBound(toks));
  const k = writeFeatures(raw, toks, (1 << bits) - 1, out);
  return Array.from(out.subarray(0, k));
}

function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** The decoded model: a bucket → row table and the int8 rows. */
export class IntentModel {
  private readonly rowOf: Int32Array;
  private readonly rows: Int8Array;
  private readonly k: number;
  private readonly bits: number;
  private readonly scale: number;
  private readonly stationIndex: number;
  private readonly mask: number;
  /** Scratch for one guess (guess never awaits): the message's bucket ids and the class scores. */
  private ids = new Int32Array(256);
  private readonly z: Float64Array;
  readonly overrule: Readonly<Overrule>;

  constructor(packed: PackedIntentModel, overrule: Overrule = packed.overrule) {
    this.overrule = overrule;
    if (packed.labels.join() !== MODEL_LABELS.join()) throw new Error('intent model: labels do not match the code');
    this.k = packed.labels.length;
    this.bits = packed.bits;
    this.scale = packed.scale;
    const b = fromBase64(packed.buckets);
    const buckets = new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    const w = fromBase64(packed.weights);
    this.rows = new Int8Array(w.buffer, w.byteOffset, w.byteLength);
    this.rowOf = new Int32Array(1 << this.bits).fill(-1);
    for (let r = 0; r < buckets.length; r++) this.rowOf[buckets[r]] = r;
    this.stationIndex = MODEL_LABELS.indexOf('station');
    this.mask = (1 << this.bits) - 1;
    this.z = new Float64Array(this.k);
  }

  /** The likeliest class of a message, from its raw text and its normalised words. */
  guess(raw: string, toks: readonly string[]): IntentGuess {
    const k = this.k;
    const need = featureBound(toks);
    if (this.ids.length < need) this.ids = new Int32Array(Math.max(need, 2 * this.ids.length));
    const ids = this.ids;
    const nIds = writeFeatures(raw, toks, this.mask, ids);
    const z = this.z;
    z.fill(0);
    for (let f = 0; f < nIds; f++) {
      const r = this.rowOf[ids[f]];
      if (r < 0) continue;
      const o = r * k;
      for (let c = 0; c < k; c++) z[c] += this.rows[o + c];
    }
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      z[c] *= this.scale;
      if (z[c] > max) {
        max = z[c];
        best = c;
      }
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(z[c] - max);
    return { label: MODEL_LABELS[best], p: 1 / sum, station: Math.exp(z[this.stationIndex] - max) / sum };
  }

}
