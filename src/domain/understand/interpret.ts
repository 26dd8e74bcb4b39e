import type { Geocoder, Place } from '../place.js';
import type { Station } from '../station.js';
import type { StationIndex } from '../station-index.js';
import type { Interpretation, Understanding } from '../understanding.js';
import { STOP_WORDS, canonicalWords } from './name-words.js';
import { StationResolver, verdictOf, type Candidate } from './station-resolver.js';
import { STREET_TYPES } from './lexicon.js';
import { PLACE_KIND_WORDS, TRANSIT_WORDS, dockNameSaysMore, nameHasTransitWord } from './dock-name-words.js';
import { DOCK_DERIVED_SOURCE, PLACE_EXACT, PLACE_OVERRIDES, bestPlace, namedPlace, namesDock, placeReading } from './place-lookup.js';
import { systemCentre, systemIdFor } from './system-scope.js';

export interface InterpretDeps {
  index: StationIndex;
  geocoder: Geocoder;
  /** Defaults to StationResolver.forIndex(index) (memoised per index). */
  resolver?: StationResolver;
  signal?: AbortSignal;
}

function stations(cands: readonly Candidate[]): Station[] {
  return cands.map((c) => c.station);
}

/** Whether more of the said words are in the place's name than in the dock's. */
function saysMoreThan(placeName: string, dockName: string, said: readonly string[]): boolean {
  const inName = (name: string): number => {
    const w = new Set(canonicalWords(name));
    return said.filter((t) => w.has(t)).length;
  };
  return inName(placeName) > inName(dockName);
}

/** A street or landmark the station-area geocoder made from the dock names themselves. */
function fromDockStreet(p: Place): boolean {
  return p.source === DOCK_DERIVED_SOURCE && p.kind !== 'area';
}

/**
 * Decides what the subject of a message refers to: a docking station by name, a
 * place to search around, a choice to put to the person, or nothing known.
 * A docking station literally so named wins over a place ("Green Park Station");
 * "X station" / "X tube" otherwise means the transit station as a place.
 */
export async function interpret(u: Understanding, deps: InterpretDeps): Promise<Interpretation> {
  const whole = await interpretWhole(u, deps);
  // "this link doesnt load at godliman street", "ar ther eny at vicrage cresent": words before an
  // "at" inside the subject that are no part of any name left the whole unfound, or a one-name
  // "did you mean". What follows the "at" is the place asked about when it alone names a station
  // outright; a place or a real choice found for the whole stands.
  // So are the words before a want word dropped from the subject, when words followed it ("ritchmond wy
  // shepards bush | any spaces to put bike bak": u.head, the name said first). Among several options for
  // the whole, the part may only settle on one of them ("ar ther eny at vicrage cresent batersea").
  const subject = u.subject?.trim() ?? '';
  if (whole.kind !== 'not_found' && whole.kind !== 'choose') return whole;
  const at = subject.lastIndexOf(' at ');
  for (const part of [at > 0 ? subject.slice(at + 4) : '', u.head ?? '']) {
    if (part === '' || part === subject) continue;
    const alone = await interpretWhole({ ...u, subject: part, lead: '', said: '', tail: '', head: undefined }, deps);
    if (alone.kind === 'station' && (whole.kind === 'not_found' || whole.candidates.some((c) => c.id === alone.station.id))) return alone;
  }
  return whole;
}

/**
 * A place the gazetteer has by exactly the words said, when no dock found holds them all:
 * "nearest bikes to cannon street" is Cannon Street station, not Canton Street or Crinan
 * Street, which the words only resemble; "westminster abbey" is the abbey, not Abbey Orchard
 * Street in Westminster, whose street and area hold the words apart. A dock whose street
 * part holds every word said keeps them ("westferry dlr", "green park station"), and a
 * place of the docks' own names is no second witness.
 */
async function placeNamedOutright(deps: InterpretDeps, subject: string, words: readonly string[], docks: readonly Station[], near: { lat: number; lon: number } | undefined, transit: boolean): Promise<Place | null> {
  const said = words.filter((w) => !STOP_WORDS.has(w) && !TRANSIT_WORDS.has(w));
  if (said.length === 0 || docks.some((d) => holdsAll(d.name.split(',')[0], said))) return null;
  const place = await bestPlace(deps, subject, near, transit);
  return place && place.confidence >= PLACE_EXACT && place.source !== DOCK_DERIVED_SOURCE && holdsAll(place.name, said) ? place : null;
}

function holdsAll(name: string, words: readonly string[]): boolean {
  const inName = new Set(canonicalWords(name));
  return words.every((w) => inName.has(w));
}

/** How many of the words said the place's name does not hold ("burry plce holborn": two, for Holborn). */
function unexplainedBy(place: Place, words: readonly string[]): number {
  const named = new Set(canonicalWords(place.name));
  // "museum at south kensington": a kind of place and a link word are explained by any place.
  return words.filter((w) => !named.has(w) && !STOP_WORDS.has(w) && !PLACE_KIND_WORDS.has(w)).length;
}

