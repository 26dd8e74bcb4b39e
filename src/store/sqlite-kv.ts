import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { closedStoreError, normalizeTtl, type KvStore } from './kv-store.js';
import { BIKEBOT_APPLICATION_ID, SQLITE_SCHEMA_VERSION, inspectSqliteFile, mapSqliteError } from './sqlite-inspect.js';

export interface SqliteKvOptions {
  /** Clock in epoch ms (expiry and sweeps). */
  now?: () => number;
  /** How often expired rows are deleted; 0 disables. Default 60 s. */
  sweepIntervalMs?: number;
  /** How long a write waits for another process's lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
}

/**
 * The embedded default store: one SQLite file in WAL mode, so a reader (another
 * `bikebot ask`) never blocks the server's writes. Expired rows are invisible to
 * every query at once and deleted later by the sweep.
 */
export class SqliteKvStore implements KvStore {
  readonly kind = 'sqlite' as const;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly stmt: ReturnType<typeof prepare>;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
    private readonly now: () => number,
    sweepIntervalMs: number,
  ) {
    this.stmt = prepare(db);
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
      db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a power cut may lose the last commit, never corrupt the file;
      // snapshots and sessions are cheap to lose, fsync per write is not.
      db.pragma('synchronous = NORMAL');
      const init = db.transaction(() => {
        db.exec(`CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER) WITHOUT ROWID;
                 CREATE INDEX IF NOT EXISTS kv_expires_at ON kv (expires_at) WHERE expires_at IS NOT NULL;`);
        db.pragma(`application_id = ${BIKEBOT_APPLICATION_ID}`);
        db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
      });
      if (found.state !== 'ours' || found.schemaVersion !== SQLITE_SCHEMA_VERSION) init.immediate();
      return new SqliteKvStore(path, db, opts.now ?? Date.now, opts.sweepIntervalMs ?? 60_000);
    } catch (e) {
      db.close();
      throw mapSqliteError(path, e);
    }
  }

  /** Delete expired rows now; returns how many. */
  sweep(): number {
    return this.run(() => this.stmt.sweep.run(this.now()).changes);
  }

  async get(key: string): Promise<string | null> {
    return this.run(() => (this.stmt.get.get(key, this.now()) as string | undefined) ?? null);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = normalizeTtl(ttlMs);
    this.run(() => this.stmt.set.run(key, value, ttl === undefined ? null : this.now() + ttl));
  }

  async delete(key: string): Promise<void> {
    this.run(() => this.stmt.delete.run(key));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = normalizeTtl(ttlMs) as number;
    return this.run(() => {
      const now = this.now();
      // One statement, so two processes racing for the same lease cannot both win.
      return this.stmt.setIfAbsent.run(key, value, now + ttl, now).changes === 1;
    });
  }

  async setIfAbsentMany(entries: ReadonlyArray<{ key: string; value: string }>, ttlMs: number): Promise<boolean[]> {
    const ttl = normalizeTtl(ttlMs) as number;
    return this.run(() => {
      const now = this.now();
      // One transaction: a commit per alert would cost far more than the alerts themselves.
      return this.db.transaction(() => entries.map((e) => this.stmt.setIfAbsent.run(e.key, e.value, now + ttl, now).changes === 1)).immediate();
    });
  }

  async keys(prefix: string): Promise<string[]> {
    return this.run(() => {
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
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.db.close();
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
    set: db.prepare(
      'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
    ),
    delete: db.prepare('DELETE FROM kv WHERE key = ?'),
    setIfAbsent: db.prepare(
      'INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ?',
    ),
    keysFrom: db.prepare(`SELECT key FROM kv WHERE key >= ? AND ${live} ORDER BY key`).pluck(),
    sweep: db.prepare('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?'),
  };
}
