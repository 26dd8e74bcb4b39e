/**
 * Which system a turn is about, when one deployment serves several cities. The
 * person is answered from the system they are in: a city named in the message wins
 * (it is what they said), then the system around the place or location in question.
 * With a single system none of this narrows anything, so answers stay as they were.
 */
import type { Geocoder } from '../domain/place.js';
import type { Station } from '../domain/station.js';
import type { Derived, StationIndex } from '../domain/station-index.js';
import { normalizeForMatch, systemAt, systemNamedIn } from '../domain/system-pick.js';
import { systemIdFor } from '../domain/understand/system-scope.js';

const MULTI_SYSTEM: Derived<boolean> = {
  name: 'several systems',
  build(index) {
    const ids = new Set<string>();
    for (const s of index.snapshots.values()) ids.add(s.systemId);
    return ids.size > 1;
  },
};

/** More than one system has stations in this index. */
export function isMultiSystem(index: StationIndex): boolean {
  return index.derive(MULTI_SYSTEM);
}

/**
 * The system the message names: the understanding's hint first; with several systems
 * loaded, also a city named anywhere in the text ("bikes in chicago near …").
 */
export function namedSystem(index: StationIndex, hint: string | null, text: string): string | null {
  return systemIdFor(index, hint) ?? (isMultiSystem(index) ? systemNamedIn(index, text) : null);
}

/** The system whose area holds (or lies nearest to) a point; null with one system or none near. */
export function systemAtPoint(index: StationIndex, at: { lat: number; lon: number }): string | null {
  return isMultiSystem(index) ? systemAt(index, at.lat, at.lon) : null;
}

function termsOf(index: StationIndex, systemId: string): string[] {
  const sys = index.systems.find((s) => s.id === systemId);
  if (!sys) return [];
  return [sys.name, sys.id, ...(sys.aliases ?? [])]
    .map(normalizeForMatch)
    .filter((t) => t.length >= 3)
    .sort((a, b) => b.length - a.length);
}

/**
 * The subject without the city that picked the system ("clinton and madison chicago"
 * → "clinton and madison"), with a dangling "in"/"at"/"near"; null when nothing is left.
 */
export function stripCity(subject: string, index: StationIndex, systemId: string): string | null {
  let s = ` ${normalizeForMatch(subject)} `;
  const before = s;
  for (const term of termsOf(index, systemId)) s = s.split(` ${term} `).join(' ');
  if (s === before) return subject;
  const out = s.replace(/\s+/g, ' ').trim().replace(/(^|\s)(in|at|near)$/, '').trim();
  return out.length > 0 ? out : null;
}

/** Places outside the named system's area are some other city's namesakes: drop them. */
export function geocoderWithin(g: Geocoder, index: StationIndex, systemId: string): Geocoder {
  return {
    name: g.name,
    async lookup(query, opts) {
      const places = await g.lookup(query, opts);
      return places.filter((p) => systemAt(index, p.lat, p.lon) === systemId);
    },
  };
}

/** How a system is named to people: its city ("Chicago") when an alias says it, else its name. */
export function systemLabel(index: StationIndex, systemId: string): string {
  const sys = index.systems.find((s) => s.id === systemId);
  if (!sys) return systemId;
  const alias = sys.aliases?.find((a) => a.trim().length >= 3 && a.toLowerCase() !== sys.id.toLowerCase());
  if (!alias) return sys.name;
  return alias === alias.toLowerCase() ? alias.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, c: string) => sep + c.toUpperCase()) : alias;
}

/** Candidates in more than one system need the city beside each name. */
export function spansSystems(stations: readonly Station[]): boolean {
  for (const s of stations) if (s.systemId !== stations[0].systemId) return true;
  return false;
}
