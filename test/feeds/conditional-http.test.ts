import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ConditionalHttp } from '../../src/feeds/conditional-http.js';

// A server that answers the first request on each connection and resets the connection on
// the second, as a real server does when it closes an idle kept-alive socket just as we reuse it.
let server: Server;
let url: string;
let answered = 0;
let reset = 0;
before(async () => {
  server = createServer((req, res) => {
    const sock = req.socket as typeof req.socket & { served?: number };
    sock.served = (sock.served ?? 0) + 1;
    if (sock.served > 1) {
      reset++;
      sock.resetAndDestroy();
      return;
    }
    answered++;
    res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.json`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('a kept-alive socket reset by the server is retried once on a fresh connection', async () => {
  const http = new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 5000 });
  // Undici hands a socket back to its pool a moment after the body ends, so a few gets in a
  // row are sure to reuse one.
  for (let i = 0; i < 4; i++) {
    const r = await http.get(url);
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"ok":true}');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(answered, 4, 'every get answered');
  assert.ok(reset >= 1, 'the reused socket was reset at least once');
});
