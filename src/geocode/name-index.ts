import { WordComparer } from '../domain/understand/phonetic.js';
import { KIND_WORDS, STREET_WORDS, canonicalToken } from './normalise.js';
import type { NameDoc, NameHit } from './name-doc.js';
import { collectVariants, fillFuzzyTargets, fillIdf, weighVariants, type Variant } from './name-index-build.js';
import { TYPE_CLASH_FACTOR, typeWordAt } from './name-type-words.js';
import { tokenMatch, type TokenMatch } from './token-match.js';

export type { NameDoc, NameHit } from './name-doc.js';

/** Names fully scored per lookup, after the rough pass. */
const MAX_FULL_SCORE = 60;

/**
 * A token index over place names with IDF weights and typo tolerance, shared by the
 * gazetteer and the station-area geocoders. A name's score asks two questions:
 * how much of what the person said does this name explain (recall), and how much of
 * the name did they say (coverage)? Unexplained words cost more than unsaid ones:
 * "regents park mosque" is not Regent's Park, but "old vic" is The Old Vic.
 */
export class NameIndex<T> {
  private readonly docs: NameDoc<T>[];
  private readonly variants: Variant[] = [];
  private readonly postings = new Map<string, number[]>();
  /** Typo search's distances (its rows are this index's own). */
  private readonly comparer = new WordComparer();
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  /** Vocabulary (plus long forms of abbreviations) bucketed by length, for typo search. */
  private readonly byLength = new Map<number, string[]>();
  private readonly longForms = new Map<string, string>();
  private readonly byFirstTwo = new Map<string, string[]>();
  /** Scratch accumulator, one slot per variant, zeroed after each lookup. */
  private readonly acc: Float64Array;

  constructor(docs: readonly NameDoc<T>[]) {
    this.docs = docs.slice();
    const df = collectVariants(this.docs, this.variants, this.postings);
    const maxIdf = fillIdf(df, Math.max(1, this.docs.length), this.idf);
    this.maxIdf = maxIdf;
    this.acc = new Float64Array(this.variants.length);
    weighVariants(this.variants, this.idf, maxIdf);
    fillFuzzyTargets(this.idf, this.byLength, this.longForms, this.byFirstTwo);
  }

  get size(): number {
    return this.docs.length;
  }

  /** How much a query word says: its IDF, or the most a word can say when nothing has it. */
  private weightOf(t: string): number {
    return this.idf.get(t) ?? this.maxIdf;
  }

  /** Vocabulary tokens a query token may stand for, with a similarity each. */
  private matchesFor(q: string): TokenMatch[] {
    // A correctly spelt known word is taken as meant: typo search is for unknown words only.
    if (this.idf.has(q)) return [tokenMatch(q, 1)];
    // "st jamess park": a possessive after an s ("James's") reaches here as "jamess" when its apostrophe
    // was lost before (the understanding drops apostrophes), where names are keyed without it ("james").
    if (q.length >= 5 && q.endsWith('ss')) {
      const t = canonicalToken(q.slice(0, -1));
      if (this.idf.has(t)) return [tokenMatch(t, 0.95)];
    }
    const out: TokenMatch[] = [];
    if (q.length < 4) return out;
    const maxD = q.length >= 7 ? 2 : 1;
    const seen = new Set<string>();
    for (let len = q.length - maxD; len <= q.length + maxD; len++) {
      for (const form of this.byLength.get(len) ?? []) {
        if (form.charCodeAt(0) !== q.charCodeAt(0) && form.charCodeAt(1) !== q.charCodeAt(1)) continue;
        const token = this.longForms.get(form) ?? form;
        if (seen.has(token)) continue;
        const d = this.comparer.distance(q, form, maxD);
        if (d > maxD) continue;
        seen.add(token);
        out.push(tokenMatch(token, d === 1 ? 0.85 : 0.7));
      }
    }
    // A truncated word ("portl", "kensing") is the start of what was meant.
    for (const t of this.prefixCandidates(q)) {
      if (!seen.has(t)) {
        seen.add(t);
        out.push(tokenMatch(t, 0.75));
      }
    }
    return out;
  }

  private prefixCandidates(q: string): string[] {
    const out: string[] = [];
    for (const t of this.byFirstTwo.get(q.slice(0, 2)) ?? []) if (t.length > q.length && t.startsWith(q)) out.push(t);
    return out;
  }

