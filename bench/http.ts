/**
 * HTTP throughput and latency of `bikebot serve`, side by side with a baseline
 * measured in the same run on the same server: GET /healthz (Fastify's floor: routing,
 * logging, the in-flight guard, no pipeline) vs POST /api/chat with real questions
 * (understand, resolve, geocode, dialog, session write). The server runs as its own
 * process, as in production; autocannon drives it over loopback.
 *
 *   node --import tsx bench/http.ts [--seconds 5] [--connections 10] [--shared <dir>]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { loadEvalCases } from '../src/eval/eval-case.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

const seconds = Number(arg('--seconds', '5'));
const connections = Number(arg('--connections', '10'));
const shared = resolve(arg('--shared', join(process.cwd(), '..', 'shared')));
const snapshot = join(shared, 'data', 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');
const gazetteer = join(shared, 'data', 'london');
const questions = loadEvalCases(join(shared, 'eval', 'dev.jsonl'))
  .map((c) => c.utterance)
  .filter((t) => t.trim().length > 0 && t.length <= 500);

async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--snapshot', snapshot, '--gazetteer', gazetteer, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function run(name: string, opts: autocannon.Options): Promise<Row> {
  const r = await autocannon({ connections, duration: seconds, ...opts });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

const port = 18_000 + Math.floor(Math.random() * 2000);
const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-bench-http-'));
const server = await startServer(port, dataDir);
try {
  const url = `http://127.0.0.1:${port}`;
  let n = 0;
  // Warm the JIT on both routes before measuring either.
  await run('warm-up', { url: `${url}/healthz`, duration: 1 });
  const chatRequest = (): autocannon.Request => ({
    method: 'POST',
    path: '/api/chat',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: questions[n++ % questions.length] }) }),
  });
  await run('warm-up', { url, requests: [chatRequest()], duration: 1 });

  const base = await run('GET /healthz (baseline)', { url: `${url}/healthz` });
  const chat = await run(`POST /api/chat (${questions.length} dev-set questions, rotating)`, { url, requests: [chatRequest()] });

  console.log(`bikebot serve on loopback, ${connections} connections, ${seconds} s each, TfL snapshot + London gazetteer`);
  console.log('| route | req/s | p50 ms | p99 ms | errors | non-2xx |');
  console.log('|---|---|---|---|---|---|');
  for (const r of [base, chat]) console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} |`);
  console.log(`chat / baseline: ${(chat.rps / base.rps).toFixed(2)}× the throughput, p99 ${(chat.p99 / Math.max(base.p99, 1)).toFixed(2)}× the latency`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
