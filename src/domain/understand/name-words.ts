import { nameTokens } from './normalise.js';

/**
 * Words as the resolver compares them. Abbreviations are spelt out the same way on
 * both sides (a name's "Rd" and a person's "rd" both become "road"); "saint" and
 * "st" both become "st", and "st" is allowed to stand for "street" when matching.
 */
const EXPAND: Record<string, string[]> = {
  rd: ['road'], sq: ['square'], sqr: ['square'], terr: ['terrace'], ter: ['terrace'], tce: ['terrace'], jct: ['junction'], jn: ['junction'], junc: ['junction'],
  stn: ['station'], sta: ['station'], grn: ['green'], ct: ['court'], crt: ['court'], ave: ['avenue'], av: ['avenue'], pl: ['place'], gdns: ['gardens'], gdn: ['garden'],
  cres: ['crescent'], cr: ['crescent'], ln: ['lane'], mt: ['mount'], pk: ['park'], hse: ['house'], hosp: ['hospital'], mkt: ['market'], nth: ['north'], sth: ['south'],
  saint: ['st'], str: ['street'], bdg: ['bridge'], br: ['bridge'], uni: ['university'], univ: ['university'], est: ['estate'], ctr: ['centre'], cntr: ['centre'], center: ['centre'],
  qeop: ['queen', 'elizabeth', 'olympic', 'park'], qe: ['queen', 'elizabeth'], kx: ['kings', 'cross'], sobo: ['south', 'bank'], lsbu: ['lsbu'], vanda: ['victoria', 'and', 'albert'],
  stpauls: ['st', 'pauls'], stjohns: ['st', 'johns'], stjames: ['st', 'james'], stjamess: ['st', 'jamess'],
};

/** As a Map: a word like "constructor" must not find Object.prototype's. */
const EXPANSIONS = new Map(Object.entries(EXPAND));

export const STOP_WORDS = new Set(['the', 'of', 'and', 'a', 'an', 'at', 'on', 'in', 'de', 'la', 'le', 'to', 'by']);
/** Words that tell siblings apart ("Here East North"): not saying them is no mismatch. */
export const QUALIFIERS = new Set(['north', 'south', 'east', 'west', 'central', 'northbound', 'southbound', 'eastbound', 'westbound']);

/**
 * The subject's or name's words as the resolver compares them. Worked out afresh each call (a
 * message's subject is split by the resolver and again by interpret(), a few microseconds each):
 * no module-level ring of recent results, which was state shared by every caller.
 */
export function canonicalWords(text: string): readonly string[] {
  return canonicalWordsOf(text);
}

function isLetter(t: string): boolean {
  return t.length === 1 && t >= 'a' && t <= 'z';
}

function canonicalWordsOf(text: string): string[] {
  const toks = nameTokens(text);
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    let t = toks[i];
    // "V&A" arrives as "v and a": letters joined by "and" are one initialism.
    // (Bounds first: a read past the end throws the optimised code away.)
    if (isLetter(t) && i + 2 < toks.length && toks[i + 1] === 'and' && isLetter(toks[i + 2])) {
      t = `${t}and${toks[i + 2]}`;
      i += 2;
    }
    const e = EXPANSIONS.get(t);
    if (e) for (const x of e) out.push(x);
    else out.push(t);
  }
  return out;
}

export interface NameWord {
  text: string;
  /** street: before the last comma; area: after it. */
  part: 'street' | 'area';
  /** Inside parentheses ("Park Road (Baker Street)"): helps when said, costs nothing when not. */
  optional: boolean;
}

/**
 * "Park Road (Baker Street), The Regent's Park" → words with their part. A name
 * vocabulary splits each of its names once and keeps the words (NameVocabulary.words).
 */
export function splitStationName(name: string): readonly NameWord[] {
  return splitName(name);
}

function splitName(name: string): NameWord[] {
  const parts = name.split(',').map((p) => p.trim()).filter(Boolean);
  const area = parts.length > 1 ? parts[parts.length - 1] : '';
  const street = parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? '');
  const out: NameWord[] = [];
  const pushWords = (text: string, part: 'street' | 'area') => {
    for (const seg of text.split(/(\([^)]*\))/)) {
      const optional = seg.startsWith('(');
      for (const w of canonicalWordsOf(seg)) out.push({ text: w, part, optional });
    }
  };
  pushWords(street, 'street');
  if (area) pushWords(area, 'area');
  return out;
}
