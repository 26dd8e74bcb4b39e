import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StationIndex } from '../../src/domain/station-index.js';
import { StationResolver } from '../../src/domain/understand/station-resolver.js';
import { fixtureStations, OBSERVED, st } from './fixtures.js';

const london = () => fixtureStations();
const chicago = (extra = '') => [
  // The same street name as a London dock's.
  st('chi:1', `Quill Street${extra}`, 41.88, -87.63, 5, 5, { systemId: 'chi' }),
  st('chi:2', 'Wabash Ave & Roosevelt Rd', 41.867, -87.626, 5, 5, { systemId: 'chi' }),
  st('chi:3', 'Clark St & Elm St', 41.902, -87.631, 5, 5, { systemId: 'chi' }),
];
const index = (chi = chicago(), previous?: StationIndex) =>
  new StationIndex(
    [
      { feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations: london() },
      { feedId: 'chi', systemId: 'chi', fetchedAt: OBSERVED, asOf: OBSERVED, stations: chi },
    ],
    [],
    { previous },
  );

test('each system has its own names: a scoped question searches its system only; a name in two cities is a choice', () => {
  const r = StationResolver.forIndex(index());
  assert.deepEqual(r.resolve('wabash and roosevelt', { systemId: 'chi' }).matches.map((m) => m.station.id), ['chi:2']);
  assert.equal(r.resolve('wabash and roosevelt', { systemId: 'tfl' }).matches.some((m) => m.station.systemId === 'chi'), false, 'a London question never gets a Chicago dock');
  assert.equal(r.resolve('quill street', { systemId: 'tfl' }).matches[0].station.id, 'F_1');
  const both = r.resolve('quill street');
  assert.equal(both.verdict, 'ambiguous', 'unscoped, a name found in two cities asks which');
  assert.deepEqual(new Set(both.matches.map((m) => m.station.systemId)), new Set(['tfl', 'chi']));
});

test('a new snapshot of one system rebuilds that system only; the names are built step by step, or when first asked', () => {
  const a = index();
  const ra = StationResolver.forIndex(a);
  assert.equal([...ra.buildSteps()].length, 2, 'two systems to build (steps not run: one each)');
  for (const step of ra.buildSteps()) step();
  assert.equal([...ra.buildSteps()].length, 0);
  const b = index(chicago(' (temporary)'), a);
  const rb = StationResolver.forIndex(b);
  assert.equal([...rb.buildSteps()].length, 1, 'only Chicago, whose names changed, is built again');
  assert.equal(rb.resolve('clark and elm st', { systemId: 'chi' }).matches[0].station.id, 'chi:3', 'built when first asked');
  assert.ok(!rb.sharesCoreWith(ra));
  const c = index(chicago(' (temporary)'), b);
  assert.ok(StationResolver.forIndex(c).sharesCoreWith(rb), 'new counts only: every system taken over');
});
