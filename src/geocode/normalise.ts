/**
 * Text normalisation shared by the local geocoders, so that a name in a CSV and
 * a phrase someone typed (or a speech recogniser heard) meet in the same form.
 */

/** Words that carry no identity: dropped on both sides. */
const STOPWORDS = new Set(['the', 'of', 'and', 'at', 'in', 'on', 'a', 'an', 'near', 'by', 'to']);

/**
 * Abbreviations people type for the same word. "st" stands for both Saint and Street:
 * rather than guess which, both collapse to one token, so either reading matches.
 * Unlike domain/understand/name-words.ts (which spells words out and keeps "street"
 * apart from "st"), names are keyed here by their short forms, compass words included.
 */
const CANONICAL: Record<string, string> = {
  saint: 'st',
  street: 'st',
  str: 'st',
  road: 'rd',
  avenue: 'ave',
  av: 'ave',
  square: 'sq',
  lane: 'ln',
  place: 'pl',
  gardens: 'gdns',
  garden: 'gdns',
  gdn: 'gdns',
  terrace: 'ter',
  terr: 'ter',
  crescent: 'cres',
  court: 'ct',
  mount: 'mt',
  centre: 'ctr',
  center: 'ctr',
  theater: 'theatre',
  stn: 'station',
  hosp: 'hospital',
  uni: 'university',
  univ: 'university',
  mus: 'museum',
  intl: 'international',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  nth: 'n',
  sth: 's',
  upr: 'upper',
  lwr: 'lower',
  gt: 'great',
  grt: 'great',
  junc: 'junction',
  jct: 'junction',
};

/** [long form, canonical token] pairs, so a typo of the long form ("sqaure") still finds "sq". */
export const CANONICAL_FORMS: ReadonlyArray<readonly [string, string]> = Object.entries(CANONICAL).filter(([k, v]) => k.length > v.length);

/** Words that name what sort of place a street is: asked for, they must be matched. */
export const STREET_WORDS = new Set(['st', 'rd', 'ave', 'sq', 'ln', 'pl', 'ter', 'cres', 'row', 'way', 'hill', 'walk', 'close', 'mews', 'grove', 'drive', 'yard', 'wharf', 'quay', 'embankment', 'circus', 'bridge', 'market']);

/** Words that hint at a landmark's kind (as used in gazetteer `kind` columns). */
export const KIND_WORDS: Record<string, string> = {
  museum: 'museum',
  gallery: 'museum',
  theatre: 'theatre',
  playhouse: 'theatre',
  opera: 'theatre',
  hospital: 'hospital',
  park: 'park',
  gdns: 'park',
  common: 'park',
  heath: 'park',
  library: 'library',
  university: 'university',
  college: 'university',
  pier: 'pier',
  cemetery: 'cemetery',
  bridge: 'bridge',
  mosque: 'place_of_worship',
  church: 'place_of_worship',
  cathedral: 'place_of_worship',
  synagogue: 'place_of_worship',
  temple: 'place_of_worship',
  abbey: 'place_of_worship',
  market: 'market',
  stadium: 'stadium',
  arena: 'stadium',
  studio: 'studio',
  mandir: 'place_of_worship',
  gurdwara: 'place_of_worship',
};

/**
 * Lowercase, no accents, apostrophes dropped (so "King's" = "Kings"), other punctuation as spaces.
 * Not domain/understand's normaliseText, on purpose: names are keyed here, so "James's" loses
 * its possessive and "+" is "and", while a message keeps decimal points and minus signs
 * (coordinates) and sheds HTML and length first.
 */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // "St James's" is said and typed "St James": the possessive of a name in -s goes.
    .replace(/s['\u2018\u2019\u02bc\u02b9`\u00b4]s\b/g, 's')
    .replace(/['\u2018\u2019\u02bc\u02b9`\u00b4]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\+/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Plural and possessive "s" rarely distinguish places ("Regent's" vs "Regent",
 * "Gardens" vs "Garden"), and typed versions drop or add it at will.
 */
function stem(t: string): string {
  if (t.length >= 4 && t.endsWith('s') && !t.endsWith('ss') && !t.endsWith('us') && !t.endsWith('is')) return t.slice(0, -1);
  return t;
}

export function canonicalToken(raw: string): string {
  const c = CANONICAL[raw] ?? raw;
  return CANONICAL[stem(c)] ?? stem(c);
}

/** Tokens of a name or phrase, canonical, without stopwords. */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  for (const raw of foldText(s).split(' ')) {
    if (!raw || STOPWORDS.has(raw)) continue;
    out.push(canonicalToken(raw));
  }
  return out;
}

/** One string per phrase for cache keys and exact-name lookups. */
export function normaliseKey(s: string): string {
  return tokenize(s).join(' ');
}
