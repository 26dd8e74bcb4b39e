import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBikeBotError } from '../../src/domain/errors.js';
import type { Snapshot } from '../../src/domain/station.js';
import { ConditionalHttp } from '../../src/feeds/conditional-http.js';
import { FeedPoller } from '../../src/feeds/poller.js';
import { createFeedSource, isFeedKind } from '../../src/feeds/registry.js';
import { TflSource } from '../../src/feeds/tfl-source.js';
import { userAgent } from '../../src/version.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { makeTflFolder } from '../replay/replay-fixture.js';
import { FakeTimers } from './fake-timers.js';

const isCode = (code: string) => (e: unknown) => isBikeBotError(e, code as never);

describe('TflSource and FeedPoller against the replay server', () => {
  let fx: ReturnType<typeof makeTflFolder>;
  let server: ReplayServer;
  before(async () => {
    fx = makeTflFolder();
    server = await startReplayServer({ source: fx.dir, maxAgeS: 90, speed: 1 });
  });
  after(async () => {
    await server.close();
    fx.cleanup();
  });
  const fresh = (timeoutMs = 2000) => {
    server.resetStats();
    server.setFaults({ errorRate: 0, latencyMs: 0, timeoutRate: 0, truncateRate: 0, malformedRate: 0, rateLimitRate: 0 });
    return new TflSource({ baseUrl: server.url + '/', version: '9.9.9', timeoutMs });
  };

  test('truncated and malformed bodies fail the poll even when the feed has not changed', async () => {
    const source = fresh();
    const ac = new AbortController();
    assert.ok((await source.poll(ac.signal)).snapshot);
    for (const fault of [{ truncateRate: 1 }, { malformedRate: 1 }]) {
      server.setFaults({ truncateRate: 0, malformedRate: 0, ...fault });
      await assert.rejects(source.poll(ac.signal), isCode('FEED_PARSE'));
    }
    server.setFaults({ truncateRate: 0, malformedRate: 0 });
    // The validators of the broken body were forgotten: the next round is a full one.
    assert.ok((await source.poll(ac.signal)).snapshot);
  });

  test('second poll is conditional: 304, no snapshot, max-age becomes nextPollInMs', async () => {
    const source = fresh();
    const ac = new AbortController();
    const first = await source.poll(ac.signal);
    assert.equal(first.snapshot?.stations.length, 2);
    assert.equal(first.snapshot?.asOf, '2022-07-27T08:00:00.123Z');
    assert.equal(first.snapshot?.stations[0].name, 'River Street, Clerkenwell');
    assert.equal(first.nextPollInMs, 90_000);
    const second = await source.poll(ac.signal);
    assert.equal(second.snapshot, null);
    assert.equal(second.nextPollInMs, 90_000);
    assert.deepEqual(server.stats(), { requests: 2, byPath: { '/BikePoint': 2 }, notModified: 1 });
  });

  test('the poller emits a snapshot once, not again on 304', async () => {
    const source = fresh();
    const timers = new FakeTimers();
    const got: Snapshot[] = [];
    const poller = new FeedPoller({ source, timers, now: timers.now, onSnapshot: (s) => void got.push(s) });
    assert.equal(await poller.pollNow(), 'snapshot');
    assert.equal(await poller.pollNow(), 'not_modified');
    assert.equal(await poller.pollNow(), 'not_modified');
    assert.equal(got.length, 1);
    assert.equal(server.stats().notModified, 2);
    assert.equal(poller.status.requests, server.stats().requests);
  });

  test('one request in flight: 25 concurrent pollNow calls cost upstream one request', async () => {
    const source = fresh();
    server.setFaults({ latencyMs: 150 });
    const poller = new FeedPoller({ source, timers: new FakeTimers() });
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => poller.pollNow()));
    assert.ok(outcomes.every((o) => o === 'snapshot'));
    assert.equal(server.stats().requests, 1);
  });

  test('timeout: FEED_TIMEOUT, the poller backs off and recovers', async () => {
    const source = fresh(200);
    server.setFaults({ timeoutRate: 1 });
    const timers = new FakeTimers();
    const errors: string[] = [];
    const poller = new FeedPoller({ source, timers, now: timers.now, random: () => 0.5, onError: (e) => errors.push(e.code) });
    poller.start();
    timers.fireNext();
    const t0 = performance.now();
    while (poller.status.consecutiveFailures === 0 && performance.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(errors, ['FEED_TIMEOUT']);
    assert.equal(poller.status.lastError?.code, 'FEED_TIMEOUT');
    assert.equal(timers.scheduled.at(-1), 90_000); // 60 s + 0.5 × (120 s − 60 s)
    server.setFaults({ timeoutRate: 0 });
    assert.equal(await poller.pollNow(), 'snapshot');
    assert.equal(poller.status.consecutiveFailures, 0);
    await poller.stop();
  });

  test('malformed and truncated bodies: FEED_PARSE, the poller keeps going, the next fetch is a full one', async () => {
    const source = fresh();
    const timers = new FakeTimers();
    const errors: string[] = [];
    const got: Snapshot[] = [];
    const poller = new FeedPoller({ source, timers, now: timers.now, onError: (e) => errors.push(e.code), onSnapshot: (s) => void got.push(s) });
    server.setFaults({ malformedRate: 1 });
    assert.equal(await poller.pollNow(), 'error');
    server.setFaults({ malformedRate: 0, truncateRate: 1 });
    assert.equal(await poller.pollNow(), 'error');
    assert.deepEqual(errors, ['FEED_PARSE', 'FEED_PARSE']);
    assert.equal(poller.status.consecutiveFailures, 2);
    server.setFaults({ truncateRate: 0 });
    // The truncated 200 carried an ETag; it was forgotten with the bad body, so this is a 200, not a 304.
    assert.equal(await poller.pollNow(), 'snapshot');
    assert.equal(got.length, 1);
    assert.equal(server.stats().notModified, 0);
  });

  test('429: FEED_RATE_LIMITED with Retry-After, and the poller waits that long, up to its 15 min ceiling', async () => {
    const source = fresh();
    server.setFaults({ rateLimitRate: 1, retryAfterS: 1800 });
    await assert.rejects(source.poll(new AbortController().signal), (e: unknown) => isBikeBotError(e, 'FEED_RATE_LIMITED') && e.retryAfterS === 1800 && e.status === 429);
    const timers = new FakeTimers();
    const poller = new FeedPoller({ source, timers, now: timers.now, random: () => 0 });
    poller.start();
    timers.fireNext();
    const t0 = performance.now();
    while (poller.status.consecutiveFailures === 0 && performance.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 10));
    assert.equal(timers.scheduled.at(-1), 900_000);
    assert.equal(await poller.pollNow(), 'deferred');
    assert.equal(server.stats().requests, 2);
    await poller.stop();
  });

  test('500 is FEED_HTTP; a closed port is FEED_NETWORK', async () => {
    const source = fresh();
    server.setFaults({ errorRate: 1 });
    await assert.rejects(source.poll(new AbortController().signal), isCode('FEED_HTTP'));
    const dead = new TflSource({ baseUrl: 'http://127.0.0.1:1', version: '1', timeoutMs: 1000 });
    await assert.rejects(dead.poll(new AbortController().signal), isCode('FEED_NETWORK'));
  });

  test('stop() aborts a slow request in flight', async () => {
    const source = fresh(5000);
    server.setFaults({ latencyMs: 3000 });
    const errors: unknown[] = [];
    const poller = new FeedPoller({ source, onError: (e) => errors.push(e) });
    poller.start();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(poller.status.inFlight, true);
    const t0 = performance.now();
    await poller.stop();
    assert.ok(performance.now() - t0 < 1000);
    assert.deepEqual(errors, []);
    assert.equal(poller.status.inFlight, false);
  });
});

