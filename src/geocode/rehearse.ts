import type { Station } from '../domain/station.js';
import type { GazetteerEntry } from './gazetteer.js';
import type { SyncGeocoder } from './geocoder-chain.js';

/** Sample questions per kind: enough for V8 to optimise the matching code, a few ms once. */
const SAMPLES = 48;

/**
 * Sample place questions, run once per process through the local geocoders
 * (directly, so no answer is cached): landmark and station names as said, with a
 * typo, cut short or with "station" after them; postcode districts and units;
 * the docks' areas and streets. Every branch the first real questions would take
 * then runs before V8 optimises it, so optimised code is not thrown away and
 * compiled again on a background thread while messages are being answered.
 */
export function rehearseLocal(geocoders: readonly SyncGeocoder[], entries: readonly GazetteerEntry[], stations: readonly Station[]): void {
  const queries: string[] = [];
  const named = entries.filter((e) => !e.kinds.includes('postcode_district'));
  const districts = entries.filter((e) => e.kinds.includes('postcode_district'));
  const units = entries.filter((e) => e.postcode);
  for (let k = 0; k < SAMPLES; k++) {
    const e = pick(named, k);
    if (e) {
      const name = e.name.toLowerCase();
      queries.push(name, [name, typo(name), firstWord(name), `${name} station`][k % 4]);
    }
    const d = pick(districts, k);
    if (d) queries.push(d.name.toLowerCase());
    const u = pick(units, k);
    if (u?.postcode) queries.push(u.postcode.toLowerCase());
    const s = pick(stations, k);
    if (s) {
      const comma = s.name.lastIndexOf(',');
      queries.push((comma > 0 ? s.name.slice(comma + 1) : s.name).trim().toLowerCase(), (comma > 0 ? s.name.slice(0, comma) : s.name).toLowerCase());
    }
  }
  const located = stations.find((s) => s.lat !== null && s.lon !== null);
  const near = located ? { lat: located.lat as number, lon: located.lon as number } : undefined;
  for (const [i, q] of queries.entries()) {
    for (const g of geocoders) {
      try {
        g.lookupSync(q, i % 2 === 0 && near ? { near } : {});
      } catch {
        // A rehearsal never fails the start-up; the real question will report it.
      }
    }
  }
}

function pick<T>(list: readonly T[], k: number): T | undefined {
  return list.length ? list[Math.floor((k * list.length) / SAMPLES) % list.length] : undefined;
}

function typo(s: string): string {
  return s.length >= 5 ? s.slice(0, 2) + s.slice(3) : s;
}

function firstWord(s: string): string {
  const i = s.indexOf(' ');
  return i > 0 ? s.slice(0, i) : s;
}
