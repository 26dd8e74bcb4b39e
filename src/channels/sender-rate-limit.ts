/**
 * Fixed one-minute windows per sender. Counts live in this process: a second
 * process would let a sender through twice as often, which only costs a few texts.
 */
export class SenderRateLimit {
  private readonly windows = new Map<string, { start: number; count: number; warned: boolean }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 'ok' to answer; 'warn' once per window when the limit is first passed; 'drop' after that. */
  take(key: string): 'ok' | 'warn' | 'drop' {
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
