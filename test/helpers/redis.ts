import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';

/** The Redis the tests use; other engineers and CI may point it elsewhere. */
export const TEST_REDIS_URL = process.env.BIKEBOT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Host and port of the test Redis, for tests that open raw TCP connections to it. */
export const TEST_REDIS = (() => {
  const u = new URL(TEST_REDIS_URL);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port || 6379) };
})();

export function reachable(port: number, host: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host, timeout: timeoutMs });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(false));
  });
}

/** For node:test's skip option: a reason when the test Redis cannot be reached, else false. */
export async function skipWithoutRedis(what = 'Redis tests'): Promise<string | false> {
  const ok = await reachable(TEST_REDIS.port, TEST_REDIS.host);
  return ok ? false : `Redis not reachable at ${TEST_REDIS_URL} (set BIKEBOT_TEST_REDIS_URL); ${what} skipped`;
}

/** A key prefix no other test run (or engineer) uses: Redis is shared, so never FLUSHALL. */
export function uniquePrefix(what: string): string {
  return `bikebot-test:${what}:${randomBytes(5).toString('hex')}:`;
}

/** Delete every key under the prefix. */
export async function deletePrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await r.connect();
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', prefix.replace(/[*?[\]\\]/g, '\\$&') + '*', 'COUNT', 1000);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Cleanup is best effort: a Redis that went away has nothing left to clean.
  } finally {
    r.disconnect();
  }
}
