import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBikeBotError } from '../../src/domain/errors.js';
import { parseBikePoints } from '../../src/feeds/tfl-parse.js';
import { runReplayServerCommand } from '../../src/replay/replay-command.js';
import type { ReplayRoute } from '../../src/replay/replay-route.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { fixtureBikePoints } from '../feeds/tfl-fixture.js';
import { FIXTURE_TIMES, makeTflFolder } from './replay-fixture.js';

type Place = { id: string; commonName: string; additionalProperties: Array<Record<string, string>>; lat: number; lon: number };
const count = (p: Place, key: string) => p.additionalProperties.find((q) => q.key === key)?.value;

describe('replay server from a BikePoint JSON file', () => {
  let dir: string;
  let file: string;
  let text: string;
  let server: ReplayServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bikebot-replay-json-'));
    file = join(dir, 'bikepoint.json');
    text = JSON.stringify(fixtureBikePoints());
    writeFileSync(file, text);
    server = await startReplayServer({ source: file, maxAgeS: 45 });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('serves the file byte for byte with validators and caching headers', async () => {
    const res = await fetch(`${server.url}/BikePoint?app_key=secret`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), text);
    assert.match(res.headers.get('etag') ?? '', /^"[\w-]{10,}"$/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=45');
    assert.equal(res.headers.get('last-modified'), new Date('2025-09-12T14:36:21.533Z').toUTCString());
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  });

  test('304 on a matching If-None-Match or If-Modified-Since; 200 otherwise', async () => {
    server.resetStats();
    const first = await fetch(`${server.url}/BikePoint`);
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    await first.arrayBuffer();
    const byEtag = await fetch(`${server.url}/BikePoint`, { headers: { 'if-none-match': `W/"nope", ${etag}` } });
    assert.equal(byEtag.status, 304);
    assert.equal(byEtag.headers.get('etag'), etag);
    const byDate = await fetch(`${server.url}/BikePoint`, { headers: { 'if-modified-since': lastModified } });
    assert.equal(byDate.status, 304);
    const older = await fetch(`${server.url}/BikePoint`, { headers: { 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() } });
    assert.equal(older.status, 200);
    await older.arrayBuffer();
    // If-None-Match wins over If-Modified-Since.
    const stale = await fetch(`${server.url}/BikePoint`, { headers: { 'if-none-match': '"other"', 'if-modified-since': lastModified } });
    assert.equal(stale.status, 200);
    await stale.arrayBuffer();
    assert.deepEqual(server.stats(), { requests: 5, byPath: { '/BikePoint': 5 }, notModified: 2 });
  });

  test('/BikePoint/{id}: one Place; unknown ids get a TfL-style 404', async () => {
    server.resetStats();
    const one = (await (await fetch(`${server.url}/BikePoint/BikePoints_2`)).json()) as Place;
    assert.equal(one.id, 'BikePoints_2');
    assert.equal(one.commonName, 'Kennington Road  , Vauxhall');
    const missing = await fetch(`${server.url}/BikePoint/BikePoints_9999`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as Record<string, unknown>;
    assert.equal(body.httpStatusCode, 404);
    assert.equal(body.message, 'The following place id is not recognised: BikePoints_9999');
    const nowhere = await fetch(`${server.url}/Nope`);
    assert.equal(nowhere.status, 404);
    await nowhere.arrayBuffer();
    // The control API is not counted.
    await (await fetch(`${server.url}/__replay/stats`)).json();
    assert.deepEqual(server.stats(), { requests: 3, byPath: { '/BikePoint/BikePoints_2': 1, '/BikePoint/BikePoints_9999': 1, '/Nope': 1 }, notModified: 0 });
  });

  test('faults: 500, 429 with Retry-After, malformed and truncated bodies; control API sets them', async () => {
    server.setFaults({ errorRate: 1 });
    assert.equal((await fetch(`${server.url}/BikePoint`)).status, 500);
    server.setFaults({ errorRate: 0, rateLimitRate: 1, retryAfterS: 77 });
    const limited = await fetch(`${server.url}/BikePoint`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '77');
    await limited.arrayBuffer();

    const set = await fetch(`${server.url}/__replay/faults`, { method: 'POST', body: JSON.stringify({ rateLimitRate: 0, malformedRate: 1 }) });
    assert.equal(set.status, 200);
    assert.equal(((await set.json()) as { malformedRate: number }).malformedRate, 1);
    const malformed = await fetch(`${server.url}/BikePoint`);
    assert.equal(malformed.status, 200);
    await assert.rejects(malformed.json());

    server.setFaults({ malformedRate: 0, truncateRate: 1 });
    const cut = await fetch(`${server.url}/BikePoint`);
    const cutText = await cut.text();
    assert.equal(cutText, text.slice(0, Math.floor(text.length / 2)));
    assert.equal(Number(cut.headers.get('content-length')), Buffer.byteLength(cutText));

    const bad = await fetch(`${server.url}/__replay/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 2 }) });
    assert.equal(bad.status, 400);
    await bad.arrayBuffer();
    assert.throws(() => server.setFaults({ nonsense: 1 } as never), (e: unknown) => isBikeBotError(e, 'INVALID_INPUT'));
    server.setFaults({ truncateRate: 0 });
    assert.equal((await fetch(`${server.url}/BikePoint`)).status, 200);
  });

  test('body faults reach a client that holds current validators: a broken 200, never a 304', async () => {
    server.setFaults({ truncateRate: 0, malformedRate: 0 });
    const first = await fetch(`${server.url}/BikePoint`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const unchanged = await fetch(`${server.url}/BikePoint`, { headers: { 'if-none-match': etag } });
    assert.equal(unchanged.status, 304);
    for (const fault of ['truncateRate', 'malformedRate'] as const) {
      server.setFaults({ truncateRate: 0, malformedRate: 0, [fault]: 1 });
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/BikePoint`, { headers: { 'if-none-match': etag } });
        assert.equal(res.status, 200, `${fault}: the data has not changed, but the fault must still show`);
        await assert.rejects(res.json() as Promise<unknown>);
      }
    }
    server.setFaults({ truncateRate: 0, malformedRate: 0 });
  });

  test('timeouts: the request is never answered, and close() still returns', async () => {
    const s = await startReplayServer({ source: file, faults: { timeoutRate: 1 } });
    await assert.rejects(fetch(`${s.url}/BikePoint`, { signal: AbortSignal.timeout(150) }), (e: Error) => e.name === 'TimeoutError');
    assert.equal(s.stats().requests, 1);
    await s.close();
  });

  test('latency is added before answering', async () => {
    server.setFaults({ latencyMs: 120 });
    const t0 = performance.now();
    const res = await fetch(`${server.url}/BikePoint`);
    await res.arrayBuffer();
    assert.ok(performance.now() - t0 >= 110);
    server.setFaults({ latencyMs: 0 });
  });
});

