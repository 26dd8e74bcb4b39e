import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KeyCounts } from './key-counts.js';
import { closedStoreError, normalizeTtl, type KvStore } from './kv-store.js';
import { BIKEBOT_APPLICATION_ID, SQLITE_SCHEMA_VERSION, checkOpened, inspectSqliteFile, mapSqliteError } from './sqlite-inspect.js';

export interface SqliteKvOptions {
  /** Clock in epoch ms (expiry and sweeps). */
  now?: () => number;
  /** How often expired rows are deleted; 0 disables. Default 60 s. */
  sweepIntervalMs?: number;
  /** How long a write waits for another process's lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
  /** A batch older than this is committed at the next read or write rather than at the end of the tick. Default 2 ms. */
  maxBatchAgeMs?: number;
}

/** SQLite's page cache per connection, KiB. */
const SQLITE_CACHE_KIB = 2048;

/** Writes (value null: a delete) waiting for the next flush, and the promise their callers hold. */
interface Batch {
  writes: Map<string, { value: string | null; expiresAt: number | null }>;
  /** performance.now() when its first write came. */
  openedAt: number;
  promise: Promise<void>;
  settle: (err: unknown) => void;
}

/**
 * The embedded default store: one SQLite file in WAL mode, so a reader (another
 * `bikebot ask`) never blocks the server's writes. Expired rows are invisible to
 * every query at once and deleted later by the sweep.
 *
 * Writes are batched: set() and delete() join the writes of the current tick, and
 * one transaction commits them all just after it (setImmediate). A busy server
 * answering 50 conversations at once then pays for one commit, not fifty; each
 * caller's promise still settles only when its write is committed (or failed).
 * A batch is also committed as soon as a read or write finds it older than maxBatchAgeMs:
 * a saturated server reads dozens of requests in one tick, and each of their answers
 * waits for its own write, so without the bound the first answer of a long tick
 * would wait for the whole tick (the p99 of answered requests under overload).
 * Reads see writes not yet flushed. Leases (setIfAbsent), listings and sweeps
 * flush first, so they always act on the file as other processes see it.
 */
