import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distanceM } from '../domain/geo.js';
import { isStationKind, parseGazetteer, type GazetteerEntry } from './gazetteer.js';
import { normaliseKey } from './normalise.js';

/**
 * The gazetteer shipped with BikeBot (data/gazetteer/ at the package root). The
 * path is relative to this module, so it holds under tsx (src/geocode/) and when
 * built (dist/geocode/) alike.
 */
export const BUILTIN_GAZETTEER_FILES: readonly URL[] = [new URL('../../data/gazetteer/london-landmarks.csv', import.meta.url)];

/** Same name within this distance: one place listed in two files. */
const SAME_PLACE_M = 300;

/** Loads the built-in files; one that is missing (a trimmed install) is skipped, not fatal. */
export function loadBuiltinGazetteer(files: readonly URL[] = BUILTIN_GAZETTEER_FILES): GazetteerEntry[] {
  const out: GazetteerEntry[] = [];
  for (const url of files) {
    let text: string;
    try {
      text = readFileSync(fileURLToPath(url), 'utf8');
    } catch {
      continue;
    }
    const base = url.pathname.split('/').pop() ?? 'builtin.csv';
    for (const e of parseGazetteer(text, `builtin:${base}`)) out.push(e);
  }
  return out;
}

function keysOf(e: GazetteerEntry): string[] {
  const out = new Set<string>();
  for (const n of [e.name, ...e.aliases]) {
    const k = normaliseKey(n);
    if (k) out.add(k);
  }
  return [...out];
}

/**
 * Adds `extra` rows (the built-in gazetteer) to `primary` rows (the user's files).
 * A row naming the same place as a primary row (a shared normalised name or alias,
 * within 300 m) is merged into it rather than listed twice: the primary row keeps
 * its point, and gains the extra row's names, kinds and postcode(s). Stations and
 * landmarks are never merged (Oval station is not The Oval). When the extra row
 * lists the primary's name as an alias, the place was renamed: the new name shows.
 */
export function mergeGazetteers(primary: readonly GazetteerEntry[], extra: readonly GazetteerEntry[], sameM = SAME_PLACE_M): GazetteerEntry[] {
  const out = primary.map((e) => ({ ...e, aliases: e.aliases.slice(), kinds: e.kinds.slice() }));
  const byKey = new Map<string, number[]>();
  const index = (i: number) => {
    for (const k of keysOf(out[i])) {
      let l = byKey.get(k);
      if (!l) byKey.set(k, (l = []));
      if (!l.includes(i)) l.push(i);
    }
  };
  for (let i = 0; i < out.length; i++) if (!out[i].kinds.includes('postcode_district')) index(i);
  for (const x of extra) {
    const xStation = isStationKind(x.kinds);
    let into = -1;
    for (const k of keysOf(x)) {
      for (const i of byKey.get(k) ?? []) {
        // A station is not the landmark it is named after (Oval station, The Oval).
        if (isStationKind(out[i].kinds) !== xStation) continue;
        if (distanceM(out[i].lat, out[i].lon, x.lat, x.lon) <= sameM) {
          into = i;
          break;
        }
      }
      if (into >= 0) break;
    }
    if (into < 0) {
      out.push({ ...x, aliases: x.aliases.slice(), kinds: x.kinds.slice() });
      index(out.length - 1);
      continue;
    }
    const p = out[into];
    const pKey = normaliseKey(p.name);
    const renamed = normaliseKey(x.name) !== pKey && x.aliases.some((a) => normaliseKey(a) === pKey);
    const names = renamed ? [x.name, p.name, ...p.aliases, ...x.aliases] : [p.name, ...p.aliases, x.name, ...x.aliases];
    const seen = new Set<string>();
    const kept: string[] = [];
    for (const n of names) {
      const k = normaliseKey(n);
      if (!k || seen.has(k)) continue;
      seen.add(k);
      kept.push(n);
    }
    p.name = kept[0];
    p.aliases = kept.slice(1);
    for (const k of x.kinds) if (!p.kinds.includes(k)) p.kinds.push(k);
    if (!p.postcode && x.postcode) p.postcode = x.postcode;
    else if (x.postcode && x.postcode !== p.postcode && !p.otherPostcodes?.includes(x.postcode)) p.otherPostcodes = [...(p.otherPostcodes ?? []), x.postcode];
    index(into);
  }
  return out;
}
