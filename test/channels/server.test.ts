import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, installGracefulShutdown } from '../../src/server.js';
import { startTestServer } from './fixtures/app.js';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

test('the default host "::" answers on both [::1] and 127.0.0.1', async () => {
  const s = await startTestServer({}, '::');
  try {
    assert.match(s.url, /^http:\/\/\[::1\]:\d+$/);
    const v6 = await get(`http://[::1]:${s.port}/healthz`);
    const v4 = await get(`http://127.0.0.1:${s.port}/healthz`);
    assert.equal(v6.status, 200);
    assert.equal(v4.status, 200);
    assert.deepEqual(JSON.parse(v4.body), { status: 'ok' });
  } finally {
    await s.close();
  }
});

test('close() finishes the request in progress, then refuses new connections', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const s = await startTestServer({});
  const slowTurn = s.pipeline.handleTurn;
  // Rebuild with a turn that waits, to have a request in flight at close time.
  await s.close();
  let started!: () => void;
  const inHandler = new Promise<void>((r) => (started = r));
  const t = await startTestServer({ handleTurn: async (m) => (started(), await gate, slowTurn(m)) });
  const inFlight = fetch(`${t.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'help' }) });
  // Close only once the request is really being handled; a fixed sleep raced on a busy machine.
  await inHandler;
  const closing = t.close();
  assert.equal(t.close(), closing, 'close is idempotent');
  release();
  const res = await inFlight;
  assert.equal(res.status, 200, 'the in-flight request completed');
  await closing;
  await assert.rejects(fetch(`${t.url}/healthz`), 'no longer listening');
});

test('installGracefulShutdown closes once on SIGTERM and exits 0; handlers can be removed', async () => {
  let closes = 0;
  const exits: number[] = [];
  const logged: string[] = [];
  const log = { info: (_o: object, m: string) => logged.push(m), error: (_o: object, m: string) => logged.push(m) };
  const before = process.listenerCount('SIGTERM');
  const uninstall = installGracefulShutdown(async () => void closes++, log, { exit: (c) => exits.push(c), signals: ['SIGTERM'] });
  assert.equal(process.listenerCount('SIGTERM'), before + 1);
  process.emit('SIGTERM', 'SIGTERM');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(closes, 1);
  assert.deepEqual(exits, [0]);
  process.emit('SIGTERM', 'SIGTERM');
  assert.deepEqual(exits, [0, 1], 'a second signal exits at once');
  uninstall();
  assert.equal(process.listenerCount('SIGTERM'), before);
  assert.ok(logged.includes('shutting down'));
});

test('a port already in use is an error, not a silent fallback', async () => {
  const s = await startTestServer({});
  try {
    const { buildHttpApp } = await import('../../src/channels/http-app.js');
    const { Metrics } = await import('../../src/channels/metrics.js');
    const app = await buildHttpApp({ handleTurn: s.pipeline.handleTurn, logger: { level: 'silent' }, metrics: new Metrics(), readiness: () => ({ ready: false, snapshotAgeS: null, stations: 0, feeds: [] }) });
    await assert.rejects(startServer(app, { host: '127.0.0.1', port: s.port }), /EADDRINUSE/);
    await app.close();
  } finally {
    await s.close();
  }
});
