/**
 * Issue 11, items 1–3 end to end: the real served app polling a hand-made upstream
 * (a loopback server whose body the test sets), so that a damaged but valid feed, a
 * feed without counts, a huge body, stale data and a switch of source can be shown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { buildServedApp, type ServedApp } from '../../src/serve.js';
import { place } from '../feeds/tfl-fixture.js';

const WORDS = ['Abbey', 'Baker', 'Cedar', 'Dover', 'Elm', 'Fleet', 'Grove', 'Hazel', 'Ivy', 'Juniper', 'Kestrel', 'Larch', 'Maple', 'Nettle', 'Oak', 'Poplar', 'Quarry', 'Rowan', 'Sorrel', 'Thistle', 'Umber', 'Violet', 'Willow', 'Yarrow', 'Zinnia', 'Aspen', 'Birch', 'Clover', 'Daisy', 'Fern'];

/** A TfL-shaped feed of 30 stations; `counts(i)` gives NbBikes/NbEmptyDocks/NbDocks or null to leave them out. */
function feed(n: number, counts: (i: number) => [string, string, string] | null, modified: string): unknown[] {
  return WORDS.slice(0, n).map((w, i) => {
    const c = counts(i);
    const props: Record<string, string> = { TerminalName: String(1000 + i), Installed: 'true', Locked: 'false', Temporary: 'false' };
    if (c) Object.assign(props, { NbBikes: c[0], NbEmptyDocks: c[1], NbDocks: c[2] });
    return place({ id: `BikePoints_${i + 1}`, name: `${w} Street, Testham`, lat: 51.5 + i * 0.002, lon: -0.12 + i * 0.002, props, modified });
  });
}
const good = (modified: string) => feed(30, (i) => [String(3 + (i % 5)), String(10 - (i % 5)), '15'], modified);

class Upstream {
  body = '[]';
  status = 200;
  requests = 0;
  server!: Server;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.requests++;
      const etag = `"${createHash('sha1').update(this.body).digest('hex')}"`;
      if (this.status !== 200) return void res.writeHead(this.status).end();
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/json', etag, 'cache-control': 'max-age=30' }).end(this.body);
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  set(json: unknown): void {
    this.body = JSON.stringify(json);
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function serve(dataDir: string, tflUrl: string, extra: string[] = []): Promise<ServedApp> {
  const cfg = loadConfig({ argv: ['serve', '--tfl-url', tflUrl, '--data-dir', dataDir, '--log-level', 'silent', '--poll-interval', '30', '--max-event-loop-delay', '0', ...extra], env: {} });
  return buildServedApp(cfg, { processMetrics: false });
}

async function ask(s: ServedApp, text: string): Promise<{ reply: string; stations: Array<{ name: string; bikes: number | null }> }> {
  const res = await s.app.inject({ method: 'POST', url: '/api/chat', payload: { text } });
  return res.json().answer;
}

async function readyz(s: ServedApp): Promise<{ code: number; body: { status: string; reasons: string[]; snapshotAgeS: number | null; feeds: Array<{ refused: { reason: string } | null }> } }> {
  const res = await s.app.inject({ method: 'GET', url: '/readyz' });
  return { code: res.statusCode, body: res.json() };
}

test('suspect snapshots are refused, counted and reported; the last good one keeps answering', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-trust-'));
  const up = new Upstream();
  await up.start();
  const s = await serve(join(dir, 'data'), up.url);
  t.after(async () => {
    await s.core.close();
    await s.app.close();
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const now = new Date().toISOString();
  const poll = () => s.core.pollers[0].pollNow();

  up.set(good(now));
  assert.equal(await poll(), 'snapshot');
  assert.equal(s.core.live.index()?.size, 30);
  assert.deepEqual((await readyz(s)).body.status, 'ready');
  const before = await ask(s, 'bikes at maple street');
  assert.equal(before.stations[0]?.name, 'Maple Street, Testham');

  const damaged: Array<[string, unknown[], RegExp, string]> = [
    ['3 of 30 stations', good(now).slice(0, 3), /27 of 30 known stations are missing/, 'stations_lost'],
    ['no count fields', feed(30, () => null, now), /counts are missing or implausible at 30 of 30/, 'counts_bad'],
    ['every count 0', feed(30, () => ['0', '0', '15'], now), /30 zeroed/, 'counts_bad'],
  ];
  for (const [what, body, reason, kind] of damaged) {
    up.set(body);
    assert.equal(await poll(), 'snapshot', what);
    assert.equal(s.core.live.index()?.size, 30, `${what}: the last good snapshot stays`);
    const r = await readyz(s);
    assert.equal(r.code, 200, what);
    assert.equal(r.body.status, 'degraded', what);
    assert.match(r.body.reasons.join(' | '), reason, what);
    assert.match(r.body.feeds[0].refused?.reason ?? '', reason);
    const a = await ask(s, 'bikes at maple street');
    assert.equal(a.stations[0]?.name, 'Maple Street, Testham', `${what}: still answered from the last good data`);
    assert.equal(a.stations[0]?.bikes, before.stations[0]?.bikes);
    const metrics = (await s.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, new RegExp(`bikebot_feed_snapshots_refused_total\\{feed="tfl",reason="${kind}"\\} [1-9]`), what);
  }

  // A good feed again: accepted, ready again.
  up.set(feed(29, (i) => [String(i % 4), '5', '15'], now));
  assert.equal(await poll(), 'snapshot');
  assert.equal(s.core.live.index()?.size, 29, 'losing one station of 30 (3%) is within the 10% limit');
  assert.equal((await readyz(s)).body.status, 'ready');
});

test('a body over --feed-max-bytes is abandoned as FEED_HTTP, not read whole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-trust-'));
  let bytesSent = 0;
  // An upstream that never stops sending.
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk)) bytesSent += chunk.length;
      if (!res.destroyed) res.once('drain', pump);
    };
    res.write('[');
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const s = await serve(join(dir, 'data'), url, ['--feed-max-bytes', String(1024 * 1024)]);
  t.after(async () => {
    await s.core.close();
    await s.app.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });
  assert.equal(await s.core.pollers[0].pollNow(), 'error');
  const err = s.core.pollers[0].status.lastError;
  assert.equal(err?.code, 'FEED_HTTP');
  assert.match(err?.message ?? '', /1048576-byte limit/);
  assert.ok(bytesSent < 64 * 1024 * 1024, `stopped early (${bytesSent} bytes sent)`);
});

