/**
 * Turns a written reply into text a speech synthesiser reads naturally. Station
 * names are written for signs ("St John's Wood Church", "Wandsworth Rd", "Elephant
 * & Castle"); read aloud as written they come out as "street johns", "are dee" or
 * "ampersand". Written replies keep their compact form; only voice gets this.
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

// Abbreviations that are unambiguous when they stand as a whole word.
const ABBREVIATIONS: Array<[RegExp, string]> = [
  [/\bRd\b\.?/g, 'Road'],
  [/\bSq\b\.?/g, 'Square'],
  [/\bAve?\b\.?/g, 'Avenue'],
  [/\bGdns\b\.?/g, 'Gardens'],
  [/\bLn\b\.?/g, 'Lane'],
  [/\bPk\b\.?/g, 'Park'],
  [/\bCres\b\.?/g, 'Crescent'],
  [/\bTerr?\b\.?/g, 'Terrace'],
  [/\bEmb\b\.?/g, 'Embankment'],
  [/\bStn\b\.?/g, 'Station'],
  [/\bMt\b\.?/g, 'Mount'],
  [/\bNr\b\.?/g, 'near'],
  [/\bapprox\b\.?/gi, 'about'],
];

/**
 * "St" before a name is Saint ("St John's Wood", "St. Pancras"); after a word and
 * before a comma or the end it is Street ("Drury St, Covent Garden").
 */
function expandSaintStreet(text: string): string {
  return text.replace(/\bSt\b\.?(?=(\s*)(\S?))/g, (_m, _space: string, next: string, offset: number, whole: string) => {
    const before = whole.slice(0, offset);
    const afterWord = /[A-Za-z']\s+$/.test(before) && !/\b(at|to|from|near|by|and|of|in|the)\s+$/i.test(before);
    const nextIsName = /[A-Z]/.test(next ?? '');
    if (nextIsName && !afterWord) return 'Saint';
    if (afterWord && !nextIsName) return 'Street';
    return nextIsName ? 'Saint' : 'Street';
  });
}

export function toSpeech(text: string): string {
  // Lines are a visual device; spoken, each line is a sentence.
  let s = text.replace(/([.?!:;,])?[ \t]*\n\s*/g, (_m, p: string | undefined) => (p ? `${p} ` : '. '));
  s = s.replace(/\bReply with a number\b/g, 'Say a number').replace(/\bReply 1 if so\b/g, 'Say one if so');
  s = s.replace(/\be\.g\.,?/g, 'for example');
  s = expandSaintStreet(s);
  for (const [re, word] of ABBREVIATIONS) s = s.replace(re, word);
  s = s.replace(/\s*&\s*/g, ' and ');
  // e-bikes: "ee bikes" is how people say it; "e-bikes" is often read "e dash bikes".
  s = s.replace(/\be-?bikes?\b/gi, (m) => (m.toLowerCase().endsWith('s') ? 'e bikes' : 'e bike'));
  // Units after numbers.
  s = s.replace(/(\d+(?:\.\d+)?)\s*km\b/g, (_m, n: string) => `${n} kilometre${n === '1' ? '' : 's'}`);
  s = s.replace(/(\d+)\s*m\b/g, (_m, n: string) => `${n} metre${n === '1' ? '' : 's'}`);
  s = s.replace(/(\d+)\s*min\b/g, (_m, n: string) => `${n} minute`);
  // Numbered list items "1) " read as "Option one, ".
  s = s.replace(/(^|\s)(\d{1,2})\)\s*/g, (_m, pre: string, n: string) => `${pre}Option ${numberToWords(Number(n))}: `);
  // Clock times stay digits ("14:02" is read as a time); other small integers become words.
  // Digits inside a word stay as they are: "SE1 7PB" is read letter by letter, not "SE one".
  s = s.replace(/(?<![\w:.])(\d{1,3})(?![\w:]|\.\d)/g, (_m, n: string) => numberToWords(Number(n)));
  // Brackets and slashes are not spoken; a pause reads better.
  s = s.replace(/\s*\(\s*/g, ', ').replace(/\s*\)\s*/g, ', ').replace(/\s*\/\s*/g, ' or ');
  s = s.replace(/,\s*([.,;:!?])/g, '$1').replace(/,\s*$/, '');
  return s.replace(/\s{2,}/g, ' ').trim();
}
