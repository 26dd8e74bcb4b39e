/** The lease primitives on a real Redis: SET NX PX, renew-or-reclaim and compare-and-delete in Lua, pub/sub. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { RedisKvStore } from '../../src/store/redis-kv.js';
import { deletePrefix, skipWithoutRedis, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';

const skip = await skipWithoutRedis();
const prefix = uniquePrefix('lease');
after(() => deletePrefix(prefix));

test('one holder at a time; only the holder renews or releases', { skip }, async () => {
  const a = await RedisKvStore.connect({ url: TEST_REDIS_URL, prefix });
  const b = await RedisKvStore.connect({ url: TEST_REDIS_URL, prefix });
  try {
    assert.equal(await a.acquireLease('lease:x', 'tokA', 5000), true);
    assert.equal(await b.acquireLease('lease:x', 'tokB', 5000), false, 'second acquire refused');
    assert.equal(await b.renewLease('lease:x', 'tokB', 5000), false, 'a non-holder cannot renew');
    assert.equal(await b.releaseLease('lease:x', 'tokB'), false, 'a non-holder cannot release');
    assert.equal(await a.leaseHolder('lease:x'), 'tokA');
    assert.equal(await a.renewLease('lease:x', 'tokA', 5000), true);
    assert.equal(await a.releaseLease('lease:x', 'tokA'), true);
    assert.equal(await a.leaseHolder('lease:x'), null);
    assert.equal(await b.acquireLease('lease:x', 'tokB', 5000), true, 'free again after release');
  } finally {
    await a.close();
    await b.close();
  }
});

test('a lease expires after its TTL; a holder whose key Redis lost takes it back on renewal', { skip }, async () => {
  const a = await RedisKvStore.connect({ url: TEST_REDIS_URL, prefix });
  try {
    assert.equal(await a.acquireLease('lease:y', 'tokA', 150), true);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await a.leaseHolder('lease:y'), null, 'expired');
    assert.equal(await a.renewLease('lease:y', 'tokA', 5000), true, 'nobody holds it: the renewer does');
    assert.equal(await a.leaseHolder('lease:y'), 'tokA');
    // A stale holder (its lease expired and another took it) must not delete the successor's.
    await a.delete('lease:y');
    assert.equal(await a.acquireLease('lease:y', 'tokB', 5000), true);
    assert.equal(await a.releaseLease('lease:y', 'tokA'), false);
    assert.equal(await a.leaseHolder('lease:y'), 'tokB');
  } finally {
    await a.close();
  }
});

test('published messages reach subscribers under the same prefix only', { skip }, async () => {
  const a = await RedisKvStore.connect({ url: TEST_REDIS_URL, prefix });
  const b = await RedisKvStore.connect({ url: TEST_REDIS_URL, prefix });
  const other = await RedisKvStore.connect({ url: TEST_REDIS_URL, prefix: prefix + 'other:' });
  try {
    const got: string[] = [];
    const otherGot: string[] = [];
    await b.subscribe('snapshots', (m) => got.push(m));
    await other.subscribe('snapshots', (m) => otherGot.push(m));
    await a.publish('snapshots', 'hello');
    const end = Date.now() + 2000;
    while (got.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, ['hello']);
    assert.deepEqual(otherGot, []);
  } finally {
    await a.close();
    await b.close();
    await other.close();
  }
});
