import { createConnection } from 'node:net';

/**
 * The Redis the tests use: BIKEBOT_TEST_REDIS_URL, default redis://127.0.0.1:6379.
 * Tests run beside other users of the same server, so every test keeps to its own
 * random key prefix and never flushes.
 */
export const TEST_REDIS_URL = process.env.BIKEBOT_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port || 6379) };
}

export const TEST_REDIS = hostPort(TEST_REDIS_URL);

/** Whether a TCP connection to the test Redis opens within 2 s. */
export function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const { host, port } = hostPort(url);
  return new Promise((resolve) => {
    const s = createConnection({ port, host, timeout: 2000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.once('error', () => resolve(false));
  });
}

/** For node:test's `skip` option: a reason when the test Redis is not reachable, else false. */
export async function skipWithoutRedis(what = 'Redis tests'): Promise<string | false> {
  return (await redisReachable()) ? false : `Redis not reachable at ${TEST_REDIS_URL} (set BIKEBOT_TEST_REDIS_URL); ${what} skipped`;
}
