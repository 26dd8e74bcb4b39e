import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { StationResolver } from '../../src/domain/understand/station-resolver.js';
import { StationIndex } from '../../src/domain/station-index.js';
import { warmUnderstanding } from '../../src/domain/understand/warm.js';
import { fixtureStations, st } from './fixtures.js';

/**
 * Many stations that share their common words ("Avenue", "Street", "and"), as a
 * Chicago-sized grid does: a message is scored against the names that share a
 * rarer word with it, and the common words still count for those.
 */
const AVENUES = ['Ashland', 'Kedzie', 'Western', 'Pulaski', 'Halsted', 'Damen', 'Racine', 'Cicero', 'Central', 'Austin', 'Laramie', 'Kostner', 'Sheffield', 'Wabash', 'Clark', 'Lincoln', 'Harlem', 'Narragansett', 'Oakley', 'California'];
const STREETS = ['Madison', 'Division', 'Chicago', 'Lake', 'Fullerton', 'Belmont', 'Addison', 'Irving Park', 'Lawrence', 'Foster', 'Devon', 'Touhy', 'Roosevelt', 'Cermak', 'Archer', 'Garfield', '47th', '55th', '63rd', '79th', '87th', '95th', '103rd', '111th', 'Willow'];

function grid() {
  const out = [];
  let n = 0;
  for (const a of AVENUES) for (const s of STREETS) out.push(st(`G_${n++}`, `${a} Ave & ${s} St`, 41.8 + n * 1e-4, -87.6));
  return out;
}

const stations = [...fixtureStations(), ...grid()];
const index = new StationIndex([{ feedId: 'g', systemId: 'tfl', fetchedAt: '2022-08-01T08:25:10Z', asOf: '2022-08-01T08:25:10Z', stations }], []);

test('a grid of shared words: the right corner, confidently; the common words alone find nothing', () => {
  const r = StationResolver.forIndex(index);
  const res = r.resolve('sheffield ave & willow st');
  assert.equal(res.verdict, 'confident');
  assert.equal(res.matches[0].station.name, 'Sheffield Ave & Willow St');
  // Only names sharing a rarer word are scored: not the 500 that say "Ave & … St".
  const cands = r.candidates('sheffield ave & willow st');
  assert.ok(cands.length < 60, `${cands.length} candidates`);
  assert.ok(cands.every((c) => /sheffield|willow/i.test(c.station.name)), cands.map((c) => c.station.name).join('; '));
  // With nothing rarer said, the common words are all there is to go on.
  assert.ok(r.candidates('ave and st').length > 400);
  // Fuzzy spellings of the rare words still find them.
  assert.equal(r.resolve('sheffeild av and wilow street').matches[0]?.station.name, 'Sheffield Ave & Willow St');
  assert.equal(r.resolve('kedzie and 63rd').matches[0]?.station.name, 'Kedzie Ave & 63rd St');
});

test('warmUnderstanding builds the resolver for an index once, ahead of the first message', () => {
  const fresh = new StationIndex([{ feedId: 'g', systemId: 'tfl', fetchedAt: '2022-08-01T08:25:10Z', asOf: '2022-08-01T08:25:10Z', stations: [...stations] }], []);
  warmUnderstanding(fresh);
  const built = StationResolver.forIndex(fresh);
  warmUnderstanding(fresh);
  assert.equal(StationResolver.forIndex(fresh), built, 'the same resolver: nothing rebuilt');
  // Time is printed, not asserted: the test machine is shared.
  const t0 = performance.now();
  for (const name of ['ashland ave & 47th st', 'quill street', 'laramie and addison']) StationResolver.forIndex(fresh).resolve(name);
  console.log(`# three asks after warmUnderstanding over ${stations.length} stations: ${(performance.now() - t0).toFixed(2)} ms`);
});
