import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BikeBotError, isBikeBotError } from '../../src/domain/errors.js';
import type { Snapshot } from '../../src/domain/station.js';
import type { FeedSource, PollResult } from '../../src/feeds/feed-source.js';
import { backoffDelayMs, FeedPoller } from '../../src/feeds/poller.js';
import { FakeTimers } from './fake-timers.js';

const snap = (n: number): Snapshot => ({ feedId: 'f', systemId: 's', fetchedAt: new Date(n).toISOString(), asOf: null, stations: [] });

/** A source whose rounds are scripted: each poll() takes the next step. */
class ScriptedSource implements FeedSource {
  readonly feedId = 'f';
  readonly system = { id: 's', name: 'S', timezone: 'UTC' };
  calls = 0;
  signals: AbortSignal[] = [];
  constructor(private readonly step: (call: number, signal: AbortSignal) => Promise<PollResult>) {}
  poll(signal: AbortSignal): Promise<PollResult> {
    this.calls++;
    this.signals.push(signal);
    return this.step(this.calls, signal);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

test('refuses an interval below 30 s', () => {
  const source = new ScriptedSource(async () => ({ snapshot: null, nextPollInMs: null }));
  assert.throws(() => new FeedPoller({ source, intervalMs: 29_999 }), (e: unknown) => isBikeBotError(e, 'CONFIG_INVALID'));
  assert.doesNotThrow(() => new FeedPoller({ source, intervalMs: 30_000 }));
});

test('concurrent pollNow calls share one request', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const source = new ScriptedSource(async () => {
    await gate;
    return { snapshot: snap(1), nextPollInMs: null };
  });
  const got: Snapshot[] = [];
  const timers = new FakeTimers();
  const poller = new FeedPoller({ source, timers, now: timers.now, onSnapshot: (s) => void got.push(s) });
  const all = Array.from({ length: 50 }, () => poller.pollNow());
  assert.equal(poller.status.inFlight, true);
  release();
  const outcomes = await Promise.all(all);
  assert.equal(source.calls, 1);
  assert.ok(outcomes.every((o) => o === 'snapshot'));
  assert.equal(got.length, 1);
  assert.equal(poller.status.requests, 1);
  // After the round, the next pollNow is a new request.
  await poller.pollNow();
  assert.equal(source.calls, 2);
});

test('schedule: start polls at once, then max(interval, upstream max-age); 304 is not re-emitted', async () => {
  const results: PollResult[] = [
    { snapshot: snap(1), nextPollInMs: 30_000 },
    { snapshot: null, nextPollInMs: 120_000 },
    { snapshot: snap(2), nextPollInMs: null },
  ];
  const source = new ScriptedSource(async (n) => results[n - 1]);
  const timers = new FakeTimers();
  const got: Snapshot[] = [];
  const poller = new FeedPoller({ source, timers, now: timers.now, intervalMs: 60_000, onSnapshot: (s) => void got.push(s) });
  poller.start();
  poller.start(); // harmless
  assert.equal(timers.size, 1);
  assert.equal(timers.fireNext(), 0);
  await flush();
  assert.equal(timers.fireNext(), 60_000); // max-age 30 s is below our interval
  await flush();
  assert.equal(timers.fireNext(), 120_000); // upstream asked for longer
  await flush();
  assert.equal(source.calls, 3);
  assert.deepEqual(got.map((s) => s.fetchedAt), [snap(1).fetchedAt, snap(2).fetchedAt]);
  const st = poller.status;
  assert.equal(st.requests, 3);
  assert.equal(st.notModified, 1);
  assert.equal(st.snapshots, 2);
  assert.equal(st.nextPollAt, new Date(timers.nowMs + 60_000).toISOString());
  await poller.stop();
  assert.equal(timers.size, 0);
  assert.equal(poller.status.nextPollAt, null);
});

test('jitter: each wait after a good round grows by up to jitterMs, never shrinks below the interval or max-age', async () => {
  const source = new ScriptedSource(async (n) => ({ snapshot: snap(n), nextPollInMs: n === 2 ? 120_000 : null }));
  const timers = new FakeTimers();
  const randoms = [0.5, 1, 0];
  let ri = 0;
  const poller = new FeedPoller({ source, timers, now: timers.now, intervalMs: 60_000, jitterMs: 4_000, random: () => randoms[ri++] });
  poller.start();
  assert.equal(timers.fireNext(), 0);
  await flush();
  assert.equal(timers.fireNext(), 62_000);
  await flush();
  assert.equal(timers.fireNext(), 124_000); // the feed's max-age, then the jitter
  await flush();
  assert.equal(timers.scheduled[timers.scheduled.length - 1], 60_000);
  await poller.stop();
});

test('back-off: ceilings double from 2 × interval, capped, jittered between interval and ceiling', () => {
  const I = 60_000;
  const cap = 900_000;
  assert.deepEqual([1, 2, 3, 4, 5, 10].map((n) => backoffDelayMs(n, I, cap, 1)), [120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelayMs(n, I, cap, 0)), [I, I, I, I]);
  assert.equal(backoffDelayMs(3, I, cap, 0.5), 270_000);
  assert.equal(backoffDelayMs(1000, I, cap, 0.5), 480_000); // huge failure counts do not overflow
});

test('errors back off with jitter from the injected random, are reported, and success resets', async () => {
  const failUntil = 6;
  const source = new ScriptedSource(async (n) => {
    if (n <= failUntil) throw new BikeBotError('FEED_NETWORK', `down ${n}`);
    return { snapshot: snap(n), nextPollInMs: null };
  });
  const timers = new FakeTimers();
  const randoms = [0.5, 0.9, 0.1, 0.5, 1, 0.99];
  let ri = 0;
  const errors: string[] = [];
  const poller = new FeedPoller({ source, timers, now: timers.now, random: () => randoms[ri++], intervalMs: 60_000, maxBackoffMs: 600_000, onError: (e) => errors.push(e.code) });
  poller.start();
  const delays: number[] = [];
  timers.fireNext(); // first poll
  for (let i = 0; i < failUntil; i++) {
    await flush();
    delays.push(timers.scheduled[timers.scheduled.length - 1]);
    timers.fireNext();
  }
  await flush();
  // ceilings: 120 k, 240 k, 480 k, then the 600 k cap; each delay = I + r × (ceiling − I)
  assert.deepEqual(delays, [90_000, 222_000, 102_000, 330_000, 600_000, 594_600]);
  assert.ok(delays.every((d) => d >= 60_000 && d <= 600_000));
  assert.equal(errors.length, failUntil);
  assert.ok(errors.every((c) => c === 'FEED_NETWORK'));
  const st = poller.status;
  assert.equal(st.consecutiveFailures, 0);
  assert.equal(st.lastError, null);
  assert.equal(st.snapshots, 1);
  assert.equal(timers.scheduled[timers.scheduled.length - 1], 60_000);
  await poller.stop();
});

test('429 with Retry-After: next poll no sooner, and pollNow is deferred meanwhile', async () => {
  const source = new ScriptedSource(async (n) => {
    if (n === 1) throw new BikeBotError('FEED_RATE_LIMITED', '429', { status: 429, retryAfterS: 600 });
    return { snapshot: snap(n), nextPollInMs: null };
  });
  const timers = new FakeTimers();
  const poller = new FeedPoller({ source, timers, now: timers.now, random: () => 0 });
  assert.equal(await poller.pollNow(), 'error');
  assert.equal(poller.status.lastError?.code, 'FEED_RATE_LIMITED');
  timers.nowMs += 60_000;
  assert.equal(await poller.pollNow(), 'deferred');
  assert.equal(source.calls, 1);
  timers.nowMs += 540_000;
  assert.equal(await poller.pollNow(), 'snapshot');
  assert.equal(source.calls, 2);

  // Running: the scheduled delay itself respects Retry-After.
  const s2 = new ScriptedSource(async () => {
    throw new BikeBotError('FEED_RATE_LIMITED', '429', { status: 429, retryAfterS: 700 });
  });
  const t2 = new FakeTimers();
  const p2 = new FeedPoller({ source: s2, timers: t2, now: t2.now, random: () => 0 });
  p2.start();
  t2.fireNext();
  await flush();
  assert.equal(t2.scheduled[1], 700_000);
  await p2.stop();
});

test('stop() aborts the request in flight, reports no error, and leaves no timer', async () => {
  const source = new ScriptedSource(
    (_n, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(new BikeBotError('FEED_NETWORK', 'aborted')));
      }),
  );
  const timers = new FakeTimers();
  const errors: unknown[] = [];
  const poller = new FeedPoller({ source, timers, now: timers.now, onError: (e) => errors.push(e) });
  poller.start();
  timers.fireNext();
  const p = poller.pollNow(); // shares the round in flight
  assert.equal(source.calls, 1);
  await poller.stop();
  assert.equal(await p, 'aborted');
  assert.equal(source.signals[0].aborted, true);
  assert.deepEqual(errors, []);
  assert.equal(timers.size, 0);
  assert.equal(poller.status.running, false);
  assert.equal(poller.status.inFlight, false);
  assert.equal(poller.status.consecutiveFailures, 0);
});

