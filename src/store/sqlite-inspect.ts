import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BikeBotError } from '../domain/errors.js';

/** "BikB" in ASCII: marks a SQLite file as ours (PRAGMA application_id). */
export const BIKEBOT_APPLICATION_ID = 0x42696b42;
/** PRAGMA user_version of the schema this code writes. */
export const SQLITE_SCHEMA_VERSION = 2;

export type Inspection =
  | { state: 'absent' }
  /** Nothing in it yet (new, or a first start that stopped before creating the table). */
  | { state: 'fresh' }
  /**
   * `checked` false: only the header was read (a BikeBot file, closed cleanly), and the
   * caller runs the integrity check on its own connection (checkOpened) before using it.
   */
  | { state: 'ours'; schemaVersion: number; checked: boolean };

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HINT = 'To start afresh, move it elsewhere (or point --data-dir / BIKEBOT_DATA_DIR at another folder) and BikeBot will create a new database.';

export function corrupt(path: string, why: string, cause?: unknown): BikeBotError {
  return new BikeBotError('STORE_CORRUPT', `The database file ${path} is damaged or is not a SQLite database (${why}). BikeBot has not changed or deleted it. ${HINT}`, { cause });
}

function foreign(path: string, why: string, extra = ''): BikeBotError {
  return new BikeBotError('STORE_FOREIGN', `The database file ${path} ${why}. BikeBot has not changed it. ${extra}${HINT}`);
}

/**
 * Decides, without writing a byte, whether a path holds nothing, an empty database,
 * a BikeBot database, or something we must refuse. Refusing is the point: opening
 * another program's file read-write would let SQLite (or our schema set-up) change
 * it, and a crash-looping service that "repairs" by deleting loses data.
 */
export function inspectSqliteFile(path: string): Inspection {
  if (!existsSync(path)) return { state: 'absent' };
  const st = statSync(path);
  if (!st.isFile()) throw new BikeBotError('STORE_UNAVAILABLE', `The database path ${path} exists but is not a file. ${HINT}`);
  // An empty file is an empty database (a first start that stopped before its first write).
  if (st.size === 0) return { state: 'fresh' };
  const header = checkHeader(path, st.size);
  const walPresent = existsSync(path + '-wal');
  // With no -wal the file alone is the whole database and its header is current: one
  // marked as ours, of a schema we know, is opened as it is (the usual restart), and its
  // integrity checked on that connection; nothing is copied.
  if (!walPresent && header.applicationId === BIKEBOT_APPLICATION_ID && header.userVersion <= SQLITE_SCHEMA_VERSION) {
    return { state: 'ours', schemaVersion: header.userVersion, checked: false };
  }

  // Even a read-only connection to a WAL-mode file creates -wal and -shm beside it.
  // With no -wal present the file alone is the whole database, so a file that may not
  // be ours is looked at in a private copy, leaving nothing behind next to it.
  const copyDir = walPresent ? null : mkdtempSync(join(tmpdir(), 'bikebot-inspect-'));
  let db: Database.Database;
  try {
    let target = path;
    if (copyDir) {
      target = join(copyDir, 'inspect.db');
      copyFileSync(path, target);
    }
    db = new Database(target, { readonly: true, fileMustExist: true });
  } catch (e) {
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
    throw mapSqliteError(path, e);
  }
  try {
    const check = db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') throw corrupt(path, `integrity check: ${String(check)}`);
    const appId = Number(db.pragma('application_id', { simple: true }));
    const version = Number(db.pragma('user_version', { simple: true }));
    const objects = db.prepare("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 6").pluck().all() as string[];
    if (appId === BIKEBOT_APPLICATION_ID) {
      if (version > SQLITE_SCHEMA_VERSION) {
        throw foreign(path, `was written by a newer BikeBot (schema version ${version}; this version understands up to ${SQLITE_SCHEMA_VERSION})`, 'Upgrade BikeBot to use it. ');
      }
      return { state: 'ours', schemaVersion: version, checked: true };
    }
    if (appId === 0 && objects.length === 0) return { state: 'fresh' };
    const owner = appId === 0 ? 'no application id' : `application id 0x${(appId >>> 0).toString(16)}`;
    const tables = objects.length ? `, tables: ${objects.slice(0, 5).join(', ')}${objects.length > 5 ? ', …' : ''}` : '';
    throw foreign(path, `belongs to another program, not BikeBot (${owner}${tables})`);
  } catch (e) {
    throw e instanceof BikeBotError ? e : mapSqliteError(path, e);
  } finally {
    db.close();
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
  }
}

/**
 * Cheap byte-level checks first, because SQLite opens many damaged files happily and
 * only fails on the first unlucky read — possibly long after start-up.
 */
function checkHeader(path: string, size: number): { applicationId: number; userVersion: number } {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100 || !header.subarray(0, 16).equals(MAGIC)) throw corrupt(path, n < 16 ? 'file too short' : 'no SQLite header');
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw corrupt(path, `invalid page size ${raw}`);
  // With a live -wal file the main file can legitimately lag behind its own header
  // (a checkpoint interrupted part-way); SQLite recovers that from the WAL.
  const walPath = path + '-wal';
  const walInUse = existsSync(walPath) && statSync(walPath).size > 0;
  const marks = { applicationId: header.readUInt32BE(68), userVersion: header.readUInt32BE(60) };
  if (walInUse) return marks;
  if (size % pageSize !== 0) throw corrupt(path, `size ${size} is not a whole number of ${pageSize}-byte pages, so the file looks truncated`);
  const pages = header.readUInt32BE(28);
  const headerValid = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  if (headerValid && size < pages * pageSize) throw corrupt(path, `the header says ${pages} pages but only ${size / pageSize} are present, so the file looks truncated`);
  return marks;
}

/**
 * The integrity check inspectSqliteFile left to the caller (`checked: false`), on the
 * caller's connection before it changes anything: throws STORE_CORRUPT when it fails.
 */
export function checkOpened(path: string, db: Database.Database): void {
  const check = db.pragma('quick_check(1)', { simple: true });
  if (check !== 'ok') throw corrupt(path, `integrity check: ${String(check)}`);
}

/** better-sqlite3 errors carry SQLite's result code in `code`. */
export function mapSqliteError(path: string, e: unknown): BikeBotError {
  if (e instanceof BikeBotError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  const msg = (e as Error)?.message ?? String(e);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return corrupt(path, msg, e);
  return new BikeBotError('STORE_UNAVAILABLE', `The database ${path} cannot be used: ${msg}${code ? ` (${code})` : ''}`, { cause: e });
}
