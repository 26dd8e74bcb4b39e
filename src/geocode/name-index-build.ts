import { CANONICAL_FORMS, tokenize } from './normalise.js';
import type { NameDoc } from './name-doc.js';
import { GENERIC, GENERIC_COVERAGE_FACTOR } from './name-type-words.js';

/**
 * Building a NameIndex's tables, once per index: each step fills the maps the
 * index owns (so the index keeps one shape from its field declarations).
 */

/** One name or alias of a document, tokenized, with a weight per token. */
export interface Variant {
  doc: number;
  name: string;
  key: string;
  tokens: string[];
  weights: number[];
  total: number;
}

/** Every name of every doc into variants and postings; returns in how many docs each token occurs. */
export function collectVariants<T>(docs: readonly NameDoc<T>[], variants: Variant[], postings: Map<string, number[]>): Map<string, number> {
  const df = new Map<string, number>();
  docs.forEach((d, di) => {
    const seen = new Set<string>();
    for (const name of d.names) {
      const tokens = [...new Set(tokenize(name))];
      if (tokens.length === 0) continue;
      const vi = variants.length;
      const key = tokens.join(' ');
      variants.push({ doc: di, name, key, tokens, weights: [], total: 0 });
      for (const t of tokens) {
        let p = postings.get(t);
        if (!p) postings.set(t, (p = []));
        p.push(vi);
        seen.add(t);
      }
    }
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  });
  return df;
}

/** IDF of every token into idf, over n docs; returns the largest (at least 1). */
export function fillIdf(df: ReadonlyMap<string, number>, n: number, idf: Map<string, number>): number {
  let maxIdf = 1;
  for (const [t, c] of df) {
    const v = Math.log(1 + n / c);
    idf.set(t, v);
    if (v > maxIdf) maxIdf = v;
  }
  return maxIdf;
}

export function weighVariants(variants: readonly Variant[], idf: ReadonlyMap<string, number>, maxIdf: number): void {
  for (const v of variants) {
    v.weights = v.tokens.map((t) => (idf.get(t) ?? maxIdf) * (GENERIC.has(t) ? GENERIC_COVERAGE_FACTOR : 1));
    v.total = v.weights.reduce((a, b) => a + b, 0);
  }
}

/** Vocabulary (plus long forms of abbreviations) by length and by first two letters, for typo and prefix search. */
export function fillFuzzyTargets(idf: ReadonlyMap<string, number>, byLength: Map<number, string[]>, longForms: Map<string, string>, byFirstTwo: Map<string, string[]>): void {
  for (const t of idf.keys()) {
    addFuzzyTarget(byLength, longForms, t, t);
    let b = byFirstTwo.get(t.slice(0, 2));
    if (!b) byFirstTwo.set(t.slice(0, 2), (b = []));
    b.push(t);
  }
  for (const [long, short] of CANONICAL_FORMS) if (idf.has(short)) addFuzzyTarget(byLength, longForms, long, short);
}

function addFuzzyTarget(byLength: Map<number, string[]>, longForms: Map<string, string>, form: string, token: string): void {
  if (form.length < 3) return;
  if (form !== token) longForms.set(form, token);
  let b = byLength.get(form.length);
  if (!b) byLength.set(form.length, (b = []));
  b.push(form);
}
