/**
 * Turns a written reply into text a speech synthesiser reads naturally. Station
 * names are written for signs ("St John's Wood Church", "Wandsworth Rd", "Elephant
 * & Castle"); read aloud as written they come out as "street johns", "are dee" or
 * "ampersand", and "SE1 7PB" as "sea one seven pub". Written replies keep their
 * compact form; only voice gets this.
 *
 * Channels may run a reply through here again (Twilio Voice, Lex), so the result of
 * toSpeech must come back unchanged from a second pass.
 */

const SMALL = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0..999 in words; larger numbers are left as digits, which synthesisers read well. */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 20) return SMALL[n];
  if (n < 100) return TENS[Math.floor(n / 10)] + (n % 10 ? '-' + SMALL[n % 10] : '');
  const rest = n % 100;
  return SMALL[Math.floor(n / 100)] + ' hundred' + (rest ? ' and ' + numberToWords(rest) : '');
}

const ORDINAL_SMALL: Record<string, string> = { one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth' };

/** 1 → "first", 22 → "twenty-second", 30 → "thirtieth". */
export function ordinalWords(n: number): string {
  const w = numberToWords(n);
  const m = /^(.*?)([a-z]+)$/.exec(w);
  if (!m) return w;
  const [, lead, last] = m;
  if (ORDINAL_SMALL[last]) return lead + ORDINAL_SMALL[last];
  if (last.endsWith('y')) return lead + last.slice(0, -1) + 'ieth';
  return lead + last + 'th';
}

const MONTHS: Record<string, string> = {
  Jan: 'January', Feb: 'February', Mar: 'March', Apr: 'April', May: 'May', Jun: 'June',
  Jul: 'July', Aug: 'August', Sep: 'September', Sept: 'September', Oct: 'October', Nov: 'November', Dec: 'December',
};

// Abbreviations that are unambiguous when they stand as a whole, capitalised word.
// A following full stop is kept: it usually ends the sentence, and a pause never hurts.
const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/\bRd\b/g, 'Road'],
  [/\bSq\b/g, 'Square'],
  [/\bAve?\b/g, 'Avenue'],
  [/\bGdns\b/g, 'Gardens'],
  [/\bLn\b/g, 'Lane'],
  [/\bPl\b/g, 'Place'],
  [/\bPk\b/g, 'Park'],
  [/\bCres\b/g, 'Crescent'],
  [/\bTerr?\b/g, 'Terrace'],
  [/\bEmb\b/g, 'Embankment'],
  [/\bStn\b/g, 'Station'],
  [/\bMt\b/g, 'Mount'],
  [/\bGt\b/g, 'Great'],
  [/\bUpr\b/g, 'Upper'],
  [/\bLwr\b/g, 'Lower'],
  [/\bBldgs?\b/g, 'Buildings'],
  [/\bHosp\b/g, 'Hospital'],
  [/\bCtre\b/g, 'Centre'],
  [/\bJct\b/g, 'Junction'],
  [/\bNr\b\.?/g, 'near'],
  [/\bapprox\b\.?/gi, 'about'],
];

/** Words after "St" that make it Street even though they are capitalised ("Liverpool St Station"). */
const AFTER_STREET = /^(Station|Stn|Underground|Tube|Overground|DLR|Bus|Stop|Market|Car|Entrance|Exit)\b/;

/**
 * "St" before a name is Saint ("St John's Wood", "St. Pancras", "St.John's"); before
 * a comma, the end, a lower-case word or a word like "Station" it is Street ("Drury
 * Lane St, Covent Garden", "Liverpool St Station").
 */
