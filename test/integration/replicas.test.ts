/**
 * Two real replicas (`bikebot serve` child processes) on one Redis, with the replay
 * server as TfL: one poller for both whatever the traffic, takeover within two
 * intervals after kill -9 of the lease holder, and a conversation begun on one
 * replica finished on the other. The interval is shortened with the test-only
 * --poll-interval-ms so that ten intervals take ten seconds.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { startReplica, type ReplicaProcess } from '../../src/rehearse/replica-process.js';
import { fixtureBikePoints } from '../feeds/tfl-fixture.js';
import { deletePrefix, skipWithoutRedis, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const skip = await skipWithoutRedis();
const INTERVAL_MS = 2000;
const prefix = uniquePrefix('replicas');
after(() => deletePrefix(prefix));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | null | false> | T | null | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function metric(r: ReplicaProcess, re: RegExp): Promise<number> {
  const text = await (await fetch(`${r.url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(re.source, 'gm'))) sum += Number(m[1]);
  return sum;
}
const holds = async (r: ReplicaProcess) => (await metric(r, /^bikebot_feed_lease_held\{feed="tfl"\} (\d+)$/)) === 1;
const upstream = (r: ReplicaProcess) => metric(r, /^bikebot_upstream_requests_total\{feed="tfl",outcome="[^"]+"\} (\d+)$/);

interface ChatReply {
  conversationId: string;
  answer: { intent: string; want: string; reply: string; place: { lat: number; lon: number } | null; stations: Array<{ id: string }>; options: Array<{ id: string }> };
}
async function chat(r: ReplicaProcess, text: string, conversationId?: string): Promise<ChatReply> {
  const res = await fetch(`${r.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(conversationId ? { text, conversationId } : { text }) });
  assert.equal(res.status, 200);
  return (await res.json()) as ChatReply;
}

test('two replicas on one Redis: one poller, takeover after kill -9, conversations cross replicas', { skip, timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-replicas-'));
  const fixture = join(dir, 'bikepoint.json');
  writeFileSync(fixture, JSON.stringify(fixtureBikePoints()));
  // max-age 0: the feed's TTL must not stretch the interval under test.
  const replay = await startReplayServer({ source: fixture, maxAgeS: 0 });
  const replicas: ReplicaProcess[] = [];
  t.after(async () => {
    await Promise.all(replicas.map((r) => r.kill9()));
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const args = (name: string) => ['--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--tfl-url', replay.url, '--poll-interval-ms', String(INTERVAL_MS), '--data-dir', join(dir, name), '--log-level', 'info'];
  replicas.push(...(await Promise.all(['a', 'b'].map((name) => startReplica({ name, args: args(name), startTimeoutMs: 90_000 })))));
  const [a, b] = replicas;

  // Both answer; exactly one holds the lease; the other never asked upstream.
  await waitFor('data on both replicas', async () => (await chat(a, 'nearest bikes to 51.52,-0.11')).answer.stations.length > 0 && (await chat(b, 'nearest bikes to 51.52,-0.11')).answer.stations.length > 0);
  const holder = await waitFor('one lease holder', async () => {
    const [ha, hb] = await Promise.all([holds(a), holds(b)]);
    return ha !== hb && (ha ? a : b);
  });
  const follower = holder === a ? b : a;
  assert.equal(await upstream(follower), 0, 'the follower never called upstream');

  // Ten intervals under steady traffic on both replicas: ten upstream requests.
  let traffic = true;
  let answered = 0;
  const load = Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      while (traffic) {
        const res = await fetch(`${(i % 2 ? a : b).url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: ['bikes at river street', 'help', 'nearest bikes to 51.5,-0.1', 'docks at kennington road'][i] }) });
        // Two requests read in one busy turn may be shed: a 503 that says when to come back is allowed.
        if (res.status === 503 && res.headers.has('retry-after')) {
          await res.arrayBuffer();
          continue;
        }
        assert.equal(res.status, 200);
        if (((await res.json()) as ChatReply).answer.reply) answered++;
      }
    }),
  );
  const start = replay.stats().requests;
  await waitFor('a poll', () => replay.stats().requests > start, 5000);
  const n0 = replay.stats().requests;
  await sleep(10 * INTERVAL_MS + INTERVAL_MS / 2);
  const polled = replay.stats().requests - n0;
  traffic = false;
  await load;
  assert.ok(answered > 50, `traffic was served (${answered} answers)`);
  assert.equal(polled, 10, `upstream requests over 10 intervals with ${answered} questions`);
  assert.equal(await upstream(follower), 0, 'still none from the follower');

  // A conversation started on one replica is finished on the other.
  const first = await chat(a, 'nearest bikes to 51.52,-0.11');
  assert.equal(first.answer.intent, 'nearest');
  // "and docks?" means something only with the place of the turn before (alone it gets "Where are you?").
  const next = await chat(b, 'and docks?', first.conversationId);
  assert.equal(next.answer.intent, 'nearest', `B continued A's conversation: ${next.answer.reply}`);
  assert.equal(next.answer.want, 'docks');
  assert.equal(next.answer.place?.lat, 51.52, 'the place came from the turn on A');
  assert.ok(next.answer.stations.length > 0);

  // kill -9 of the holder: no lease release; the follower must poll within two intervals.
  const before = replay.stats().requests;
  const killedAt = Date.now();
  await holder.kill9();
  await waitFor('a poll by the survivor', () => replay.stats().requests > before, 4 * INTERVAL_MS);
  const tookMs = Date.now() - killedAt;
  assert.ok(tookMs <= 2 * INTERVAL_MS, `survivor polled ${tookMs} ms after kill -9 (limit ${2 * INTERVAL_MS} ms)`);
  assert.ok(await holds(follower), 'the survivor holds the lease');
  assert.ok((await upstream(follower)) >= 1, 'and the request was its own');
  const r = await chat(follower, 'nearest bikes to 51.52,-0.11');
  assert.ok(r.answer.stations.length > 0, 'the survivor answers');
});
