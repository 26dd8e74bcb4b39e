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
