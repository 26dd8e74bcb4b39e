import type { StationIndex } from '../station-index.js';
import { warmCentres } from './interpret.js';
import { StationResolver } from './station-resolver.js';

/**
 * Does, once per index, the work that depends only on the station list (the
 * resolver's vocabulary, sound keys, trigram and word indexes, system centres), so
 * that the first message after a snapshot swaps in costs what every other does.
 * Call it when a new index is built, before it serves traffic; calling it again
 * for the same index is free.
 */
export function warmUnderstanding(index: StationIndex): void {
  StationResolver.forIndex(index);
  warmCentres(index);
}
