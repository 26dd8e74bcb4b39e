/**
 * `/api/chat` throughput and latency in the production configuration, beside a
 * bare Fastify JSON echo server measured in the same run on the same machine (the
 * issue's baseline), and beside the same bare server sending one fixed answer that
 * BikeBot gave at the start of the run: what it costs to send an answer of that size
 * with nothing made, so the gap to the echo splits into sending and making.
 *
 * BikeBot runs as `bikebot serve` from dist/ (run `npm run build` first) with its
 * defaults: SQLite sessions and snapshots in a fresh --data-dir, log level info
 * (one line per request, to /dev/null), the per-client chat rate limit on, polling
 * TfL — here our replay server serving the real 2022 snapshot, as upstream. Two
 * flags differ from a bare `serve`, both so the bench measures answers rather than
 * refusals: --not-ready-after accepts the 2022 data as ready, and --trust-proxy with
 * a different X-Forwarded-For on each request makes the load come from 65,536
 * clients, as behind a load balancer, so the rate limiter runs (and costs what it
 * costs) without refusing. Every request is a new conversation with a real dev-set
 * question, the 121 over and over: a served process remembers what a text was
 * understood as under the current index (src/dialog/brain-memo.ts), so after the first
 * request of each question this measures the remembered path, not understanding a new
 * message (bench:understanding and bench:turns measure that). The echo server
 * receives the same bodies. Each connection count runs
 * echo and chat back to back, alternating which goes first over rounds, so drift
 * on a shared machine hits both alike. Then 60 s at 10 connections measure how far
 * the server's RSS moves under steady load (--rss-seconds 0 skips that run).
 *
 *   npm run build && npm run bench:http [-- --seconds 10] [--connections 10,50] [--rounds 2] [--rss-seconds 60] [--shared <dir>] [--cli <another build's dist/cli.js>]
 *     [--server-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"]   (flags for the served process's node: profile it under this load)
 *     [--serve-args "--log-level warn"]   (extra serve flags, to take one cost apart; not the production configuration)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startReplayServer } from '../src/replay/replay-server.js';
import { arg, benchSetup, devQuestions } from './lib/served-bench.js';


const seconds = Number(arg('--seconds', '10'));
const connectionCounts = arg('--connections', '10,50').split(',').map(Number);
const rounds = Number(arg('--rounds', '2'));
const rssSeconds = Number(arg('--rss-seconds', '60'));
const serverNodeArgs = arg('--server-node-args', '').split(' ').filter(Boolean);
/** Extra `serve` flags, to take one cost apart (e.g. "--log-level warn"); the verdict is only the production one's without them. */
const serveArgs = arg('--serve-args', '').split(' ').filter(Boolean);
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
  /** 2xx answers per second: refusals (503 shed, 429) are fast and must not count as throughput. */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  /** Non-2xx responses by status code. */
  codes: Record<string, number>;
}

/** 10.0.0.0 – 10.0.255.255: at 10,000 req/s each address sends 9 a minute, under the default limit of 60. */
const clientAddress = (n: number) => `10.0.${(n >> 8) & 255}.${n & 255}`;

