import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBikeBotError } from '../../src/domain/errors.js';
import type { Snapshot } from '../../src/domain/station.js';
import { ConditionalHttp } from '../../src/feeds/conditional-http.js';
import { GbfsSource } from '../../src/feeds/gbfs-source.js';
import { FeedPoller } from '../../src/feeds/poller.js';
import { GbfsRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { T0, tinyDocs, writeSystemFolder } from './fixtures.js';

const system = { id: 'tiny', name: 'Tiny Town Bikes', timezone: 'Europe/Paris' };
const START = Date.parse('2024-03-01T12:00:00Z');

/** One fake clock drives the replay server and the source, so minutes pass instantly. */
async function setup(docs = tinyDocs(), sourceOpts: { statusFloorS?: number; staticFloorS?: number } = {}) {
  const dir = writeSystemFolder(docs);
  let t = START;
  const routes = new GbfsRoutes({ folders: [dir.folder] });
  const server = await startReplayServer({ routes: [routes], now: () => t, startAt: new Date(START) });
  const http = new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 5000 });
  const source = new GbfsSource({ system, url: routes.entryUrl(server.url, 'tiny-town'), http, now: () => t, ...sourceOpts });
  return {
    server,
    source,
    routes,
    advance: (ms: number) => (t += ms),
    now: () => t,
    async close() {
      await server.close();
      dir.cleanup();
    },
  };
}

const count = (byPath: Record<string, number>, file: string) => byPath[`/gbfs/tiny-town/${file}.json`] ?? 0;

test('each file on its own ttl: status every max(ttl, floor), static files hourly; counts measured at the server', async () => {
  const env = await setup(tinyDocs({ statusTtl: 60 }));
  try {
    const first = await env.source.poll(AbortSignal.timeout(5000));
    assert.ok(first.snapshot, 'the first poll gives a snapshot');
    assert.equal(first.snapshot.stations.length, 3);
    assert.equal(first.snapshot.feedId, 'gbfs:tiny');
    assert.equal(first.nextPollInMs, 60_000, 'next due: station_status after its ttl');
    assert.equal(first.snapshot.asOf, new Date(T0 * 1000).toISOString());
    // Asking early costs upstream nothing.
    env.advance(20_000);
    const early = await env.source.poll(AbortSignal.timeout(5000));
    assert.equal(early.snapshot, null);
    assert.equal(early.nextPollInMs, 40_000);
    assert.equal(env.server.stats().requests, 5);

    // Ten minutes, polling exactly when the source asks.
    let snapshots = 0;
    let last: Snapshot | null = null;
    env.advance(early.nextPollInMs!);
    while (env.now() - START <= 600_000) {
      const r = await env.source.poll(AbortSignal.timeout(5000));
      if (r.snapshot) {
        snapshots++;
        last = r.snapshot;
      }
      env.advance(r.nextPollInMs!);
    }
    const byPath = env.server.stats().byPath;
    assert.equal(count(byPath, 'station_status'), 11, 'at t = 0, 60, …, 600 s');
    for (const f of ['gbfs', 'system_information', 'station_information', 'vehicle_types']) assert.equal(count(byPath, f), 1, f);
    assert.equal(snapshots, 10, 'replay time moves station_status on once per ttl');
    assert.equal(last!.asOf, new Date((T0 + 600) * 1000).toISOString());
    assert.equal(last!.stations.find((s) => s.id === 'tiny:a')!.asOf, new Date((T0 + 600 - 30) * 1000).toISOString(), 'last_reported moves with it');
  } finally {
    await env.close();
  }
});

