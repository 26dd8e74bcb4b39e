import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BikeBotError, isBikeBotError } from '../domain/errors.js';
import { drawBodyFault, drawRequestFault, dropStations, MALFORMED_BODY, mergeFaults, NO_FAULTS, seededRandom, type Faults } from './faults.js';
import type { ReplayRequest, ReplayResponse, ReplayRoute } from './replay-route.js';
import { etagOf, loadTflReplayData } from './tfl-replay-data.js';
import { tflRoutes } from './tfl-routes.js';

export interface ReplayServerOptions {
  /** Default 127.0.0.1; "::" listens dual-stack. */
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** TfL data: a BikePoint JSON file, or a folder with stations.csv + occupancy/*.csv. */
  source?: string | null;
  /** More routes (GBFS), served with the same faults, validators and counting. */
  routes?: ReplayRoute[];
  /** Replay time advances speed × real time (default 1). */
  speed?: number;
  /** Replay time at start (default: the first TfL snapshot, else now). */
  startAt?: Date | string | null;
  /** Cache-Control max-age sent with data (default 30). */
  maxAgeS?: number;
  faults?: Partial<Faults>;
  /** Fault draws: `random` wins over `seed`; default seed 1, so runs repeat. */
  random?: () => number;
  seed?: number;
  /** Real clock (ms), injectable so tests move replay time without waiting. */
  now?: () => number;
}

export interface ReplayStats {
  /** Every request to a served path (not the /__replay/ control API), faulty ones included. */
  requests: number;
  byPath: Record<string, number>;
  /** Requests answered 304. */
  notModified: number;
}

export interface ReplayServer {
  url: string;
  port: number;
  stats(): ReplayStats;
  resetStats(): void;
  setFaults(f: Partial<Faults>): void;
  faults(): Faults;
  replayTime(): Date;
  /** Jump the replay clock; it keeps advancing at `speed` from there. */
  setReplayTime(at: Date): void;
  close(): Promise<void>;
}

const CONTROL = '/__replay/';
const MAX_CONTROL_BODY = 64 * 1024;

