import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './http-errors.js';
import type { WindowCounter } from './sender-rate-limit.js';

/** One minute: the limit is so many chat messages a minute per client address. */
const WINDOW_MS = 60_000;
/**
 * Client windows kept in this process, at most. Past it the oldest windows are
 * forgotten (those clients start a new count): memory stays bounded however many
 * addresses a public endpoint sees in a minute. @fastify/rate-limit's default
 * store, used before, kept 5,000.
 */
const MAX_CLIENTS = 20_000;

interface Window {
  start: number;
  count: number;
}

/**
 * The chat API's per-client limit: fixed one-minute windows per client address,
 * each starting at the client's first request, counted here or (Redis mode) in the
 * shared counter so that a client cannot multiply the limit by the number of
 * replicas; while the shared counter cannot be reached each process counts on its
 * own (answers continue). Over the limit: 429 RATE_LIMITED with Retry-After.
 *
 * Our own rather than @fastify/rate-limit's: that plugin cost each chat request
 * several promises and awaits, a key generator, an LRU store and three response
 * headers (x-ratelimit-*), a measurable share of a request's CPU (README,
 * Performance). A window here is one Map entry; the check is synchronous.
 */
export class ChatRateLimit {
  /**
   * Windows in two generations: new ones go into the current map, and when it holds
   * half the bound it becomes the previous one (dropping the one before). A client
   * found in the previous generation moves to the current one. Every step is O(1):
   * pruning a single Map oldest-first meant walking past its deleted entries again
   * on every request (12 µs a check with 65,536 clients a minute).
   */
  private current = new Map<string, Window>();
  private previous = new Map<string, Window>();

  constructor(
    readonly perMinute: number,
    private readonly shared: WindowCounter | null = null,
    private readonly now: () => number = Date.now,
  ) {}

  /** 0 when the client may go on; otherwise the ms until its window ends. */
  takeLocal(client: string): number {
    const t = this.now();
    let w = this.current.get(client);
    if (w === undefined) {
      w = this.previous.get(client);
      if (w !== undefined) this.previous.delete(client);
      if (this.current.size >= MAX_CLIENTS / 2) {
        this.previous = this.current;
        this.current = new Map();
      }
      if (w === undefined || t - w.start >= WINDOW_MS) w = { start: t, count: 0 };
      this.current.set(client, w);
    } else if (t - w.start >= WINDOW_MS) {
      w.start = t;
      w.count = 0;
    }
    w.count++;
    return w.count <= this.perMinute ? 0 : Math.max(1, w.start + WINDOW_MS - t);
  }

  /** As takeLocal, from the shared counter; null when it cannot be reached. */
  async takeShared(client: string): Promise<number | null> {
    if (!this.shared) return null;
    try {
      const r = await this.shared.countInWindow(`ratelimit:chat:${client}`, WINDOW_MS);
      return r.count <= this.perMinute ? 0 : Math.max(1, r.resetInMs);
    } catch {
      return null;
    }
  }

  /** The route's onRequest hook: synchronous in a single process, one shared count per request in Redis mode. */
  hook(): (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void {
    const refuse = (reply: FastifyReply, waitMs: number) => {
      const s = Math.ceil(waitMs / 1000);
      reply.header('retry-after', String(s));
      sendError(reply, 429, 'RATE_LIMITED', `Too many messages from this address: at most ${this.perMinute} a minute. Please wait ${s} s.`);
    };
    if (!this.shared) {
      return (req, reply, done) => {
        const wait = this.takeLocal(req.ip);
        if (wait > 0) refuse(reply, wait);
        else done();
      };
    }
    return (req, reply, done) => {
      const client = req.ip;
      this.takeShared(client).then(
        (shared) => {
          // Redis down: this process's own windows until it is back (README, Deploying).
          const wait = shared ?? this.takeLocal(client);
          if (wait > 0) refuse(reply, wait);
          else done();
        },
        (e: unknown) => done(e as Error),
      );
    };
  }
}
