/**
 * Which bike-share system a message is about, when several are loaded: a city or
 * system named in the text wins (it is what the person said); otherwise the system
 * whose area holds — or lies nearest to — their location. Pure: no I/O.
 */
import { distanceM } from './geo.js';
import type { Derived, StationIndex } from './station-index.js';

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export interface PickHint {
  location?: { lat: number; lon: number };
  text?: string;
}

export interface PickOptions {
  /** Beyond this distance from every system's area, no system is picked (default 50 km). */
  maxDistanceM?: number;
  /** Configured areas that replace the ones derived from station positions. */
  areas?: ReadonlyMap<string, BBox>;
}

/** Bounding box of each system's located stations, derived once per index. */
const AREAS: Derived<Map<string, BBox>> = { name: 'system areas', build: computeAreas };

export function systemAreas(index: StationIndex): Map<string, BBox> {
  return index.derive(AREAS);
}

function computeAreas(index: StationIndex): Map<string, BBox> {
  // Each part knows its own box: one pass over the parts, not over every station.
  const areas = new Map<string, BBox>();
  for (const p of index.parts) {
    if (p.box === null) continue;
    const b = areas.get(p.systemId);
    if (!b) areas.set(p.systemId, [...p.box]);
    else {
      if (p.box[0] < b[0]) b[0] = p.box[0];
      if (p.box[1] < b[1]) b[1] = p.box[1];
      if (p.box[2] > b[2]) b[2] = p.box[2];
      if (p.box[3] > b[3]) b[3] = p.box[3];
    }
  }
  return areas;
}

export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Each system's name, id and aliases, normalised once per index. */
const TERMS: Derived<{ id: string; term: string }[]> = { name: 'system terms', build: computeTerms };

function systemTerms(index: StationIndex): { id: string; term: string }[] {
  return index.derive(TERMS);
}

function computeTerms(index: StationIndex): { id: string; term: string }[] {
  const terms: { id: string; term: string }[] = [];
  for (const sys of index.systems) {
    for (const raw of [sys.name, sys.id, ...(sys.aliases ?? [])]) {
      const term = normalizeForMatch(raw);
      // Two-letter words ("la", "ny") are too often ordinary words or initials to trust alone.
      if (term.length >= 3) terms.push({ id: sys.id, term });
    }
  }
  return terms;
}

/** "London Ave", "Montreal St": a city name used as a street name says nothing about the city. */
const STREET_WORD = /^(ave|avenue|st|street|rd|road|blvd|boulevard|dr|drive|pkwy|parkway|ln|lane|ct|court|pl|place|ter|terrace|hwy|highway|way)\b/;

function namesCity(hay: string, term: string): boolean {
  let from = 0;
  for (;;) {
    const at = hay.indexOf(` ${term} `, from);
    if (at < 0) return false;
    if (!STREET_WORD.test(hay.slice(at + term.length + 2))) return true;
    from = at + 1;
  }
}

/** The system named in the text (longest name/alias/id wins; a tie between systems picks none). */
export function systemNamedIn(index: StationIndex, text: string): string | null {
  const hay = ` ${normalizeForMatch(text)} `;
  let best: { id: string; len: number } | null = null;
  let tie = false;
  for (const { id, term } of systemTerms(index)) {
    if (!namesCity(hay, term)) continue;
    if (!best || term.length > best.len) {
      tie = false;
      best = { id, len: term.length };
    } else if (term.length === best.len && best.id !== id) tie = true;
  }
  return best && !tie ? best.id : null;
}

function distanceToBoxM(lat: number, lon: number, b: BBox): number {
  const clampedLon = Math.min(Math.max(lon, b[0]), b[2]);
  const clampedLat = Math.min(Math.max(lat, b[1]), b[3]);
  return clampedLon === lon && clampedLat === lat ? 0 : distanceM(lat, lon, clampedLat, clampedLon);
}

/** The system whose area holds the point; overlapping areas are settled by the nearest station. */
export function systemAt(index: StationIndex, lat: number, lon: number, opts: PickOptions = {}): string | null {
  const derived = systemAreas(index);
  const areas = opts.areas?.size ? new Map([...derived, ...opts.areas]) : derived;
  const maxM = opts.maxDistanceM ?? 50_000;
  const inside: string[] = [];
  let nearest: { id: string; m: number } | null = null;
  for (const [id, b] of areas) {
    const m = distanceToBoxM(lat, lon, b);
    if (m === 0) inside.push(id);
    if (!nearest || m < nearest.m) nearest = { id, m };
  }
  if (inside.length === 1) return inside[0];
  if (inside.length > 1) {
    const near = index.nearest(lat, lon, { k: 1 });
    const id = near[0]?.station.systemId;
    return id !== undefined && inside.includes(id) ? id : inside[0];
  }
  return nearest && nearest.m <= maxM ? nearest.id : null;
}

export function pickSystem(index: StationIndex, hint: PickHint, opts: PickOptions = {}): string | null {
  if (hint.text) {
    const named = systemNamedIn(index, hint.text);
    if (named) return named;
  }
  if (hint.location) return systemAt(index, hint.location.lat, hint.location.lon, opts);
  return null;
}
