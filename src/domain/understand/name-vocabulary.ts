import { phoneticKey, wordSimilarity } from './phonetic.js';
import { STOP_WORDS, splitStationName, type NameWord } from './name-words.js';
import { SoundIndex } from './sound-match.js';

const MIN_SIM = 0.72;
/** Trigrams shared by more vocabulary words than this are skipped when finding candidates. */
const COMMON_GRAM = 250;
/** At most this many candidate words get the full similarity check. */
const MAX_VERIFY = 80;
export const UNKNOWN_WORD_WEIGHT = 3.5;
export const STOP_WEIGHT = 0.1;
export const NUMBER_WEIGHT = 3;

export interface VocabEntry {
  text: string;
  key: string;
  idf: number;
  /** Two adjacent name words written as one ("knightsbridge" ↔ "knights bridge"). */
  pair: boolean;
}

export interface Posting {
  station: number;
  pos: number;
  len: 1 | 2;
}

function trigrams(s: string): string[] {
  const p = `^${s}$`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= p.length; i++) out.push(p.slice(i, i + 3));
  return out;
}

const NO_MATCHES = new Float64Array(0);

export function isNumber(w: string): boolean {
  return /^\d+$/.test(w);
}

/** Everything derived from the station names alone: shared by every index with the same names. */
export class NameVocabulary {
  readonly ids: string[];
  readonly words: readonly (readonly NameWord[])[];
  readonly wordWeight: number[][];
  readonly vocab: VocabEntry[] = [];
  private readonly vocabId = new Map<string, number>();
  private readonly postings: Posting[][] = [];
  private readonly trigramIndex = new Map<string, number[]>();
  private readonly keyIndex = new Map<string, number[]>();
  private readonly spanMemo = new Map<string, Float64Array>();
  /** Scratch station marks for the resolver (one generation per query), see nextMark(). */
  readonly marks: Int32Array;
  /** The names' phonemes, for the sound witness. */
  readonly sound: SoundIndex;
  private markGen = 0;
  /** Scratch trigram counts, one per vocabulary word, always left zeroed. */
  private counts = new Int32Array(0);

  constructor(stations: readonly { id: string; name: string }[]) {
    this.ids = stations.map((s) => s.id);
    this.words = stations.map((s) => splitStationName(s.name));
    const df = new Map<string, number>();
    for (const ws of this.words) for (const w of new Set(ws.map((x) => x.text))) df.set(w, (df.get(w) ?? 0) + 1);
    const n = Math.max(1, stations.length);
    // Each name word's idf once (df counts every name word), not once per occurrence.
    const idfOf = new Map<string, number>();
    for (const [w, count] of df) idfOf.set(w, Math.log(1 + n / count));
    const idf = (w: string) => idfOf.get(w) as number;
    this.wordWeight = this.words.map((ws) => ws.map((w) => (STOP_WORDS.has(w.text) ? STOP_WEIGHT : isNumber(w.text) ? NUMBER_WEIGHT : idf(w.text))));
    for (let si = 0; si < this.words.length; si++) {
      const ws = this.words[si];
      for (let pos = 0; pos < ws.length; pos++) {
        const w = ws[pos];
        this.post(w.text, idf(w.text), false, { station: si, pos, len: 1 });
        const next = ws[pos + 1];
        if (next && next.part === w.part && !isNumber(next.text) && !isNumber(w.text)) {
          this.post(w.text + next.text, Math.max(idf(w.text), idf(next.text)), true, { station: si, pos, len: 2 });
        }
      }
    }
    this.counts = new Int32Array(this.vocab.length);
    this.marks = new Int32Array(stations.length);
    this.sound = new SoundIndex(this.words, this.wordWeight);
  }

  /** A fresh mark for `marks`: stations marked with an older one count as unmarked. */
  nextMark(): number {
    if (this.markGen >= 0x3fffffff) {
      this.marks.fill(0);
      this.markGen = 0;
    }
    return ++this.markGen;
  }

