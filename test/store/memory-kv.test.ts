import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { kvContract } from './kv-contract.js';

let clock = 1_700_000_000_000;
kvContract({
  name: 'memory (fake clock)',
  open: async () => new MemoryKvStore({ now: () => clock, sweepIntervalMs: 0 }),
  advance: async (ms) => {
    clock += ms;
  },
  shortTtlMs: 1000,
});

test('memory: TTL boundary is exact with an injected clock', async () => {
  let now = 0;
  const kv = new MemoryKvStore({ now: () => now, sweepIntervalMs: 0 });
  await kv.set('k', 'v', 1000);
  now = 999;
  assert.equal(await kv.get('k'), 'v');
  now = 1000;
  assert.equal(await kv.get('k'), null);
  await kv.close();
});

test('memory: the periodic sweep drops expired entries nobody reads', async () => {
  let now = 0;
  const kv = new MemoryKvStore({ now: () => now, sweepIntervalMs: 10 });
  const entries = (kv as unknown as { entries: Map<string, unknown> }).entries;
  await kv.set('abandoned', 'x', 50);
  await kv.set('kept', 'y');
  assert.equal(entries.size, 2);
  now = 100;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(entries.size, 1, 'the sweep ran without any read');
  assert.equal(await kv.get('kept'), 'y');
  assert.equal(kv.size, 1);
  await kv.close();
});

test('memory: bounded by maxEntries, least recently used first', async () => {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0, maxEntries: 3 });
  await kv.set('session:a', '1', 60_000);
  await kv.set('session:b', '2', 60_000);
  await kv.set('session:c', '3', 60_000);
  assert.equal(await kv.get('session:a'), '1', 'reading a makes it the most recently used');
  await kv.set('session:d', '4', 60_000);
  assert.equal(await kv.get('session:b'), null, 'b was the least recently used and went');
  assert.deepEqual(await kv.keys('session:'), ['session:a', 'session:c', 'session:d']);
  assert.equal(kv.count('session:'), 3);
  for (let i = 0; i < 1000; i++) await kv.set(`session:n${i}`, 'x', 60_000);
  assert.equal(kv.size, 3, 'a flood of new keys never grows it past the bound');
  assert.equal(kv.count('session:'), 3);
  await kv.close();
});

test('memory: expired entries leave the count when swept', async () => {
  let now = 0;
  const kv = new MemoryKvStore({ now: () => now, sweepIntervalMs: 0 });
  await kv.set('session:a', '1', 100);
  await kv.set('session:b', '2', 1000);
  assert.equal(kv.count('session:'), 2);
  now = 500;
  kv.sweep();
  assert.equal(kv.count('session:'), 1);
  await kv.close();
});
