/**
 * The overload guard over real loopback sockets: requests read in one busy event-loop
 * turn are shed once the turn has run past --max-queue-delay, and a connection that
 * comes back before its Retry-After is up gets its next refusal only then, and is
 * admitted only within the tighter bound for impatient clients. Raw
 * sockets, so the test decides which requests share a turn and which connection a
 * request travels on. The handlers' work is counted on the guard's turn clock
 * (work(ms)), not timed: a loaded machine preempting the process mid-turn would
 * otherwise push a request past a bound the test means it to be within. One test
 * keeps the real clock and real work, where load can only add to the delay it checks.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { installOverloadGuard, type ShedReason } from '../../src/channels/overload.js';

interface RawResponse {
  status: number;
  retryAfter: number | null;
  at: number;
}

/** One keep-alive HTTP/1.1 connection; responses come back in order. */
class RawConnection {
  private buffer = '';
  private readonly waiting: Array<(r: RawResponse) => void> = [];
  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = this.buffer.slice(0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (this.buffer.length < end + 4 + length) return;
        this.buffer = this.buffer.slice(end + 4 + length);
        const retry = /\r\nretry-after: *(\d+)/i.exec(head);
        this.waiting.shift()?.({ status: Number(head.split(' ')[1]), retryAfter: retry ? Number(retry[1]) : null, at: performance.now() });
      }
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.setNoDelay(true);
    return new RawConnection(socket);
  }

  /** Writes the request at once (to the kernel); the promise is its response. POST /api/chat, or GET another path. */
  send(path = '/api/chat'): Promise<RawResponse> {
    const body = '{"text":"hi"}';
    this.socket.write(
      path === '/api/chat'
        ? `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
        : `GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
    );
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }
}

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('overload guard on real sockets', () => {
  let app: FastifyInstance | null = null;
  /** The guard's turn clock, ms: only the handlers' work(ms) moves it. */
  let clock = 0;
  const work = (ms: number): void => {
    clock += ms;
  };
  const conns: RawConnection[] = [];
  afterEach(async () => {
    for (const c of conns.splice(0)) c.close();
    await app?.close();
    app = null;
  });

  async function start(opts: {
    maxInFlight?: number;
    maxQueueDelayMs?: number;
    impatientQueueDelayMs?: number;
    retryAfterS?: number;
    /** Queue delay by performance.now() and handlers that really take their time. */
    realClock?: boolean;
    handler: () => Promise<unknown> | unknown;
  }): Promise<{ port: number; shed: ShedReason[]; seen: number[] }> {
    const shed: ShedReason[] = [];
    const seen: number[] = [];
    app = Fastify();
    await installOverloadGuard(app, {
      maxInFlight: opts.maxInFlight ?? 64,
      maxEventLoopDelayMs: 0,
      maxQueueDelayMs: opts.maxQueueDelayMs ?? 0,
      ...(opts.impatientQueueDelayMs !== undefined ? { impatientQueueDelayMs: opts.impatientQueueDelayMs } : {}),
      retryAfterS: opts.retryAfterS ?? 1,
      onShed: (_c, why) => shed.push(why),
      ...(opts.realClock ? {} : { turnClock: () => clock }),
    });
    // What the app's own onResponse hooks (metrics) see of each chat request.
    app.addHook('onResponse', async (req, reply) => {
      if (req.url === '/api/chat') seen.push(reply.statusCode);
    });
    app.post('/api/chat', { config: { channel: 'api' } }, async () => opts.handler());
    app.get('/healthz', { config: { channel: 'ops' } }, async () => ({ status: 'ok' }));
    app.get('/app.js', { config: { channel: 'web' } }, async () => 'void 0;');
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as net.AddressInfo).port, shed, seen };
  }

  test('requests read late in a busy turn are shed with 503 + Retry-After; the first is answered', async () => {
    const { port, shed } = await start({ maxQueueDelayMs: 20, realClock: true, handler: () => (busyWait(30), { ok: true }) });
    for (let i = 0; i < 5; i++) conns.push(await RawConnection.open(port));
    // A round trip on each first, so every connection is accepted and idle.
    for (const c of conns) assert.equal((await c.send('/healthz')).status, 200);
    const replies = conns.map((c) => c.send());
    // Hold the loop while all five requests reach the server's kernel buffers: its
    // next turn reads them together.
    busyWait(50);
    const statuses = (await Promise.all(replies)).map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `one answered, the rest shed: ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s === 503).length, 4);
    for (const r of await Promise.all(replies)) if (r.status === 503) assert.equal(r.retryAfter, 1);
    assert.deepEqual(shed, ['queue_delay', 'queue_delay', 'queue_delay', 'queue_delay']);
  });

  test('after the loop idled, requests on connections answered long ago are not shed', async () => {
    const { port, shed } = await start({ maxQueueDelayMs: 20, handler: () => ({ ok: true }) });
    for (let i = 0; i < 4; i++) conns.push(await RawConnection.open(port));
    for (const c of conns) assert.equal((await c.send('/healthz')).status, 200);
    // Their last answers went out well past the bound ago, but they were not waiting meanwhile.
    await new Promise((r) => setTimeout(r, 60));
    const replies = conns.map((c) => c.send());
    busyWait(30);
    assert.deepEqual((await Promise.all(replies)).map((r) => r.status), [200, 200, 200, 200]);
    assert.deepEqual(shed, []);
  });

  test("the web page's files read in a busy turn are served: a browser loading the page is not refused for a chat answer's wait", async () => {
    const { port, shed } = await start({ maxQueueDelayMs: 20, handler: () => (work(30), { ok: true }) });
    for (let i = 0; i < 5; i++) conns.push(await RawConnection.open(port));
    for (const c of conns) assert.equal((await c.send('/healthz')).status, 200);
    const replies = conns.map((c, i) => c.send(i === 0 ? '/api/chat' : '/app.js'));
    busyWait(50);
    const statuses = (await Promise.all(replies)).map((r) => r.status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    assert.deepEqual(shed, []);
  });

  test('a connection refused again before its Retry-After gets that refusal only when it is up; others are refused at once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { port, seen } = await start({ maxInFlight: 1, handler: async () => (await gate, { ok: true }) });
    const [holder, a, b] = [await RawConnection.open(port), await RawConnection.open(port), await RawConnection.open(port)];
    conns.push(holder, a, b);
    const held = holder.send();
    await new Promise((r) => setTimeout(r, 20));
    const first = await a.send();
    assert.equal(first.status, 503, 'the one place is taken');
    const again = a.send();
    const other = await b.send();
    assert.equal(other.status, 503);
    assert.ok(other.at - first.at < 500, 'another connection is refused at once');
    const second = await again;
    assert.equal(second.status, 503);
    assert.equal(second.retryAfter, 1);
    // Held for half to all of the 1 s Retry-After (a lower bound: it cannot come early).
    assert.ok(second.at - first.at >= 450, `the repeat refusal waited ${Math.round(second.at - first.at)} ms`);
    assert.deepEqual(seen, [503, 503, 503], 'held or not, every refusal reaches the onResponse hooks');
    release();
    assert.equal((await held).status, 200);
    assert.equal((await a.send()).status, 200, 'once there is room, the same connection is answered at once');
    assert.equal((await holder.send('/healthz')).status, 200);
  });

  test('a client that asked again before its Retry-After was up is admitted only within the tighter bound; one that waited as told is judged like any other', async () => {
    let busyMs = 0;
    const { port, shed } = await start({ maxQueueDelayMs: 100, impatientQueueDelayMs: 5, handler: () => (work(busyMs), { ok: true }) });
    const [first, a, last] = [await RawConnection.open(port), await RawConnection.open(port), await RawConnection.open(port)];
    conns.push(first, a, last);
    for (const c of conns) assert.equal((await c.send('/healthz')).status, 200);
    /**
     * Requests written in this order while the loop is held reach the server in one
     * turn, in this order (each socket became readable after the one before).
     */
    const oneTurn = (cs: RawConnection[]): Promise<RawResponse[]> => {
      const replies = cs.map((c) => (busyWait(2), c.send()));
      busyWait(10);
      return Promise.all(replies);
    };

    // a is refused once, reached past the ordinary bound...
    busyMs = 120;
    assert.deepEqual((await oneTurn([first, a])).map((r) => r.status), [200, 503]);
    // ...and asks again at once: answered, being alone in its turn, but now impatient.
    busyMs = 0;
    assert.equal((await a.send()).status, 200);

    // Reached 20 ms into a turn: within the ordinary bound, past the impatient one.
    busyMs = 20;
    const [r1, ra, r3] = await oneTurn([first, a, last]);
    assert.deepEqual([r1.status, ra.status, r3.status], [200, 503, 200], 'the impatient client is refused; the one after it, reached as late, is answered');
    assert.equal(ra.retryAfter, 1);

    // a now waits its Retry-After as told: its next request is judged by the ordinary bound.
    await new Promise((r) => setTimeout(r, 1100));
    assert.deepEqual((await oneTurn([first, a, last])).map((r) => r.status), [200, 200, 200]);
    assert.deepEqual(shed, ['queue_delay', 'queue_delay']);
  });

  test('while more refusals are held than requests are in progress, every client asking again on its connection gets the tighter bound; a first request the ordinary one', async () => {
    let busyMs = 0;
    const { port } = await start({ maxQueueDelayMs: 100, impatientQueueDelayMs: 5, handler: () => (work(busyMs), { ok: true }) });
    const [first, h, b, c] = [await RawConnection.open(port), await RawConnection.open(port), await RawConnection.open(port), await RawConnection.open(port)];
    conns.push(first, h, b, c);
    for (const x of [first, h, c]) assert.equal((await x.send('/healthz')).status, 200);
    // b has asked before on its connection, and waited as told (never refused); c has not asked yet.
    assert.equal((await b.send()).status, 200);
    const oneTurn = (cs: RawConnection[]): Array<Promise<RawResponse>> => {
      const replies = cs.map((x) => (busyWait(2), x.send()));
      busyWait(10);
      return replies;
    };

    // h hammers: refused past the ordinary bound, asks again at once, refused again: held.
    busyMs = 120;
    assert.deepEqual((await Promise.all(oneTurn([first, h]))).map((r) => r.status), [200, 503]);
    busyMs = 20;
    const [answered, heldReply] = oneTurn([first, h]);
    assert.equal((await answered).status, 200);

    // With h held and nothing in progress, b (asking again) is refused 20 ms into a turn; c (a first request) is answered.
    assert.deepEqual((await Promise.all(oneTurn([first, b, c]))).map((r) => r.status), [200, 503, 200]);
    assert.equal((await heldReply).status, 503);
  });

  test('a refusal held when the server closes goes out at once', async () => {
    const { port } = await start({ maxInFlight: 1, retryAfterS: 30, handler: () => new Promise(() => undefined) });
    const [holder, a] = [await RawConnection.open(port), await RawConnection.open(port)];
    conns.push(holder, a);
    void holder.send();
    await new Promise((r) => setTimeout(r, 20));
    const first = await a.send();
    assert.equal(first.status, 503);
    const again = a.send();
    await new Promise((r) => setTimeout(r, 50));
    // Held for 15-30 s, unless the server closes meanwhile.
    const closing = app?.close();
    const second = await again;
    assert.equal(second.status, 503);
    assert.ok(second.at - first.at < 10_000, `the held refusal went out ${Math.round(second.at - first.at)} ms after the first`);
    holder.close();
    await closing;
    app = null;
  });
});
