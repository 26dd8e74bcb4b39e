/**
 * The shape of a UK postcode, written or read out: "SE1 7PB", "sw34sr", "GIR 0AA", outward
 * codes ("NW8", "W1"), and the same said letter by letter and digit by digit ("n w one six x
 * e"). The letters a position may hold are checked, so "sup", "999" or "A1 road" are not
 * mistaken for postcodes. Where a postcode lies is the geocoders' business; what one looks
 * like is the understanding's too (a spoken one must be run together before its letters
 * are read as compass points), so it lives here.
 */
const OUTWARD = '(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRV-Y])';
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const FULL_RE = new RegExp(`(?:^|[^A-Z0-9])(${OUTWARD}|GIR) ?(${INWARD})(?![A-Z0-9])`);
const OUTWARD_RE = new RegExp(`^${OUTWARD}$`);
const WHOLE_RE = new RegExp(`^(${OUTWARD}|GIR)(${INWARD})?$`);
/** Words around a district that say nothing more ("the nw8 area"). */
const FILLER = new Set(['THE', 'AREA', 'POSTCODE', 'DISTRICT', 'IN', 'NEAR', 'AROUND']);

export interface ParsedPostcode {
  outward: string;
  /** Absent for a district-only ask. */
  inward?: string;
}

/** A postcode written or read out, alone or in a few words ("the nw8 area"), or null. */
export function parsePostcode(text: string): ParsedPostcode | null {
  const up = text.toUpperCase().replace(/\s+/g, ' ').trim();
  const full = FULL_RE.exec(up);
  if (full) return { outward: full[1], inward: full[2] };
  const words = up.split(/[^A-Z0-9]+/).filter((w) => w && !FILLER.has(w));
  if (words.length === 1 && OUTWARD_RE.test(words[0])) return { outward: words[0] };
  return spokenPostcode(words);
}

export function formatPostcode(p: ParsedPostcode): string {
  return p.inward ? `${p.outward} ${p.inward}` : p.outward;
}

/** Digits as a caller says them: one by one ("one six"), or a district's number whole ("fourteen"). */
const SPOKEN_DIGITS: Readonly<Record<string, string>> = {
  ZERO: '0', OH: '0', ONE: '1', TWO: '2', THREE: '3', FOUR: '4', FIVE: '5', SIX: '6', SEVEN: '7', EIGHT: '8', NINE: '9',
  TEN: '10', ELEVEN: '11', TWELVE: '12', THIRTEEN: '13', FOURTEEN: '14', FIFTEEN: '15', SIXTEEN: '16', SEVENTEEN: '17', EIGHTEEN: '18', NINETEEN: '19', TWENTY: '20',
};

/**
 * A postcode read out, as a speech recogniser writes it ("n w one six x e" for NW1 6XE,
 * "e fourteen"), or null. Every word must be a single letter, a number up to 20 or its
 * name, at least one a letter and one a number, and run together they must make a
 * postcode by the strict pattern: "one way street", "a e i" or "plan b" never do. A number
 * written as digits must come with three words or more ("n w 1"): "e 1" alone is typed
 * text, seldom a postcode.
 */
function spokenPostcode(words: readonly string[]): ParsedPostcode | null {
  if (words.length < 2) return null;
  let out = '';
  let letters = 0;
  let numbers = 0;
  let named = 0;
  for (const w of words) {
    if (/^[A-Z]$/.test(w)) letters++;
    else if (SPOKEN_DIGITS[w] !== undefined) named++;
    else if (/^[0-9]{1,2}$/.test(w)) numbers++;
    else return null;
    out += SPOKEN_DIGITS[w] ?? w;
  }
  if (letters === 0 || numbers + named === 0 || (named === 0 && words.length < 3)) return null;
  const m = WHOLE_RE.exec(out);
  return m ? (m[2] ? { outward: m[1], inward: m[2] } : { outward: m[1] }) : null;
}

const SPOKEN_WORD = `(?:[a-z]|[0-9]{1,2}|${Object.keys(SPOKEN_DIGITS).join('|').toLowerCase()})`;
/** Two or more such words in a row, in normalised (lowercase, single-spaced) text. */
const SPOKEN_RUN = new RegExp(`(?<![a-z0-9])${SPOKEN_WORD}(?: ${SPOKEN_WORD})+(?![a-z0-9])`, 'g');

/**
 * Normalised text with every postcode read out in it written as one ("bikes near s e one"
 * → "bikes near se1"). A run may carry a word either side that is no part of it ("a w c
 * one n"): the longest part of a run that makes a postcode is taken.
 */
export function joinSpokenPostcodes(text: string): string {
  if (!/(?:^| )[a-z](?: |$)/.test(text)) return text;
  return text.replace(SPOKEN_RUN, (run) => {
    const words = run.split(' ');
    for (let len = words.length; len >= 2; len--) {
      for (let i = 0; i + len <= words.length; i++) {
        // "a" and "i" are the article and the pronoun ("is there a b 2 bus"); no London postcode starts with them.
        if (words[i] === 'a' || words[i] === 'i') continue;
        const p = spokenPostcode(words.slice(i, i + len).map((w) => w.toUpperCase()));
        if (p) return [...words.slice(0, i), formatPostcode(p).toLowerCase(), ...words.slice(i + len)].join(' ');
      }
    }
    return run;
  });
}