async function interpretWhole(u: Understanding, deps: InterpretDeps): Promise<Interpretation> {
  if (u.coordinates) {
    return { kind: 'place', place: { name: `${u.coordinates.lat}, ${u.coordinates.lon}`, lat: u.coordinates.lat, lon: u.coordinates.lon, kind: 'coordinates', source: 'message', confidence: 1 } };
  }
  const subject = u.subject?.trim();
  if (!subject) return { kind: 'not_found', suggestions: [] };
  const resolver = deps.resolver ?? StationResolver.forIndex(deps.index);
  const systemId = systemIdFor(deps.index, u.systemHint);
  const cands = resolver.candidates(subject, { systemId, lead: u.lead, tail: u.tail, said: u.said });
  const res = verdictOf(cands, subject);
  const words = canonicalWords(subject);
  const transit = words.some((w) => TRANSIT_WORDS.has(w));
  const near = systemCentre(deps.index, systemId);
  const best = cands[0];

  // "bayswater", "putney": a word most stations carry as their area, and at most a
  // couple carry in their street name, means the area.
  const areaOnly = cands.filter((c) => c.recall === 0 && c.areaMatched && c.precision >= 0.95).length;
  const inStreet = cands.filter((c) => c.recall >= 0.4 && c.precision >= 0.95).length;
  // Not when a street is named in the area ("st jhon street finsbury"): the street, misspelt, is what was asked.
  const streetNamed = subject.split(' ').some((w) => STREET_TYPES.has(w));
  if (best && best.recall < 0.9 && areaOnly >= 3 && areaOnly >= 2 * inStreet && !streetNamed) {
    const place = await bestPlace(deps, subject, near, transit);
    if (place) return { kind: 'place', place };
  }

  if (res.verdict === 'confident') {
    const top = res.matches[0].station;
    const c = cands[0];
    const literal = !transit || nameHasTransitWord(top.name);
    if (literal && c.precision >= 0.97) {
      const named = await placeNamedOutright(deps, subject, words, [top], near, transit);
      if (named) return { kind: 'place', place: named };
      if (dockNameSaysMore(words, top.name)) {
        const place = await namedPlace(deps, subject, words, top, near);
        if (place) return { kind: 'place', place };
      }
      return { kind: 'station', station: top, confidence: res.matches[0].score };
    }
    // Part of what was said is not in the dock's name: a gazetteer name may explain it all.
    const { place, namesDock: dockNamed } = await placeReading(deps, subject, near, transit, top);
    // "Cromer Street station", "Lisson Grove station": every word of the dock's name said, "station" added, and
    // no transit station of that name known (the place found is a street, an area or a landmark): the docking station.
    if (!literal && res.whole && c.recall >= 0.99 && (!place || place.kind !== 'station')) return { kind: 'station', station: top, confidence: res.matches[0].score };
    // Said word for word, with words around it that are no name's ("is putney pier worth trying"): the dock,
    // unless a place's name holds more of what was said ("museum of london docklands", not Museum of London).
    if (literal && res.whole && !(place && saysMoreThan(place.name, top.name, words))) return { kind: 'station', station: top, confidence: res.matches[0].score };
    // A place that is the dock's own name ("Maida Vale" the area, for the dock Maida Vale) is the dock.
    if (place && (place.confidence >= PLACE_OVERRIDES || !literal) && !(literal && dockNamed)) return { kind: 'place', place };
    if (literal) return { kind: 'station', station: top, confidence: res.matches[0].score };
    return { kind: 'choose', candidates: [top] };
  }

  if (res.verdict === 'ambiguous') {
    const opts = res.matches.map((m) => m.station);
    // Most of the leader's name unsaid ("battersea bridge" for Albert Bridge Road, Battersea Park): a place may be meant.
    const literal = opts.length >= 2 && (!transit || opts.every((s) => nameHasTransitWord(s.name))) && cands[0].precision >= 0.95 && cands[0].recall >= 0.5;
    if (literal) {
      const named = await placeNamedOutright(deps, subject, words, opts, near, transit);
      return named ? { kind: 'place', place: named } : { kind: 'choose', candidates: opts };
    }
    const place = await bestPlace(deps, subject, near, transit);
    // An area found for a street named in it ("st jhon street finsbury" → Finsbury, "burry plce holborn" → Holborn)
    // answers the area, not the street that was asked: the options are the better question.
    if (place && !fromDockStreet(place) && !(place.kind === 'area' && (streetNamed || unexplainedBy(place, words) >= 2))) return { kind: 'place', place };
    // A street the docks' names gave the geocoder is a second reading of the same names:
    // it settles the question only when it reads the leader's street.
    if (place && namesDock(place, opts[0]) && cands[0].recall >= 0.65 && cands[0].precision >= 0.75) return { kind: 'station', station: opts[0], confidence: res.confidence };
    return { kind: 'choose', candidates: opts };
  }

  const place = await bestPlace(deps, subject, near, transit);
  if (place && !(fromDockStreet(place) && res.matches.length)) return { kind: 'place', place };
  return { kind: 'not_found', suggestions: stations(res.matches.length ? cands.slice(0, res.matches.length) : []) };
}
