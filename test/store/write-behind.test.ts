import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WriteBehind, type KeyValues } from '../../src/store/write-behind.js';
import { openStore } from '../../src/store/open-store.js';

/** A store that records what reaches it, and in which synchronous run. */
function recorder(): KeyValues & { writes: string[][]; map: Map<string, string>; fail: boolean } {
  const map = new Map<string, string>();
  const writes: string[][] = [];
  let run: string[] | null = null;
  const note = (w: string) => {
    if (!run) {
      run = [];
      writes.push(run);
      queueMicrotask(() => (run = null));
    }
    run.push(w);
  };
  const r = {
    writes,
    map,
    fail: false,
    async get(k: string) {
      return map.get(k) ?? null;
    },
    set(k: string, v: string) {
      note(`set ${k}`);
      if (r.fail) return Promise.reject(new Error('disk full'));
      map.set(k, v);
      return Promise.resolve();
    },
    delete(k: string) {
      note(`delete ${k}`);
      map.delete(k);
      return Promise.resolve();
    },
  };
  return r;
}

test('writes are readable at once and reach the store together, the last write of a key winning; a delete goes straight through', async () => {
  const inner = recorder();
  const wb = new WriteBehind(inner, { delayMs: 5, onError: (e) => assert.fail(String(e)) });
  await wb.set('a', '1', 60_000);
  await wb.set('b', '2', 60_000);
  await wb.set('a', '3', 60_000);
  await wb.set('c', '4', 60_000);
  assert.equal(await wb.get('a'), '3');
  assert.equal(inner.writes.length, 0, 'nothing handed on yet');
  inner.map.set('b', 'stored before');
  await wb.delete('b');
  assert.deepEqual(inner.writes, [['delete b']], 'the delete is in the store when it resolves');
  assert.equal(await wb.get('b'), null);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(inner.writes, [['delete b'], ['set a', 'set c']], 'the pending write of the deleted key was dropped');
  assert.equal(await wb.get('a'), '3');
  assert.equal(await wb.get('b'), null);
});

test('flush hands everything on; a failed hand-off is reported, not thrown at the writer', async () => {
  const inner = recorder();
  const errors: unknown[] = [];
  const wb = new WriteBehind(inner, { delayMs: 60_000, onError: (e) => errors.push(e) });
  inner.fail = true;
  await wb.set('a', '1', 1000);
  await wb.flush();
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /disk full/);
  await assert.rejects(wb.set('a', '1', -5), /TTL/);
});

test('a full queue is handed on without waiting for the timer; expired values are not read back', async () => {
  const inner = recorder();
  let now = 0;
  const wb = new WriteBehind(inner, { delayMs: 60_000, maxPending: 3, onError: (e) => assert.fail(String(e)) }, () => now);
  await wb.set('x', 'v', 100);
  now = 100;
  assert.equal(await wb.get('x'), null, 'its TTL is over');
  await wb.set('y', 'v', 100);
  await wb.set('z', 'v', 100);
  assert.deepEqual(inner.writes, [['set x', 'set y', 'set z']]);
});

test('in front of SQLite: one commit for the writes of the window, and a reopened store has them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-wb-'));
  try {
    const store = await openStore({ dataDir: dir, redisUrl: null });
    const wb = new WriteBehind(store, { delayMs: 5, onError: (e) => assert.fail(String(e)) });
    for (let i = 0; i < 50; i++) await wb.set(`session:${i}`, `v${i}`, 60_000);
    assert.equal(await wb.get('session:7'), 'v7');
    await wb.flush();
    await store.close();
    const again = await openStore({ dataDir: dir, redisUrl: null });
    assert.equal(await again.get('session:49'), 'v49');
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