export class SqliteKvStore implements KvStore {
  readonly kind = 'sqlite' as const;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly counts = new KeyCounts();
  private batch: Batch | null = null;
  private readonly commit: (writes: Batch['writes']) => void;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
    private readonly now: () => number,
    sweepIntervalMs: number,
    private readonly maxBatchAgeMs: number,
  ) {
    this.stmt = prepare(db);
    for (const row of this.stmt.namespaces.all() as Array<{ ns: string; n: number }>) this.counts.added(row.ns, row.n);
    // Most writes are new keys (a conversation's first session, under an id just issued):
    // one INSERT OR IGNORE stores them; only a key already there takes the UPDATE as well.
    this.commit = db.transaction((writes: Batch['writes']) => {
      for (const [key, w] of writes) {
        if (w.value === null) {
          if (this.stmt.delete.run(key).changes === 1) this.counts.removed(key);
        } else if (this.stmt.insertOrIgnore.run(key, w.value, w.expiresAt).changes === 1) this.counts.added(key);
        else this.stmt.update.run(w.value, w.expiresAt, key);
      }
    });
    try {
      this.sweep();
    } catch {
      // Another process holding the write lock just delays the clean-up to the next sweep.
    }
    if (sweepIntervalMs > 0) {
      this.timer = setInterval(() => {
        try {
          this.sweep();
        } catch {
          // A busy or failing sweep is retried next round; it must not crash the timer.
        }
      }, sweepIntervalMs);
      this.timer.unref();
    }
  }

  /**
   * Opens or creates the database. Throws STORE_CORRUPT or STORE_FOREIGN (and leaves
   * the file exactly as it was) when the file is damaged or not ours.
   */
  static open(path: string, opts: SqliteKvOptions = {}): SqliteKvStore {
    let found = inspectSqliteFile(path);
    if (found.state === 'absent') {
      // The folder may hold conversations and (with alerts later) phone numbers.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      try {
        // Created here, not by SQLite, so it (and the -wal/-shm files SQLite copies
        // the mode from) is private to this user.
        closeSync(openSync(path, 'wx', 0o600));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw mapSqliteError(path, e);
        found = inspectSqliteFile(path);
      }
    }
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: true });
    } catch (e) {
      throw mapSqliteError(path, e);
    }
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      if (found.state === 'ours' && !found.checked) checkOpened(path, db);
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a power cut may lose the last commit, never corrupt the file;
      // snapshots and sessions are cheap to lose, fsync per write is not.
      db.pragma('synchronous = NORMAL');
      // better-sqlite3 builds SQLite with a 16 MB page cache per connection, and a
      // server filling the sessions table fills that cache too: +16 MB of RSS in the
      // first minute of traffic. Sessions are appended in id (time) order and read
      // back while recent, so the hot pages are few; a miss is a read from the OS's
      // file cache, not the disk. 2 MiB is SQLite's own default.
      db.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
      const init = db.transaction(() => {
        // Schema 1 kept the values in the key's own B-tree (WITHOUT ROWID). A seek there
        // compares its key with whole records, and SQLite reads a record that overflows its
        // page (a stored snapshot: ~240 KB, 60 overflow pages) in full to compare it. New
        // session keys sort just before "snapshot:", so every commit of sessions read the
        // snapshot again: 42 µs of CPU a session against 15 here, where the key's index
        // holds keys (and rowids) only. Schema 2 moves the rows into such a table.
        const old = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'kv'").pluck().get() as string | undefined;
        if (old !== undefined && /WITHOUT\s+ROWID/i.test(old)) {
          db.exec(`CREATE TABLE kv_v2 (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
                   INSERT INTO kv_v2 (key, value, expires_at) SELECT key, value, expires_at FROM kv ORDER BY key;
                   DROP TABLE kv;
                   ALTER TABLE kv_v2 RENAME TO kv;`);
        }
        db.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);
                 CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;`);
        db.pragma(`application_id = ${BIKEBOT_APPLICATION_ID}`);
        db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
      });
      if (found.state !== 'ours' || found.schemaVersion !== SQLITE_SCHEMA_VERSION) init.immediate();
      return new SqliteKvStore(path, db, opts.now ?? Date.now, opts.sweepIntervalMs ?? 60_000, opts.maxBatchAgeMs ?? 2);
    } catch (e) {
      db.close();
      throw mapSqliteError(path, e);
    }
  }

  /** Delete expired rows now; returns how many. */
  sweep(): number {
    return this.run(() => {
      this.flushNow();
      const gone = this.stmt.sweep.all(this.now()) as Array<{ key: string }>;
      for (const row of gone) this.counts.removed(row.key);
      return gone.length;
    });
  }

  async get(key: string): Promise<string | null> {
    if (!this.closed) this.commitIfOld();
    const w = this.batch?.writes.get(key);
    if (w) {
      this.assertOpen();
      return w.value !== null && (w.expiresAt === null || w.expiresAt > this.now()) ? w.value : null;
    }
    return this.run(() => (this.stmt.get.get(key, this.now()) as string | undefined) ?? null);
  }

  set(key: string, value: string, ttlMs?: number): Promise<void> {
    try {
      const ttl = normalizeTtl(ttlMs);
      return this.enqueue(key, value, ttl === undefined ? null : this.now() + ttl);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  delete(key: string): Promise<void> {
    try {
      return this.enqueue(key, null, null);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = normalizeTtl(ttlMs) as number;
    return this.run(() => {
      this.flushNow();
      const now = this.now();
      const existed = this.stmt.exists.get(key) !== undefined;
      // One statement, so two processes racing for the same lease cannot both win.
      const won = this.stmt.setIfAbsent.run(key, value, now + ttl, now).changes === 1;
      if (won && !existed) this.counts.added(key);
      return won;
    });
  }

  async setIfAbsentMany(entries: ReadonlyArray<{ key: string; value: string }>, ttlMs: number, alsoDelete: readonly string[] = []): Promise<boolean[]> {
    const ttl = normalizeTtl(ttlMs) as number;
    return this.run(() => {
      this.flushNow();
      const now = this.now();
      // Written in key order: the b-tree then fills pages one after another instead of
      // splitting pages here and there (an alert batch's keys share their time prefix,
      // but not their owners); the answers go back in the caller's order.
      const keys = entries.map((e) => e.key);
      const order = keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
      const claimed: boolean[] = new Array<boolean>(entries.length);
      // One transaction, claims and deletes: a commit per alert would cost far more
      // than the alerts themselves. Most keys are new: one INSERT OR IGNORE each;
      // only a key already there (a replay, or an expired row the sweep has not
      // removed yet) takes a second statement.
      this.db
        .transaction(() => {
          // A batch's keys are nearly always of one namespace (an alert burst's
          // thousands of outbox keys): counted with one update, not one per key.
          const ns = keys.length > 0 ? KeyCounts.namespaceOf(keys[0]) : '';
          let added = 0;
          for (const i of order) {
            const e = entries[i];
            if (this.stmt.insertOrIgnore.run(e.key, e.value, now + ttl).changes === 1) {
              if (e.key.startsWith(ns) && e.key.indexOf(':') === ns.length - 1) added++;
              else this.counts.added(e.key);
              claimed[i] = true;
            } else claimed[i] = this.stmt.claimExpired.run(e.value, now + ttl, e.key, now).changes === 1;
          }
          if (added > 0) this.counts.added(keys[0], added);
          for (const key of [...alsoDelete].sort()) if (this.stmt.delete.run(key).changes === 1) this.counts.removed(key);
        })
        .immediate();
      return claimed;
    });
  }

  count(namespace: string): number {
    this.assertOpen();
    return this.counts.get(namespace);
  }

  async keys(prefix: string): Promise<string[]> {
    return this.run(() => {
      this.flushNow();
      const out: string[] = [];
      // Keys sharing a prefix are contiguous in SQLite's byte order, so walk from
      // the prefix and stop at the first key that does not share it.
      for (const key of this.stmt.keysFrom.iterate(prefix, this.now()) as IterableIterator<string>) {
        if (!key.startsWith(prefix)) break;
        out.push(key);
      }
      return out.sort();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.flushNow();
    } catch {
      // The writers of that batch have been told; closing goes on.
    }
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.db.close();
  }

  private enqueue(key: string, value: string | null, expiresAt: number | null): Promise<void> {
    this.assertOpen();
    this.commitIfOld();
    let batch = this.batch;
    if (!batch) {
      let settle!: Batch['settle'];
      const promise = new Promise<void>((resolve, reject) => {
        settle = (err) => (err === undefined ? resolve() : reject(err));
      });
      batch = this.batch = { writes: new Map(), openedAt: performance.now(), promise, settle };
      setImmediate(() => {
        try {
          this.flushNow();
        } catch {
          // Reported to every writer of the batch through its promise.
        }
      });
    }
    // A later write to the same key in the same tick replaces the earlier one.
    batch.writes.delete(key);
    batch.writes.set(key, { value, expiresAt });
    return batch.promise;
  }

  /**
   * Commits the pending batch now if it has waited maxBatchAgeMs: called on every read
   * and write, so under load (each turn reads its session) no answer waits for its
   * write much longer than the bound, and at light load the end-of-tick commit does it.
   */
  private commitIfOld(): void {
    if (!this.batch || performance.now() - this.batch.openedAt < this.maxBatchAgeMs) return;
    try {
      this.flushNow();
    } catch {
      // Reported to every writer of that batch through its promise.
    }
  }

  /** Commits the pending batch, if any, in one transaction; throws (and rejects its writers) if that fails. */
  private flushNow(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = null;
    if (this.closed) {
      batch.settle(closedStoreError(this.kind));
      return;
    }
    try {
      this.commit(batch.writes);
    } catch (e) {
      const err = mapSqliteError(this.path, e);
      batch.settle(err);
      throw err;
    }
    batch.settle(undefined);
  }

  private assertOpen(): void {
    if (this.closed) throw closedStoreError(this.kind);
  }

  private run<T>(fn: () => T): T {
    if (this.closed) throw closedStoreError(this.kind);
    try {
      return fn();
    } catch (e) {
      throw mapSqliteError(this.path, e);
    }
  }
}

function prepare(db: Database.Database) {
  const live = '(expires_at IS NULL OR expires_at > ?)';
  return {
    get: db.prepare(`SELECT value FROM kv WHERE key = ? AND ${live}`).pluck(),
    update: db.prepare('UPDATE kv SET value = ?, expires_at = ? WHERE key = ?'),
    exists: db.prepare('SELECT 1 FROM kv WHERE key = ?').pluck(),
    namespaces: db.prepare("SELECT substr(key, 1, instr(key, ':')) AS ns, count(*) AS n FROM kv GROUP BY ns"),
    delete: db.prepare('DELETE FROM kv WHERE key = ?'),
    setIfAbsent: db.prepare(
      'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?',
    ),
    insertOrIgnore: db.prepare('INSERT OR IGNORE INTO kv (key, value, expires_at) VALUES (?, ?, ?)'),
    claimExpired: db.prepare('UPDATE kv SET value = ?, expires_at = ? WHERE key = ? AND expires_at IS NOT NULL AND expires_at <= ?'),
    keysFrom: db.prepare(`SELECT key FROM kv WHERE key >= ? AND ${live} ORDER BY key`).pluck(),
    sweep: db.prepare('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ? RETURNING key'),
  };
}
