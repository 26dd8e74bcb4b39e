/**
 * End to end through the real HTTP server, the real poller and our replay server
 * standing in for TfL: questions never reach upstream, and a restarted server
 * answers from the stored snapshot before (and without) a successful fetch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { buildServedApp, type ServedApp } from '../../src/serve.js';
import { startServer } from '../../src/server.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { fixtureBikePoints } from '../feeds/tfl-fixture.js';

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function served(dataDir: string, tflUrl: string): Promise<ServedApp> {
  // The fixture's counts are from 2025: old, but this test is about upstream requests, not age;
  // nor about shedding, which a loaded test machine could trigger with 50 requests at once.
  const cfg = loadConfig({ argv: ['serve', '--tfl-url', tflUrl, '--data-dir', dataDir, '--log-level', 'silent', '--poll-interval', '30', '--not-ready-after', '315360000', '--chat-rate-limit', '0', '--max-event-loop-delay', '0', '--max-queue-delay', '0'], env: {} });
  return buildServedApp(cfg, { processMetrics: false });
}

test('1,000 questions cost upstream nothing; a restart answers from the stored snapshot', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-e2e-'));
  const fixture = join(dir, 'bikepoint.json');
  writeFileSync(fixture, JSON.stringify(fixtureBikePoints()));
  let replay: ReplayServer | null = await startReplayServer({ source: fixture, maxAgeS: 30 });
  t.after(async () => {
    await replay?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const first = await served(join(dir, 'data'), replay.url);
  first.core.start();
  const server = await startServer(first.app, { host: '127.0.0.1', port: 0 });
  await waitFor(() => first.core.live.index() !== null);
  const before = replay.stats().requests;
  const startedAt = Date.now();
  assert.equal(before, 1, 'one fetch at start');

  const questions = ['bikes at river street clerkenwell', 'any docks at phillimore gardens', 'help', 'nearest bikes to 51.52,-0.11', 'hello'];
  let answered = 0;
  for (let batch = 0; batch < 20; batch++) {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: questions[(batch * 50 + i) % questions.length] }) }).then((r) => r.json() as Promise<{ answer: { reply: string } }>),
      ),
    );
    answered += replies.filter((r) => r.answer.reply.length > 0).length;
  }
  assert.equal(answered, 1000);
  // On a slow machine the run can outlast the 30 s interval: a scheduled poll is fine,
  // a request caused by a question is not. Every upstream request is one the poller planned.
  assert.equal(replay.stats().requests, first.core.pollers[0].status.requests, 'upstream request count unchanged by 1,000 questions');
  assert.ok(replay.stats().requests <= before + Math.floor((Date.now() - startedAt) / 30_000), 'no more than one request per interval');

  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /bikebot_upstream_requests_total\{feed="tfl",outcome="ok"\} 1/);

  await server.close();
  await first.core.close();

  // Upstream gone: the restarted server must still answer, from what it stored
  // for that same source.
  const sameSource = replay.url;
  await replay.close();
  replay = null;
  const second = await served(join(dir, 'data'), sameSource);
  t.after(() => second.core.close());
  assert.ok(second.core.live.index(), 'index restored before any fetch');
  const res = await second.app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'bikes at river street clerkenwell' } });
  const body = res.json() as { answer: { stations: Array<{ id: string; bikes: number | null; asOf: string | null }> } };
  assert.equal(body.answer.stations[0]?.id, 'BikePoints_1');
  assert.equal(typeof body.answer.stations[0]?.bikes, 'number');
  const ready = await second.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
});
