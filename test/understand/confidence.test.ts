import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidenceOf } from '../../src/domain/understand/confidence.js';
import { ANSWER_AT, verdictOf, type Candidate } from '../../src/domain/understand/verdict.js';
import { candidate } from '../../src/domain/understand/confidence.js';
import { reliabilityTable, reliabilitySvg, formatReliability } from '../../src/eval/reliability.js';
import { splitOf, stationSplit, selectSplit } from '../../src/eval/split.js';
import type { EvalCase } from '../../src/eval/eval-case.js';
import type { Station } from '../../src/domain/station.js';

const st = (id: string, name = id) => ({ id, name, systemId: 'tfl' }) as unknown as Station;
const cands = (top: number, second: number, exact = false): Candidate[] => [
  candidate(st('a'), exact ? 1 : 0.9, exact ? 1 : 0.9, top, false, top, 0),
  candidate(st('b'), 0.8, 0.9, second, false, second, 0),
];

test('confidence is monotone: stronger evidence and a bigger lead never lower it', () => {
  let prev = -1;
  for (let s = 0.3; s <= 1.0001; s += 0.05) {
    const c = confidenceOf(cands(s, 0.3));
    assert.ok(c >= prev, `strength ${s}: ${c} < ${prev}`);
    assert.ok(c >= 0 && c <= 1);
    prev = c;
  }
  prev = 2;
  for (let r = 0; r <= 0.8001; r += 0.05) {
    const c = confidenceOf(cands(0.85, r));
    assert.ok(c <= prev, `runner-up ${r}: ${c} > ${prev}`);
    prev = c;
  }
});

test('verdict: high answers, middle asks with the best few, low does not know', () => {
  const hi = verdictOf(cands(0.95, 0.4));
  assert.equal(hi.verdict, 'confident');
  assert.ok(hi.confidence >= ANSWER_AT);
  const mid = verdictOf([candidate(st('a'), 0.6, 0.7, 0.62, false, 0.62, 0), candidate(st('b'), 0.5, 0.6, 0.55, false, 0.55, 0), candidate(st('c'), 0.5, 0.6, 0.5, false, 0.5, 0)]);
  assert.equal(mid.verdict, 'ambiguous');
  assert.ok(mid.matches.length >= 2 && mid.matches.length <= 3);
  const lo = verdictOf([candidate(st('a'), 0.3, 0.4, 0.3, false, 0.3, 0), candidate(st('b'), 0.3, 0.4, 0.29, false, 0.29, 0)]);
  assert.equal(lo.verdict, 'none');
  assert.ok(lo.confidence < 0.3);
  // An exact, unique full name is answered even when a namesake trails close behind.
  const exact = verdictOf(cands(1, 0.9, true));
  assert.equal(exact.verdict, 'confident');
});

test('reliability table counts per bucket and at-or-above; the SVG is well formed', () => {
  const items = [
    { confidence: 0.05, right: false },
    { confidence: 0.55, right: true },
    { confidence: 0.55, right: false },
    { confidence: 0.97, right: true },
    { confidence: 1, right: true },
  ];
  const t = reliabilityTable(items);
  assert.equal(t.reduce((a, b) => a + b.n, 0), items.length);
  const top = t[t.length - 1];
  assert.deepEqual([top.n, top.right], [2, 2]);
  assert.equal(t[0].atLeastN, 5);
  assert.equal(t.find((b) => b.lo === 0.5)!.right, 1);
  assert.match(formatReliability(t), /0\.95–1\.00\s+2\s+2\s+100\.0%/);
  const svg = reliabilitySvg(t, 'test <plot>');
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(svg.includes('test &lt;plot&gt;') && svg.trim().endsWith('</svg>'));
  assert.equal((svg.match(/<rect /g) ?? []).length, 2 + t.filter((b) => b.n).length);
});

test('split by station: deterministic, both halves used, a station never in both', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `BikePoints_${i}`);
  const halves = ids.map(stationSplit);
  assert.ok(halves.filter((h) => h === 'tune').length > 70 && halves.filter((h) => h === 'held-out').length > 70);
  assert.deepEqual(ids.map(stationSplit), halves);
  const mk = (id: string, sid: string): EvalCase => ({ id, kind: 'name', utterance: id, intent: 'station_status', want: 'any', expect: { station_ids: [sid] }, noise: 'x' });
  const cases = ids.flatMap((sid, i) => [mk(`a${i}`, sid), mk(`b${i}`, sid)]);
  const tune = new Set(selectSplit(cases, 'tune').map((c) => c.expect.station_ids![0]));
  const held = new Set(selectSplit(cases, 'held-out').map((c) => c.expect.station_ids![0]));
  assert.equal([...tune].filter((s) => held.has(s)).length, 0);
  assert.equal(tune.size + held.size, ids.length);
  assert.equal(splitOf(cases[0]), splitOf(cases[1]));
});
