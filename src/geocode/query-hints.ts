import { TRANSIT_WORDS } from '../domain/understand/dock-name-words.js';
import { tokenize } from './normalise.js';

/** Modes whose stations the gazetteer does not hold, said before "station". */
const ROAD_TRANSIT: ReadonlySet<string> = new Set(['bus', 'coach']);

export interface PlaceQuery {
  /** Identity words, without the station words. */
  tokens: string[];
  /** "X station" / "X tube" / "X overground": a rail or tube station is meant. */
  wantsStation: boolean;
}

/** Splits a place phrase into the words that name it and the hint that it is a station. */
export function parsePlaceQuery(query: string): PlaceQuery {
  const all = tokenize(query);
  const tokens: string[] = [];
  let wantsStation = false;
  for (let i = 0; i < all.length; i++) {
    const t = all[i];
    // "elizabeth line", "jubilee line": the line says station, and the line name is not the place.
    if (t === 'line' && i > 0) {
      wantsStation = true;
      continue;
    }
    // "victoria coach station", "stratford bus station": the gazetteer holds rail and tube stations, and the
    // one of the same name is where the coaches or buses stop, or a short walk from it.
    if (TRANSIT_WORDS.has(t) || (ROAD_TRANSIT.has(t) && all[i + 1] === 'station')) {
      wantsStation = true;
      continue;
    }
    tokens.push(t);
  }
  return { tokens, wantsStation };
}

/** Score factor for a candidate given the station hint: a station asked for is a station found. */
export function stationHintFactor(q: PlaceQuery, isStation: boolean): number {
  if (!q.wantsStation) return 1;
  return isStation ? 1 : 0.7;
}
