import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StationIndex } from '../src/domain/station-index.js';
import { RESOLVER, StationResolver } from '../src/domain/understand/station-resolver.js';
import { understandingWarmup } from '../src/understanding-warmup.js';
import { fixtureStations, OBSERVED } from './understand/fixtures.js';

const snap = (stations = fixtureStations()) => ({ feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations });

test('the warmup prepares each index at once and holds its rehearsal until released', async () => {
  let geocoderRehearsals = 0;
  const warm = understandingWarmup({ alsoOnce: () => geocoderRehearsals++ });
  const a = new StationIndex([snap()]);
  warm(a);
  assert.ok(a.derivedIfBuilt(RESOLVER), 'the resolver is made as the index swaps in (its names built by the steps, or by the first question)');
  await new Promise((r) => setImmediate(r));
  assert.equal(geocoderRehearsals, 0, 'nothing rehearsed before release');
  warm.release();
  await warm.idle();
  assert.equal(geocoderRehearsals, 1);

  // New counts, same names: the next index takes the resolver's core over, and nothing is rehearsed again.
  const b = new StationIndex([snap(fixtureStations().map((s) => ({ ...s, bikes: 9 })))], [], { previous: a });
  warm(b);
  assert.ok(StationResolver.forIndex(b).sharesCoreWith(StationResolver.forIndex(a)));
  await warm.idle();
  assert.equal(geocoderRehearsals, 1, 'the geocoder rehearses once per process');
});


test('no rehearsal step starts while a turn is in progress; the steps go on when the last turn ends', async () => {
  let finished = 0;
  const warm = understandingWarmup({ afterEach: () => void finished++, maxHoldMs: 60_000 });
  const a = new StationIndex([snap()]);
  warm(a);
  const first = warm.turnBegins();
  const second = warm.turnBegins();
  warm.release();
  const spin = async (turns: number) => {
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  };
  await spin(20);
  assert.equal([...StationResolver.forIndex(a).buildSteps()].length, 1, 'the names are not built by the warm-up while turns are in progress');
  first();
  first(); // ending a turn twice counts once
  await spin(20);
  assert.equal([...StationResolver.forIndex(a).buildSteps()].length, 1, 'one turn is still in progress');
  second();
  await warm.idle();
  assert.equal([...StationResolver.forIndex(a).buildSteps()].length, 0, 'built once the turns ended');
  assert.equal(finished, 1);
});

test('under turns that never end, the rehearsal still moves on after the longest hold', async () => {
  let finished = 0;
  const warm = understandingWarmup({ afterEach: () => void finished++, maxHoldMs: 0 });
  warm(new StationIndex([snap()]));
  warm.turnBegins();
  warm.release();
  await warm.idle();
  assert.equal(finished, 1);
});
