/**
 * Synthetic ways of saying every station's name: a stress set far larger than
 * the dev set, built from the names alone with a fixed seed, so the resolver is
 * judged on all 792 names and not fitted to a hundred sentences.
 */
import type { Station } from '../../src/domain/station.js';

export interface NameVariant {
  station: Station;
  text: string;
  style: 'street' | 'street+area' | 'typo' | 'split' | 'merge' | 'abbrev' | 'lowercase-no-punct';
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ABBREV: Array<[RegExp, string]> = [
  [/\bStreet\b/, 'St'], [/\bRoad\b/, 'Rd'], [/\bSquare\b/, 'Sq'], [/\bTerrace\b/, 'Terr'], [/\bStation\b/, 'Stn'], [/\bGardens\b/, 'Gdns'], [/\bPlace\b/, 'Pl'], [/\bAvenue\b/, 'Ave'], [/\bCourt\b/, 'Ct'], [/\bSt\. /, 'Saint '],
];

function streetOf(name: string): string {
  const parts = name.split(',');
  return (parts.length > 1 ? parts.slice(0, -1).join(' ') : name).trim();
}

function typo(word: string, r: () => number): string {
  const i = 1 + Math.floor(r() * (word.length - 2));
  const op = Math.floor(r() * 3);
  if (op === 0) return word.slice(0, i) + word.slice(i + 1); // drop
  if (op === 1) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swap
  return word.slice(0, i) + word[i] + word.slice(i); // double
}

export function nameVariants(stations: readonly Station[], seed = 7): NameVariant[] {
  const r = rng(seed);
  const out: NameVariant[] = [];
  for (const s of stations) {
    const street = streetOf(s.name).replace(/\s+/g, ' ');
    const full = s.name.replace(/\s*,\s*/g, ' ').replace(/\s+/g, ' ');
    out.push({ station: s, text: street, style: 'street' });
    out.push({ station: s, text: full, style: 'street+area' });
    out.push({ station: s, text: full.toLowerCase().replace(/[^a-z0-9 ]/g, ''), style: 'lowercase-no-punct' });
    const words = street.split(' ');
    const longest = words.reduce((a, b) => (b.replace(/\W/g, '').length > a.replace(/\W/g, '').length ? b : a), '');
    const clean = longest.replace(/\W/g, '');
    if (clean.length >= 6) {
      out.push({ station: s, text: full.replace(longest, typo(clean, r)), style: 'typo' });
      const cut = 2 + Math.floor(r() * (clean.length - 4));
      out.push({ station: s, text: full.replace(longest, `${clean.slice(0, cut)} ${clean.slice(cut)}`), style: 'split' });
    }
    if (words.length >= 2 && words[0].length + words[1].length <= 14 && !/\d/.test(words[0] + words[1])) {
      out.push({ station: s, text: full.replace(`${words[0]} ${words[1]}`, `${words[0]}${words[1]}`), style: 'merge' });
    }
    const ab = ABBREV.find(([re]) => re.test(full));
    if (ab) out.push({ station: s, text: full.replace(ab[0], ab[1]), style: 'abbrev' });
  }
  return out;
}

/** Stations whose street part is the same as this one's once numbers and directions are ignored: asking is right. */
export function siblingsOf(s: Station, all: readonly Station[]): Set<string> {
  const key = (n: string) => streetOf(n).toLowerCase().replace(/\(.*?\)|\b(north|south|east|west|central|\d+)\b|[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim();
  const k = key(s.name);
  return new Set(all.filter((o) => key(o.name) === k).map((o) => o.id));
}
