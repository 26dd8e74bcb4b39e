/**
 * A sound key in the spirit of Metaphone, tuned for what speech recognisers do to
 * London street names: voiced and unvoiced pairs merge (Burdett / "burr debt"),
 * vowels after the first letter vanish (Crinan / "cry nan"), and an r before a
 * consonant is silent as in British speech (Scala / "scarla").
 */
/**
 * c q → k, x → ks, z → s, v → f, d → t, b → p, g → k, j → X, in one pass: no letter
 * one of these makes is one a later one changes, so this is the eight replacements
 * in a row, without eight copies of every word of every name.
 */
function mergeLetters(w: string): string {
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i];
    switch (ch) {
      case 'c':
      case 'q':
      case 'g':
        out += 'k';
        break;
      case 'x':
        out += 'ks';
        break;
      case 'z':
        out += 's';
        break;
      case 'v':
        out += 'f';
        break;
      case 'd':
        out += 't';
        break;
      case 'b':
        out += 'p';
        break;
      case 'j':
        out += 'X';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

export function phoneticKey(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!w) return '';
  w = w.replace(/^(kn|gn|pn|wr|ps)/, (m) => m[1]).replace(/^x/, 's').replace(/^wh/, 'w');
  w = w
    .replace(/mb$/, 'm')
    .replace(/tch/g, 'ch')
    .replace(/sch/g, 'sk')
    .replace(/ph/g, 'f')
    .replace(/gh(?![aeiou])/g, '')
    .replace(/ck/g, 'k')
    .replace(/(sh|ch|sio|tio)/g, 'X')
    .replace(/th/g, '0')
    .replace(/dg(?=[eiy])/g, 'j')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/g(?=[eiy])/g, 'j');
  w = mergeLetters(w)
    .replace(/r(?=[^aeiouy]|$)/g, '')
    .replace(/([^aeiouy])h/g, '$1')
    .replace(/h(?![aeiouy])/g, '')
    .replace(/w(?![aeiouy])/g, '');
  const first = /[aeiouy]/.test(w[0]) ? 'A' : w[0];
  const rest = w.slice(1).replace(/[aeiouy]/g, '');
  let out = first;
  for (const ch of rest) if (ch !== out[out.length - 1]) out += ch;
  return out.toUpperCase();
}

/**
 * Compares words: their optimal-string-alignment distance (Damerau: a swap of neighbours
 * costs one) and how alike they are by letters and by sound. The distance runs thousands of
 * times per message and must not allocate, so it fills three rows of its own, reused from
 * call to call (grown, once, for a word longer than any seen before). Whatever runs it in a
 * loop owns one — a name vocabulary, a place index — made with the value it serves, and a
 * comparer never runs two comparisons at once (both methods are synchronous).
 */
export class WordComparer {
  private rowA = new Int32Array(64);
  private rowB = new Int32Array(64);
  private rowC = new Int32Array(64);

  /**
   * The distance, giving up early once it exceeds `max` (max + 1 then): most comparisons
   * are between unrelated words and end quickly.
   */
  distance(a: string, b: string, max = 4): number {
    const la = a.length;
    const lb = b.length;
    if (Math.abs(la - lb) > max) return max + 1;
    if (a === b) return 0;
    if (lb + 1 > this.rowA.length) {
      this.rowA = new Int32Array(lb + 1);
      this.rowB = new Int32Array(lb + 1);
      this.rowC = new Int32Array(lb + 1);
    }
    let prev2 = this.rowA;
    let prev = this.rowB;
    let cur = this.rowC;
    for (let j = 0; j <= lb; j++) prev[j] = j;
    for (let i = 1; i <= la; i++) {
      cur[0] = i;
      let rowMin = i;
      const ai = a.charCodeAt(i - 1);
      for (let j = 1; j <= lb; j++) {
        const bj = b.charCodeAt(j - 1);
        let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ai === bj ? 0 : 1));
        if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return max + 1;
      const t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    return prev[lb];
  }

  /**
   * How alike two words are, 0..1, by letters and by sound. Short words must match
   * closely: one letter wrong in a three-letter word is a different word.
   */
  similarity(a: string, b: string, keyA = phoneticKey(a), keyB = phoneticKey(b)): number {
    if (a === b) return 1;
    if (/\d/.test(a) || /\d/.test(b)) return 0;
    if (a + 's' === b || b + 's' === a) return 0.95;
    const maxLen = Math.max(a.length, b.length);
    const minLen = Math.min(a.length, b.length);
    const d = this.distance(a, b, 4);
    let letters = d > 4 ? 0 : 1 - d / maxLen;
    if (minLen <= 3) letters = d <= 1 && minLen === 3 && maxLen === 4 ? 0.75 : 0;
    else if (minLen <= 5 && d > 1) letters *= 0.85;
    let sound = 0;
    // Sound alone is weak evidence for short or very different words (park / baker share a key).
    if (keyA.length >= 2 && keyB.length >= 2 && minLen >= 5 && minLen / maxLen >= 0.75 && letters >= 0.5 && keyA[0] === keyB[0]) {
      if (keyA === keyB) sound = 0.9;
      else {
        const kd = this.distance(keyA, keyB, 2);
        if (kd === 1 && Math.min(keyA.length, keyB.length) >= 3) sound = 0.78;
      }
    }
    return Math.max(letters, sound);
  }
}

/**
 * Whether two words are at most one edit apart — one letter added, dropped or changed, or
 * two neighbours swapped (the comparer's distance ≤ 1) — read straight along both words,
 * with no rows to fill.
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la > lb) return sameFrom(a, i + 1, b, i);
  if (lb > la) return sameFrom(a, i, b, i + 1);
  if (i === la) return true;
  if (sameFrom(a, i + 1, b, i + 1)) return true;
  return i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && sameFrom(a, i + 2, b, i + 2);
}

/** Whether a from i on is b from j on. */
function sameFrom(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}
