import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StationResolver } from '../../src/domain/understand/station-resolver.js';
import { StationIndex } from '../../src/domain/station-index.js';
import { fixtureIndex, fixtureStations, OBSERVED } from './fixtures.js';

const resolver = StationResolver.forIndex(fixtureIndex());

function top(subject: string): { id: string | undefined; verdict: string; ids: string[] } {
  const r = resolver.resolve(subject);
  return { id: r.matches[0]?.station.id, verdict: r.verdict, ids: r.matches.map((m) => m.station.id) };
}

test('exact and partial names resolve confidently, with or without the area', () => {
  assert.deepEqual([top('quill street clerkenwell').id, top('quill street clerkenwell').verdict], ['F_1', 'confident']);
  assert.deepEqual([top('quill street').id, top('quill street').verdict], ['F_1', 'confident']);
  assert.deepEqual([top('ambrose gardens').id, top('ambrose gardens').verdict], ['F_14', 'confident']);
  assert.deepEqual([top('city museum').id, top('city museum').verdict], ['F_15', 'confident'], 'a landmark-named station');
});

test('typos are forgiven', () => {
  for (const [q, id] of [['quil stret', 'F_1'], ['ambrose gardns clerkenwell', 'F_14'], ['knightsmead sqaure', 'F_10'], ['kelsal street fitzrovia', 'F_13']] as const) {
    const r = top(q);
    assert.equal(r.verdict, 'confident', q);
    assert.equal(r.id, id, q);
  }
});

test('speech-recognition splits, merges and sound-alikes resolve by sound', () => {
  for (const [q, id] of [['gas coin terrace bow common', 'F_7'], ['knights mead square', 'F_10'], ['pottery lane fits rovia', 'F_12'], ['ambrosegardens', 'F_14'], ['quill street clerk and well', 'F_1']] as const) {
    const r = top(q);
    assert.equal(r.id, id, q);
    assert.equal(r.verdict, 'confident', q);
  }
});

test('abbreviations and missing apostrophes', () => {
  assert.equal(top('st agness ct fitzrovia').id, 'F_6');
  assert.equal(top('saint agness court').id, 'F_6');
  assert.equal(top('gascoigne terr').id, 'F_7');
  assert.equal(top('juniper cres qeop').id, 'F_18');
  assert.equal(top('knightsmead sq').verdict, 'confident');
});

test('numbered siblings: the number chooses, no number asks', () => {
  assert.deepEqual([top('harbour station 2').id, top('harbour station 2').verdict], ['F_4', 'confident']);
  const bare = top('harbour station');
  assert.equal(bare.verdict, 'ambiguous');
  assert.deepEqual(bare.ids.slice(0, 2).sort(), ['F_3', 'F_4']);
});

test('a word shared by several names asks which one, with all of them', () => {
  const r = top('harbour');
  assert.equal(r.verdict, 'ambiguous');
  for (const id of ['F_3', 'F_4', 'F_5']) assert.ok(r.ids.includes(id), `${id} offered`);
  assert.ok(!r.ids.includes('F_17'), 'Dunmore Walk, Harbour has it only as its area');
  const b = top('bellflower road');
  assert.equal(b.verdict, 'ambiguous');
  assert.deepEqual(b.ids.slice(0, 2).sort(), ['F_8', 'F_9']);
});

test('poor matches say none, with suggestions at most', () => {
  const r = resolver.resolve('camden passage');
  assert.equal(r.verdict, 'none');
  assert.ok(r.matches.length <= 3);
  assert.equal(resolver.resolve('fitzrovia').verdict, 'none', 'an area alone names no station');
  assert.equal(resolver.resolve('').verdict, 'none');
  assert.notEqual(resolver.resolve('mill lane').verdict, 'confident', 'Mill Street and Marsh Lane each half match');
});

test('scores are calibrated: a clear match scores high, a coin toss near a half', () => {
  const sure = resolver.resolve('quill street clerkenwell').matches[0].score;
  assert.ok(sure > 0.9, `sure ${sure}`);
  const toss = resolver.resolve('harbour station').matches;
  assert.ok(toss[0].score < 0.6 && toss[0].score > 0.3, `toss ${toss[0].score}`);
});

test('the name-derived core is taken over from the index replaced when only counts change, and stations are current', () => {
  const idx1 = fixtureIndex();
  const a = StationResolver.forIndex(idx1);
  assert.equal(StationResolver.forIndex(fixtureIndex()) === a, false, 'a new index gets its own resolver');
  assert.ok(!StationResolver.forIndex(fixtureIndex()).sharesCoreWith(a), 'an unrelated index builds its own: nothing is shared through module state');
  const moved = fixtureStations().map((s) => (s.id === 'F_1' ? { ...s, bikes: 17 } : s));
  const idx2 = new StationIndex([{ feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations: moved }], [], { previous: idx1 });
  const b = StationResolver.forIndex(idx2);
  assert.equal(b.resolve('quill street').matches[0].station.bikes, 17, 'answers carry the new counts');
  assert.ok(b.sharesCoreWith(a), 'same names: the vocabulary is not rebuilt');
  const renamed = fixtureStations().map((s) => (s.id === 'F_1' ? { ...s, name: 'Quilt Street, Clerkenwell' } : s));
  const c = StationResolver.forIndex(new StationIndex([{ feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations: renamed }], [], { previous: idx2 }));
  assert.ok(!c.sharesCoreWith(a), 'a renamed station rebuilds');
  assert.equal(c.resolve('quilt street').matches[0].station.name, 'Quilt Street, Clerkenwell');
  assert.equal(StationResolver.forIndex(idx2), b, 'memoised per index');
});

test('systemId restricts the search', () => {
  const other = { ...fixtureStations()[0], id: 'chi:1', systemId: 'chi', name: 'Quill Street, Lakeview' };
  const r = StationResolver.fromStations([...fixtureStations(), other]);
  assert.equal(r.resolve('quill street', { systemId: 'chi' }).matches[0].station.id, 'chi:1');
  assert.equal(r.resolve('quill street').verdict, 'ambiguous');
});