test('a throwing onSnapshot is reported as INTERNAL and does not stop the schedule', async () => {
  const source = new ScriptedSource(async (n) => ({ snapshot: snap(n), nextPollInMs: null }));
  const timers = new FakeTimers();
  const errors: string[] = [];
  const poller = new FeedPoller({
    source,
    timers,
    now: timers.now,
    onSnapshot: () => {
      throw new Error('consumer bug');
    },
    onError: (e) => errors.push(e.code),
  });
  poller.start();
  timers.fireNext();
  await flush();
  assert.deepEqual(errors, ['INTERNAL']);
  assert.equal(poller.status.consecutiveFailures, 0);
  assert.equal(timers.size, 1);
  await poller.stop();
});

test('a Retry-After of 3,000,000 s is capped at 15 min: polling comes back, no timer overflows', async () => {
  const source = new ScriptedSource(async (n) => {
    if (n <= 2) throw new BikeBotError('FEED_RATE_LIMITED', '429', { status: 429, retryAfterS: 3_000_000 });
    return { snapshot: snap(n), nextPollInMs: 10 * 86_400_000 };
  });
  const timers = new FakeTimers();
  const poller = new FeedPoller({ source, timers, watchdogTimers: timers, now: timers.now, random: () => 0.5 });
  poller.start();
  for (let i = 0; i < 200 && source.calls < 3; i++) {
    timers.fireNext();
    await flush();
  }
  // Three rounds happened (two refusals, then data) and a fourth is scheduled.
  assert.ok(source.calls >= 3, `polled ${source.calls} times`);
  assert.ok(poller.status.snapshots >= 1);
  assert.ok(Math.max(...timers.scheduled) <= 15 * 60_000, `largest delay ${Math.max(...timers.scheduled)} ms`);
  assert.ok(poller.status.nextPollAt !== null);
  assert.ok(Date.parse(poller.status.nextPollAt) - timers.nowMs <= 15 * 60_000, 'a huge max-age is capped too');
  // While the hold lasts, an early wake-up re-arms instead of leaving nothing scheduled.
  assert.equal(poller.status.watchdogRescues, 0);
  await poller.stop();
  assert.equal(timers.size, 0);
});

