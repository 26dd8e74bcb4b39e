import type { PollerTimers } from '../../src/feeds/poller.js';

/** Timers that only fire when the test says so, and a clock that moves with them. */
export class FakeTimers implements PollerTimers {
  nowMs = 1_700_000_000_000;
  /** Every delay ever scheduled, in order. */
  readonly scheduled: number[] = [];
  private pending = new Map<number, { at: number; fn: () => void }>();
  private seq = 0;

  now = (): number => this.nowMs;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.scheduled.push(ms);
    this.pending.set(id, { at: this.nowMs + ms, fn });
    return id;
  }

  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }

  /** Forget the most recently scheduled pending timer (a lost timer); false when none. */
  dropLatest(): boolean {
    const ids = [...this.pending.keys()];
    if (ids.length === 0) return false;
    return this.pending.delete(Math.max(...ids));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Jump to the earliest timer and fire it; returns the delay jumped, or null when none. */
  fireNext(): number | null {
    let best: [number, { at: number; fn: () => void }] | null = null;
    for (const e of this.pending) if (!best || e[1].at < best[1].at) best = e;
    if (!best) return null;
    this.pending.delete(best[0]);
    const jumped = best[1].at - this.nowMs;
    this.nowMs = best[1].at;
    best[1].fn();
    return jumped;
  }
}
