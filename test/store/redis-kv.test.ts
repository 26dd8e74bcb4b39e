import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { isBikeBotError } from '../../src/domain/errors.js';
import { RedisKvStore } from '../../src/store/redis-kv.js';
import { kvContract } from './kv-contract.js';
import { TEST_REDIS, TEST_REDIS_URL, skipWithoutRedis } from '../helpers/redis.js';

const REDIS_URL = TEST_REDIS_URL;
const skip = await skipWithoutRedis('Redis store tests');
const up = skip === false;
const runPrefix = `bikebot-test:${randomBytes(6).toString('hex')}:`;
let n = 0;

async function cleanup(): Promise<void> {
  if (!up) return;
  const r = new Redis(REDIS_URL, { lazyConnect: true });
  await r.connect();
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', runPrefix + '*', 'COUNT', 1000);
    if (keys.length) await r.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  const left = (await r.scan('0', 'MATCH', runPrefix + '*', 'COUNT', 10_000))[1].length;
  await r.quit();
  assert.equal(left, 0, 'test keys cleaned up');
}

kvContract({
  name: 'redis (real clock)',
  skip,
  open: () => RedisKvStore.connect({ url: REDIS_URL, prefix: `${runPrefix}${n++}:` }),
  advance: (ms) => new Promise((r) => setTimeout(r, ms)),
  shortTtlMs: 80,
  after: cleanup,
});

after(cleanup);

test('redis: keys are stored under the prefix with a PX TTL', { skip, timeout: 10_000 }, async () => {
  const prefix = `${runPrefix}raw:`;
  const kv = await RedisKvStore.connect({ url: REDIS_URL, prefix });
  const raw = new Redis(REDIS_URL);
  try {
    await kv.set('session:1', 'v', 30_000);
    assert.equal(await raw.get(prefix + 'session:1'), 'v');
    const pttl = await raw.pttl(prefix + 'session:1');
    assert.ok(pttl > 25_000 && pttl <= 30_000, `pttl ${pttl}`);
    await kv.set('forever', 'v');
    assert.equal(await raw.pttl(prefix + 'forever'), -1);
    await raw.set(`${runPrefix}other:session:2`, 'not ours');
    assert.deepEqual(await kv.keys('session:'), ['session:1'], 'another prefix is invisible');
  } finally {
    await kv.close();
    await raw.quit();
  }
});

test('redis: an unreachable server fails fast with STORE_UNAVAILABLE', { timeout: 10_000 }, async () => {
  const t0 = Date.now();
  // Port 1 on loopback: refused at once, nothing listens there.
  await assert.rejects(RedisKvStore.connect({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 1000 }), (e: unknown) => {
    assert.ok(isBikeBotError(e, 'STORE_UNAVAILABLE'), String(e));
    assert.match(e.message, /127\.0\.0\.1:1/);
    assert.match(e.message, /--redis-url/);
    return true;
  });
  assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
});

test('redis: a server that accepts but never answers is bounded by the connect timeout', { timeout: 10_000 }, async () => {
  const { createServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as import('node:net').AddressInfo).port;
  const t0 = Date.now();
  try {
    await assert.rejects(RedisKvStore.connect({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 }), (e: unknown) => isBikeBotError(e, 'STORE_UNAVAILABLE'));
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  }
});

test('redis: password is not echoed in errors', { timeout: 10_000 }, async () => {
  await assert.rejects(RedisKvStore.connect({ url: 'redis://user:s3cret@127.0.0.1:1', connectTimeoutMs: 500 }), (e: unknown) => {
    assert.ok(isBikeBotError(e, 'STORE_UNAVAILABLE'));
    assert.doesNotMatch(e.message, /s3cret/);
    return true;
  });
});

test('redis: losing the server after start-up fails commands fast, and close still returns', { skip, timeout: 10_000 }, async () => {
  const { createServer, connect } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  // A loopback TCP proxy in front of the real Redis, so the test can "pull the cable".
  const proxy = createServer((client) => {
    const upstream = connect(TEST_REDIS.port, TEST_REDIS.host);
    sockets.push(client, upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as import('node:net').AddressInfo).port;
  const errors: Error[] = [];
  const kv = await RedisKvStore.connect({ url: `redis://127.0.0.1:${port}`, prefix: `${runPrefix}outage:`, onError: (e) => errors.push(e) });
  await kv.set('k', 'v', 10_000);
  assert.equal(await kv.get('k'), 'v');
  const closed = new Promise((r) => proxy.close(r));
  for (const s of sockets) s.destroy();
  await closed;
  await new Promise((r) => setTimeout(r, 50));
  const t0 = Date.now();
  await assert.rejects(kv.get('k'), (e: unknown) => isBikeBotError(e, 'STORE_UNAVAILABLE'));
  assert.ok(Date.now() - t0 < 2000, `failed after ${Date.now() - t0} ms`);
  // ioredis keeps reconnecting in the background; each refused attempt is reported.
  for (let i = 0; i < 30 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(errors.length >= 1, 'reconnect failures reach onError');
  const t1 = Date.now();
  await kv.close();
  assert.ok(Date.now() - t1 < 2000, 'close does not wait for the lost server');
});
