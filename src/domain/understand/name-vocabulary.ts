import { phoneticKey, WordComparer } from './phonetic.js';
import { STOP_WORDS, splitStationName, type NameWord } from './name-words.js';
import { SoundIndex } from './sound-match.js';
import { firstReading } from './pronounce.js';

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

/** Stations per step of a build in steps (NameVocabulary.steps): 10–30 ms a step on 5,000-station systems. */
const STEP_STATIONS = 500;
/** Distinct words read aloud (pronounced) per step of the same. */
const STEP_READINGS = 150;

/** The word tables a build fills: vocabulary, its postings, and the trigram and sound-key indexes over it. */
interface Tables {
  vocab: VocabEntry[];
  vocabId: Map<string, number>;
  postings: Posting[][];
  trigramIndex: Map<string, number[]>;
  keyIndex: Map<string, number[]>;
}

/** Everything derived from the station names alone: shared by every index with the same names. */
export class NameVocabulary {
  readonly ids: string[];
  readonly words: readonly (readonly NameWord[])[];
  readonly wordWeight: number[][];
  readonly vocab: VocabEntry[];
  private readonly vocabId: Map<string, number>;
  private readonly postings: Posting[][];
  private readonly trigramIndex: Map<string, number[]>;
  private readonly keyIndex: Map<string, number[]>;
  private readonly spanMemo = new Map<string, Float64Array>();
  /** Compares a span with the vocabulary's words (its rows are this vocabulary's own). */
  private readonly comparer = new WordComparer();
  /** Scratch station marks for the resolver (one generation per query), see nextMark(). */
  readonly marks: Int32Array;
  /** The names' phonemes, for the sound witness. */
  readonly sound: SoundIndex;
  private markGen = 0;
  /** Scratch trigram counts, one per vocabulary word, always left zeroed. */
  private counts: Int32Array;

  private constructor(ids: string[], words: readonly (readonly NameWord[])[], wordWeight: number[][], t: Tables, sound: SoundIndex) {
    this.ids = ids;
    this.words = words;
    this.wordWeight = wordWeight;
    this.vocab = t.vocab;
    this.vocabId = t.vocabId;
    this.postings = t.postings;
    this.trigramIndex = t.trigramIndex;
    this.keyIndex = t.keyIndex;
    this.counts = new Int32Array(t.vocab.length);
    this.marks = new Int32Array(ids.length);
    this.sound = sound;
  }

  /** The vocabulary of these names, built at once (see steps()). */
  static of(stations: readonly { id: string; name: string }[]): NameVocabulary {
    const steps = NameVocabulary.steps(stations);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * The same built in steps: each next() does a few hundred names' worth (splitting
   * them, posting their words, reading their words aloud), so that a server building
   * a 5,000-station system (60–170 ms at once) between requests holds the event loop
   * for one step at a time. The result is the same as of()'s.
   */
  static *steps(stations: readonly { id: string; name: string }[]): Generator<void, NameVocabulary, void> {
    const ids = stations.map((s) => s.id);
    const words: (readonly NameWord[])[] = [];
    for (let i = 0; i < stations.length; i++) {
      if (i > 0 && i % STEP_STATIONS === 0) yield;
      words.push(splitStationName(stations[i].name));
    }
    yield;
    const df = new Map<string, number>();
    for (const ws of words) for (const w of new Set(ws.map((x) => x.text))) df.set(w, (df.get(w) ?? 0) + 1);
    const n = Math.max(1, stations.length);
    // Each name word's idf once (df counts every name word), not once per occurrence.
    const idfOf = new Map<string, number>();
    for (const [w, count] of df) idfOf.set(w, Math.log(1 + n / count));
    const idf = (w: string) => idfOf.get(w) as number;
    const wordWeight = words.map((ws) => ws.map((w) => (STOP_WORDS.has(w.text) ? STOP_WEIGHT : isNumber(w.text) ? NUMBER_WEIGHT : idf(w.text))));
    yield;
    const t: Tables = { vocab: [], vocabId: new Map(), postings: [], trigramIndex: new Map(), keyIndex: new Map() };
    for (let si = 0; si < words.length; si++) {
      if (si > 0 && si % STEP_STATIONS === 0) yield;
      const ws = words[si];
      for (let pos = 0; pos < ws.length; pos++) {
        const w = ws[pos];
        post(t, w.text, idf(w.text), false, { station: si, pos, len: 1 });
        const next = ws[pos + 1];
        if (next && next.part === w.part && !isNumber(next.text) && !isNumber(w.text)) {
          post(t, w.text + next.text, Math.max(idf(w.text), idf(next.text)), true, { station: si, pos, len: 2 });
        }
      }
    }
    // The words the sound index reads aloud (its costly part), a few per step; it then takes them as read.
    const readings = new Map<string, number[]>();
    for (const ws of words) {
      for (const w of ws) {
        if (w.optional || readings.has(w.text)) continue;
        if (readings.size % STEP_READINGS === 0) yield;
        readings.set(w.text, firstReading(w.text));
      }
    }
    yield;
    return new NameVocabulary(ids, words, wordWeight, t, new SoundIndex(words, wordWeight, { readings }));
  }

  /** A fresh mark for `marks`: stations marked with an older one count as unmarked. */
  nextMark(): number {
    if (this.markGen >= 0x3fffffff) {
      this.marks.fill(0);
      this.markGen = 0;
    }
    return ++this.markGen;
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
        const sim = this.comparer.similarity(span, v.text, key, v.key);
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

/** Posts a name word (or two written as one) of a station into the tables. */
function post(t: Tables, text: string, idf: number, pair: boolean, p: Posting): void {
  let id = t.vocabId.get(text);
  if (id === undefined) {
    id = t.vocab.length;
    t.vocab.push({ text, key: phoneticKey(text), idf, pair });
    t.vocabId.set(text, id);
    t.postings.push([]);
    // Each trigram lists the word once: a repeated trigram of this word finds it last in its list.
    const padded = `^${text}$`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const g = padded.slice(i, i + 3);
      let list = t.trigramIndex.get(g);
      if (!list) t.trigramIndex.set(g, (list = []));
      if (list[list.length - 1] !== id) list.push(id);
    }
    const key = t.vocab[id].key;
    let klist = t.keyIndex.get(key);
    if (!klist) t.keyIndex.set(key, (klist = []));
    klist.push(id);
  } else if (!pair && t.vocab[id].pair) {
    // Same literal as above: one object shape for every entry keeps the resolver's reads monomorphic.
    const v = t.vocab[id];
    t.vocab[id] = { text: v.text, key: v.key, idf, pair: false };
  }
  t.postings[id].push(p);
}
