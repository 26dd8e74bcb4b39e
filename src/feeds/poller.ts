import { BikeBotError, isBikeBotError } from '../domain/errors.js';
import type { Snapshot } from '../domain/station.js';
import type { FeedSource } from './feed-source.js';

export const DEFAULT_INTERVAL_MS = 60_000;
export const MIN_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_BACKOFF_MS = 15 * 60_000;
/**
 * Node's timers overflow above 2^31-1 ms (~24.8 days) and fire after 1 ms instead;
 * no delay we schedule may come near that, whatever upstream asks for.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface PollerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FeedPollerOptions {
  source: FeedSource;
  /** Between successful polls; default 60 s, refused below 30 s. */
  intervalMs?: number;
  /** Ceiling of the error back-off, of Retry-After and of the feed's own max-age; default 15 min. */
  maxBackoffMs?: number;
  /** A round that has not finished after this long is aborted and rescheduled (default 2 × interval + 60 s). */
  stuckAfterMs?: number;
  onSnapshot?: (snapshot: Snapshot) => void | Promise<void>;
  onError?: (err: BikeBotError) => void;
  /** After every round, with its outcome and the status (nextPollAt set): the feed lease shares it with other replicas. */
  onRound?: (outcome: PollOutcome, status: Readonly<PollerStatus>) => void;
  /**
   * The interval floor; default MIN_INTERVAL_MS (30 s). Lowered only by the test/rehearsal
   * flag --poll-interval-ms, against a replay server — never for a real feed.
   */
  minIntervalMs?: number;
  /**
   * Up to this much is added, at random, to each wait after a good round (default 0):
   * feeds that started together — every system of a fresh start — drift apart rather than
   * hitting their hosts in step for ever. Only ever added, so never more than one request
   * per interval.
   */
  jitterMs?: number;
  /** Injected for tests: wall clock (ms), timers and the jitter source in [0, 1). */
  now?: () => number;
  timers?: PollerTimers;
  random?: () => number;
  /**
   * The watchdog's timers. Default: the real ones, or none when `timers` is injected
   * without this (tests of the schedule alone); pass the same fake to test both.
   */
  watchdogTimers?: PollerTimers | null;
}

export interface PollerStatus {
  feedId: string;
  running: boolean;
  inFlight: boolean;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  consecutiveFailures: number;
  nextPollAt: string | null;
  /** Upstream rounds started by this poller (each is one request for TfL). */
  requests: number;
  notModified: number;
  snapshots: number;
  /** Times the watchdog found no poll scheduled, or a round stuck, and put polling back on schedule. */
  watchdogRescues: number;
}

export type PollOutcome = 'snapshot' | 'not_modified' | 'error' | 'aborted' | 'deferred';

const realTimers: PollerTimers = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    // The poller alone must never keep a process alive (a CLI that forgot to stop it).
    t.unref?.();
    return t;
  },
  clearTimeout(h) {
    clearTimeout(h as ReturnType<typeof setTimeout>);
  },
};

function toBikeBotError(e: unknown): BikeBotError {
  if (e instanceof BikeBotError) return e;
  return new BikeBotError('INTERNAL', e instanceof Error ? e.message : String(e), { cause: e });
}

/**
 * Error back-off: the ceiling doubles per consecutive failure (first ceiling = 2 × interval)
 * up to maxBackoffMs, and the delay is drawn uniformly between the normal interval and that
 * ceiling. Full jitter spreads many clients apart after a shared outage; the floor keeps
 * a failing feed from being polled faster than a healthy one.
 */
export function backoffDelayMs(failures: number, intervalMs: number, maxBackoffMs: number, random: number): number {
  const ceiling = Math.max(intervalMs, Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(failures, 30)));
  return Math.round(intervalMs + random * (ceiling - intervalMs));
}

/**
 * Polls one feed on its own schedule. Never two requests in flight: concurrent pollNow()
 * calls share the round already running. The schedule is the poller's alone, so the
 * number of upstream requests does not depend on how many questions are asked.
 */
