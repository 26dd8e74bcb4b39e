import { join } from 'node:path';
import type { KvStore } from './kv-store.js';
import { RedisKvStore } from './redis-kv.js';
import { SqliteKvStore } from './sqlite-kv.js';

/** The database inside --data-dir (with its -wal and -shm companions while open). */
export const DB_FILE_NAME = 'bikebot.db';

export interface OpenStoreOptions {
  dataDir: string;
  redisUrl: string | null;
  /** Key prefix in Redis; default "bikebot:". */
  redisPrefix?: string;
  /** Redis connection trouble after start-up. */
  onError?: (err: Error) => void;
}

/**
 * Redis when a URL is configured (shared by several processes), otherwise the
 * embedded SQLite file. Throws STORE_UNAVAILABLE, STORE_CORRUPT or STORE_FOREIGN
 * with a message that says what to do; it never deletes or rewrites a file it
 * does not recognise.
 */
export async function openStore(opts: OpenStoreOptions): Promise<KvStore> {
  if (opts.redisUrl) {
    return RedisKvStore.connect({ url: opts.redisUrl, prefix: opts.redisPrefix, onError: opts.onError });
  }
  return SqliteKvStore.open(join(opts.dataDir, DB_FILE_NAME));
}
