import type { Geocoder, Place } from '../place.js';
import type { Station } from '../station.js';
import type { StationIndex } from '../station-index.js';
import type { Interpretation, Understanding } from '../understanding.js';
import { canonicalWords, splitStationName } from './name-words.js';
import { distanceM } from '../geo.js';
import { StationResolver, verdictOf, type Candidate } from './station-resolver.js';

export interface InterpretDeps {
  index: StationIndex;
  geocoder: Geocoder;
  /** Defaults to StationResolver.forIndex(index) (memoised per index). */
  resolver?: StationResolver;
  signal?: AbortSignal;
}

/** Words that make "X station" mean the rail or tube station, a place, rather than a dock. */
const TRANSIT_WORDS = new Set(['station', 'tube', 'underground', 'overground', 'dlr', 'rail', 'railway', 'train', 'metro', 'subway']);
/** A place must be at least this sure to be used instead of a docking-station name. */
const PLACE_MIN = 0.45;
/** A gazetteer name that explains the whole subject beats a dock name that explains only part of it. */
const PLACE_OVERRIDES = 0.8;
/** A gazetteer place this sure is what a phrase names, even when a dock's name contains the phrase. */
const PLACE_EXACT = 0.95;
/** Or, when the words name a kind of place ("palace"), this much surer of it than of the dock's own street. */
const PLACE_BEATS_STREET = 0.05;
/** A landmark a dock is named after lies this close to it; a namesake farther off is another place. */
const NAMESAKE_NEAR_M = 2000;
/** Places the station-name geocoder derives from the docks themselves: no evidence against a dock. */
const DOCK_DERIVED_SOURCE = 'station-areas';
/** Words that make a dock's name a street: "Westminster Bridge Road" is not the bridge. */
const STREET_WORDS = new Set(['road', 'street', 'lane', 'avenue', 'way', 'row', 'terrace', 'crescent', 'grove', 'place', 'close', 'walk', 'drive', 'mews', 'embankment', 'approach', 'parade']);
/** Words that say the phrase names a kind of place, not a street: "Lambeth Palace", "Albert Bridge". */
const PLACE_KIND_WORDS = new Set(['bridge', 'palace', 'museum', 'gallery', 'cathedral', 'church', 'abbey', 'chapel', 'mosque', 'temple', 'hospital', 'theatre', 'market', 'tower', 'hall', 'stadium', 'library', 'college', 'university', 'pier', 'monument', 'memorial', 'zoo', 'arena', 'centre', 'park']);

function systemIdFor(index: StationIndex, hint: string | null): string | undefined {
  if (!hint) return undefined;
  const h = hint.toLowerCase();
  const sys = index.systems.find((s) => s.id.toLowerCase() === h || s.name.toLowerCase() === h || (s.aliases ?? []).some((a) => a.toLowerCase() === h));
  return sys?.id;
}

function nameHasTransitWord(name: string): boolean {
  return canonicalWords(name).some((w) => TRANSIT_WORDS.has(w));
}

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

async function bestPlace(deps: InterpretDeps, subject: string, near?: { lat: number; lon: number }, transit = false): Promise<Place | null> {
  const p = preferKind(await lookup(deps, subject, near), transit);
  return p && p.confidence >= PLACE_MIN ? p : null;
}

/**
 * The phrase is all in a dock's name, but the name says more ("Westminster Bridge
 * Road" for "westminster bridge"), or the phrase names a kind of place the dock's
 * name does not: the literal reading may be the wrong one.
 */
function dockNameSaysMore(subjectWords: readonly string[], dockName: string): boolean {
  const said = new Set(subjectWords);
  // "st" is how both "street" and "saint" arrive.
  if (said.has('st')) said.add('street');
  const name = splitStationName(dockName);
  const street = name.filter((w) => w.part === 'street' && !w.optional).map((w) => w.text);
  if (street.some((w) => STREET_WORDS.has(w) && !said.has(w))) return true;
  const all = new Set(name.map((w) => w.text));
  return subjectWords.some((w) => PLACE_KIND_WORDS.has(w) && !all.has(w));
}

/**
 * A named place the gazetteer is sure of (or, when the words name a kind of place,
 * surer of than of the dock's own street), near the dock: a namesake across town
 * ("The Albany" for Albany Street) is not what a dock's name points at.
 */
async function namedPlace(deps: InterpretDeps, subject: string, words: readonly string[], dock: Station, near: { lat: number; lon: number } | undefined): Promise<Place | null> {
  const places = await lookup(deps, subject, near);
  const fromDocks = places.filter((p) => p.source === DOCK_DERIVED_SOURCE).reduce((m, p) => Math.max(m, p.confidence), 0);
  const p = places.find((q) => q.source !== DOCK_DERIVED_SOURCE);
  if (!p) return null;
  if (dock.lat !== null && dock.lon !== null && distanceM(p.lat, p.lon, dock.lat, dock.lon) > NAMESAKE_NEAR_M) return null;
  const kindSaid = words.some((w) => PLACE_KIND_WORDS.has(w));
  if (p.confidence >= PLACE_EXACT || (kindSaid && p.confidence >= PLACE_OVERRIDES && p.confidence >= fromDocks + PLACE_BEATS_STREET)) return p;
  return null;
}

