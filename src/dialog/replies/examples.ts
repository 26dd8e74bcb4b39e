import type { Derived, StationIndex } from '../../domain/station-index.js';
import { smsCost } from '../sms.js';
import { shortName } from './format.js';

/**
 * The examples replies teach with. "bikes near SE1 7PB" only helps someone in London:
 * a person in Chicago or Montréal is shown a real station of their own system, and no
 * UK postcode. With no data loaded at all the examples name no place.
 */
export interface Examples {
  /** A station to ask about by name ("Waterloo Station 3"), or null when none is known. */
  station: string | null;
  /** Something to ask "near" ("SE1 7PB"; elsewhere another real station), or null. */
  place: string | null;
  /** UK postcodes work here (London): replies may suggest them. */
  postcodes: boolean;
}

export const LONDON_EXAMPLES: Examples = { station: 'Waterloo Station 3', place: 'SE1 7PB', postcodes: true };
export const NEUTRAL_EXAMPLES: Examples = { station: null, place: null, postcodes: false };

/** TfL's system, under whatever id the deployment gave it. */
export function isLondonSystem(index: StationIndex, systemId: string): boolean {
  if (systemId.toLowerCase() === 'tfl') return true;
  const sys = index.systems.find((s) => s.id === systemId);
  return sys !== undefined && [sys.name, ...(sys.aliases ?? [])].some((n) => /\blondon\b/i.test(n));
}

function systemsWithStations(index: StationIndex): string[] {
  const ids: string[] = [];
  for (const snap of index.snapshots.values()) if (snap.stations.length > 0 && !ids.includes(snap.systemId)) ids.push(snap.systemId);
  return ids;
}

/** Examples per system, picked on first use: derived from the index, so they go with it. */
const EXAMPLES: Derived<Map<string, Examples>> = { name: 'reply examples', build: () => new Map() };

/**
 * Examples for the system a reply is about: the one given; else London when its data
 * is loaded; else the first system that has stations.
 */
export function examplesFor(index: StationIndex | null, systemId: string | null): Examples {
  if (!index) return NEUTRAL_EXAMPLES;
  const loaded = systemsWithStations(index);
  const id = systemId ?? loaded.find((s) => isLondonSystem(index, s)) ?? loaded[0] ?? null;
  if (id === null) return NEUTRAL_EXAMPLES;
  if (isLondonSystem(index, id) && loaded.includes(id)) return LONDON_EXAMPLES;
  const bySystem = index.derive(EXAMPLES);
  let ex = bySystem.get(id);
  if (!ex) bySystem.set(id, (ex = pickStations(index, id)));
  return ex;
}

/**
 * Two real stations of the system whose names read well in a one-segment example:
 * plain GSM-7 letters, not too short to recognise, not too long for the reply. Sorted
 * by name, so the same ones come back from one snapshot to the next.
 */
function pickStations(index: StationIndex, systemId: string): Examples {
  const names = new Set<string>();
  for (const snap of index.snapshots.values()) {
    if (snap.systemId !== systemId) continue;
    for (const s of snap.stations) {
      if (!s.installed) continue;
      const name = shortName(s.name).replace(/\s+/g, ' ').trim();
      if (name.length >= 6 && name.length <= 28 && /^[\p{L}][\p{L}' .&/-]*$/u.test(name) && !/\d/.test(name) && smsCost(name).encoding === 'gsm7') names.add(name);
    }
  }
  const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en'));
  if (sorted.length === 0) return NEUTRAL_EXAMPLES;
  // From the middle of the alphabet: the first names are often oddities ("A Test Dock").
  const mid = Math.floor(sorted.length / 2);
  const station = sorted[mid];
  const place = sorted[(mid + 1) % sorted.length];
  return { station, place, postcodes: false };
}