test('readiness: stale data is degraded, very old data is not_ready (503); thresholds are configuration', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-trust-'));
  const up = new Upstream();
  await up.start();
  const s = await serve(join(dir, 'data'), up.url, ['--degraded-after', '600', '--not-ready-after', '7200']);
  t.after(async () => {
    await s.core.close();
    await s.app.close();
    await up.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
  for (const [ageS, status, code] of [
    [60, 'ready', 200],
    [1800, 'degraded', 200],
    [4.5 * 365 * 86_400, 'not_ready', 503],
  ] as const) {
    up.set(good(ago(ageS)));
    await s.core.pollers[0].pollNow();
    const r = await readyz(s);
    assert.equal(r.body.status, status, `${ageS} s old`);
    assert.equal(r.code, code);
    assert.ok(r.body.snapshotAgeS !== null && Math.abs(r.body.snapshotAgeS - ageS) < 5);
    if (status !== 'ready') assert.match(r.body.reasons.join(' '), new RegExp(`${Math.round(ageS / 10)}\\d s old`));
  }
});

test('snapshots are keyed by source: a demo run never stands in for live; no data says the feed is unreachable', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-trust-'));
  const dataDir = join(dir, 'data');
  const demo = new Upstream();
  await demo.start();
  t.after(async () => {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The demo (a replay of old data) fills the default data folder...
  demo.set(good('2022-08-01T08:25:10Z'));
  const first = await serve(dataDir, demo.url);
  assert.equal(await first.core.pollers[0].pollNow(), 'snapshot');
  await new Promise((r) => setTimeout(r, 100)); // the save runs in the background
  await first.core.close();
  await first.app.close();

  // ...then a live serve whose feed cannot be reached must not answer from it.
  const closed = new Upstream();
  await closed.start();
  const deadUrl = closed.url;
  await closed.close();
  const live = await serve(dataDir, deadUrl);
  t.after(async () => {
    await live.core.close();
    await live.app.close();
  });
  assert.equal(live.core.live.index(), null, 'the demo snapshot is not restored for another source');
  assert.equal(await live.core.pollers[0].pollNow(), 'error');
  const r = await readyz(live);
  assert.equal(r.code, 503);
  assert.equal(r.body.status, 'not_ready');
  assert.match(r.body.reasons[0], /no station data yet .*FEED_NETWORK/);
  // The poller is not started here; a started one has a next try to tell of.
  const a = await ask(live, 'bikes at maple street');
  assert.match(a.reply, /can't reach the live station feed/);

  // The same source again: its own snapshot is restored.
  const again = await serve(dataDir, demo.url);
  t.after(async () => {
    await again.core.close();
    await again.app.close();
  });
  assert.equal(again.core.live.index()?.size, 30);
});