/** Centre of the named system's stations (or of all): breaks ties between namesake places far apart. */
const centres = new WeakMap<StationIndex, Map<string, { lat: number; lon: number } | undefined>>();

function systemCentre(index: StationIndex, systemId: string | undefined): { lat: number; lon: number } | undefined {
  let memo = centres.get(index);
  if (!memo) centres.set(index, (memo = new Map()));
  const key = systemId ?? '*';
  if (!memo.has(key)) memo.set(key, computeCentre(index, systemId));
  return memo.get(key);
}

/** Computes the centres interpret() may ask for, ahead of the first message. */
export function warmCentres(index: StationIndex): void {
  systemCentre(index, undefined);
  for (const s of index.systems) systemCentre(index, s.id);
}

function computeCentre(index: StationIndex, systemId: string | undefined): { lat: number; lon: number } | undefined {
  // Several cities and none named: their middle is nowhere anyone means.
  if (systemId === undefined && new Set(index.stations.map((s) => s.systemId)).size > 1) return undefined;
  let lat = 0;
  let lon = 0;
  let n = 0;
  for (const s of index.stations) {
    if ((systemId !== undefined && s.systemId !== systemId) || s.lat === null || s.lon === null) continue;
    lat += s.lat;
    lon += s.lon;
    n++;
  }
  return n ? { lat: lat / n, lon: lon / n } : undefined;
}

function stations(cands: readonly Candidate[]): Station[] {
  return cands.map((c) => c.station);
}

/**
 * Decides what the subject of a message refers to: a docking station by name, a
 * place to search around, a choice to put to the person, or nothing known.
 * A docking station literally so named wins over a place ("Green Park Station");
 * "X station" / "X tube" otherwise means the transit station as a place.
 */
export async function interpret(u: Understanding, deps: InterpretDeps): Promise<Interpretation> {
  if (u.coordinates) {
    return { kind: 'place', place: { name: `${u.coordinates.lat}, ${u.coordinates.lon}`, lat: u.coordinates.lat, lon: u.coordinates.lon, kind: 'coordinates', source: 'message', confidence: 1 } };
  }
  const subject = u.subject?.trim();
  if (!subject) return { kind: 'not_found', suggestions: [] };
  const resolver = deps.resolver ?? StationResolver.forIndex(deps.index);
  const systemId = systemIdFor(deps.index, u.systemHint);
  const cands = resolver.candidates(subject, { systemId });
  const res = verdictOf(cands);
  const words = canonicalWords(subject);
  const transit = words.some((w) => TRANSIT_WORDS.has(w));
  const near = systemCentre(deps.index, systemId);
  const best = cands[0];

  // "bayswater", "putney": a word most stations carry as their area, and at most a
  // couple carry in their street name, means the area.
  const areaOnly = cands.filter((c) => c.recall === 0 && c.areaMatched && c.precision >= 0.95).length;
  const inStreet = cands.filter((c) => c.recall >= 0.4 && c.precision >= 0.95).length;
  if (best && best.recall < 0.9 && areaOnly >= 3 && areaOnly >= 2 * inStreet) {
    const place = await bestPlace(deps, subject, near, transit);
    if (place) return { kind: 'place', place };
  }

  if (res.verdict === 'confident') {
    const top = res.matches[0].station;
    const c = cands[0];
    const literal = !transit || nameHasTransitWord(top.name);
    if (literal && c.precision >= 0.97) {
      if (dockNameSaysMore(words, top.name)) {
        const place = await namedPlace(deps, subject, words, top, near);
        if (place) return { kind: 'place', place };
      }
      return { kind: 'station', station: top, confidence: res.matches[0].score };
    }
    // Part of what was said is not in the dock's name: a gazetteer name may explain it all.
    const place = await bestPlace(deps, subject, near, transit);
    if (place && (place.confidence >= PLACE_OVERRIDES || !literal)) return { kind: 'place', place };
    if (literal) return { kind: 'station', station: top, confidence: res.matches[0].score };
    return { kind: 'choose', candidates: [top] };
  }

  if (res.verdict === 'ambiguous') {
    const opts = res.matches.map((m) => m.station);
    const literal = opts.length >= 2 && (!transit || opts.every((s) => nameHasTransitWord(s.name))) && cands[0].precision >= 0.95;
    if (literal) return { kind: 'choose', candidates: opts };
    const place = await bestPlace(deps, subject, near, transit);
    if (place) return { kind: 'place', place };
    return { kind: 'choose', candidates: opts };
  }

  const place = await bestPlace(deps, subject, near, transit);
  if (place) return { kind: 'place', place };
  return { kind: 'not_found', suggestions: stations(res.matches.length ? cands.slice(0, res.matches.length) : []) };
}
