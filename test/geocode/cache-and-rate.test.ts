import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from '../../src/geocode/lru-cache.js';
import { TokenBucket } from '../../src/geocode/token-bucket.js';

test('LruCache evicts the least recently used entry first', () => {
  const c = new LruCache<number>({ max: 2, ttlMs: 1000 });
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1); // a is now the most recent
  c.set('c', 3);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('c'), 3);
  assert.equal(c.size, 2);
});

test('LruCache forgets entries past their TTL', () => {
  let now = 0;
  const c = new LruCache<string>({ max: 10, ttlMs: 100, now: () => now });
  c.set('x', 'y');
  c.set('short', 'z', 10);
  now = 50;
  assert.equal(c.get('x'), 'y');
  assert.equal(c.get('short'), undefined);
  now = 100;
  assert.equal(c.get('x'), undefined);
  assert.equal(c.size, 0);
});

test('TokenBucket: burst, then the rate, never more', () => {
  let now = 0;
  const b = new TokenBucket({ ratePerSec: 1, burst: 2, now: () => now });
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), false);
  assert.equal(b.msUntilNext(), 1000);
  now = 500;
  assert.equal(b.tryTake(), false);
  assert.equal(b.msUntilNext(), 500);
  now = 1000;
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), false);
  now = 60_000; // a long idle refills only up to the burst
  let taken = 0;
  while (b.tryTake()) taken++;
  assert.equal(taken, 2);
  // Over 10 simulated seconds of constant asking, at most burst + 10 succeed.
  let ok = 0;
  for (let t = 60_000; t <= 70_000; t += 50) {
    now = t;
    if (b.tryTake()) ok++;
  }
  assert.equal(ok, 10);
  assert.throws(() => new TokenBucket({ ratePerSec: 0 }), RangeError);
});
