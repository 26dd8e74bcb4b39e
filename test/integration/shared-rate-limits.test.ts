/**
 * Two BikeBot instances on one real Redis (as two replicas are): the chat API's
 * per-client limit and the SMS per-sender limit are counted once for both, so a
 * client cannot multiply its limit by the number of replicas. A single process
 * keeps its counts in memory (test/channels/http-app.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { loadConfig } from '../../src/config.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { buildServedApp } from '../../src/serve.js';
import { fixtureBikePoints } from '../feeds/tfl-fixture.js';
import { deletePrefix, skipWithoutRedis, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const skip = await skipWithoutRedis();
const TOKEN = 'x'.repeat(32);
const PUBLIC_URL = 'https://bikebot.example.org';

test('per-client chat and per-sender SMS limits are shared by two instances on one Redis', { skip, timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-shared-limits-'));
  writeFileSync(join(dir, 'bikepoint.json'), JSON.stringify(fixtureBikePoints()));
  const replay = await startReplayServer({ source: join(dir, 'bikepoint.json'), maxAgeS: 30 });
  const prefix = uniquePrefix('limits');
  const instance = (name: string) =>
    buildServedApp(
      loadConfig({
        argv: ['serve', '--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--tfl-url', replay.url, '--data-dir', join(dir, name), '--log-level', 'silent', '--chat-rate-limit', '3', '--trust-proxy', '--twilio-auth-token', TOKEN, '--public-url', PUBLIC_URL, '--max-event-loop-delay', '0'],
        env: {},
      }),
      { processMetrics: false },
    );
  const a = await instance('a');
  const b = await instance('b');
  t.after(async () => {
    for (const s of [a, b]) {
      await s.app.close();
      await s.core.close();
    }
    await replay.close();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  // Behind the load balancer, the client is X-Forwarded-For.
  const chat = (s: typeof a, client: string) => s.app.inject({ method: 'POST', url: '/api/chat', payload: { text: 'help' }, headers: { 'x-forwarded-for': client } });
  const statuses: number[] = [];
  for (const s of [a, b, a, b, a]) statuses.push((await chat(s, '192.0.2.7')).statusCode);
  assert.deepEqual(statuses, [200, 200, 200, 429, 429], 'three a minute in all, not three per instance');
  const limited = await chat(b, '192.0.2.7');
  assert.equal(limited.json().code, 'RATE_LIMITED');
  assert.ok(Number(limited.headers['retry-after']) > 0);
  assert.equal((await chat(b, '192.0.2.8')).statusCode, 200, 'another client has its own count');

  // SMS: 10 a minute per sender (the default), counted across both.
  const sms = async (s: typeof a, from: string, body: string) => {
    const params = { From: from, Body: body };
    const signature = twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}/twilio/sms`, params);
    const r = await s.app.inject({ method: 'POST', url: '/twilio/sms', payload: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
    assert.equal(r.statusCode, 200);
    return r.body;
  };
  const replies: string[] = [];
  for (let i = 0; i < 12; i++) replies.push(await sms(i % 2 ? b : a, '+447700900123', 'bikes at river street'));
  assert.ok(replies.slice(0, 10).every((x) => /<Message>/.test(x)), 'ten answered between the two');
  assert.match(replies[10], /<Message>BikeBot: you're texting faster than I can answer/, `the eleventh is told to slow down: ${replies[10]}`);
  assert.doesNotMatch(replies[11], /<Message>/, 'after that, silence');
  assert.match(await sms(b, '+447700900456', 'bikes at river street'), /<Message>/, 'another sender has its own count');
});
