/** Scenarios parse strictly; the report says what broke and draws the plots with faults marked. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBikeBotError } from '../../src/domain/errors.js';
import { formatTable, renderHtml, verdict } from '../../src/rehearse/report.js';
import type { RehearsalResult } from '../../src/rehearse/run-rehearsal.js';
import { CI_SCENARIO, DEFAULT_SCENARIO, loadScenario, parseScenario, phaseFaults, scenarioSeconds } from '../../src/rehearse/scenario.js';
import { loadQuestions } from '../../src/rehearse/rehearse-command.js';
import { fileURLToPath } from 'node:url';

test('the shipped scenarios parse; the default runs ≤ 5 minutes and the CI one ≤ 60 s, with every fault', () => {
  const def = loadScenario(DEFAULT_SCENARIO);
  assert.ok(scenarioSeconds(def) <= 240, `default scenario ${scenarioSeconds(def)} s of phases`);
  const faults = new Set(def.phases.flatMap((p) => Object.keys(p.faults)));
  for (const f of ['errorRate', 'latencyMs', 'timeoutRate', 'truncateRate', 'malformedRate', 'rateLimitRate', 'retryAfterS', 'stationLoss']) assert.ok(faults.has(f), `default scenario exercises ${f}`);
  const events = new Set(def.phases.flatMap((p) => p.events.map((e) => e.do)));
  assert.deepEqual([...events].sort(), ['kill-lease-holder', 'restart-redis']);
  const ci = loadScenario(CI_SCENARIO);
  assert.ok(scenarioSeconds(ci) <= 45, `ci scenario ${scenarioSeconds(ci)} s of phases`);
});

test('a scenario with an unknown key, fault or event is refused with the path named', () => {
  const bad = (yaml: string, re: RegExp) =>
    assert.throws(
      () => parseScenario(yaml, 'x.yaml'),
      (e: unknown) => isBikeBotError(e, 'CONFIG_INVALID') && re.test((e as Error).message),
    );
  bad('name: x\nphases: []\n', /phases/);
  bad('name: x\nphases:\n  - { name: a, seconds: 5, faults: { errorRat: 1 } }\n', /phases\.0\.faults/);
  bad('name: x\nphases:\n  - { name: a, seconds: 5, faults: { errorRate: 2 } }\n', /errorRate/);
  bad('name: x\nphases:\n  - { name: a, seconds: 5, events: [{ at: 1, do: reboot }] }\n', /phases\.0\.events\.0\.do/);
  bad('name: [', /not valid YAML/);
  const ok = parseScenario('name: x\nphases:\n  - { name: a, seconds: 5, faults: { stationLoss: 0.5 } }\n', 'x.yaml');
  assert.equal(ok.replicas, 2);
  assert.equal(phaseFaults(ok.phases[0].faults).stationLoss, 0.5);
  assert.equal(phaseFaults(ok.phases[0].faults).errorRate, 0, 'unset faults are off');
});

test('questions come from a .jsonl set or a plain list', () => {
  const bundled = loadQuestions(fileURLToPath(new URL('../../scenarios/questions.txt', import.meta.url)));
  assert.ok(bundled.length >= 10);
  assert.ok(!bundled.some((q) => q.startsWith('#')));
});

function result(broken: string[]): RehearsalResult {
  const scenario = parseScenario('name: t\nphases:\n  - { name: calm, seconds: 2 }\n  - { name: errors, seconds: 2, faults: { errorRate: 1 } }\n', 't.yaml');
  const phase = (name: string, label: string, startT: number, b: string[]) => ({
    name, label, startT, endT: startT + 2000, requests: 3, p50: 20, p99: 90, status: { '200': 2, '503': 1 }, shed: 1, errors: 0, stale: 1,
    upstream: 1, upstreamBudget: 2, holder: 'A', conversations: { kept: 1, told: 0, lost: b.length ? 1 : 0, failed: 0 }, takeoverMs: null, takeoverIntervals: null, minStations: 790, broken: b,
  });
  return {
    scenario,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationS: 4,
    phases: [phase('calm', '', 0, []), phase('errors', 'errorRate=1', 2000, broken)],
    samples: [
      { t: 100, channel: 'chat', status: 200, ms: 20, shed: false, stale: false },
      { t: 2100, channel: 'chat', status: 503, ms: 5, shed: true, stale: false },
      { t: 2500, channel: 'sms', status: 200, ms: 90, shed: false, stale: true },
    ],
    timeline: [
      { t: 0, upstream: 0, holder: 'A', stations: { A: 790, B: 790 } },
      { t: 3000, upstream: 2, holder: 'B', stations: { A: null, B: 790 } },
    ],
    events: [{ t: 2500, label: 'kill -9 A' }],
    broken: broken.map((b) => `errors: ${b}`),
    replicas: ['A', 'B'],
    baselineStations: 790,
  };
}

test('the table, verdict and HTML report tell what happened and what broke', () => {
  const ok = result([]);
  assert.match(verdict(ok), /^PASS/);
  const table = formatTable(ok);
  assert.match(table, /^phase\s+faults \/ events\s+requests\s+p50\s+p99\s+status counts\s+stale\s+upstream \(budget\)\s+lease holder\s+conversations lost/);
  assert.match(table, /errors\s+errorRate=1\s+3\s+20 ms\s+90 ms\s+200×2 503×1\s+1\s+1 \(2\)\s+A\s+0 of 1/);
  const html = renderHtml(ok);
  assert.equal((html.match(/<svg /g) ?? []).length, 4, 'four plots');
  assert.match(html, /<rect [^>]*fill="#fdf0d0"><title>errors: errorRate=1<\/title>/, 'the fault phase is shaded');
  assert.match(html, /<title>kill -9 A<\/title>/, 'the kill is marked');
  const bad = result(['1 conversations lost without a word']);
  assert.match(verdict(bad), /^FAIL: 1 promise\(s\) broken:\n {2}errors: 1 conversations lost/);
  assert.match(renderHtml(bad), /<tr class="broken">/);
});