test('watchdog: a lost poll timer is noticed within two intervals and polling resumes', async () => {
  const errors: string[] = [];
  // Something (a bug, a cleared handle) loses the scheduled poll; only the watchdog is left.
  const t2 = new FakeTimers();
  const s2 = new ScriptedSource(async (n) => ({ snapshot: snap(n), nextPollInMs: null }));
  const p2 = new FeedPoller({ source: s2, timers: t2, watchdogTimers: t2, now: t2.now, onError: (e) => errors.push(e.code) });
  p2.start();
  t2.fireNext();
  await flush();
  const pollTimerAt = Date.parse(p2.status.nextPollAt!);
  // The round's last act was to schedule the next poll: that is the timer lost.
  assert.ok(t2.dropLatest());
  for (let i = 0; i < 3 && s2.calls < 2; i++) {
    t2.fireNext();
    await flush();
  }
  assert.equal(s2.calls, 2, 'the watchdog polled again');
  assert.ok(t2.nowMs - pollTimerAt <= 2 * 60_000);
  assert.equal(p2.status.watchdogRescues, 1);
  assert.ok(p2.status.nextPollAt !== null);
  await p2.stop();
});

test('watchdog: a round that never settles is aborted and polling resumes', async () => {
  const source = new ScriptedSource((n, signal) =>
    n === 1 ? new Promise<PollResult>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) : Promise.resolve({ snapshot: snap(n), nextPollInMs: null }),
  );
  const timers = new FakeTimers();
  const errors: string[] = [];
  const poller = new FeedPoller({ source, timers, watchdogTimers: timers, now: timers.now, onError: (e) => errors.push(e.code) });
  poller.start();
  for (let i = 0; i < 10 && source.calls < 2; i++) {
    timers.fireNext();
    await flush();
  }
  assert.equal(source.calls, 2);
  assert.equal(poller.status.snapshots, 1);
  assert.deepEqual(errors, ['FEED_TIMEOUT']);
  assert.equal(poller.status.watchdogRescues, 1);
  await poller.stop();
});
