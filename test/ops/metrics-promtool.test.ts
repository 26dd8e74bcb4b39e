/**
 * /metrics of the real served app, checked by Prometheus' own linter. promtool
 * comes from Debian's `prometheus` package (.ci/run installs it); without it the
 * test skips and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { buildServedApp } from '../../src/serve.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { fixtureBikePoints } from '../feeds/tfl-fixture.js';

const PROMTOOL = '/usr/bin/promtool';

async function liveMetrics(t: { after: (fn: () => unknown) => void }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-metrics-'));
  const fixture = join(dir, 'bikepoint.json');
  writeFileSync(fixture, JSON.stringify(fixtureBikePoints()));
  const replay = await startReplayServer({ source: fixture, maxAgeS: 30 });
  const cfg = loadConfig({ argv: ['serve', '--tfl-url', replay.url, '--data-dir', join(dir, 'data'), '--log-level', 'silent', '--twilio-auth-token', 'x'.repeat(32)], env: {} });
  const { core, app } = await buildServedApp(cfg, { processMetrics: true, logStream: 'stderr' });
  t.after(async () => {
    await app.close();
    await core.close();
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  });
  core.start();
  assert.ok(await core.whenData(5000), 'first fetch from the replay server');
  for (const text of ['bikes at river street clerkenwell', 'help', 'docks near 51.52,-0.11', 'bikes at qwzx plorf']) {
    const r = await app.inject({ method: 'POST', url: '/api/chat', payload: { text } });
    assert.equal(r.statusCode, 200, `${text}: ${r.body}`);
  }
  await app.inject({ method: 'POST', url: '/api/chat', payload: { nope: 1 } });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  return res.body;
}

test('/metrics: names, types, buckets and labels the issue asks for', async (t) => {
  const text = await liveMetrics(t);
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  for (const [name, type] of types) {
    if (type === 'counter') assert.match(name, /_total$/, `counter ${name} ends in _total`);
    else assert.doesNotMatch(name, /_total$/, `${type} ${name} must not end in _total`);
  }
  // Standard process metrics, under their standard names.
  for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) assert.ok(types.has(name), name);
  assert.ok(![...types.keys()].some((n) => n.startsWith('bikebot_process_') || n.startsWith('bikebot_nodejs_')), 'process metrics not renamed');
  // In-process work from 50 µs, HTTP from 5 ms.
  assert.match(text, /^bikebot_turn_duration_seconds_bucket\{le="0.00005",channel="api"\} \d+$/m);
  assert.match(text, /^bikebot_http_request_duration_seconds_bucket\{le="0.005",channel="api"\} \d+$/m);
  assert.doesNotMatch(text, /bikebot_http_request_duration_seconds_bucket\{le="0.001"/);
  // Upstream per feed: result and duration.
  assert.match(text, /^bikebot_upstream_requests_total\{feed="tfl",outcome="ok"\} 1$/m);
  assert.match(text, /^bikebot_upstream_request_duration_seconds_count\{feed="tfl",outcome="ok"\} 1$/m);
  assert.match(text, /^bikebot_snapshot_age_seconds\{feed="tfl"\} \d+$/m);
  assert.match(text, /^bikebot_sessions \d+$/m);
  assert.match(text, /^bikebot_messages_total\{channel="api",intent="station_status"\} \d+$/m);
  assert.match(text, /^bikebot_messages_total\{channel="api",intent="help"\} 1$/m);
  assert.match(text, /^bikebot_answers_total\{band="high"\} \d+$/m);
  assert.match(text, /^bikebot_http_requests_total\{channel="api",status="400"\} 1$/m);
});

test('promtool check metrics passes on a live /metrics', { skip: existsSync(PROMTOOL) ? false : `${PROMTOOL} not installed (Debian package "prometheus"; .ci/run installs it)` }, async (t) => {
  const text = await liveMetrics(t);
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool:\n${r.stdout}${r.stderr}`);
  assert.equal((r.stdout + r.stderr).trim(), '', 'no lint findings');
});

test('docs/grafana-dashboard.json uses only metric names /metrics exposes', async (t) => {
  const text = await liveMetrics(t);
  const exposed = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_sum`, `${m[1]}_count`] : [m[1]])));
  const dash = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  const used = new Set(dash.panels.flatMap((p) => p.targets.flatMap((x) => [...x.expr.matchAll(/\b((?:bikebot|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]))));
  assert.ok(used.size >= 10);
  for (const name of used) assert.ok(exposed.has(name), `dashboard uses ${name}, which /metrics does not expose`);
});
