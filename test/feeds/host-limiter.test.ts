import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ConditionalHttp } from '../../src/feeds/conditional-http.js';
import { HostLimiter } from '../../src/feeds/host-limiter.js';

/** A loopback feed host that answers after `delayMs` and records how many requests it had in flight at most. */
interface Host { server: Server; base: string; now: number; most: number; served: number }
const hosts: Host[] = [];
const DELAY_MS = 250;

async function host(): Promise<Host> {
  const h: Host = { server: createServer(), base: '', now: 0, most: 0, served: 0 };
  h.server.on('request', (_req, res) => {
    h.now++;
    h.most = Math.max(h.most, h.now);
    setTimeout(() => {
      h.now--;
      h.served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, DELAY_MS);
  });
  await new Promise<void>((r) => h.server.listen(0, '127.0.0.1', r));
  h.base = `http://127.0.0.1:${(h.server.address() as AddressInfo).port}`;
  hosts.push(h);
  return h;
}

let a: Host;
let b: Host;
before(async () => {
  a = await host();
  b = await host();
});
after(() => Promise.all(hosts.map((h) => new Promise<void>((r) => h.server.close(() => r())))));

test('no more than perHost requests reach one host at once; another host is not held up by it', async () => {
  const limiter = new HostLimiter(3);
  const http = new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 10_000, limiter });
  a.most = b.most = 0;
  const gets = [
    ...Array.from({ length: 12 }, (_, i) => http.get(`${a.base}/system-${i}/station_status.json`)),
    ...Array.from({ length: 3 }, (_, i) => http.get(`${b.base}/other-${i}/station_status.json`)),
  ];
  // While host A works through its queue, host B's three are all in flight.
  for (const t0 = Date.now(); b.now < 3 && Date.now() - t0 < 5000; ) await new Promise((r) => setTimeout(r, 5));
  assert.equal(b.now, 3);
  assert.equal(limiter.inFlight(a.base), 3);
  assert.ok(a.now <= 3 && limiter.queued(a.base) >= 6, `A: ${a.now} at the host, ${limiter.queued(a.base)} queued`);
  const results = await Promise.all(gets);
  assert.ok(results.every((r) => r.status === 200 && r.body === '{"ok":true}'));
  assert.equal(a.most, 3);
  assert.equal(b.most, 3);
  assert.equal(limiter.inFlight(a.base), 0);
  assert.equal(limiter.queued(a.base), 0);
});

test('the request timeout runs from when a request goes out, not from when it joined the queue', async () => {
  const limiter = new HostLimiter(1);
  // Each answer takes 250 ms; four in a row take ~1 s, past the 600 ms timeout of each.
  const http = new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 600, limiter });
  const results = await Promise.all(Array.from({ length: 4 }, (_, i) => http.get(`${a.base}/slow-${i}.json`)));
  assert.equal(results.length, 4);
  assert.ok(results.every((r) => r.status === 200));
});

test('a poll stopped while its request waits gives up its place and takes no slot', async () => {
  const limiter = new HostLimiter(1);
  const http = new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 10_000, limiter });
  const served = a.served;
  const first = http.get(`${a.base}/first.json`);
  const controller = new AbortController();
  const waiting = http.get(`${a.base}/stopped.json`, controller.signal);
  assert.equal(limiter.queued(a.base), 1);
  controller.abort();
  await assert.rejects(waiting);
  assert.equal(limiter.queued(a.base), 0);
  await first;
  // The stopped one never reached the host, and the slot is free again.
  assert.equal(a.served, served + 1);
  assert.equal(limiter.inFlight(a.base), 0);
  assert.equal((await http.get(`${a.base}/after.json`)).status, 200);
});

test('a limiter of fewer than one request per host is refused', () => {
  assert.throws(() => new HostLimiter(0), /whole number/);
});
