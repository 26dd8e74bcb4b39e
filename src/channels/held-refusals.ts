import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';

/** The last refusal on one connection. */
interface Refusal {
  client: string;
  /** When the next refusal of this client on this connection may go out (ms, Date.now()). */
  nextAt: number;
  /** When this refusal goes out: its Retry-After counts from then. */
  sentAt: number;
  /** Whether the client's first request after this refusal came before its Retry-After was up. */
  early: boolean;
  judged: boolean;
}

/**
 * Holds repeated refusals on one connection to one per Retry-After, and tells the
 * clients that ask again before their Retry-After is up. Keyed by the socket and the
 * client address, so behind a proxy that reuses its connections for many clients,
 * one client's refusal never holds or marks another's.
 */
export class RefusalPacing {
  private readonly last = new WeakMap<object, Refusal>();
  /** Per connection, the client of its latest request. */
  private readonly clients = new WeakMap<object, string>();
  constructor(private readonly everyMs: number) {}

  /**
   * Whether this connection's previous request came from this same client (a client
   * keeping its connection, not a proxy's next client). Call once per request.
   */
  again(req: FastifyRequest): boolean {
    const socket = req.raw.socket as object | undefined;
    if (!socket) return false;
    const before = this.clients.get(socket);
    if (before !== req.ip) this.clients.set(socket, req.ip);
    return before === req.ip;
  }

  /**
   * Whether this client, on this connection, came back before the Retry-After of its
   * last refusal was up. Judged on its first request after each refusal and kept
   * until the next: a hammering client stays marked while it is answered, one that
   * waited as told is judged like any other.
   */
  impatient(req: FastifyRequest): boolean {
    const socket = req.raw.socket as object | undefined;
    const r = socket ? this.last.get(socket) : undefined;
    if (!r || r.client !== req.ip) return false;
    if (!r.judged) {
      r.judged = true;
      r.early = Date.now() < r.sentAt + this.everyMs;
    }
    return r.early;
  }

  /** ms to hold this refusal: 0 unless this client on this connection was refused less than a Retry-After ago. */
  hold(req: FastifyRequest): number {
    const socket = req.raw.socket as object | undefined;
    if (!socket) return 0;
    const now = Date.now();
    const prev = this.last.get(socket);
    const same = prev !== undefined && prev.client === req.ip;
    const at = same ? Math.max(now, prev.nextAt) : now;
    // Half to all of a Retry-After, at random: refusals released together would come
    // back together, and a herd of them is a stall for the requests being answered.
    const nextAt = at + this.everyMs * (0.5 + 0.5 * Math.random());
    if (same) Object.assign(prev, { nextAt, sentAt: at, judged: false });
    else this.last.set(socket, { client: req.ip, nextAt, sentAt: at, early: false, judged: false });
    return at - now;
  }
}

/**
 * Refusals waiting for their time, released by one timer in 10 ms slots. Under a
 * peak most connections wait here (hundreds at once, for up to two seconds each), so
 * what each keeps alive is what young-generation garbage collection copies: a
 * response in a slot's list, instead of a timer, a promise and the hook chain each.
 */
export class HeldRefusals {
  private static readonly SLOT_MS = 10;
  private readonly slots = new Map<number, ServerResponse[]>();
  private timer: NodeJS.Timeout | null = null;
  private count = 0;
  /** The last slot released. */
  private done = 0;
  constructor(private readonly release: (res: ServerResponse) => void) {}

  /** Refusals waiting. */
  get size(): number {
    return this.count;
  }

  /** Releases res at atMs (Date.now() time) or within one slot after it, never before. */
  add(atMs: number, res: ServerResponse): void {
    this.count++;
    const slot = Math.ceil(atMs / HeldRefusals.SLOT_MS);
    const list = this.slots.get(slot);
    if (list) list.push(res);
    else this.slots.set(slot, [res]);
    if (this.timer === null) {
      this.done = Math.floor(Date.now() / HeldRefusals.SLOT_MS);
      this.timer = setInterval(() => this.tick(), HeldRefusals.SLOT_MS);
    }
  }

  /** At shutdown: every held refusal goes out now. */
  releaseAll(): void {
    for (const list of this.slots.values()) this.send(list);
    this.slots.clear();
    this.stop();
  }

  private tick(): void {
    const now = Math.floor(Date.now() / HeldRefusals.SLOT_MS);
    for (let slot = this.done + 1; slot <= now; slot++) {
      const list = this.slots.get(slot);
      if (!list) continue;
      this.slots.delete(slot);
      this.send(list);
    }
    this.done = now;
    if (this.slots.size === 0) this.stop();
  }

  private send(list: ServerResponse[]): void {
    this.count -= list.length;
    // A client that went away meanwhile has nobody to tell.
    for (const res of list) if (!res.destroyed && !res.headersSent) this.release(res);
  }

  private stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
