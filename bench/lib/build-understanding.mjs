/**
 * One cold build of London's understanding in a fresh process, as a server does when
 * a snapshot swaps in: parse the BikePoint file, build the index, then the resolver
 * and system centres (prepareUnderstanding), then the rehearsal a server runs after.
 * Prints one JSON line of milliseconds. Run by bench/start.ts against the built dist/
 * (or the dist folder given, the one its --cli belongs to, so before/after runs compare
 * like with like).
 *
 *   node bench/lib/build-understanding.mjs <bikepoint.json> [<dist dir>]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = pathToFileURL(resolve(process.argv[3] ?? new URL('../../dist', import.meta.url).pathname)).href;
const t0 = performance.now();
const { parseBikePoints } = await import(`${dist}/feeds/tfl-parse.js`);
const { StationIndex } = await import(`${dist}/domain/station-index.js`);
const { prepareUnderstanding, warmUnderstanding, FIRST_REHEARSALS } = await import(`${dist}/domain/understand/warm.js`);
const t1 = performance.now();
const snapshot = parseBikePoints(JSON.parse(readFileSync(process.argv[2], 'utf8')), { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date() });
const t2 = performance.now();
const index = new StationIndex([snapshot]);
const t3 = performance.now();
prepareUnderstanding(index);
const t4 = performance.now();
warmUnderstanding(index, FIRST_REHEARSALS);
const t5 = performance.now();
process.stdout.write(JSON.stringify({ stations: index.size, modules: t1 - t0, parse: t2 - t1, index: t3 - t2, understanding: t4 - t3, rehearsal: t5 - t4 }) + '\n');