function expandSaintStreet(text: string): string {
  return text.replace(/\bSt\b(\.?)(\s*)(?=(\S*))/g, (_m, dot: string, space: string, nextWord: string) => {
    // A space before the next word, whatever was there ("St.John's"); none before punctuation.
    const gap = /^[\w']/.test(nextWord) ? ' ' : space;
    if (/^[A-Z]/.test(nextWord) && !AFTER_STREET.test(nextWord)) return `Saint${gap}`;
    // Street: a sentence's full stop stays.
    return `Street${dot}${gap}`;
  });
}

/** Letters one by one, so "SE1" is "S E 1" and never "see one" or "SEone"; "NW10" is "N W 10". */
const spell = (s: string): string => (s.toUpperCase().match(/\d+|[A-Z]/g) ?? []).join(' ');

// A full postcode ("SE1 7PB", "sw34sr", "EC1A 1BB") and a district on its own ("N1", "SE1", "W1J").
const POSTCODE = /(?<![\w-])([A-Za-z]{1,2}\d[A-Za-z\d]?)\s?(\d[A-Za-z]{2})(?![\w-])/g;
const DISTRICT = /(?<![\w-])([A-Za-z]{1,2}\d{1,2}[A-Za-z]?)(?![\w-])/g;
const ORDINAL_SUFFIX = /^\d+(st|nd|rd|th)$/i;

/** Any other token that glues letters to digits ("abc123"): the runs apart, each read its own way. */
function unglue(token: string): string {
  if (ORDINAL_SUFFIX.test(token)) return token;
  return token.replace(/(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/g, ' ');
}

/** Capitalised abbreviations read letter by letter; spaced out so no synthesiser tries a word. */
const INITIALISMS = /\b(?:[B-DF-HJ-NP-TV-XZ]{2,4}|LSBU|LMU|UCL|LSE|UK|USA)\b/g;

const REGNAL: Record<string, string> = { II: 'the Second', III: 'the Third', IV: 'the Fourth', VI: 'the Sixth', VII: 'the Seventh', VIII: 'the Eighth' };

// Phrases said in other words, keeping a capital at the start of a sentence. A caller
// answers by speaking, not by texting; "e.g." and "i.e." are said as what they mean.
const SAID_IN_WORDS: Array<[RegExp, string]> = [
  [/\b[Rr]eply with a number(?= (?:from|between)\b)/g, 'say a number'],
  [/\b[Rr]eply with a number\b/g, 'say the number'],
  [/\b[Rr]eply 1 if so\b/g, 'say one if so'],
  [/\b[eE]\.g\.?,?(?=\s|$)/g, 'for example'],
  [/\b[iI]\.e\.,?(?=\s|$)/g, 'that is'],
];

export function toSpeech(text: string): string {
  // Lines are a visual device; spoken, each line is a sentence.
  let s = text.replace(/([.?!:;,])?[ \t]*\n\s*/g, (_m, p: string | undefined) => (p ? `${p} ` : '. '));
  // Sign-writing spaces before commas ("Soho Square , Soho").
  s = s.replace(/[ \t]+,/g, ',');
  for (const [re, words] of SAID_IN_WORDS) s = s.replace(re, (m) => (/^[A-Z]/.test(m) ? words[0].toUpperCase() + words.slice(1) : words));
  s = expandSaintStreet(s).replace(/ {2,}/g, ' ');
  for (const [re, word] of ABBREVIATIONS) s = s.replace(re, word);
  s = s.replace(/\b([A-Z][a-z]+) (II|III|IV|VI|VII|VIII)\b/g, (_m, name: string, num: string) => `${name} ${REGNAL[num]}`);
  s = s.replace(/\s*&\s*/g, ' and ');
  // e-bikes: "ee bikes" is how people say it; "e-bikes" is often read "e dash bikes".
  s = s.replace(/\be-?bikes?\b/gi, (m) => (m.toLowerCase().endsWith('s') ? 'e bikes' : 'e bike'));
  // Dates: "on 1 Aug" is "on the first of August".
  s = s.replace(/\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?/g, (_m, d: string, mon: string) => `the ${ordinalWords(Number(d))} of ${MONTHS[mon]}`);
  // Units after numbers.
  s = s.replace(/(\d+(?:\.\d+)?)\s*km\b/g, (_m, n: string) => `${n} kilometre${n === '1' ? '' : 's'}`);
  s = s.replace(/(\d+(?:\.\d+)?)\s*m\b/g, (_m, n: string) => `${n} metre${n === '1' ? '' : 's'}`);
  s = s.replace(/(\d+)\s*mins?\b(\s+walk\b)?/g, (_m, n: string, walk: string | undefined) => {
    if (walk) return n === '1' ? "1 minute's walk" : `${n} minutes' walk`;
    return `${n} minute${n === '1' ? '' : 's'}`;
  });
  // Postcodes and anything else that glues letters to digits.
  s = s.replace(POSTCODE, (_m, out: string, inw: string) => `${spell(out)}, ${spell(inw)}`);
  s = s.replace(DISTRICT, (m) => (ORDINAL_SUFFIX.test(m) ? m : spell(m)));
  s = s.replace(/(?<![\w-])[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*(?![\w-])/g, unglue);
  s = s.replace(INITIALISMS, spell);
  // Numbered list items "1) " read as "Option one, ".
  s = s.replace(/(^|\s)(\d{1,2})\)\s*/g, (_m, pre: string, n: string) => `${pre}Option ${numberToWords(Number(n))}: `);
  // Clock times and decimals stay digits ("14:02" is read as a time); other small
  // integers become words. Digits spelled out beside single letters ("S E 1, 7 P B")
  // stay digits: they are read one by one, as a postcode is said.
  s = s.replace(/(?<![\w:.])(?<!\b[A-Z] )(\d{1,3})(?![\w:]|\.\d)(?!,? [A-Z]\b)/g, (_m, n: string) => numberToWords(Number(n)));
  // Brackets and slashes are not spoken; a pause reads better. A spaced slash joins two
  // streets ("Drummond / de Maisonneuve", a corner), an unspaced one two choices.
  s = s.replace(/\s*\(\s*/g, ', ').replace(/\s*\)\s*/g, ', ').replace(/ \/ /g, ' and ').replace(/\s*\/\s*/g, ' or ');
  s = s.replace(/,\s*([.,;:!?])/g, '$1').replace(/,\s*$/, '').replace(/^,\s*/, '');
  // "4 docks are out of order." became "four docks …": a sentence still starts with a capital.
  s = s.replace(/([.!?]\s+)([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase());
  return s.replace(/\s{2,}/g, ' ').trim();
}