  /**
   * Speech recognisers split and merge words ("water loo", "kingscross"): rejoin two
   * unknown neighbours that form a known word, and split an unknown word into two known ones.
   */
  private repairTokens(tokens: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      const next = tokens[i + 1];
      if (next !== undefined && (!this.idf.has(t) || !this.idf.has(next)) && this.idf.has(t + next)) {
        out.push(t + next);
        i++;
        continue;
      }
      if (!this.idf.has(t) && t.length >= 6) {
        let split: string[] | null = null;
        for (let k = 2; k <= t.length - 2 && !split; k++) {
          const a = canonicalToken(t.slice(0, k));
          const b = canonicalToken(t.slice(k));
          if (this.idf.has(a) && this.idf.has(b)) split = [a, b];
        }
        if (split) {
          out.push(...split);
          continue;
        }
      }
      out.push(t);
    }
    return out;
  }

  /**
   * Scores names against already-tokenized query words. `kindHint` words (from
   * KIND_WORDS) count as said-and-matched when a place is of that kind.
   */
  search(queryTokens: readonly string[], opts: { limit?: number; minScore?: number } = {}): NameHit<T>[] {
    const limit = opts.limit ?? 10;
    const minScore = opts.minScore ?? 0.2;
    const q = this.repairTokens([...new Set(queryTokens)]);
    if (q.length === 0) return [];
    const qKey = q.join(' ');
    const perToken = q.map((t) => this.matchesFor(t));
    const qWeights = q.map((t, i) => {
      const m = perToken[i];
      const w = this.idf.has(t) ? this.weightOf(t) : m.length ? Math.max(...m.map((x) => this.weightOf(x.token))) : this.maxIdf;
      // A street or landmark type word the person said must be honoured ("regent st" is not Regent's Park).
      return KIND_WORDS[t] !== undefined || STREET_WORDS.has(t) ? Math.max(w, this.maxIdf * 0.35) : w;
    });
    const qTotal = qWeights.reduce((a, b) => a + b, 0);

    // Rough first pass (said weight per name from the postings), then full scoring of
    // the best few only: a common word like "park" must not cost a full score per park.
    const acc = this.acc;
    const touched: number[] = [];
    for (let i = 0; i < q.length; i++) {
      for (const { token, sim } of perToken[i]) {
        for (const vi of this.postings.get(token) ?? []) {
          if (acc[vi] === 0) touched.push(vi);
          acc[vi] += qWeights[i] * sim;
        }
      }
    }
    let candidates = touched;
    if (touched.length > MAX_FULL_SCORE) {
      candidates = touched.slice().sort((a, b) => acc[b] - acc[a]).slice(0, MAX_FULL_SCORE);
    }
    for (const vi of touched) acc[vi] = 0;
    const best = new Map<number, { score: number; vi: number; exact: boolean }>();
    for (const vi of candidates) {
      const v = this.variants[vi];
      const doc = this.docs[v.doc];
      const covered = new Array<number>(v.tokens.length).fill(0);
      let said = 0;
      let kindMissed = false;
      let streetMissed = false;
      for (let i = 0; i < q.length; i++) {
        let s = 0;
        for (const { token, sim } of perToken[i]) {
          if (sim <= s) continue;
          const j = v.tokens.indexOf(token);
          if (j >= 0) {
            s = sim;
            if (sim > covered[j]) covered[j] = sim;
          }
        }
        const kind = KIND_WORDS[q[i]];
        // "old vic theatre" is The Old Vic, a theatre; but "british museum" is not the British Library.
        if (s < 0.9 && kind !== undefined && doc.kinds.includes(kind) && !v.tokens.some((t) => KIND_WORDS[t] !== undefined && KIND_WORDS[t] !== kind)) s = 0.9;
        if (s < 0.5) {
          const tw = typeWordAt(q, i);
          if (tw === 'kind') kindMissed = true;
          else if (tw === 'street') streetMissed = true;
        }
        said += qWeights[i] * s;
      }
      // A street word unmatched clashes only with a name of another type ("Regent's Park",
      // "Regent's Row"); "kennington rd" may still be near the area "Kennington".
      const streetClash = streetMissed && v.tokens.some((t, j) => typeWordAt(v.tokens, j) !== null && !q.includes(t));
      const recall = qTotal > 0 ? said / qTotal : 0;
      let cov = 0;
      for (let j = 0; j < v.tokens.length; j++) cov += v.weights[j] * covered[j];
      const coverage = v.total > 0 ? cov / v.total : 0;
      const exact = v.key === qKey;
      let score = exact ? 1 : recall ** 1.5 * coverage ** 0.6;
      if (!exact && kindMissed) score *= TYPE_CLASH_FACTOR;
      if (!exact && streetClash) score *= TYPE_CLASH_FACTOR;
      if (score > 0.97 && !exact) score = 0.97;
      const prev = best.get(v.doc);
      if (!prev || score > prev.score) best.set(v.doc, { score, vi, exact });
    }
    const hits: NameHit<T>[] = [];
    for (const [di, { score, vi, exact }] of best) {
      if (score >= minScore) hits.push({ item: this.docs[di].item, score, matched: this.variants[vi].name, exact });
    }
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, limit);
  }
}