function hostForUrl(host: string): string {
  if (host === '::' || host === '::0') return '[::1]';
  if (host === '0.0.0.0') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function toMs(at: Date | string, what: string): number {
  const t = at instanceof Date ? at.getTime() : Date.parse(at);
  if (Number.isNaN(t)) throw new BikeBotError('CONFIG_INVALID', `${what}: "${String(at)}" is not a date`);
  return t;
}

/** If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); weak comparison for ETags. */
function notModified(req: IncomingMessage, etag: string, lastModified: number | undefined): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const bare = etag.replace(/^W\//, '');
    return inm.split(',').some((t) => {
      const v = t.trim();
      return v === '*' || v.replace(/^W\//, '') === bare;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined && lastModified !== undefined) {
    const t = Date.parse(ims);
    return !Number.isNaN(t) && Math.floor(lastModified / 1000) <= Math.floor(t / 1000);
  }
  return false;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONTROL_BODY) {
        reject(new BikeBotError('PAYLOAD_TOO_LARGE', 'control request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * A real HTTP server standing in for TfL (and GBFS): real data, moving replay time,
 * real validators and caching headers, and switchable faults. Every test, demo and
 * benchmark talks to this rather than to the real API.
 */
export async function startReplayServer(opts: ReplayServerOptions = {}): Promise<ReplayServer> {
  const now = opts.now ?? Date.now;
  const speed = opts.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new BikeBotError('CONFIG_INVALID', `replay speed must be > 0 (got ${speed})`);
  const maxAgeS = opts.maxAgeS ?? 30;
  const random = opts.random ?? seededRandom(opts.seed ?? 1);
  let faults = mergeFaults({ ...NO_FAULTS }, opts.faults ?? {});

  const routes: ReplayRoute[] = [];
  const tfl = opts.source ? loadTflReplayData(opts.source) : null;
  if (tfl) routes.push(tflRoutes(tfl));
  routes.push(...(opts.routes ?? []));
  if (routes.length === 0) throw new BikeBotError('CONFIG_INVALID', 'replay server: nothing to serve (give a TfL source or routes)');

  let anchorReal = now();
  let anchorReplay = opts.startAt ? toMs(opts.startAt, 'replay start') : tfl ? tfl.times[0] : anchorReal;
  const replayNow = () => anchorReplay + (now() - anchorReal) * speed;

  let stats: ReplayStats = { requests: 0, byPath: {}, notModified: 0 };
  const hanging = new Set<ServerResponse>();
  const delays = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  let closing = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (delays.delete(entry), resolve()), ms), resolve };
      delays.add(entry);
    });

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: string, head = false) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(head ? undefined : body);
  };
  const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value));

  async function control(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const what = pathname.slice(CONTROL.length);
    try {
      if (req.method === 'GET' && what === 'stats') {
        return sendJson(res, 200, { ...snapshotStats(), replayTime: new Date(replayNow()).toISOString(), speed, faults, tfl: tfl && { snapshots: tfl.times.length, current: tfl.indexAt(replayNow()), droppedRows: tfl.droppedRows } });
      }
      if (req.method === 'POST' && what === 'faults') {
        const body = await readBody(req);
        let change: unknown;
        try {
          change = JSON.parse(body || '{}');
        } catch {
          throw new BikeBotError('INVALID_INPUT', 'faults body is not JSON');
        }
        faults = mergeFaults(faults, change);
        return sendJson(res, 200, faults);
      }
      if (req.method === 'POST' && what === 'reset-stats') {
        stats = { requests: 0, byPath: {}, notModified: 0 };
        return sendJson(res, 200, snapshotStats());
      }
      if (req.method === 'POST' && what === 'time') {
        const body = JSON.parse((await readBody(req)) || '{}') as { at?: string };
        setReplayTime(new Date(toMs(body.at ?? '', 'at')));
        return sendJson(res, 200, { replayTime: new Date(replayNow()).toISOString() });
      }
      return sendJson(res, 404, { error: 'unknown control endpoint', endpoints: ['GET /__replay/stats', 'POST /__replay/faults', 'POST /__replay/reset-stats', 'POST /__replay/time'] });
    } catch (e) {
      const status = isBikeBotError(e, 'PAYLOAD_TOO_LARGE') ? 413 : 400;
      return sendJson(res, status, { error: (e as Error).message });
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://replay.invalid');
    const pathname = url.pathname;
    if (pathname.startsWith(CONTROL)) return control(req, res, pathname);

    // Counted on arrival, so requests that time out or fail count too: the number a
    // considerate client must keep low.
    stats.requests++;
    stats.byPath[pathname] = (stats.byPath[pathname] ?? 0) + 1;

    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { allow: 'GET, HEAD' }, '');
    let handler = null;
    for (const r of routes) {
      handler = r.match(pathname);
      if (handler) break;
    }
    if (!handler) return sendJson(res, 404, { message: `No resource at ${pathname}` });

    const f = faults;
    if (f.latencyMs > 0) await delay(f.latencyMs);
    if (closing) return;
    const fault = drawRequestFault(f, random);
    if (fault === 'timeout') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (fault === 'rate_limit') {
      return send(res, 429, { 'retry-after': String(Math.round(f.retryAfterS)), 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ message: 'Too many requests' }));
    }
    if (fault === 'error') return sendJson(res, 500, { message: 'Internal server error (injected)' });

    const ctx: ReplayRequest = { method: req.method, pathname, query: url.searchParams, baseUrl: `http://${req.headers.host ?? 'localhost'}`, replayNow: replayNow(), elapsedMs: (now() - anchorReal) * speed };
    let out: ReplayResponse;
    try {
      out = await handler(ctx);
    } catch (e) {
      return sendJson(res, 500, { message: `replay route failed: ${(e as Error).message}` });
    }
    // A damaged feed is new data to the client: drop the route's validator so the ETag follows the body.
    if (f.stationLoss > 0 && out.status === 200) out = { ...out, body: dropStations(out.body, f.stationLoss), etag: undefined, lastModified: undefined };
    const headers: Record<string, string> = { 'content-type': out.contentType ?? 'application/json; charset=utf-8', ...out.headers };
    if (out.status !== 200) return send(res, out.status, headers, out.body, req.method === 'HEAD');

    const etag = out.etag ?? etagOf(out.body);
    const validators: Record<string, string> = { etag, 'cache-control': `public, max-age=${Math.round(out.maxAgeS ?? maxAgeS)}` };
    if (out.lastModified !== undefined) validators['last-modified'] = new Date(out.lastModified).toUTCString();
    // Drawn before the conditional check: a body fault is a broken 200 whatever the
    // client already holds, or an unchanged feed would hide every fault behind 304s.
    const bodyFault = drawBodyFault(f, random);
    if (bodyFault === null && notModified(req, etag, out.lastModified)) {
      stats.notModified++;
      if (!res.destroyed) {
        res.writeHead(304, validators);
        res.end();
      }
      return;
    }
    let body = out.body;
    if (bodyFault === 'malformed') {
      body = MALFORMED_BODY;
    } else if (bodyFault === 'truncate') {
      body = body.slice(0, Math.floor(body.length / 2));
    }
    send(res, 200, { ...headers, ...validators }, body, req.method === 'HEAD');
  }

  function snapshotStats(): ReplayStats {
    return { requests: stats.requests, byPath: { ...stats.byPath }, notModified: stats.notModified };
  }
  function setReplayTime(at: Date): void {
    anchorReal = now();
    anchorReplay = at.getTime();
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((e) => sendJson(res, 500, { message: (e as Error).message }));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: opts.port ?? 0, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${hostForUrl(host)}:${port}`,
    port,
    stats: snapshotStats,
    resetStats() {
      stats = { requests: 0, byPath: {}, notModified: 0 };
    },
    setFaults(change) {
      faults = mergeFaults(faults, change);
    },
    faults: () => ({ ...faults }),
    replayTime: () => new Date(replayNow()),
    setReplayTime,
    async close() {
      closing = true;
      for (const d of delays) {
        clearTimeout(d.timer);
        d.resolve();
      }
      delays.clear();
      for (const r of hanging) r.destroy();
      hanging.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
