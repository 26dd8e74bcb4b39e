/**
 * Overload without collapse (issue 11): one `bikebot serve` replica, 500 connections
 * on /api/chat from autocannon over loopback for a bounded time, beside the same
 * server's unloaded latency measured in the same run. Checks the three promises:
 *   - every refused request is a 503 with Retry-After,
 *   - p99 of the answered requests is at most 5× the unloaded p99,
 *   - /healthz answers within 1 s throughout.
 * The server runs from dist/ in its own process (the load generator must not share
 * its event loop) with its defaults, except the per-client limit, which would
 * otherwise refuse all but 60 requests a minute from the one loopback address.
 *
 *   npm run build && node --import tsx bench/overload.ts [--connections 500] [--seconds 20] [--shared <dir>]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startReplayServer } from '../src/replay/replay-server.js';
import { arg, benchSetup, devQuestions } from './lib/served-bench.js';

const connections = Number(arg('--connections', '500'));
const seconds = Number(arg('--seconds', '20'));
const { shared, snapshot, cli } = benchSetup();
const questions = devQuestions(shared);

interface Tally {
  byStatus: Map<number, number>;
  answeredMs: number[];
  refusedWithoutRetryAfter: number;
  errors: number;
  timeouts: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function load(url: string, conns: number, duration: number): Promise<Tally> {
  const t: Tally = { byStatus: new Map(), answeredMs: [], refusedWithoutRetryAfter: 0, errors: 0, timeouts: 0 };
  let n = 0;
  const result = await autocannon({
    url,
    connections: conns,
    duration,
    timeout: 10,
    requests: [{ method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: questions[n++ % questions.length] }) }) }],
    setupClient: (client) => {
      let retryAfter = false;
      // @types/autocannon says IncomingHttpHeaders; the client passes http-parser-js's info (flat header list).
      client.on('headers', ((info: { headers: string[] }) => {
        retryAfter = false;
        for (let i = 0; i < info.headers.length; i += 2) if (info.headers[i].toLowerCase() === 'retry-after' && Number(info.headers[i + 1]) > 0) retryAfter = true;
      }) as unknown as (h: import('node:http').IncomingHttpHeaders) => void);
      client.on('response', (status: number, _bytes: number, ms: number) => {
        t.byStatus.set(status, (t.byStatus.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) t.answeredMs.push(ms);
        else if (!retryAfter) t.refusedWithoutRetryAfter++;
      });
    },
  });
  t.errors = result.errors;
  t.timeouts = result.timeouts;
  t.answeredMs.sort((a, b) => a - b);
  return t;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200 || (await fetch(`${url}/readyz`)).status === 503) {
        const r = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"bikes at waterloo station 3"}' });
        if (r.ok && ((await r.json()) as { answer: { stations: unknown[] } }).answer.stations.length > 0) return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('serve did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const replay = await startReplayServer({ source: snapshot, maxAgeS: 60 });
const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-bench-overload-'));
const port = 19_000 + Math.floor(Math.random() * 2000);
const server = spawn(process.execPath, [cli, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--tfl-url', replay.url, '--gazetteer', join(shared, 'data', 'london'), '--log-level', 'warn', '--chat-rate-limit', '0', '--not-ready-after', '315360000'], { stdio: ['ignore', 'ignore', 'inherit'] });
const url = `http://127.0.0.1:${port}`;
try {
  await waitReady(url, server);
  await load(url, 10, 2); // warm the JIT
  const unloaded = await load(url, 1, 10);
  const base99 = percentile(unloaded.answeredMs, 99);

  // /healthz probed every 250 ms while the load runs.
  const health: number[] = [];
  let healthFailures = 0;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      try {
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
        await r.arrayBuffer();
        if (!r.ok) healthFailures++;
      } catch {
        healthFailures++;
      }
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const loaded = await load(url, connections, seconds);
  probing = false;
  await probe;

  const total = [...loaded.byStatus.values()].reduce((a, b) => a + b, 0);
  const refused = total - (loaded.answeredMs.length);
  const p99 = percentile(loaded.answeredMs, 99);
  const healthMax = Math.max(...health);
  const statuses = [...loaded.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}: ${c}`).join(', ');
  console.log(`bikebot serve (one replica) on loopback; POST /api/chat with rotating dev-set questions; server defaults (--max-in-flight 64, --max-event-loop-delay 150)`);
  console.log('| run | connections | s | answered | refused | statuses | p50 ms (answered) | p99 ms (answered) | client errors | timeouts |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, c, s, t] of [['unloaded (baseline)', 1, 10, unloaded], ['overload', connections, seconds, loaded]] as const) {
    const all = [...t.byStatus.values()].reduce((a, b) => a + b, 0);
    console.log(`| ${name} | ${c} | ${s} | ${t.answeredMs.length} | ${all - t.answeredMs.length} | ${[...t.byStatus.entries()].map(([k, v]) => `${k}×${v}`).join(' ')} | ${percentile(t.answeredMs, 50).toFixed(1)} | ${percentile(t.answeredMs, 99).toFixed(1)} | ${t.errors} | ${t.timeouts} |`);
  }
  console.log(`/healthz during overload: ${health.length} probes, max ${healthMax.toFixed(0)} ms, p50 ${percentile([...health].sort((a, b) => a - b), 50).toFixed(0)} ms, ${healthFailures} failed`);
  const checks: Array<[string, boolean]> = [
    [`every refused request is a 503 with Retry-After (${refused} refused; statuses ${statuses}; ${loaded.refusedWithoutRetryAfter} without Retry-After)`, [...loaded.byStatus.keys()].every((s) => s === 503 || (s >= 200 && s < 300)) && loaded.refusedWithoutRetryAfter === 0],
    [`p99 of answered ${p99.toFixed(1)} ms ≤ 5 × unloaded p99 ${base99.toFixed(1)} ms (ratio ${(p99 / base99).toFixed(2)})`, p99 <= 5 * base99],
    [`/healthz answered within 1 s (max ${healthMax.toFixed(0)} ms, ${healthFailures} failures)`, healthMax <= 1000 && healthFailures === 0],
    [`no client errors or timeouts (${loaded.errors} errors, ${loaded.timeouts} timeouts)`, loaded.errors === 0 && loaded.timeouts === 0],
  ];
  for (const [what, ok] of checks) console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await replay.close();
  rmSync(dataDir, { recursive: true, force: true });
}
