import type { Place } from '../place.js';
import type { Station } from '../station.js';
import { distanceM } from '../geo.js';
import type { InterpretDeps } from './interpret.js';
import { PLACE_KIND_WORDS } from './dock-name-words.js';
import { STOP_WORDS, canonicalWords } from './name-words.js';

/** Asking the geocoders what a subject names, and how sure a place must be to stand for it. */

/**
 * A place must be at least this sure to be used instead of a docking-station name. At 0.45 a verb
 * heard as an area ("can you sing" → King's Cross, 0.47) was searched around; no place question of
 * the eval sets and fixtures is lost at 0.5.
 */
const PLACE_MIN = 0.5;
/** A gazetteer name that explains the whole subject beats a dock name that explains only part of it. */
export const PLACE_OVERRIDES = 0.8;
/** A gazetteer place this sure is what a phrase names, even when a dock's name contains the phrase. */
export const PLACE_EXACT = 0.95;
/** Or, when the words name a kind of place ("palace"), this much surer of it than of the dock's own street. */
const PLACE_BEATS_STREET = 0.05;
/** A landmark a dock is named after lies this close to it; a namesake farther off is another place. */
const NAMESAKE_NEAR_M = 2000;
/** Places the station-name geocoder derives from the docks themselves: no evidence against a dock. */
export const DOCK_DERIVED_SOURCE = 'station-areas';

async function lookup(deps: InterpretDeps, subject: string, near?: { lat: number; lon: number }): Promise<Place[]> {
  try {
    const places = await deps.geocoder.lookup(subject, { signal: deps.signal, near });
    return places.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  } catch {
    // A failing live geocoder must not hide what the station names can answer.
    return [];
  }
}

/**
 * Among places the geocoder is equally sure of, a transit station when the words
 * say so ("wapping station"). Otherwise the geocoder's order stands: for a bare
 * area word its named point (often the station the area is known by) sits nearer
 * where people mean than the docks' centre, which leans to where the docks are.
 */
function preferKind(places: Place[], transit: boolean): Place | undefined {
  const top = places[0];
  if (!top || !transit || top.kind === 'station') return top;
  return places.find((p) => p.kind === 'station' && p.confidence >= top.confidence - 1e-9) ?? top;
}

export async function bestPlace(deps: InterpretDeps, subject: string, near?: { lat: number; lon: number }, transit = false): Promise<Place | null> {
  return (await placeReading(deps, subject, near, transit)).place;
}

/** A second reading this close to the chosen place is as good a reading of the words. */
const READING_MARGIN = 0.1;

/**
 * The best place, and whether the geocoder read the words as the dock's own name as
 * well as it read them as that place: "hyde park corneer" is the tube station Hyde Park
 * Corner, and (near the centre) Wellington Arch, by nearly the same confidence: the dock
 * Hyde Park Corner is what they say.
 */
export async function placeReading(deps: InterpretDeps, subject: string, near?: { lat: number; lon: number }, transit = false, dock?: Station): Promise<{ place: Place | null; namesDock: boolean }> {
  const places = await lookup(deps, subject, near);
  const p = preferKind(places, transit);
  if (!p || p.confidence < PLACE_MIN) return { place: null, namesDock: false };
  return { place: p, namesDock: dock !== undefined && places.some((q) => q.confidence >= p.confidence - READING_MARGIN && namesDock(q, dock)) };
}

/** The place's name is the dock's street part ("Maida Vale" for "Maida Vale, Maida Vale"). */
export function namesDock(p: Place, dock: Station): boolean {
  // The same words in any order ("University of Westminster" for the dock Westminster University).
  const content = (s: string) => [...new Set(canonicalWords(s).filter((w) => !STOP_WORDS.has(w)))].sort().join(' ');
  return content(p.name) === content(dock.name.split(',')[0]);
}

/**
 * A named place the gazetteer is sure of (or, when the words name a kind of place,
 * surer of than of the dock's own street), near the dock: a namesake across town
 * ("The Albany" for Albany Street) is not what a dock's name points at.
 */
export async function namedPlace(deps: InterpretDeps, subject: string, words: readonly string[], dock: Station, near: { lat: number; lon: number } | undefined): Promise<Place | null> {
  const places = await lookup(deps, subject, near);
  const fromDocks = places.filter((p) => p.source === DOCK_DERIVED_SOURCE).reduce((m, p) => Math.max(m, p.confidence), 0);
  const p = places.find((q) => q.source !== DOCK_DERIVED_SOURCE);
  if (!p) return null;
  if (dock.lat !== null && dock.lon !== null && distanceM(p.lat, p.lon, dock.lat, dock.lon) > NAMESAKE_NEAR_M) return null;
  const kindSaid = words.some((w) => PLACE_KIND_WORDS.has(w));
  if (p.confidence >= PLACE_EXACT || (kindSaid && p.confidence >= PLACE_OVERRIDES && p.confidence >= fromDocks + PLACE_BEATS_STREET)) return p;
  return null;
}
