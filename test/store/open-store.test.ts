import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, copyFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isBikeBotError, type ErrorCode } from '../../src/domain/errors.js';
import type { Snapshot, Station } from '../../src/domain/station.js';
import { DB_FILE_NAME, openStore } from '../../src/store/open-store.js';
import { BIKEBOT_APPLICATION_ID } from '../../src/store/sqlite-inspect.js';
import { SnapshotStore } from '../../src/store/snapshot-store.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

import { TEST_REDIS_URL, skipWithoutRedis } from '../helpers/redis.js';
const root = mkdtempSync(join(tmpdir(), 'bikebot-open-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

function station(i: number): Station {
  return {
    id: `BikePoints_${i}`, systemId: 'tfl', name: `Station ${i}, Somewhere`, lat: 51.5 + i / 1000, lon: -0.1 - i / 1000, terminalName: String(1000 + i),
    bikes: i % 20, standardBikes: null, ebikes: null, emptyDocks: 3, docks: 30, brokenDocks: Math.max(0, 30 - (i % 20) - 3),
    installed: true, locked: false, temporary: i % 50 === 0, renting: true, returning: true, asOf: '2022-08-01T08:25:10.259Z',
  };
}
const snapshot = (feedId: string, count: number): Snapshot => ({
  feedId, systemId: 'tfl', fetchedAt: '2022-08-01T08:26:00.000Z', asOf: '2022-08-01T08:25:10.259Z',
  stations: Array.from({ length: count }, (_, i) => station(i + 1)),
});

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Opening must fail with `code`, mention the path and what to do, and leave the folder byte-identical. */
async function assertRefused(dataDir: string, code: ErrorCode): Promise<void> {
  const path = join(dataDir, DB_FILE_NAME);
  const before = sha(path);
  const filesBefore = readdirSync(dataDir).sort();
  await assert.rejects(openStore({ dataDir, redisUrl: null }), (e: unknown) => {
    assert.ok(isBikeBotError(e), `not a BikeBotError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.includes(path), `message names the file: ${e.message}`);
    assert.match(e.message, /--data-dir/);
    assert.match(e.message, /not changed/);
    return true;
  });
  assert.equal(sha(path), before, 'the file is byte-identical');
  assert.deepEqual(readdirSync(dataDir).sort(), filesBefore, 'no file added or removed beside it');
}

/** A real BikeBot database with enough rows to span many pages, closed cleanly. */
async function makeOurDb(dataDir: string): Promise<string> {
  const kv = await openStore({ dataDir, redisUrl: null });
  await new SnapshotStore(kv).save(snapshot('tfl', 300));
  await kv.close();
  return join(dataDir, DB_FILE_NAME);
}

test('SQLite: a snapshot saved before a restart is loaded after it', async () => {
  const dataDir = freshDir();
  const kv1 = await openStore({ dataDir, redisUrl: null });
  assert.equal(kv1.kind, 'sqlite');
  const saved = snapshot('tfl', 800);
  await new SnapshotStore(kv1).save(saved);
  await kv1.set('session:abc', '{"turns":1}', 60_000);
  await kv1.close();
  assert.ok(existsSync(join(dataDir, DB_FILE_NAME)));

  const kv2 = await openStore({ dataDir, redisUrl: null });
  try {
    assert.deepEqual(await new SnapshotStore(kv2).load('tfl'), saved);
    assert.equal(await kv2.get('session:abc'), '{"turns":1}');
  } finally {
    await kv2.close();
  }
  assert.deepEqual(readdirSync(dataDir).sort(), [DB_FILE_NAME], 'a clean close leaves only the database (no -wal/-shm)');
});

describe('SQLite: files that are not a usable BikeBot database are refused and left alone', () => {
  test('random bytes → STORE_CORRUPT', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, DB_FILE_NAME), randomBytes(8192));
    await assertRefused(dataDir, 'STORE_CORRUPT');
  });

  test('a text file → STORE_CORRUPT', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, DB_FILE_NAME), 'hello, this is my shopping list\n');
    await assertRefused(dataDir, 'STORE_CORRUPT');
  });

  test('SQLite header followed by garbage → STORE_CORRUPT', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    const good = readFileSync(await makeOurDb(join(root, `src${n++}`)));
    const bad = Buffer.concat([good.subarray(0, 100), randomBytes(good.length - 100)]);
    writeFileSync(join(dataDir, DB_FILE_NAME), bad);
    await assertRefused(dataDir, 'STORE_CORRUPT');
  });

  test('truncated mid-page and at a page boundary → STORE_CORRUPT', async () => {
    for (const cut of [(size: number) => Math.floor(size / 2) + 123, (size: number) => Math.floor(size / 4096 / 2) * 4096]) {
      const dataDir = freshDir();
      const path = await makeOurDb(dataDir);
      const size = statSync(path).size;
      assert.ok(size >= 4 * 4096, `fixture spans several pages (${size} bytes)`);
      truncateSync(path, cut(size));
      await assertRefused(dataDir, 'STORE_CORRUPT');
    }
  });

  test("another program's SQLite database → STORE_FOREIGN", async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    const db = new Database(join(dataDir, DB_FILE_NAME));
    db.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org');");
    db.close();
    await assertRefused(dataDir, 'STORE_FOREIGN');
  });

  test('an empty SQLite database claimed by another application id → STORE_FOREIGN', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    const db = new Database(join(dataDir, DB_FILE_NAME));
    db.pragma('application_id = 252006673'); // Fossil's
    db.close();
    await assertRefused(dataDir, 'STORE_FOREIGN');
  });

  test('a BikeBot database from a newer schema → STORE_FOREIGN naming the versions', async () => {
    const dataDir = freshDir();
    const path = await makeOurDb(dataDir);
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await assertRefused(dataDir, 'STORE_FOREIGN');
    await assert.rejects(openStore({ dataDir, redisUrl: null }), /newer BikeBot \(schema version 99/);
  });
});

test('SQLite: an empty file or an empty unmarked database is adopted (an interrupted first start)', async () => {
  for (const make of [
    (p: string) => writeFileSync(p, ''),
    (p: string) => {
      const db = new Database(p);
      db.pragma('journal_mode = WAL');
      db.close();
    },
  ]) {
    const dataDir = freshDir();
    mkdirSync(dataDir);
    const path = join(dataDir, DB_FILE_NAME);
    make(path);
    const kv = await openStore({ dataDir, redisUrl: null });
    await kv.set('k', 'v');
    assert.equal(await kv.get('k'), 'v');
    await kv.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('application_id', { simple: true }), BIKEBOT_APPLICATION_ID);
    db.close();
  }
});

test('sweep timers do not keep a process alive', () => {
  const mod = (f: string) => JSON.stringify(join(REPO_ROOT, 'src', 'store', f));
  const dbPath = JSON.stringify(join(freshDir(), DB_FILE_NAME));
  const code = `
    const { MemoryKvStore } = await import(${mod('memory-kv.ts')});
    const { SqliteKvStore } = await import(${mod('sqlite-kv.ts')});
    const m = new MemoryKvStore({ sweepIntervalMs: 1000 });
    await m.set('a', 'b', 60000);
    const s = SqliteKvStore.open(${dbPath}, { sweepIntervalMs: 1000 });
    await s.set('a', 'b', 60000);
    console.log('done');`;
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000, cwd: REPO_ROOT });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'done');
  assert.ok(Date.now() - t0 < 15_000, 'exited by itself');
});

const redisSkip = await skipWithoutRedis();

test('Redis: chosen when a URL is given; a snapshot survives reconnecting', { skip: redisSkip, timeout: 10_000 }, async () => {
  const redisPrefix = `bikebot-test:${randomBytes(6).toString('hex')}:`;
  const dataDir = freshDir();
  const kv1 = await openStore({ dataDir, redisUrl: TEST_REDIS_URL, redisPrefix });
  assert.equal(kv1.kind, 'redis');
  const saved = snapshot('tfl', 50);
  await new SnapshotStore(kv1).save(saved);
  await kv1.close();
  const kv2 = await openStore({ dataDir, redisUrl: TEST_REDIS_URL, redisPrefix });
  try {
    assert.deepEqual(await new SnapshotStore(kv2).load('tfl'), saved);
    await kv2.delete('snapshot:tfl');
    assert.deepEqual(await kv2.keys(''), []);
  } finally {
    await kv2.close();
  }
  assert.equal(existsSync(dataDir), false, 'with Redis nothing is written to the data dir');
});