async function load(url: string, path: string, connections: number, duration: number, pid: number): Promise<Row> {
  let n = 0;
  const cpu0 = cpuS(pid);
  const r = await autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path,
        setupRequest: (req) => {
          const i = n++;
          return { ...req, headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress(i) }, body: bodies[i % bodies.length] };
        },
      },
    ],
  });
  const cpuUs = ((cpuS(pid) - cpu0) * 1e6) / Math.max(1, r.requests.total);
  const codes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) if (!code.startsWith('2')) codes[code] = stat.count ?? 0;
  return { cpuUs, codes, rps: r['2xx'] / duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

console.log(`load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${availableParallelism()} cores)`);
const replay = await startReplayServer({ source: snapshot });
const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-bench-http-'));
const port = 18_000 + Math.floor(Math.random() * 2000);
const echoPort = port + 1;
const server = spawn(process.execPath, [...serverNodeArgs, cli, 'serve', '--tfl-url', replay.url, '--gazetteer', gazetteer, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--not-ready-after', '315360000', '--trust-proxy', ...serveArgs], { stdio: ['ignore', 'ignore', 'inherit'] });
const url = `http://127.0.0.1:${port}`;
const echoUrl = `http://127.0.0.1:${echoPort}`;
let echo: ChildProcess | null = null;
try {
  await waitFor(`${url}/readyz`, server, 'bikebot serve');
  // The fixed answer of the second reference: BikeBot's own answer to a dev-set station question.
  const sampled = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.1.0.1' }, body: JSON.stringify({ text: 'any bikes at Waterloo station 3?' }) });
  const answerFile = join(dataDir, 'bench-answer.json');
  writeFileSync(answerFile, await sampled.text());
  echo = spawn(process.execPath, ['bench/lib/echo-server.mjs', String(echoPort), answerFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`${echoUrl}/healthz`, echo, 'echo server');
  // Warm both JITs before measuring either.
  const serverPid = server.pid as number;
  const echoPid = echo.pid as number;
  await load(url, '/api/chat', 10, 2, serverPid);
  await load(echoUrl, '/echo', 10, 2, echoPid);
  await load(echoUrl, '/answer', 10, 2, echoPid);
  const results: Array<{ connections: number; echo: Row[]; chat: Row[]; answer: Row[] }> = [];
  for (const connections of connectionCounts) {
    const row = { connections, echo: [] as Row[], chat: [] as Row[], answer: [] as Row[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['echo', 'chat', 'answer'] as const) : (['answer', 'chat', 'echo'] as const);
      for (const which of order) {
        if (which === 'chat') row.chat.push(await load(url, '/api/chat', connections, seconds, serverPid));
        else row[which].push(await load(echoUrl, `/${which}`, connections, seconds, echoPid));
      }
    }
    results.push(row);
  }
  // Steady load from a warm start: the sessions, caches and buffers that grow with
  // traffic must be bounded, so RSS settles rather than climbs.
  const rssStart = rssMb(serverPid);
  // Where the memory is, every 10 s: RSS beside the V8 heap (used and reserved), the
  // memory held outside it for JS objects (buffers) and the sessions gauge, so a
  // growth can be told apart as sessions, heap settling or native (SQLite, malloc).
  const trace: string[] = [];
  const sample = async (t: number) => {
    const m = await (await fetch(`${url}/metrics`)).text();
    const g = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(m)?.[1] ?? NaN);
    const mb = (b: number) => (b / 2 ** 20).toFixed(0);
    const space = (name: string) => Number(new RegExp(`^nodejs_heap_space_size_total_bytes\\{space="${name}"\\} (\\S+)`, 'm').exec(m)?.[1] ?? NaN);
    trace.push(`| ${t} | ${rssMb(serverPid).toFixed(0)} | ${mb(g('nodejs_heap_size_used_bytes'))} | ${mb(g('nodejs_heap_size_total_bytes'))} | ${mb(space('new'))} | ${mb(space('old'))} | ${mb(g('nodejs_external_memory_bytes'))} | ${g('bikebot_sessions')} |`);
  };
  // --rss-seconds 0 skips the RSS run (and its verdict).
  const rssRun = rssSeconds > 0 ? await (async () => {
    await sample(0);
    let elapsed = 0;
    const sampler = setInterval(() => void sample((elapsed += 10)).catch(() => undefined), 10_000);
    try {
      return await load(url, '/api/chat', 10, rssSeconds, serverPid);
    } finally {
      clearInterval(sampler);
    }
  })() : null;
  const rssEnd = rssMb(serverPid);
  const metricsText = await (await fetch(`${url}/metrics`)).text();
  const sessionGauge = /^bikebot_sessions (\d+)/m.exec(metricsText)?.[1] ?? '?';
  // Why requests were shed, as the server counts them (bikebot_requests_shed_total by reason).
  const shedBy = [...metricsText.matchAll(/^bikebot_requests_shed_total\{[^}]*reason="([^"]+)"[^}]*\} (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);

  const answerBytes = statSync(join(dataDir, 'bench-answer.json')).size;
  type Num = Exclude<keyof Row, 'codes'>;
  const mean = (rows: Row[], k: Num) => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  const worst = (rows: Row[], k: Num) => Math.max(...rows.map((r) => r[k]));
  console.log(`bikebot serve (dist, SQLite sessions, log level info, TfL via replay server, ${questions.length} dev-set questions as new conversations, repeated: each understood once per index, then remembered) vs bare Fastify JSON echo`);
  console.log(`${rounds} rounds × ${seconds} s per server and connection count, alternating order; req/s averaged, p99 and max the worst round`);
  console.log('| connections | server | 2xx/s | CPU µs/req | p50 ms | p99 ms | max ms | errors | non-2xx |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const [name, rows] of [['bare Fastify echo', r.echo], [`bare Fastify, one fixed answer (${answerBytes} B)`, r.answer], ['bikebot /api/chat', r.chat]] as const) {
      console.log(`| ${r.connections} | ${name} | ${mean(rows, 'rps').toFixed(0)} | ${mean(rows, 'cpuUs').toFixed(0)} | ${mean(rows, 'p50').toFixed(1)} | ${worst(rows, 'p99')} | ${worst(rows, 'max')} | ${worst(rows, 'errors')} | ${worst(rows, 'non2xx')} |`);
    }
  }
  for (const r of results) {
    console.log(
      `${r.connections} connections: /api/chat ${(mean(r.chat, 'rps') / mean(r.echo, 'rps')).toFixed(2)}× bare Fastify's throughput` +
        ` (${(mean(r.echo, 'cpuUs') / mean(r.chat, 'cpuUs')).toFixed(2)}× by CPU per request); p99 ${worst(r.chat, 'p99')} ms vs ${worst(r.echo, 'p99')} ms;` +
        ` sending a fixed answer of the same size alone is ${(mean(r.answer, 'rps') / mean(r.echo, 'rps')).toFixed(2)}× (${(mean(r.echo, 'cpuUs') / mean(r.answer, 'cpuUs')).toFixed(2)}× by CPU)`,
    );
  }
  const chatRuns = [...results.flatMap((r) => r.chat), ...(rssRun ? [rssRun] : [])];
  const nonOk = chatRuns.reduce<Record<string, number>>((acc, r) => {
    for (const [c, n] of Object.entries(r.codes)) acc[c] = (acc[c] ?? 0) + n;
    return acc;
  }, {});
  if (Object.keys(nonOk).length > 0) console.log(`/api/chat non-2xx by status: ${JSON.stringify(nonOk)} (503: shed by the overload guard; 429: rate limited); shed by reason, whole run: ${shedBy.join(', ') || 'none'}`);
  if (rssRun) {
    console.log(`${rssSeconds} s at 10 connections: ${rssRun.rps.toFixed(0)} 2xx/s, server RSS ${rssStart.toFixed(0)} MB → ${rssEnd.toFixed(0)} MB (${rssEnd - rssStart >= 0 ? '+' : ''}${(rssEnd - rssStart).toFixed(0)} MB); sessions gauge ${sessionGauge}; errors ${rssRun.errors}, non-2xx ${rssRun.non2xx}`);
    console.log('| s | RSS MB | heap used MB | heap total MB | of it new space | old space | external MB | sessions |\n|---|---|---|---|---|---|---|---|\n' + trace.join('\n'));
  }
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${availableParallelism()} cores)`);
  console.log('\nDone-when (issue 12):');
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  for (const r of results) {
    const ratio = mean(r.chat, 'rps') / mean(r.echo, 'rps');
    console.log(`  ${verdict(ratio >= 0.45)}  ${r.connections} connections: ${ratio.toFixed(2)}× bare Fastify (needs ≥ 0.45×)`);
  }
  const at50 = results.find((r) => r.connections === 50);
  if (at50) console.log(`  ${verdict(worst(at50.chat, 'p99') <= 15)}  p99 at 50 connections: ${worst(at50.chat, 'p99')} ms (needs ≤ 15 ms)`);
  if (rssRun) console.log(`  ${verdict(Math.abs(rssEnd - rssStart) <= 30)}  RSS over ${rssSeconds} s at 10 connections moved ${(rssEnd - rssStart).toFixed(0)} MB (needs within 30 MB)`);
  const failedRequests = [...results.flatMap((r) => [...r.chat, ...r.echo]), ...(rssRun ? [rssRun] : [])].some((r) => r.errors > 0 || r.non2xx > 0);
  console.log(`  ${verdict(!failedRequests)}  every request answered 2xx`);
} finally {
  for (const child of [server, echo]) {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  await replay.close();
  rmSync(dataDir, { recursive: true, force: true });
}
