import type { Station } from '../station.js';
import type { Candidate } from './resolve-verdict.js';

/** Every Candidate is made here, so that they share one object shape. */
export function candidate(station: Station, recall: number, precision: number, raw: number, areaMatched: boolean, spelling = raw, sound = 0): Candidate {
  return { station, recall, precision, raw, areaMatched, spelling, sound };
}
// The first Candidate fixes the shape's number fields as doubles: had it been a whole
// 0 or 1, the first fraction would change the shape under code already optimised for it.
candidate({} as Station, 0.5, 0.5, 0.5, false, 0.5, 0.5);
