import type { Geocoder, Place } from '../place.js';
import type { Station } from '../station.js';
import type { StationIndex } from '../station-index.js';
import type { Interpretation, Understanding } from '../understanding.js';
import { canonicalWords } from './name-words.js';
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

function systemIdFor(index: StationIndex, hint: string | null): string | undefined {
  if (!hint) return undefined;
  const h = hint.toLowerCase();
  const sys = index.systems.find((s) => s.id.toLowerCase() === h || s.name.toLowerCase() === h || (s.aliases ?? []).some((a) => a.toLowerCase() === h));
  return sys?.id;
}

function nameHasTransitWord(name: string): boolean {
  return canonicalWords(name).some((w) => TRANSIT_WORDS.has(w));
}

async function bestPlace(deps: InterpretDeps, subject: string, near?: { lat: number; lon: number }): Promise<Place | null> {
  try {
    const places = await deps.geocoder.lookup(subject, { signal: deps.signal, near });
    const p = places[0];
    return p && p.confidence >= PLACE_MIN && Number.isFinite(p.lat) && Number.isFinite(p.lon) ? p : null;
  } catch {
    // A failing live geocoder must not hide what the station names can answer.
    return null;
  }
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
    const place = await bestPlace(deps, subject, near);
    if (place) return { kind: 'place', place };
  }

  if (res.verdict === 'confident') {
    const top = res.matches[0].station;
    const c = cands[0];
    const literal = !transit || nameHasTransitWord(top.name);
    if (literal && c.precision >= 0.97) return { kind: 'station', station: top, confidence: res.matches[0].score };
    // Part of what was said is not in the dock's name: a gazetteer name may explain it all.
    const place = await bestPlace(deps, subject, near);
    if (place && (place.confidence >= PLACE_OVERRIDES || !literal)) return { kind: 'place', place };
    if (literal) return { kind: 'station', station: top, confidence: res.matches[0].score };
    return { kind: 'choose', candidates: [top] };
  }

  if (res.verdict === 'ambiguous') {
    const opts = res.matches.map((m) => m.station);
    const literal = opts.length >= 2 && (!transit || opts.every((s) => nameHasTransitWord(s.name))) && cands[0].precision >= 0.95;
    if (literal) return { kind: 'choose', candidates: opts };
    const place = await bestPlace(deps, subject, near);
    if (place) return { kind: 'place', place };
    return { kind: 'choose', candidates: opts };
  }

  const place = await bestPlace(deps, subject, near);
  if (place) return { kind: 'place', place };
  return { kind: 'not_found', suggestions: stations(res.matches.length ? cands.slice(0, res.matches.length) : []) };
}