describe('replay server from stations.csv + occupancy CSVs', () => {
  let fx: ReturnType<typeof makeTflFolder>;
  let clock = 0;
  let server: ReplayServer;
  before(async () => {
    fx = makeTflFolder();
    clock = 1_000_000;
    server = await startReplayServer({ source: fx.dir, speed: 60, now: () => clock });
  });
  after(async () => {
    await server.close();
    fx.cleanup();
  });
  const get = async () => {
    const res = await fetch(`${server.url}/BikePoint`);
    return { res, places: (await res.json()) as Place[] };
  };

  test('renders TfL shape from the CSVs: strings, modified = query time in UTC, order kept', async () => {
    assert.equal(server.replayTime().toISOString(), '2022-07-27T08:00:00.123Z');
    const { res, places } = await get();
    assert.deepEqual(places.map((p) => p.id), ['BikePoints_1', 'BikePoints_2']); // unknown BikePoints_999 is not served
    const p1 = places[0];
    assert.deepEqual(Object.keys(p1), ['$type', 'id', 'url', 'commonName', 'placeType', 'additionalProperties', 'children', 'childrenUrls', 'lat', 'lon']);
    assert.equal(p1.commonName, 'River Street , Clerkenwell'); // TfL's spelling, not ours
    assert.deepEqual(p1.additionalProperties.map((q) => q.key), ['TerminalName', 'Installed', 'Locked', 'InstallDate', 'RemovalDate', 'Temporary', 'NbBikes', 'NbEmptyDocks', 'NbDocks']);
    assert.ok(p1.additionalProperties.every((q) => q.category === 'Description' && typeof q.value === 'string' && q.modified === '2022-07-27T08:00:00.123Z'));
    assert.equal(count(p1, 'NbBikes'), '10');
    assert.equal(count(p1, 'TerminalName'), '001023');
    assert.equal(res.headers.get('last-modified'), new Date('2022-07-27T08:00:00.123Z').toUTCString());
  });

  test('replay time advances speed × real time, snapshots change, and the last one stays', async () => {
    const first = await get();
    const etag0 = first.res.headers.get('etag');
    clock += 19 * 1000; // × 60 = 19 min of replay: still the first snapshot
    assert.equal((await get()).res.headers.get('etag'), etag0);
    clock += 2000; // 08:21:00.123 — past the second query time (08:20:00.5)
    const second = await get();
    assert.notEqual(second.res.headers.get('etag'), etag0);
    assert.deepEqual(second.places.map((p) => [p.id, count(p, 'NbBikes'), count(p, 'NbEmptyDocks')]), [
      ['BikePoints_2', '6', '30'],
      ['BikePoints_1', '11', '7'],
    ]);
    // Parsed by our own client, the counts and observation time come through.
    const snap = parseBikePoints(second.places, { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date() });
    assert.equal(snap.asOf, '2022-07-27T08:20:00.500Z');
    assert.equal(snap.stations.find((s) => s.id === 'BikePoints_1')?.brokenDocks, 1);
    clock += 24 * 3600 * 1000;
    const last = await get();
    assert.equal(last.places.length, 3);
    const p3 = last.places[2];
    assert.equal(p3.commonName, 'Say "Hello" Street, Nowhere');
    assert.equal(count(p3, 'Temporary'), 'true');
    assert.equal(count(p3, 'InstallDate'), '');
    assert.equal(count(p3, 'RemovalDate'), '1539000000000');
    const stats = (await (await fetch(`${server.url}/__replay/stats`)).json()) as { tfl: { snapshots: number; current: number; droppedRows: number } };
    assert.deepEqual(stats.tfl, { snapshots: 3, current: 2, droppedRows: 1 });
  });

  test('setReplayTime jumps the clock (also through the control API)', async () => {
    server.setReplayTime(new Date(FIXTURE_TIMES[0] + 'Z'));
    assert.equal(count((await get()).places[0], 'NbBikes'), '10');
    const r = await fetch(`${server.url}/__replay/time`, { method: 'POST', body: JSON.stringify({ at: '2022-07-27T08:30:00Z' }) });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    assert.equal(count((await get()).places[1], 'NbBikes'), '11');
  });
});