test('User-Agent names BikeBot and its version; app_key goes as a query parameter; registry builds sources', async () => {
  const seen: Array<{ url: string; ua: string | undefined }> = [];
  const http = createServer((req, res) => {
    seen.push({ url: req.url ?? '', ua: req.headers['user-agent'] });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[{"id":"BikePoints_1","commonName":"A","lat":51.5,"lon":-0.1,"additionalProperties":[{"key":"NbBikes","value":"2"}]}]');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    assert.equal(userAgent('1.2.3'), 'BikeBot/1.2.3 (+https://github.com/bikebot/bikebot)');
    assert.ok(isFeedKind('tfl'));
    assert.ok(!isFeedKind('toString'));
    const source = createFeedSource('tfl', { baseUrl: base, appKey: 'k&y', version: '1.2.3', timeoutMs: 1000 });
    const r = await source.poll(new AbortController().signal);
    assert.equal(r.snapshot?.stations[0].bikes, 2);
    assert.equal(r.nextPollInMs, null);
    assert.deepEqual(seen, [{ url: '/BikePoint?app_key=k%26y', ua: 'BikeBot/1.2.3 (+https://github.com/bikebot/bikebot)' }]);
    // A shared ConditionalHttp reports each request.
    const outcomes: string[] = [];
    const shared = new ConditionalHttp({ userAgent: userAgent('1'), timeoutMs: 1000, onRequest: (i) => outcomes.push(i.outcome) });
    await new TflSource({ baseUrl: base, version: '1', timeoutMs: 1000, http: shared }).poll(new AbortController().signal);
    assert.deepEqual(outcomes, ['ok']);
  } finally {
    await new Promise((r) => http.close(r));
  }
});
