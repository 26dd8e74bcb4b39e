/** The `bikebot ask` command as a newcomer runs it, against the replay server loaded from the real TfL data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { REPO_ROOT, SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { runNode, type NodeRun } from '../helpers/run-node.js';

function runCli(args: string[], stdin?: string): Promise<NodeRun> {
  return runNode(['--import', 'tsx', join(REPO_ROOT, 'src/cli.ts'), ...args], stdin ?? '');
}

const skip = skipWithoutShared('data/tfl/stations.csv');

test('ask --json returns BikePoints_1 with the counts being served', { skip }, async (t) => {
  const replay = await startReplayServer({ source: join(SHARED_DATA, 'tfl') });
  t.after(() => replay.close());
  const served = (await (await fetch(`${replay.url}/BikePoint/BikePoints_1`)).json()) as { additionalProperties: Array<{ key: string; value: string }> };
  const prop = (k: string) => Number(served.additionalProperties.find((p) => p.key === k)?.value);

  const r = await runCli(['ask', '--json', '--tfl-url', replay.url, 'bikes at River Street Clerkenwell']);
  assert.equal(r.code, 0, r.stderr);
  const answer = JSON.parse(r.stdout) as { intent: string; stations: Array<{ id: string; bikes: number; emptyDocks: number; docks: number }>; options: unknown[] };
  assert.equal(answer.intent, 'station_status');
  assert.equal(answer.stations[0].id, 'BikePoints_1');
  assert.equal(answer.stations[0].bikes, prop('NbBikes'));
  assert.equal(answer.stations[0].emptyDocks, prop('NbEmptyDocks'));
  assert.equal(answer.stations[0].docks, prop('NbDocks'));
  assert.deepEqual(answer.options, []);
});

test('ask --batch answers each line in order, one JSON per line, bad lines included', { skip }, async () => {
  const snapshot = join(SHARED_DATA, 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');
  const lines = ['bikes at river street clerkenwell', '', '🤷', '<script>alert(1)</script>', 'phillimore gardens docks', 'x'.repeat(10_000)];
  const r = await runCli(['ask', '--batch', '--snapshot', snapshot], lines.join('\n') + '\n');
  assert.equal(r.code, 0, r.stderr);
  const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { intent: string; stations: Array<{ id: string }> });
  assert.equal(answers.length, lines.length);
  assert.equal(answers[0].stations[0]?.id, 'BikePoints_1');
  assert.equal(answers[4].stations[0]?.id, 'BikePoints_2');
  for (const a of answers.slice(1, 4)) assert.ok(['unknown', 'help', 'greeting'].includes(a.intent), a.intent);
});

test('a bad option is refused with a clear message and exit code 2', async () => {
  const r = await runCli(['ask', '--poll-interval', '5', 'hello']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--poll-interval/);
});
