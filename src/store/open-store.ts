import { join } from 'node:path';
import type { KvStore } from './kv-store.js';

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
  // Each driver is loaded only when chosen: ioredis and the native SQLite module are
  // a good part of the start-up of a process that uses neither (`ask`, `chat --snapshot`).
  if (opts.redisUrl) {
    const { RedisKvStore } = await import('./redis-kv.js');
    return RedisKvStore.connect({ url: opts.redisUrl, prefix: opts.redisPrefix, onError: opts.onError });
  }
  const { SqliteKvStore } = await import('./sqlite-kv.js');
  return SqliteKvStore.open(join(opts.dataDir, DB_FILE_NAME));
}
