/**
 * Phonemes as small integers: a name's sound is a plain byte string the aligner
 * can walk without allocating, and the packed dictionary stores one character
 * per phoneme. ARPAbet symbols, vowels first (code < VOWELS is a vowel); stress is
 * dropped, recognisers do not keep it.
 */
export const PHONEMES = [
  'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW',
  'B', 'CH', 'D', 'DH', 'F', 'G', 'HH', 'JH', 'K', 'L', 'M', 'N', 'NG', 'P', 'R', 'S', 'SH', 'T', 'TH', 'V', 'W', 'Y', 'Z', 'ZH',
] as const;
export const VOWELS = 15;
const CODE = new Map<string, number>(PHONEMES.map((p, i) => [p, i]));

export function isVowel(p: number): boolean {
  return p < VOWELS;
}

export function phonemeCode(symbol: string): number | undefined {
  return CODE.get(symbol);
}

/** "T UW1 L IY0" → codes, stress dropped; unknown symbols are skipped. */
export function parseArpabet(s: string): number[] {
  const out: number[] = [];
  for (const raw of s.trim().split(/\s+/)) {
    const c = CODE.get(raw.replace(/\d$/, ''));
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** Phonemes as ARPAbet text, for tests and diagnostics. */
export function arpabet(ps: ArrayLike<number>): string {
  return Array.from(ps, (p) => PHONEMES[p]).join(' ');
}
