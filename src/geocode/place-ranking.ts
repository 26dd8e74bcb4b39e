import { distanceM } from '../domain/geo.js';
import type { Place } from '../domain/place.js';
import { normaliseKey } from './normalise.js';

export interface ScoredPlace {
  place: Omit<Place, 'confidence'>;
  score: number;
  /** The whole name was said: only another exact name can rival it. */
  exact?: boolean;
  /** Outside the docking network: `score` is already lowered, `unpenalised` is the name match alone. */
  far?: boolean;
  unpenalised?: number;
}

/** A namesake outside the network does not rival one inside, but it leaves a little doubt. */
const FAR_RIVAL_FACTOR = 0.9;

/**
 * Places that answer to the whole phrase (an exact name, a postcode, coordinates).
 * The chain lets no partial match elsewhere be surer than these: if "the green"
 * names eight parks, a "Green Street" is not the confident answer.
 */
const exactPlaces = new WeakSet<Place>();

export function markExact<P extends Place>(p: P): P {
  exactPlaces.add(p);
  return p;
}

export function isExact(p: Place): boolean {
  return exactPlaces.has(p);
}

/** Same name within this distance: one place listed twice (tube and rail halves of Bethnal Green). */
const SAME_PLACE_M = 1000;
/** A rival this far from the best is a different place, and the name alone cannot choose. */
const RIVAL_M = 800;
const RIVAL_SCORE_RATIO = 0.92;

/**
 * Turns name scores into places with a calibrated confidence: a name shared by
 * places far apart ("The Green" ×8) is never confident, however well it matched.
 */
export function rankPlaces(cands: readonly ScoredPlace[], opts: { near?: { lat: number; lon: number }; limit?: number } = {}): Place[] {
  // On equal scores a station comes first: it is the point people mean by a shared name.
  const sorted = cands.slice().sort((a, b) => b.score - a.score || Number(b.place.kind === 'station') - Number(a.place.kind === 'station'));
  const kept: ScoredPlace[] = [];
  const keys: string[] = [];
  for (const c of sorted) {
    const key = normaliseKey(c.place.name);
    const dup = kept.some((k, i) => keys[i] === key && distanceM(k.place.lat, k.place.lon, c.place.lat, c.place.lon) < SAME_PLACE_M);
    if (!dup) {
      kept.push(c);
      keys.push(key);
    }
  }
  if (kept.length === 0) return [];
  const top = kept[0];
  let tied = kept.filter((k) => (top.exact ? k.exact && k.score >= top.score * RIVAL_SCORE_RATIO : k.score >= top.score * RIVAL_SCORE_RATIO));
  const near = opts.near;
  if (near && tied.length > 1) {
    // Where a person is (or the city they asked about) breaks a tie between namesakes.
    tied = tied.slice().sort((a, b) => distanceM(near.lat, near.lon, a.place.lat, a.place.lon) - distanceM(near.lat, near.lon, b.place.lat, b.place.lon));
    const rest = kept.filter((k) => !tied.includes(k));
    kept.splice(0, kept.length, ...tied, ...rest);
  }
  const first = kept[0];
  const rivals = tied.filter((k) => k !== first && distanceM(k.place.lat, k.place.lon, first.place.lat, first.place.lon) > RIVAL_M).length;
  const raw = (k: ScoredPlace) => k.unpenalised ?? k.score;
  const farRival =
    !first.far &&
    kept.some((k) => k.far && (!first.exact || k.exact) && raw(k) >= raw(first) * RIVAL_SCORE_RATIO && distanceM(k.place.lat, k.place.lon, first.place.lat, first.place.lon) > RIVAL_M);
  const factor = (rivals === 0 ? 1 : rivals === 1 ? 0.6 : 0.4) * (farRival ? FAR_RIVAL_FACTOR : 1);
  const out: Place[] = [];
  for (const [i, k] of kept.slice(0, opts.limit ?? 5).entries()) {
    const conf = i === 0 ? first.score * factor : Math.min(k.score * factor, first.score * factor) * 0.95;
    const place: Place = { ...k.place, confidence: Math.round(Math.max(0, Math.min(1, conf)) * 1000) / 1000 };
    out.push(k.exact ? markExact(place) : place);
  }
  return out;
}
