/**
 * Text clean-up shared by intent classification and station matching.
 * Everything is bounded: a message is cut before any regex runs, so a 10 kB
 * paste costs the same as a tweet.
 */

/** Longer than any real question; the rest is noise we refuse to scan. */
export const MAX_MESSAGE_CHARS = 400;

const HTML_TAG = /<[^>]{0,200}>/g;
/** Script and style bodies are code, not words a person said. */
const HTML_CODE = /<(script|style)\b[^>]{0,200}>[\s\S]{0,2000}?<\/\1\s*>/gi;
const HTML_ENTITY = /&(amp|lt|gt|quot|apos|nbsp|#\d{1,6});/g;
const DIACRITICS = /[\u0300-\u036f]/g;
/** Lower-case words of letters and digits, single spaces, nothing at either end: what normaliseText makes of anything. */
const CLEAN = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

function decodeEntity(_m: string, name: string): string {
  switch (name) {
    case 'amp':
      return ' and ';
    case 'nbsp':
      return ' ';
    case 'apos':
      return "'";
    default:
      return ' ';
  }
}

/**
 * Lower-case, NFKC, no tags, accents folded (fahrräder → fahrrader), apostrophes
 * dropped inside words (St John's → st johns), & spelt "and", every other
 * non-alphanumeric run (emoji, tabs, punctuation) turned into one space.
 * Decimal points and minus signs are kept so coordinates survive.
 */
export function normaliseText(raw: string): string {
  // Already clean (subjects, names said back, most system names): every step below would
  // return it unchanged, so skip the dozen copies they make.
  if (typeof raw === 'string' && raw.length <= MAX_MESSAGE_CHARS && CLEAN.test(raw)) return raw;
  let s = (typeof raw === 'string' ? raw : String(raw ?? '')).slice(0, MAX_MESSAGE_CHARS * 2);
  s = s.normalize('NFKC').replace(HTML_CODE, ' ').replace(HTML_TAG, ' ').replace(HTML_ENTITY, decodeEntity);
  s = s.normalize('NFKD').replace(DIACRITICS, '').toLowerCase();
  s = s.replace(/['’‘`´]/g, '').replace(/&/g, ' and ');
  // Keep "-0.10" and "51.52"; any other dot or dash separates words.
  s = s.replace(/[^a-z0-9.\-]+/g, ' ');
  s = s.replace(/(^|[^0-9])[.\-]+(?![0-9])/g, '$1 ').replace(/([0-9])[.\-]+(?![0-9])/g, '$1 ');
  s = s.replace(/([a-z])[.\-]+/g, '$1 ');
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > MAX_MESSAGE_CHARS ? s.slice(0, MAX_MESSAGE_CHARS).replace(/\s\S*$/, '') : s;
}

export function tokens(normalised: string): string[] {
  return normalised.length === 0 ? [] : normalised.split(' ');
}

/** The words a station or place name is made of: "St. John's Wood Road" → st johns wood road. */
export function nameTokens(name: string): string[] {
  const s = normaliseText(name);
  // Normalised text is single-spaced and trimmed already; only kept dots and dashes need splitting.
  return tokens(s.indexOf('.') < 0 && s.indexOf('-') < 0 ? s : s.replace(/[.\-]/g, ' ').replace(/\s+/g, ' ').trim());
}
