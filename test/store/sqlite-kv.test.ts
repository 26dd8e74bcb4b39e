import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteKvStore } from '../../src/store/sqlite-kv.js';
import { BIKEBOT_APPLICATION_ID, SQLITE_SCHEMA_VERSION } from '../../src/store/sqlite-inspect.js';
import { kvContract } from './kv-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'bikebot-sqlite-kv-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

kvContract({
  name: 'sqlite (real clock)',
  open: async () => SqliteKvStore.open(join(dir, `contract-${n++}`, 'kv.db'), { sweepIntervalMs: 0 }),
  advance: sleep,
  shortTtlMs: 80,
});

test('sqlite: new database is WAL, marked as BikeBot, private, in a 0700 folder', async () => {
  const path = join(dir, 'fresh', 'nested', 'bikebot.db');
  const kv = SqliteKvStore.open(path);
  await kv.set('a', 'b');
  const raw = new Database(path, { readonly: true });
  assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(raw.pragma('application_id', { simple: true }), BIKEBOT_APPLICATION_ID);
  assert.equal(raw.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
  raw.close();
  await kv.close();
  assert.equal(statSync(join(dir, 'fresh', 'nested')).mode & 0o777, 0o700);
  assert.equal(statSync(path).mode & 0o077, 0, 'no group/other access to the database');
});

test('sqlite: expired rows are invisible at once and deleted by the periodic sweep', async () => {
  const path = join(dir, 'sweep', 'kv.db');
  const kv = SqliteKvStore.open(path, { sweepIntervalMs: 25 });
  await kv.set('gone', 'x', 40);
  await kv.set('kept', 'y');
  const raw = new Database(path, { readonly: true });
  const rows = () => raw.prepare('SELECT count(*) FROM kv').pluck().get();
  assert.equal(rows(), 2);
  await sleep(150);
  assert.equal(await kv.get('gone'), null);
  assert.equal(rows(), 1, 'the sweep deleted the expired row without any read');
  raw.close();
  await kv.close();
});

test('sqlite: two connections to one file share data and leases', async () => {
  const path = join(dir, 'shared', 'kv.db');
  const a = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  const b = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  await a.set('session:1', 'hello');
  assert.equal(await b.get('session:1'), 'hello');
  assert.equal(await a.setIfAbsent('poll-lease:tfl', 'a', 10_000), true);
  assert.equal(await b.setIfAbsent('poll-lease:tfl', 'b', 10_000), false);
  await a.close();
  await b.close();
});

test('sqlite: a TTL survives reopening (expires_at is stored, not kept in memory)', async () => {
  let now = 1_000_000;
  const path = join(dir, 'reopen', 'kv.db');
  const a = SqliteKvStore.open(path, { now: () => now, sweepIntervalMs: 0 });
  await a.set('s', 'v', 5000);
  await a.close();
  now += 4000;
  const b = SqliteKvStore.open(path, { now: () => now, sweepIntervalMs: 0 });
  assert.equal(await b.get('s'), 'v');
  now += 2000;
  assert.equal(await b.get('s'), null);
  await b.close();
});

test('sqlite: writes of one tick commit together in one transaction, and are readable before', async () => {
  const path = join(dir, 'batch', 'kv.db');
  // No age bound inside this tick: the loop below must not be cut into several commits on a slow machine.
  const kv = SqliteKvStore.open(path, { sweepIntervalMs: 0, maxBatchAgeMs: 60_000 });
  const raw = new Database(path, { readonly: true });
  const rows = () => raw.prepare("SELECT count(*) FROM kv WHERE key LIKE 'session:%'").pluck().get();
  // The WAL grows by one commit record per transaction: count them through the data_version
  // another connection sees change once per commit by someone else.
  const version = () => raw.pragma('data_version', { simple: true }) as number;
  const v0 = version();
  const writes: Array<Promise<void>> = [];
  for (let i = 0; i < 50; i++) writes.push(kv.set(`session:${i}`, `turn ${i}`, 60_000));
  assert.equal(rows(), 0, 'nothing is written inside the tick');
  assert.equal(await kv.get('session:7'), 'turn 7', 'a pending write is read back at once');
  await Promise.all(writes);
  assert.equal(rows(), 50, 'every write committed once their promises settle');
  assert.equal(version() - v0, 1, 'fifty writes, one commit');
  assert.equal(kv.count('session:'), 50);
  await kv.delete('session:7');
  assert.equal(rows(), 49);
  raw.close();
  await kv.close();
});

test('sqlite: a batch older than maxBatchAgeMs is committed by the next read, inside the same tick', async () => {
  const path = join(dir, 'batch-age', 'kv.db');
  const kv = SqliteKvStore.open(path, { sweepIntervalMs: 0, maxBatchAgeMs: 5 });
  const raw = new Database(path, { readonly: true });
  const stored = (key: string) => raw.prepare('SELECT value FROM kv WHERE key = ?').pluck().get(key);
  let tickEnded = false;
  setImmediate(() => (tickEnded = true));
  let committed = false;
  const write = kv.set('session:a', 'first', 60_000).then(() => (committed = true));
  // A saturated server's tick: the answers read after this write take longer than the bound.
  const until = performance.now() + 10;
  while (performance.now() < until);
  assert.equal(stored('session:a'), undefined, 'not committed by itself before anything else touches the store');
  assert.equal(await kv.get('session:other'), null);
  assert.equal(stored('session:a'), 'first', "the next request's read commits it");
  await write;
  assert.ok(committed && !tickEnded, 'its writer hears of the commit before the tick ends');
  // Without a later access the end of the tick still commits it.
  await kv.set('session:b', 'second', 60_000);
  assert.equal(stored('session:b'), 'second');
  raw.close();
  await kv.close();
});

test('sqlite: close commits writes still pending; the count survives reopening', async () => {
  const path = join(dir, 'pending', 'kv.db');
  const kv = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  void kv.set('session:a', 'x');
  void kv.set('snapshot:tfl', 'y');
  await kv.close();
  const again = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  assert.equal(await again.get('session:a'), 'x');
  assert.equal(again.count('session:'), 1);
  assert.equal(again.count('snapshot:'), 1);
  await again.close();
});

test('sqlite: a schema-1 file (values in the key B-tree, WITHOUT ROWID) is moved to schema 2 on open, every row kept', async () => {
  const path = join(dir, 'v1', 'kv.db');
  const kv0 = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  await kv0.close();
  // Rewrite it as schema 1 wrote it.
  const raw = new Database(path);
  raw.exec(`DROP TABLE kv;
            CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID;
            CREATE INDEX kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;`);
  const future = Date.now() + 3_600_000;
  raw.prepare('INSERT INTO kv VALUES (?, ?, ?)').run('snapshot:tfl', 'x'.repeat(100_000), null);
  raw.prepare('INSERT INTO kv VALUES (?, ?, ?)').run('session:chat:a', 'one', future);
  raw.prepare('INSERT INTO kv VALUES (?, ?, ?)').run('session:chat:b', 'two', 1);
  raw.pragma('user_version = 1');
  raw.close();
  const kv = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  assert.equal((await kv.get('snapshot:tfl'))?.length, 100_000);
  assert.equal(await kv.get('session:chat:a'), 'one');
  assert.equal(await kv.get('session:chat:b'), null, 'still expired');
  assert.deepEqual(await kv.keys('session:'), ['session:chat:a']);
  await kv.set('session:chat:c', 'three', 60_000);
  await kv.close();
  const after2 = new Database(path, { readonly: true });
  assert.equal(after2.pragma('user_version', { simple: true }), SQLITE_SCHEMA_VERSION);
  const sql = after2.prepare("SELECT sql FROM sqlite_master WHERE name = 'kv'").pluck().get() as string;
  assert.doesNotMatch(sql, /WITHOUT ROWID/i);
  assert.deepEqual(after2.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'kv_expires_at'").pluck().all(), ['kv_expires_at']);
  // The expired one was swept at open, as on any start.
  assert.equal(after2.prepare('SELECT count(*) FROM kv').pluck().get(), 3);
  after2.close();
});
