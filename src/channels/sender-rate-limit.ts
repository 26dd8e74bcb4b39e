/** A counter shared by every replica (Redis): hits in a fixed window and the ms it has left. */
export interface WindowCounter {
  countInWindow(name: string, windowMs: number): Promise<{ count: number; resetInMs: number }>;
}

/**
 * Fixed one-minute windows per sender. With a shared counter (Redis mode) the count
 * is the same on every replica, so a sender cannot multiply the limit by their
 * number; when the counter cannot be reached, and in a single process, each process
 * counts on its own (answers continue; a sender gets at most one limit per replica).
 */
export class SenderRateLimit {
  private readonly windows = new Map<string, { start: number; count: number; warned: boolean }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly shared: WindowCounter | null = null,
  ) {}

  /** 'ok' to answer; 'warn' once per window when the limit is first passed; 'drop' after that. */
  async take(key: string): Promise<'ok' | 'warn' | 'drop'> {
    if (this.shared) {
      try {
        const { count } = await this.shared.countInWindow(`ratelimit:sms:${key}`, 60_000);
        return count <= this.perMinute ? 'ok' : count === this.perMinute + 1 ? 'warn' : 'drop';
      } catch {
        // The shared store is down: this process's own windows until it is back.
      }
    }
    return this.takeLocal(key);
  }

  private takeLocal(key: string): 'ok' | 'warn' | 'drop' {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0, warned: false };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) this.prune(t);
    }
    w.count++;
    if (w.count <= this.perMinute) return 'ok';
    if (!w.warned) {
      w.warned = true;
      return 'warn';
    }
    return 'drop';
  }

  private prune(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= 60_000) this.windows.delete(k);
  }
}