test('extra routes get the same validators, 304s, faults and counting', async () => {
  const route: ReplayRoute = {
    name: 'echo',
    match: (p) => (p === '/gbfs.json' ? (req) => ({ status: 200, body: JSON.stringify({ base: req.baseUrl }), maxAgeS: 5 }) : null),
  };
  const s = await startReplayServer({ routes: [route], seed: 7 });
  try {
    const a = await fetch(`${s.url}/gbfs.json`);
    const body = (await a.json()) as { base: string };
    assert.equal(body.base, s.url);
    assert.equal(a.headers.get('cache-control'), 'public, max-age=5');
    const b = await fetch(`${s.url}/gbfs.json`, { headers: { 'if-none-match': a.headers.get('etag') as string } });
    assert.equal(b.status, 304);
    s.setFaults({ errorRate: 1 });
    assert.equal((await fetch(`${s.url}/gbfs.json`)).status, 500);
    assert.deepEqual(s.stats(), { requests: 3, byPath: { '/gbfs.json': 3 }, notModified: 1 });
  } finally {
    await s.close();
  }
});

test('seeded faults repeat exactly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-replay-seed-'));
  const file = join(dir, 'b.json');
  writeFileSync(file, JSON.stringify(fixtureBikePoints()));
  const run = async () => {
    const s = await startReplayServer({ source: file, seed: 42, faults: { errorRate: 0.5 } });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${s.url}/BikePoint`);
      await r.arrayBuffer();
      codes.push(r.status);
    }
    await s.close();
    return codes;
  };
  try {
    const a = await run();
    assert.deepEqual(await run(), a);
    assert.ok(a.includes(500) && a.includes(200), a.join(','));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad sources and options are CONFIG_INVALID', async () => {
  await assert.rejects(startReplayServer({ source: '/nonexistent/bikepoint.json' }), (e: unknown) => isBikeBotError(e, 'CONFIG_INVALID'));
  await assert.rejects(startReplayServer({}), (e: unknown) => isBikeBotError(e, 'CONFIG_INVALID'));
  await assert.rejects(startReplayServer({ routes: [{ name: 'x', match: () => null }], speed: 0 }), (e: unknown) => isBikeBotError(e, 'CONFIG_INVALID'));
});

test('runReplayServerCommand serves --from and prints its URL', async () => {
  const fx = makeTflFolder();
  const lines: string[] = [];
  const cfg = { from: fx.dir, gbfs: [], speed: 1, startAt: '2022-07-27T08:30:00Z', maxAgeS: 30, errorRate: 0, latencyMs: 0, timeoutRate: 0, truncateRate: 0, malformedRate: 0, rateLimitRate: 0, retryAfterS: 30, host: '127.0.0.1', port: 0 };
  const s = await runReplayServerCommand(cfg, (l) => lines.push(l));
  try {
    assert.ok(lines.some((l) => l.includes(s.url)), lines.join('\n'));
    const places = (await (await fetch(`${s.url}/BikePoint`)).json()) as Place[];
    assert.equal(count(places.find((p) => p.id === 'BikePoints_1') as Place, 'NbBikes'), '11');
  } finally {
    await s.close();
    fx.cleanup();
  }
  await assert.rejects(runReplayServerCommand({ ...cfg, from: null }, () => undefined), (e: unknown) => isBikeBotError(e, 'CONFIG_INVALID'));
});

test('listens on IPv6 loopback too', async () => {
  const fx = makeTflFolder();
  const s = await startReplayServer({ source: fx.dir, host: '::1' });
  try {
    assert.match(s.url, /^http:\/\/\[::1\]:\d+$/);
    assert.equal((await fetch(`${s.url}/BikePoint`)).status, 200);
  } finally {
    await s.close();
    fx.cleanup();
  }
});

