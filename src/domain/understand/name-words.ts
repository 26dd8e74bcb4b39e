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

export const STOP_WORDS = new Set(['the', 'of', 'and', 'a', 'an', 'at', 'on', 'in', 'de', 'la', 'le', 'to', 'by']);
/** Words that tell siblings apart ("Here East North"): not saying them is no mismatch. */
export const QUALIFIERS = new Set(['north', 'south', 'east', 'west', 'central', 'northbound', 'southbound', 'eastbound', 'westbound']);

export function canonicalWords(text: string): string[] {
  const out: string[] = [];
  // "V&A" arrives as "v and a": letters joined by "and" are one initialism.
  const joined = nameTokens(text).join(' ').replace(/\b([a-z]) and ([a-z])\b/g, '$1and$2');
  for (const t of joined ? joined.split(' ') : []) {
    const e = EXPAND[t];
    if (e) out.push(...e);
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

/** "Park Road (Baker Street), The Regent's Park" → words with their part. */
export function splitStationName(name: string): NameWord[] {
  const parts = name.split(',').map((p) => p.trim()).filter(Boolean);
  const area = parts.length > 1 ? parts[parts.length - 1] : '';
  const street = parts.length > 1 ? parts.slice(0, -1).join(' ') : (parts[0] ?? '');
  const out: NameWord[] = [];
  const pushWords = (text: string, part: 'street' | 'area') => {
    for (const seg of text.split(/(\([^)]*\))/)) {
      const optional = seg.startsWith('(');
      for (const w of canonicalWords(seg)) out.push({ text: w, part, optional });
    }
  };
  pushWords(street, 'street');
  if (area) pushWords(area, 'area');
  return out;
}