export class FeedPoller {
  private readonly intervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly timers: PollerTimers;
  private readonly random: () => number;
  private readonly stuckAfterMs: number;
  private readonly watchdogTimers: PollerTimers | null;
  private running = false;
  private timer: unknown = null;
  private watchdog: unknown = null;
  private roundStartedAt = 0;
  private inFlight: Promise<PollOutcome> | null = null;
  private controller: AbortController | null = null;
  /** Upstream asked us (Retry-After) not to come back before this time. */
  private holdUntil = 0;
  private st: Omit<PollerStatus, 'feedId' | 'running' | 'inFlight'> = {
    lastSuccessAt: null,
    lastAttemptAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextPollAt: null,
    requests: 0,
    notModified: 0,
    snapshots: 0,
    watchdogRescues: 0,
  };

  constructor(private readonly opts: FeedPollerOptions) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
    const floor = opts.minIntervalMs ?? MIN_INTERVAL_MS;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < floor) {
      throw new BikeBotError('CONFIG_INVALID', `poll interval for ${opts.source.feedId} must be at least ${floor / 1000} s (got ${this.intervalMs / 1000} s)`);
    }
    this.maxBackoffMs = Math.max(this.intervalMs, opts.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? realTimers;
    this.random = opts.random ?? Math.random;
    this.stuckAfterMs = opts.stuckAfterMs ?? 2 * this.intervalMs + 60_000;
    this.watchdogTimers = opts.watchdogTimers !== undefined ? opts.watchdogTimers : opts.timers ? null : realTimers;
  }

  get feedId(): string {
    return this.opts.source.feedId;
  }

  get status(): Readonly<PollerStatus> {
    return { feedId: this.feedId, running: this.running, inFlight: this.inFlight !== null, ...this.st, lastError: this.st.lastError && { ...this.st.lastError } };
  }

  /**
   * Poll after initialDelayMs (default at once), then on schedule. Calling it twice is
   * harmless. A replica taking over a feed lease passes the delay its predecessor planned,
   * so a takeover does not add a request.
   */
  start(initialDelayMs = 0): void {
    if (this.running) return;
    this.running = true;
    this.schedule(Math.max(0, initialDelayMs));
    this.armWatchdog();
  }

  /**
   * One round now, unless one is running (then share it) or upstream told us to wait
   * (Retry-After not yet over: 'deferred', no request).
   */
  pollNow(): Promise<PollOutcome> {
    if (this.inFlight) return this.inFlight;
    if (this.now() < this.holdUntil) return Promise.resolve('deferred');
    this.clearTimer();
    const p = this.round().finally(() => {
      this.inFlight = null;
      this.controller = null;
    });
    this.inFlight = p;
    return p;
  }

  /** Stop polling: aborts the request in flight, clears timers, resolves once idle. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    if (this.watchdog !== null) this.watchdogTimers?.clearTimeout(this.watchdog);
    this.watchdog = null;
    this.st.nextPollAt = null;
    this.controller?.abort();
    if (this.inFlight) await this.inFlight.catch(() => undefined);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Every interval, checks that the promise "a poll is always coming" still holds: a
   * timer is armed and not long overdue, or a round is running and not stuck. If not
   * (a lost timer, a source that never settles), it aborts what hangs and polls again.
   */
  private armWatchdog(): void {
    if (!this.running || !this.watchdogTimers) return;
    this.watchdog = this.watchdogTimers.setTimeout(() => {
      this.watchdog = null;
      this.checkSchedule();
      this.armWatchdog();
    }, this.intervalMs);
  }

  private checkSchedule(): void {
    if (!this.running) return;
    const now = this.now();
    if (this.inFlight) {
      if (now - this.roundStartedAt < this.stuckAfterMs) return;
      this.st.watchdogRescues++;
      this.safeOnError(new BikeBotError('FEED_TIMEOUT', `poll of ${this.feedId} still running after ${Math.round((now - this.roundStartedAt) / 1000)} s; aborted by the watchdog`));
      this.controller?.abort();
      return;
    }
    const due = this.st.nextPollAt ? Date.parse(this.st.nextPollAt) : Number.NaN;
    // Grace of one interval: a timer may fire late on a busy event loop without being lost.
    if (this.timer !== null && Number.isFinite(due) && now <= due + this.intervalMs) return;
    this.st.watchdogRescues++;
    this.safeOnError(new BikeBotError('INTERNAL', `no poll of ${this.feedId} was scheduled or it is overdue; the watchdog polls now`));
    this.holdUntil = Math.min(this.holdUntil, now);
    void this.pollNow();
  }

  private schedule(delayMs: number): void {
    delayMs = Math.min(Math.max(0, delayMs), this.maxBackoffMs, MAX_TIMER_MS);
    this.clearTimer();
    if (!this.running) {
      this.st.nextPollAt = null;
      return;
    }
    this.st.nextPollAt = new Date(this.now() + delayMs).toISOString();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      // A timer may fire a little before the Retry-After hold ends; wait out the rest
      // rather than let a 'deferred' round leave nothing scheduled.
      const holdLeft = this.holdUntil - this.now();
      if (holdLeft > 0 && !this.inFlight) this.schedule(holdLeft);
      else void this.pollNow();
    }, delayMs);
  }

  private async round(): Promise<PollOutcome> {
    const controller = new AbortController();
    this.controller = controller;
    this.roundStartedAt = this.now();
    const startedAt = this.now();
    this.st.requests++;
    this.st.lastAttemptAt = new Date(this.now()).toISOString();
    let outcome: PollOutcome;
    let nextDelay: number;
    try {
      const res = await this.opts.source.poll(controller.signal);
      if (controller.signal.aborted) return this.afterAbort();
      this.st.lastSuccessAt = new Date(this.now()).toISOString();
      this.st.consecutiveFailures = 0;
      this.st.lastError = null;
      const jitter = this.opts.jitterMs ?? 0;
      nextDelay = Math.max(this.intervalMs, res.nextPollInMs ?? 0) + (jitter > 0 ? Math.round(this.random() * jitter) : 0);
      if (res.snapshot) {
        this.st.snapshots++;
        outcome = 'snapshot';
        await this.deliver(res.snapshot);
      } else {
        this.st.notModified++;
        outcome = 'not_modified';
      }
    } catch (e) {
      // stop() aborted us: not an upstream failure, nothing to report or back off from.
      if (controller.signal.aborted) return this.afterAbort();
      const err = toBikeBotError(e);
      this.st.consecutiveFailures++;
      this.st.lastError = { code: err.code, message: err.message, at: new Date(this.now()).toISOString() };
      nextDelay = backoffDelayMs(this.st.consecutiveFailures, this.intervalMs, this.maxBackoffMs, this.random());
      if (isBikeBotError(err, 'FEED_RATE_LIMITED')) {
        // Honoured up to the back-off ceiling: a Retry-After of a month (or one that
        // overflows a timer) must not stop polling for good.
        const waitMs = Math.min((err.retryAfterS ?? 0) * 1000, this.maxBackoffMs);
        nextDelay = Math.max(nextDelay, waitMs);
        this.holdUntil = this.now() + waitMs;
      }
      outcome = 'error';
      this.safeOnError(err);
    }
    // Counted from the start of the round, so a slow response or a busy process does not
    // stretch the cadence: one request per interval, as promised to upstream and to replicas.
    this.schedule(Math.max(0, startedAt + nextDelay - this.now()));
    try {
      this.opts.onRound?.(outcome, this.status);
    } catch {
      // Sharing the schedule is best effort; polling goes on.
    }
    return outcome;
  }

  /** stop() aborted us: nothing to report. The watchdog aborted a stuck round: poll again later. */
  private afterAbort(): PollOutcome {
    if (this.running) this.schedule(this.intervalMs);
    return 'aborted';
  }

  private async deliver(snapshot: Snapshot): Promise<void> {
    try {
      await this.opts.onSnapshot?.(snapshot);
    } catch (e) {
      // A consumer's bug is not the feed's failure: report it without backing off.
      this.safeOnError(new BikeBotError('INTERNAL', `onSnapshot failed for ${this.feedId}: ${(e as Error)?.message ?? e}`, { cause: e }));
    }
  }

  private safeOnError(err: BikeBotError): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // A throwing error handler must not stop the schedule.
    }
  }
}
