import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GbfsRoutes, gbfsReplayRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { T0, tinyDocs, writeSystemFolder } from './fixtures.js';

test('gbfs.json points at the replay server, only at files it has; status advances per ttl; 304s and faults apply', async () => {
  const dir = writeSystemFolder(tinyDocs({ statusTtl: 60 }));
  let t = Date.parse('2024-03-01T12:00:00Z');
  const [routes] = gbfsReplayRoutes([dir.root]);
  assert.deepEqual(routes.systemNames(), ['tiny-town'], 'a folder of system folders is expanded');
  const server = await startReplayServer({ routes: [routes], now: () => t });
  try {
    const disc = (await (await fetch(routes.entryUrl(server.url, 'tiny-town'))).json()) as { data: Record<string, { feeds: { name: string; url: string }[] }> };
    assert.deepEqual(Object.keys(disc.data).sort(), ['en', 'fr']);
    const en = disc.data.en.feeds;
    assert.deepEqual(en.map((f) => f.name), ['system_information', 'station_information', 'station_status', 'vehicle_types'], 'free_bike_status is not served, so not listed');
    assert.ok(en.every((f) => f.url === `${server.url}/gbfs/tiny-town/${f.name}.json`));

    const statusUrl = `${server.url}/gbfs/tiny-town/station_status.json`;
    const r1 = await fetch(statusUrl);
    const etag = r1.headers.get('etag')!;
    assert.equal(r1.headers.get('cache-control'), 'public, max-age=60');
    assert.equal(((await r1.json()) as { last_updated: number }).last_updated, T0);
    t += 59_000;
    assert.equal((await fetch(statusUrl, { headers: { 'if-none-match': etag } })).status, 304, 'same ttl step: unchanged');
    t += 1_000;
    const r2 = await fetch(statusUrl, { headers: { 'if-none-match': etag } });
    assert.equal(r2.status, 200);
    const doc = (await r2.json()) as { last_updated: number; data: { stations: { last_reported: number }[] } };
    assert.equal(doc.last_updated, T0 + 60);
    assert.equal(doc.data.stations[0].last_reported, T0 + 60 - 30);

    server.setFaults({ errorRate: 1 });
    assert.equal((await fetch(statusUrl)).status, 500);
    server.setFaults({ errorRate: 0, rateLimitRate: 1, retryAfterS: 7 });
    const limited = await fetch(statusUrl);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    server.setFaults({ rateLimitRate: 0 });
    assert.equal((await fetch(`${server.url}/gbfs/tiny-town/free_bike_status.json`)).status, 404);
    assert.equal((await fetch(`${server.url}/gbfs/elsewhere/gbfs.json`)).status, 404);
  } finally {
    await server.close();
    dir.cleanup();
  }
});

test('rewritten URLs follow how the client reached the server (IPv6 loopback)', async (t) => {
  const dir = writeSystemFolder(tinyDocs());
  const routes = new GbfsRoutes({ folders: [dir.folder] });
  let server;
  try {
    server = await startReplayServer({ routes: [routes], host: '::1' });
  } catch (e) {
    dir.cleanup();
    t.skip(`no IPv6 loopback here: ${(e as Error).message}`);
    return;
  }
  try {
    assert.match(server.url, /^http:\/\/\[::1\]:\d+$/);
    const disc = (await (await fetch(routes.entryUrl(server.url, 'tiny-town'))).json()) as { data: { en: { feeds: { url: string }[] } } };
    assert.ok(disc.data.en.feeds.every((f) => f.url.startsWith(`${server.url}/gbfs/tiny-town/`)));
  } finally {
    await server.close();
    dir.cleanup();
  }
});

test('a folder without station files is refused with a clear message', () => {
  const dir = writeSystemFolder({ system_information: { data: {} } }, 'empty');
  try {
    assert.throws(() => new GbfsRoutes({ folders: [dir.folder] }), /no system folder \(with station_information\.json and station_status\.json\)/);
  } finally {
    dir.cleanup();
  }
});
