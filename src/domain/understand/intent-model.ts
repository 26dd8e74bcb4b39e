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
  /** A bike, dock or place word made the lists read a station question. */
  stationWord: number;
  /** The lists matched a phrase of a service intent (prices, problem, help). */
  phrase: number;
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

/** FNV-1a over the UTF-16 code units: stable across runs and platforms, no allocation. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The feature strings of a message: each word, each pair of neighbouring words (with the
 * message's start and end), each letter triple of each word, and whether the raw text had
 * letters English does not write. Bucket 0 is the bias, always on.
 */
export function intentFeatureNames(raw: string, toks: readonly string[]): string[] {
  const out: string[] = [];
  const n = Math.min(toks.length, 40);
  for (let i = 0; i < n; i++) {
    const t = toks[i];
    out.push(`u|${t}`);
    out.push(`b|${i === 0 ? '^' : toks[i - 1]} ${t}`);
    const w = `<${t}>`;
    if (t.length >= 2 && !/^\d+$/.test(t)) for (let j = 0; j + 3 <= w.length; j++) out.push(`c|${w.slice(j, j + 3)}`);
  }
  if (n > 0) out.push(`b|${toks[n - 1]} $`);
  out.push(`n|${Math.min(n, 8)}`);
  if (/[^\x00-\x7f]/.test(raw) && /\p{L}/u.test(raw.replace(/[a-z]/gi, ''))) out.push('x|letters');
  return out;
}

/** Bucket ids of the features (bias first). */
export function intentFeatures(raw: string, toks: readonly string[], bits: number): number[] {
  const mask = (1 << bits) - 1;
  const ids = [0];
  for (const f of intentFeatureNames(raw, toks)) ids.push((hash(f) & mask) || 1);
  return ids;
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
  }

  /** The likeliest class of a message, from its raw text and its normalised words. */
  guess(raw: string, toks: readonly string[]): IntentGuess {
    const k = this.k;
    const z = new Float64Array(k);
    for (const id of intentFeatures(raw, toks, this.bits)) {
      const r = this.rowOf[id];
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