test('a ttl below the floor (BIXI sends 10 s) is floored; unchanged static files cost a 304', async () => {
  const env = await setup(tinyDocs({ statusTtl: 10, staticTtl: 0 }), { statusFloorS: 30, staticFloorS: 120 });
  try {
    const first = await env.source.poll(AbortSignal.timeout(5000));
    assert.equal(first.nextPollInMs, 30_000);
    let polls = 0;
    env.advance(30_000);
    while (env.now() - START <= 240_000) {
      const r = await env.source.poll(AbortSignal.timeout(5000));
      polls++;
      env.advance(r.nextPollInMs!);
    }
    const st = env.server.stats();
    assert.equal(count(st.byPath, 'station_status'), 9, 'every 30 s over 4 minutes, not every 10 s');
    assert.equal(count(st.byPath, 'station_information'), 3, 'at 0, 120, 240 s');
    assert.equal(st.notModified, 8, 'the 2 refetches of 4 static files were 304s');
    assert.equal(polls, 8);
  } finally {
    await env.close();
  }
});

test('a malformed station_status: FEED_PARSE, the poller keeps the last good snapshot, then recovers', async () => {
  const env = await setup();
  const snapshots: Snapshot[] = [];
  const errors: string[] = [];
  const poller = new FeedPoller({ source: env.source, intervalMs: 30_000, now: env.now, onSnapshot: (s) => void snapshots.push(s), onError: (e) => void errors.push(`${e.code}: ${e.message}`) });
  try {
    assert.equal(await poller.pollNow(), 'snapshot');
    env.advance(60_000);
    env.server.setFaults({ malformedRate: 1 });
    assert.equal(await poller.pollNow(), 'error');
    assert.equal(snapshots.length, 1, 'nothing replaces the last good snapshot');
    assert.match(errors[0], /^FEED_PARSE: tiny: GBFS station_status: not JSON/);
    env.server.setFaults({ malformedRate: 0 });
    assert.equal(await poller.pollNow(), 'snapshot');
    assert.equal(snapshots.length, 2);
    assert.equal(snapshots[1].asOf, new Date((T0 + 60) * 1000).toISOString());
    // A truncated body is just as unusable.
    env.advance(60_000);
    env.server.setFaults({ truncateRate: 1 });
    await assert.rejects(env.source.poll(AbortSignal.timeout(5000)), (e) => isBikeBotError(e, 'FEED_PARSE'));
  } finally {
    await poller.stop();
    await env.close();
  }
});

test('station_status with no usable station at all is an error, not an empty city', async () => {
  const docs = tinyDocs();
  (docs.station_status as { data: { stations: unknown[] } }).data.stations = [{ station_id: 'a', is_installed: 'maybe', is_renting: true, is_returning: true }];
  const env = await setup(docs);
  try {
    await assert.rejects(env.source.poll(AbortSignal.timeout(5000)), (e) => isBikeBotError(e, 'FEED_PARSE') && /no usable station/.test((e as Error).message));
  } finally {
    await env.close();
  }
});

test('a 1.0-style folder (no gbfs.json) is read from a folder URL or from file URLs', async () => {
  const docs = tinyDocs();
  delete docs.gbfs;
  delete docs.vehicle_types;
  const env = await setup(docs);
  try {
    const base = env.routes.entryUrl(env.server.url, 'tiny-town');
    assert.match(base, /\/gbfs\/tiny-town\/$/);
    const notes: string[] = [];
    const folder = new GbfsSource({ system, url: base, http: { userAgent: 't', timeoutMs: 5000 }, onNote: (n) => notes.push(n) });
    const a = await folder.poll(AbortSignal.timeout(5000));
    assert.equal(a.snapshot?.stations.length, 3);
    assert.ok(notes.some((n) => /vehicle_types not found \(404\)/.test(n)), notes.join('\n'));
    const files = new GbfsSource({
      system,
      files: { station_information: `${base}station_information.json`, station_status: `${base}station_status.json` },
      http: { userAgent: 't', timeoutMs: 5000 },
    });
    const b = await files.poll(AbortSignal.timeout(5000));
    assert.deepEqual(b.snapshot?.stations.map((s) => s.id).sort(), ['tiny:a', 'tiny:b', 'tiny:c']);
    assert.equal(b.snapshot?.stations.find((s) => s.id === 'tiny:a')?.ebikes, null, 'no vehicle types, no num_ebikes_available: unknown');
  } finally {
    await env.close();
  }
});
