/**
 * Redis goes away under a replica: answers go on from the in-memory snapshot, the
 * person is told their conversation cannot be followed, the holder stops polling once
 * its lease may have expired, and everything comes back when Redis does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { startRedisServer } from '../../src/rehearse/redis-process.js';
import { buildServedApp } from '../../src/serve.js';
import { fixtureBikePoints } from '../feeds/tfl-fixture.js';

function hasRedisServer(): string | false {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'redis-server is not installed; Redis outage test skipped';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, fn: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('Redis down: answers continue, the lost conversation is said, polling pauses, all recovers', { skip: hasRedisServer(), timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-redis-outage-'));
  writeFileSync(join(dir, 'bikepoint.json'), JSON.stringify(fixtureBikePoints()));
  const replay = await startReplayServer({ source: join(dir, 'bikepoint.json'), maxAgeS: 0 });
  const redis = await startRedisServer();
  const INTERVAL = 500;
  const cfg = loadConfig({ argv: ['serve', '--redis-url', redis.url, '--tfl-url', replay.url, '--poll-interval-ms', String(INTERVAL), '--data-dir', join(dir, 'data'), '--log-level', 'silent'], env: {} });
  const served = await buildServedApp(cfg, { processMetrics: false });
  t.after(async () => {
    await served.core.close();
    await redis.stop();
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  });
  served.core.start();
  await waitFor('first snapshot', () => served.core.live.index() !== null);
  assert.ok(served.core.leases?.isHolder('tfl'), 'alone, this replica holds the lease');

  const chat = async (text: string, conversationId?: string) => {
    const res = await served.app.inject({ method: 'POST', url: '/api/chat', payload: conversationId ? { text, conversationId } : { text } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { conversationId: string; answer: { intent: string; reply: string; stations: unknown[] } };
  };
  const first = await chat('nearest bikes to 51.52,-0.11');
  assert.equal((await chat('and docks?', first.conversationId)).answer.intent, 'nearest', 'conversation works with Redis up');

  await redis.kill9();
  const down = await chat('nearest bikes to 51.52,-0.11');
  assert.ok(down.answer.stations.length > 0, 'answers from the in-memory snapshot');
  assert.match(down.answer.reply, /can't recall our conversation/, 'the loss of conversation state is said');
  const follow = await chat('and docks?', down.conversationId);
  assert.match(follow.answer.reply, /can't recall our conversation/);

  // The holder may not be sure its lease still stands after 1.5 intervals: it stops polling.
  await waitFor('the holder to step down', () => !served.core.leases?.isHolder('tfl'), 3 * INTERVAL);
  await sleep(INTERVAL / 4);
  const paused = replay.stats().requests;
  await sleep(2 * INTERVAL);
  assert.equal(replay.stats().requests, paused, 'no polling without the lease');

  // Redis returns empty (no persistence): the replica takes the lease again and conversations work.
  await redis.restart();
  await waitFor('the lease again', () => served.core.leases?.isHolder('tfl') === true, 10_000);
  await waitFor('polling again', () => replay.stats().requests > paused, 3 * INTERVAL);
  await waitFor('the session store again', async () => !/can't recall/.test((await chat('help')).answer.reply), 10_000);
  // Upstream has not changed (304s), yet the snapshot is back in Redis for replicas that start now.
  const { SnapshotStore } = await import('../../src/store/snapshot-store.js');
  const { RedisKvStore } = await import('../../src/store/redis-kv.js');
  const probe = await RedisKvStore.connect({ url: redis.url });
  t.after(() => probe.close());
  await waitFor('the snapshot stored again', async () => (await new SnapshotStore(probe).load('tfl', cfg.tflUrl)) !== null, 5000);
  const again = await chat('nearest bikes to 51.52,-0.11');
  const next = await chat('and docks?', again.conversationId);
  assert.equal(next.answer.intent, 'nearest');
  assert.doesNotMatch(next.answer.reply, /can't recall/);
});
