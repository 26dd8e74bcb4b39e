import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatRateLimit } from '../../src/channels/chat-rate-limit.js';

test('chat rate limit: a client gets perMinute messages in its window, then the ms left until it ends', () => {
  let now = 1_000_000;
  const limit = new ChatRateLimit(3, null, () => now);
  for (let i = 0; i < 3; i++) assert.equal(limit.takeLocal('192.0.2.1'), 0);
  now += 15_000;
  assert.equal(limit.takeLocal('192.0.2.1'), 45_000, 'the fourth waits for the rest of the minute');
  assert.equal(limit.takeLocal('192.0.2.2'), 0, 'another client has its own window');
  now += 45_000;
  assert.equal(limit.takeLocal('192.0.2.1'), 0, 'a new window starts when the old one has ended');
});

test('chat rate limit: the windows kept are bounded; a forgotten client starts a new count', () => {
  let now = 0;
  const limit = new ChatRateLimit(1, null, () => now);
  assert.equal(limit.takeLocal('first'), 0);
  assert.ok(limit.takeLocal('first') > 0);
  // Far more clients in one minute than are kept: the oldest window is forgotten.
  for (let i = 0; i < 25_000; i++) {
    now += 1;
    limit.takeLocal(`client-${i}`);
  }
  assert.equal(limit.takeLocal('first'), 0);
});

test('chat rate limit: the shared counter decides in Redis mode, and a counter that cannot be reached lets the message through', async () => {
  let count = 0;
  const limit = new ChatRateLimit(2, { countInWindow: async (name) => (assert.equal(name, 'ratelimit:chat:192.0.2.9'), { count: ++count, resetInMs: 30_000 }) });
  assert.equal(await limit.takeShared('192.0.2.9'), 0);
  assert.equal(await limit.takeShared('192.0.2.9'), 0);
  assert.equal(await limit.takeShared('192.0.2.9'), 30_000);
  const down = new ChatRateLimit(2, { countInWindow: async () => Promise.reject(new Error('connection refused')) });
  assert.equal(await down.takeShared('192.0.2.9'), null);
});