  private post(text: string, idf: number, pair: boolean, p: Posting): void {
    let id = this.vocabId.get(text);
    if (id === undefined) {
      id = this.vocab.length;
      this.vocab.push({ text, key: phoneticKey(text), idf, pair });
      this.vocabId.set(text, id);
      this.postings.push([]);
      // Each trigram lists the word once: a repeated trigram of this word finds it last in its list.
      const padded = `^${text}$`;
      for (let i = 0; i + 3 <= padded.length; i++) {
        const g = padded.slice(i, i + 3);
        let list = this.trigramIndex.get(g);
        if (!list) this.trigramIndex.set(g, (list = []));
        if (list[list.length - 1] !== id) list.push(id);
      }
      const key = this.vocab[id].key;
      let klist = this.keyIndex.get(key);
      if (!klist) this.keyIndex.set(key, (klist = []));
      klist.push(id);
    } else if (!pair && this.vocab[id].pair) {
      // Same literal as above: one object shape for every entry keeps the resolver's reads monomorphic.
      const v = this.vocab[id];
      this.vocab[id] = { text: v.text, key: v.key, idf, pair: false };
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

  /**
   * Vocabulary words like this piece of the subject, with their similarity, as
   * pairs (vocabulary id, similarity) laid flat: [id0, sim0, id1, sim1, …]. Memoised
   * per span; one number array of one kind, whatever the similarities, so that the
   * resolver's loop over it stays monomorphic.
   */
  lookup(span: string): Float64Array {
    const memo = this.spanMemo.get(span);
    if (memo) return memo;
    // Pairs as they are found: vocabulary ids and their similarities, side by side.
    const ids: number[] = [];
    const sims: number[] = [];
    const add = (id: number, sim: number) => {
      ids.push(id);
      sims.push(sim);
    };
    const exact = this.vocabId.get(span);
    if (exact !== undefined) {
      add(exact, 1);
      // A name word as it stands is no typo: only its plural or singular is as close.
      for (const alt of [`${span}s`, span.endsWith('s') ? span.slice(0, -1) : '']) {
        const id = alt ? this.vocabId.get(alt) : undefined;
        if (id !== undefined) add(id, 0.95);
      }
      // "St" is Saint or Street: either spelling may meet the other (London "St. John's", Chicago "Lake St").
      const other = span === 'st' ? 'street' : span === 'street' ? 'st' : null;
      const otherId = other ? this.vocabId.get(other) : undefined;
      if (otherId !== undefined) add(otherId, 0.95);
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
        if (sim >= MIN_SIM) add(id, sim);
      }
    } else if (span === 'st') {
      const street = this.vocabId.get('street');
      if (street !== undefined) add(street, 0.95);
    }
    // A word that is (nearly) a name word as it stands is not a typo of another one:
    // "regent" is Regent's, not Regency.
    const closeOnly = sims.some((sim) => sim >= 0.95);
    let n = 0;
    for (let k = 0; k < ids.length; k++) if (!closeOnly || sims[k] >= 0.85) n++;
    const flat = n === 0 ? NO_MATCHES : new Float64Array(n * 2);
    for (let k = 0, f = 0; k < ids.length; k++) {
      if (closeOnly && sims[k] < 0.85) continue;
      flat[f++] = ids[k];
      flat[f++] = sims[k];
    }
    if (this.spanMemo.size > 20_000) this.spanMemo.clear();
    this.spanMemo.set(span, flat);
    return flat;
  }

  clearMemo(): void {
    this.spanMemo.clear();
  }

  lookupExact(span: string): Array<[number, number]> {
    const id = this.vocabId.get(span);
    return id === undefined ? [] : [[id, 1]];
  }

  /** The vocabulary id of a word as it stands, or -1. */
  exactId(span: string): number {
    return this.vocabId.get(span) ?? -1;
  }

  isWord(w: string): boolean {
    const id = this.vocabId.get(w);
    return (id !== undefined && !this.vocab[id].pair) || STOP_WORDS.has(w);
  }

  postingsOf(id: number): Posting[] {
    return this.postings[id];
  }
}
