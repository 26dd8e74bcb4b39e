/**
 * Readies the understanding for each new index a server swaps in: each system's
 * names are built one per turn of the event loop (what a question needs and is not
 * built yet is built when it is asked), then the rehearsal that has V8 compile the
 * matching code (warm.ts) runs, a few asks per turn, so a restarted server answers
 * its first message without waiting for it, and /healthz never waits long. While a
 * conversation turn is in progress no step starts (up to MAX_HOLD_MS): a step in the
 * middle of a turn's awaits would add its whole cost to that answer — the first answer
 * after a restart, above all, which arrives while the rehearsal's cold, slowest steps run.
 */
import type { StationIndex } from './domain/station-index.js';
import { StationResolver } from './domain/understand/station-resolver.js';
import { FIRST_REHEARSALS, NEW_NAMES_REHEARSALS, prepareUnderstanding, rehearsalSteps } from './domain/understand/warm.js';
import type { IntentModel } from './domain/understand/intent-model.js';
import type { TurnQueue } from './util/turn-queue.js';

export interface UnderstandingWarmup {
  /** Call with each new index, as it swaps in: queues the build of its names, then its rehearsal. */
  (index: StationIndex): void;
  /** Rehearsals run from now on (a server calls it as it starts listening): until then they wait. */
  release(): void;
  /** Resolves once the rehearsal for the latest index has run (for tests and benchmarks). */
  idle(): Promise<void>;
  /** A turn begins: no step starts until every turn begun has ended (call the function returned), or MAX_HOLD_MS passed. */
  turnBegins(): () => void;
}

/**
 * Longest a step waits for turns in progress: under steady traffic a turn is always in
 * progress, and the rehearsal (and the geocoder's station areas after a swap) still moves on.
 */
export const MAX_HOLD_MS = 250;

export interface WarmupOptions {
  onError?: (e: unknown) => void;
  /**
   * Run after the steps of each index that is still the latest (the geocoder's station
   * areas); returning true asks to be run again, on the next turn (one system's areas each).
   */
  afterEach?: () => boolean | void;
  /** Run once, after the first rehearsal (the geocoder's sample lookups). */
  alsoOnce?: () => void;
  /** The brain's intent model: the rehearsal understands its asks with it, as turns do. */
  model?: IntentModel;
  /** Longest a step waits for turns in progress (default MAX_HOLD_MS). */
  maxHoldMs?: number;
  /** The process's turns (see TurnQueue): each step takes one among the feeds' pieces of work; without it, a setImmediate each. */
  turns?: TurnQueue | null;
}

export function understandingWarmup(opts: WarmupOptions = {}): UnderstandingWarmup {
  const onError = opts.onError ?? (() => {});
  const maxHoldMs = opts.maxHoldMs ?? MAX_HOLD_MS;
  let alsoOnce = opts.alsoOnce ?? null;
  let released = false;
  // Per server, not per module: what has been rehearsed, so a snapshot with the same names costs nothing more.
  let rehearsed: StationResolver | null = null;
  let compiled = false;
  let steps: Iterator<() => void> | null = null;
  let idle: Promise<void> = Promise.resolve();
  let settle: (() => void) | null = null;
  let turns = 0;
  // When the step now due was first held back by a turn (0: not held), and whether run() waits for the turns to end.
  let heldSince = 0;
  let waiting = false;
  let holdTimer: NodeJS.Timeout | null = null;
  const turnQueue = opts.turns ?? null;
  const later = (fn: () => void): void => {
    if (turnQueue) void turnQueue.turn().then(fn);
    else setImmediate(fn);
  };

  const wake = () => {
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = null;
    if (!waiting) return;
    waiting = false;
    later(run);
  };

  const run = () => {
    if (!steps) return;
    if (turns > 0) {
      const now = performance.now();
      if (heldSince === 0) heldSince = now;
      if (now - heldSince < maxHoldMs) {
        waiting = true;
        holdTimer ??= setTimeout(wake, maxHoldMs - (now - heldSince)).unref();
        return;
      }
    }
    heldSince = 0;
    try {
      const next = steps.next();
      if (!next.done) {
        next.value();
        later(run);
        return;
      }
      if (opts.afterEach?.() === true) {
        later(run);
        return;
      }
      const once = alsoOnce;
      alsoOnce = null;
      once?.();
    } catch (e) {
      onError(e);
    }
    steps = null;
    settle?.();
    settle = null;
  };

  const warm = (index: StationIndex) => {
    // Same names as the last index rehearsed: everything was taken over, built.
    const resolver = StationResolver.forIndex(index);
    if (rehearsed && resolver.sharesCoreWith(rehearsed)) {
      prepareUnderstanding(index);
      // Nothing to rehearse; what else depends on the stations is still built in a step of its own.
      if (steps === null && opts.afterEach) {
        steps = [].values();
        idle = new Promise((resolve) => (settle = resolve));
        if (released) later(run);
      }
      return;
    }
    rehearsed = resolver;
    const count = compiled ? NEW_NAMES_REHEARSALS : FIRST_REHEARSALS;
    compiled = true;
    // A newer index replaces a rehearsal still under way: its names are the ones asked about now.
    const running = steps !== null;
    steps = rehearsalSteps(index, count, opts.model);
    if (!running) {
      idle = new Promise((resolve) => (settle = resolve));
      if (released) later(run);
    }
  };
  const release = () => {
    if (released) return;
    released = true;
    if (steps) later(run);
  };
  const turnBegins = () => {
    turns++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--turns === 0) wake();
    };
  };
  return Object.assign(warm, { release, idle: () => idle, turnBegins });
}
