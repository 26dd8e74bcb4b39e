import { BikeBotError } from '../domain/errors.js';

/**
 * At most `perHost` requests in flight to any one host, the rest waiting their turn in
 * the order they asked. Hundreds of GBFS systems are polled concurrently, and many of
 * them live on one operator's host (gbfs.lyft.com, api.nextbike.net, …): started all at
 * once they would arrive there as a burst, which is exactly what a considerate client
 * must not do. Systems on different hosts do not wait for each other, so 40 systems
 * are ready in about the time of the slowest host's queue, not of 40 fetches in a row.
 *
 * One limiter per process (app.ts makes it and hands it to every source); nothing here
 * is module state.
 */
export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<{ go: () => void }>>();

  constructor(readonly perHost: number) {
    if (!Number.isInteger(perHost) || perHost < 1) throw new BikeBotError('CONFIG_INVALID', `requests per host must be a whole number ≥ 1 (got ${perHost})`);
  }

  /** Requests in flight to url's host now (for tests and metrics). */
  inFlight(url: string): number {
    return this.active.get(hostOf(url)) ?? 0;
  }

  /** Requests waiting for url's host now. */
  queued(url: string): number {
    return this.waiting.get(hostOf(url))?.length ?? 0;
  }

  /**
   * Runs fn once the host has room. A signal aborted while waiting gives up the place in
   * the queue (the poll round was stopped); once running, fn itself watches the signal.
   */
  async run<T>(url: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const host = hostOf(url);
    await this.acquire(host, signal);
    try {
      return await fn();
    } finally {
      this.release(host);
    }
  }

  private acquire(host: string, signal?: AbortSignal): Promise<void> {
    const n = this.active.get(host) ?? 0;
    if (n < this.perHost) {
      this.active.set(host, n + 1);
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(host) ?? [];
      this.waiting.set(host, queue);
      const onAbort = () => {
        const i = queue.indexOf(entry);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0) this.waiting.delete(host);
        reject(signal?.reason ?? new Error('aborted'));
      };
      const entry = {
        // release() hands its slot straight to the next in line: active stays as it was.
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      queue.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(host: string): void {
    const queue = this.waiting.get(host);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(host);
    if (next) {
      next.go();
      return;
    }
    const n = (this.active.get(host) ?? 1) - 1;
    if (n <= 0) this.active.delete(host);
    else this.active.set(host, n);
  }
}

/** host:port of a URL; an unparsable one is its own host (it will fail on its own). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
