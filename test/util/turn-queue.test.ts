/** TurnQueue: pieces of work one per turn of the event loop, in the order they asked; I/O is served between them. */
import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { TurnQueue } from '../../src/util/turn-queue.js';

/** Holds the thread for ms, as a parse or a build does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

test('pieces run in the order they asked, each in a later turn', async () => {
  const turns = new TurnQueue();
  const log: string[] = [];
  const pieces = ['a', 'b', 'c'].map((k) => turns.run(() => log.push(k)));
  assert.equal(turns.pending, 3);
  // Nothing runs in the turn that asked.
  await Promise.resolve();
  assert.deepEqual(log, []);
  await Promise.all(pieces);
  assert.deepEqual(log, ['a', 'b', 'c']);
  assert.equal(turns.pending, 0);
});

test('a request that arrives while forty pieces wait is answered before they have all run', async (t) => {
  const turns = new TurnQueue();
  const log: string[] = [];
  const server = createServer((_req, res) => {
    log.push('request');
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const answered = new Promise<void>((resolve, reject) => get(`http://127.0.0.1:${port}/`, (res) => res.resume().on('end', resolve)).on('error', reject));
  // All asked at once, as forty systems' files arrive together; 5 ms each.
  const pieces = Array.from({ length: 40 }, (_, i) => turns.run(() => (busy(5), log.push(`piece ${i}`))));
  await Promise.all([answered, ...pieces]);
  const at = log.indexOf('request');
  assert.ok(at >= 0 && at < 40, `the request waited for every piece: ${log.join(', ')}`);
});
