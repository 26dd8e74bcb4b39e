import { Redis } from 'ioredis';
import { BikeBotError } from '../domain/errors.js';
import type { Coordination } from './coordination.js';
import { closedStoreError, normalizeTtl, type KvStore } from './kv-store.js';

/** Extend our own lease; take it if Redis lost it (restart without persistence); 0 if another holds it. */
const RENEW_LEASE = `
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** One more hit in a fixed window: the count so far and the ms left in the window. */
const COUNT_IN_WINDOW = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * setIfAbsentMany's chunk: the first ARGV[1] keys claimed (SET NX with ARGV[2] ms),
 * the remaining keys deleted; 1/0 per claim. One command and one reply for
 * thousands of keys: a pipeline of one SET each cost more in the client, encoding
 * and settling a command per key, than Redis spent on them.
 */
const CLAIM_MANY = `
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
  out[i] = redis.call('SET', KEYS[i], ARGV[i + 2], 'PX', ARGV[2], 'NX') and 1 or 0
end
for i = n + 1, #KEYS do redis.call('DEL', KEYS[i]) end
return out`;

/** Keys per CLAIM_MANY script: bounds how long one script holds Redis (a few ms). */
const CLAIM_CHUNK = 1000;

/** Compare-and-delete: a replica whose lease already expired must not delete its successor's. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisKvOptions {
  /** redis://[user:pass@]host:port[/db] or rediss://… */
  url: string;
  /** Prepended to every key, so several deployments (or test runs) can share one Redis. Default "bikebot:". */
  prefix?: string;
  /** Give up connecting after this long. Default 2 s. */
  connectTimeoutMs?: number;
  /** Fail a command that has had no reply for this long. Default 5 s. */
  commandTimeoutMs?: number;
  /** Connection trouble after start-up (ioredis reconnects by itself); default: ignored. */
  onError?: (err: Error) => void;
}

/**
 * Shared store for several BikeBot processes. It never queues commands while
 * disconnected: a question should get a quick "storage unavailable" error (and the
 * caller its fallback), not wait for a Redis that may never come back.
 */
export class RedisKvStore implements KvStore, Coordination {
  readonly kind = 'redis' as const;
  readonly prefix: string;
  private closed = false;
  /** A connection in subscriber mode can run no other command, hence a second one. */
  private subscriber: Redis | null = null;
  private readonly handlers = new Map<string, Array<(message: string) => void>>();

  private constructor(
    private readonly client: Redis,
    prefix: string,
    private readonly where: string,
  ) {
    this.prefix = prefix;
  }

  /** Connects at once, so a missing or wrong Redis is reported at start-up, within connectTimeoutMs. */
  static async connect(opts: RedisKvOptions): Promise<RedisKvStore> {
    const where = describeUrl(opts.url);
    const connectTimeout = opts.connectTimeoutMs ?? 2000;
    let ready = false;
    let client: Redis;
    try {
      client = new Redis(opts.url, {
        // Not in ioredis' types but honoured: how long disconnect() waits for a socket
        // that is already gone before destroying it; the 2 s default would keep a
        // failed CLI run alive for 2 s.
        ...({ disconnectTimeout: 100 } as object),
        lazyConnect: true,
        connectTimeout,
        commandTimeout: opts.commandTimeoutMs ?? 5000,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        // Before the first success: do not retry (fail fast). Afterwards: keep
        // reconnecting with a capped back-off, since Redis restarts are routine.
        retryStrategy: (times) => (ready ? Math.min(100 * 2 ** Math.min(times, 6), 5000) : null),
      });
    } catch (e) {
      throw new BikeBotError('CONFIG_INVALID', `Invalid Redis URL ${where}: ${(e as Error).message}`, { cause: e });
    }
    let lastError: Error | null = null;
    client.on('error', (err: Error) => {
      lastError = err;
      if (ready) opts.onError?.(err);
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      // ioredis' connectTimeout covers the TCP connect only; this also bounds AUTH/SELECT.
      await Promise.race([
        client.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeout} ms`)), connectTimeout + 250);
        }),
      ]);
      ready = true;
    } catch (e) {
      if (client.status !== 'end') client.disconnect();
      const why = (lastError as Error | null)?.message ?? (e as Error).message;
      throw new BikeBotError('STORE_UNAVAILABLE', `Cannot connect to Redis at ${where}: ${why}. Start Redis, fix --redis-url / BIKEBOT_REDIS_URL, or leave it unset to use the local SQLite database.`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
    return new RedisKvStore(client, opts.prefix ?? 'bikebot:', where);
  }

  async get(key: string): Promise<string | null> {
    return this.call(() => this.client.get(this.prefix + key));
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = normalizeTtl(ttlMs);
    await this.call(() => (ttl === undefined ? this.client.set(this.prefix + key, value) : this.client.set(this.prefix + key, value, 'PX', ttl)));
  }

  async delete(key: string): Promise<void> {
    await this.call(() => this.client.del(this.prefix + key));
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    const ttl = normalizeTtl(ttlMs) as number;
    const r = await this.call(() => this.client.set(this.prefix + key, value, 'PX', ttl, 'NX'));
    return r === 'OK';
  }

  async setIfAbsentMany(entries: ReadonlyArray<{ key: string; value: string }>, ttlMs: number, alsoDelete: readonly string[] = []): Promise<boolean[]> {
    const ttl = String(normalizeTtl(ttlMs) as number);
    if (entries.length === 0 && alsoDelete.length === 0) return [];
    const results = await this.call(() => {
      // All chunks in one pipeline (one round trip); the deletes ride with the last.
      const p = this.client.pipeline();
      for (let i = 0; i < entries.length || i === 0; i += CLAIM_CHUNK) {
        const chunk = entries.slice(i, i + CLAIM_CHUNK);
        const last = i + CLAIM_CHUNK >= entries.length;
        const keys = chunk.map((e) => this.prefix + e.key);
        if (last) for (const k of alsoDelete) keys.push(this.prefix + k);
        p.eval(CLAIM_MANY, keys.length, ...keys, String(chunk.length), ttl, ...chunk.map((e) => e.value));
      }
      return p.exec();
    });
    const out: boolean[] = [];
    for (const [err, r] of results ?? []) {
      if (err) throw new BikeBotError('STORE_UNAVAILABLE', `Redis at ${this.where} failed: ${err.message}`, { cause: err });
      for (const x of r as number[]) out.push(Number(x) === 1);
    }
    return out;
  }

  async keys(prefix: string): Promise<string[]> {
    const pattern = escapeGlob(this.prefix + prefix) + '*';
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.call(() => this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000));
      // SCAN may return a key more than once; the set removes repeats.
      for (const k of batch) found.add(k.slice(this.prefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found].sort();
  }

  async acquireLease(name: string, token: string, ttlMs: number): Promise<boolean> {
    return this.setIfAbsent(name, token, ttlMs);
  }

  async renewLease(name: string, token: string, ttlMs: number): Promise<boolean> {
    const ttl = normalizeTtl(ttlMs) as number;
    const r = await this.call(() => this.client.eval(RENEW_LEASE, 1, this.prefix + name, token, String(ttl)));
    return Number(r) === 1;
  }

  async countInWindow(name: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
    const [count, ttl] = (await this.call(() => this.client.eval(COUNT_IN_WINDOW, 1, this.prefix + name, String(Math.max(1, Math.round(windowMs)))))) as [number, number];
    return { count: Number(count), resetInMs: Number(ttl) };
  }

  async releaseLease(name: string, token: string): Promise<boolean> {
    const r = await this.call(() => this.client.eval(RELEASE_LEASE, 1, this.prefix + name, token));
    return Number(r) === 1;
  }

  async leaseHolder(name: string): Promise<string | null> {
    return this.get(name);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.call(() => this.client.publish(this.prefix + channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void): Promise<void> {
    if (this.closed) throw closedStoreError(this.kind);
    const full = this.prefix + channel;
    if (!this.subscriber) {
      // ioredis resubscribes by itself after a reconnect (autoResubscribe).
      const sub = this.client.duplicate({ lazyConnect: true, enableOfflineQueue: true });
      sub.on('error', () => {
        // Reported through the main connection's onError; the subscriber just reconnects.
      });
      sub.on('message', (ch: string, message: string) => {
        for (const h of this.handlers.get(ch) ?? []) h(message);
      });
      this.subscriber = sub;
      try {
        await this.call(() => sub.connect());
      } catch (e) {
        this.subscriber = null;
        sub.disconnect();
        throw e;
      }
    }
    const list = this.handlers.get(full) ?? [];
    list.push(handler);
    this.handlers.set(full, list);
    const sub = this.subscriber;
    if (list.length === 1) await this.call(() => sub.subscribe(full));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriber?.disconnect();
    this.subscriber = null;
    if (this.client.status !== 'ready') {
      if (this.client.status !== 'end') this.client.disconnect();
      return;
    }
    // QUIT lets in-flight replies arrive; a Redis that stopped answering must not stall shutdown.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.client.quit(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('quit timed out')), 1000)))]);
    } catch {
      this.client.disconnect();
    } finally {
      clearTimeout(timer);
    }
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw closedStoreError(this.kind);
    try {
      return await fn();
    } catch (e) {
      throw new BikeBotError('STORE_UNAVAILABLE', `Redis at ${this.where} failed: ${(e as Error).message}`, { cause: e });
    }
  }
}

/** The URL without its password, fit for messages and logs. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => '\\' + c);
}
