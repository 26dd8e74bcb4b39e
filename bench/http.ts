/**
 * `/api/chat` throughput and latency in the production configuration, beside a
 * bare Fastify JSON echo server measured in the same run on the same machine.
 *
 * BikeBot runs as `bikebot serve` from dist/ (run `npm run build` first) with its
 * defaults: SQLite sessions and snapshots in a fresh --data-dir, log level info
 * (one line per request, to /dev/null), polling TfL — here our replay server
 * serving the real 2022 snapshot, as upstream. Every request is a new conversation
 * with a real dev-set question. The echo server receives the same bodies. Each
 * connection count runs echo and chat back to back, alternating which goes
 * first over rounds, so drift on a shared machine hits both alike.
 *
 *   npm run build && node --import tsx bench/http.ts [--seconds 10] [--connections 10,50] [--rounds 2] [--shared <dir>] [--cli <another build's dist/cli.js>]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startReplayServer } from '../src/replay/replay-server.js';
import { arg, benchSetup, devQuestions } from './lib/served-bench.js';


const seconds = Number(arg('--seconds', '10'));
const connectionCounts = arg('--connections', '10,50').split(',').map(Number);
const rounds = Number(arg('--rounds', '2'));
const { shared, snapshot, cli } = benchSetup();
const gazetteer = join(shared, 'data', 'london');
const questions = devQuestions(shared);
const bodies = questions.map((text) => JSON.stringify({ text }));

async function waitFor(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not become ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU seconds (user + system) the process has used: /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Row {
  /** Server CPU per request, µs: unlike req/s, barely moved by other load on the machine. */
  cpuUs: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, path: string, connections: number, duration: number, pid: number): Promise<Row> {
  let n = 0;
  const cpu0 = cpuS(pid);
  const r = await autocannon({
    url,
    connections,
    duration,
    requests: [{ method: 'POST', path, headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[n++ % bodies.length] }) }],
  });
  const cpuUs = ((cpuS(pid) - cpu0) * 1e6) / Math.max(1, r.requests.total);
  return { cpuUs, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

const replay = await startReplayServer({ source: snapshot });
const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-bench-http-'));
const port = 18_000 + Math.floor(Math.random() * 2000);
const echoPort = port + 1;
const server = spawn(process.execPath, [cli, 'serve', '--tfl-url', replay.url, '--gazetteer', gazetteer, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
const echo = spawn(process.execPath, ['bench/lib/echo-server.mjs', String(echoPort)], { stdio: ['ignore', 'ignore', 'inherit'] });
try {
  const url = `http://127.0.0.1:${port}`;
  const echoUrl = `http://127.0.0.1:${echoPort}`;
  await Promise.all([waitFor(`${url}/readyz`, server, 'bikebot serve'), waitFor(`${echoUrl}/healthz`, echo, 'echo server')]);
  // Warm both JITs before measuring either.
  const serverPid = server.pid as number;
  const echoPid = echo.pid as number;
  await load(url, '/api/chat', 10, 2, serverPid);
  await load(echoUrl, '/echo', 10, 2, echoPid);
  const rssStart = rssMb(server.pid as number);
  const results: Array<{ connections: number; echo: Row[]; chat: Row[] }> = [];
  for (const connections of connectionCounts) {
    const row = { connections, echo: [] as Row[], chat: [] as Row[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['echo', 'chat'] as const) : (['chat', 'echo'] as const);
      for (const which of order) row[which].push(which === 'echo' ? await load(echoUrl, '/echo', connections, seconds, echoPid) : await load(url, '/api/chat', connections, seconds, serverPid));
    }
    results.push(row);
  }
  const rssEnd = rssMb(server.pid as number);
  const sessions = await (await fetch(`${url}/metrics`)).text();
  const sessionGauge = /^bikebot_sessions (\d+)/m.exec(sessions)?.[1] ?? '?';

  const mean = (rows: Row[], k: keyof Row) => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  const worst = (rows: Row[], k: keyof Row) => Math.max(...rows.map((r) => r[k]));
  console.log(`bikebot serve (dist, SQLite sessions, log level info, TfL via replay server, ${questions.length} dev-set questions as new conversations) vs bare Fastify JSON echo`);
  console.log(`${rounds} rounds × ${seconds} s per server and connection count, alternating order; req/s averaged, p99 and max the worst round`);
  console.log('| connections | server | req/s | CPU µs/req | p50 ms | p99 ms | max ms | errors | non-2xx |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const [name, rows] of [['bare Fastify echo', r.echo], ['bikebot /api/chat', r.chat]] as const) {
      console.log(`| ${r.connections} | ${name} | ${mean(rows, 'rps').toFixed(0)} | ${mean(rows, 'cpuUs').toFixed(0)} | ${mean(rows, 'p50').toFixed(1)} | ${worst(rows, 'p99')} | ${worst(rows, 'max')} | ${worst(rows, 'errors')} | ${worst(rows, 'non2xx')} |`);
    }
  }
  for (const r of results) {
    console.log(
      `${r.connections} connections: /api/chat ${(mean(r.chat, 'rps') / mean(r.echo, 'rps')).toFixed(2)}× bare Fastify's throughput` +
        ` (${(mean(r.echo, 'cpuUs') / mean(r.chat, 'cpuUs')).toFixed(2)}× by CPU per request); p99 ${worst(r.chat, 'p99')} ms vs ${worst(r.echo, 'p99')} ms`,
    );
  }
  console.log(`server RSS ${rssStart.toFixed(0)} MB after warm-up, ${rssEnd.toFixed(0)} MB after ${connectionCounts.length * rounds * seconds} s of chat load (${(rssEnd - rssStart).toFixed(0)} MB); sessions gauge ${sessionGauge}`);
} finally {
  for (const child of [server, echo]) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  await replay.close();
  rmSync(dataDir, { recursive: true, force: true });
}
