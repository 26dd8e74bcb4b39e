/**
 * Start-up, side by side with baselines in the same run:
 *  - `bikebot ask` (one question from a BikePoint file, whole process) vs `node -e 0`;
 *  - `bikebot serve` restarted on a data dir holding a saved snapshot, upstream
 *    unreachable, until its first /api/chat answer — vs a bare Fastify server's first response;
 *  - London's understanding built cold in a fresh process (snapshot → ready to resolve
 *    names: vocabulary, phonemes, sound and trigram indexes), and the rehearsal a server
 *    runs after it, in slices (bench/lib/build-understanding.mjs).
 * Medians of --runs runs (default 5). Needs dist/ (`npm run build`) and ../shared/data.
 *
 *   npm run build && node --import tsx bench/start.ts [--runs 5] [--shared <dir>]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startReplayServer } from '../src/replay/replay-server.js';
import { arg, benchSetup } from './lib/served-bench.js';

const runs = Number(arg('--runs', '5'));
const { shared, snapshot, cli } = benchSetup();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeProcess(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  return performance.now() - t0;
}

/** Spawns a server and returns ms until `probe` first succeeds. */
async function timeFirstResponse(args: string[], probe: () => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      try {
        if (await probe()) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
      if (performance.now() - t0 > 120_000) throw new Error('no answer in 120 s');
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const port = () => 20_000 + Math.floor(Math.random() * 20_000);
const ask = async (p: number) => {
  const r = await fetch(`http://127.0.0.1:${p}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'bikes at waterloo station 3' }) });
  if (!r.ok) return false;
  const body = (await r.json()) as { answer: { stations: unknown[] } };
  return body.answer.stations.length > 0;
};

// A data dir holding a snapshot saved by an earlier run, as after a restart.
const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-bench-start-'));
const replay = await startReplayServer({ source: snapshot });
{
  const p = port();
  await timeFirstResponse([cli, 'serve', '--tfl-url', replay.url, '--host', '127.0.0.1', '--port', String(p), '--data-dir', dataDir, '--log-level', 'warn'], () => ask(p));
}
await replay.close();
// The same URL, now with nothing listening: the first fetch fails and the stored snapshot
// answers. (Snapshots are stored per source URL, so another URL would find none to restore.)
const deadUpstream = replay.url;

const rows: Array<[string, number[]]> = [
  ['node -e 0', []],
  ['bikebot ask (whole process)', []],
  ['bare Fastify: spawn → first response', []],
  ['bikebot serve restart → first /api/chat answer', []],
  ['London understanding built (cold, in-process)', []],
  ['matcher rehearsal after it (in slices, off the first answer)', []],
];
for (let i = 0; i < runs; i++) {
  rows[0][1].push(timeProcess(['-e', '0']));
  rows[1][1].push(timeProcess([cli, 'ask', '--snapshot', snapshot, 'bikes at waterloo station 3']));
  const ep = port();
  rows[2][1].push(await timeFirstResponse(['bench/lib/echo-server.mjs', String(ep)], async () => (await fetch(`http://127.0.0.1:${ep}/healthz`)).ok));
  const sp = port();
  rows[3][1].push(await timeFirstResponse([cli, 'serve', '--tfl-url', deadUpstream, '--host', '127.0.0.1', '--port', String(sp), '--data-dir', dataDir, '--log-level', 'warn'], () => ask(sp)));
  // The same build as the CLI measured (--cli), not necessarily this checkout's dist/.
  const built = JSON.parse(execFileSync(process.execPath, ['bench/lib/build-understanding.mjs', snapshot, dirname(cli)], { encoding: 'utf8' })) as { understanding: number; rehearsal: number };
  rows[4][1].push(built.understanding);
  rows[5][1].push(built.rehearsal);
}
rmSync(dataDir, { recursive: true, force: true });
console.log(`start-up, median of ${runs} runs (London: 792 TfL stations, default London gazetteer); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| what | median ms | all runs ms |');
console.log('|---|---|---|');
for (const [name, xs] of rows) console.log(`| ${name} | ${median(xs).toFixed(0)} | ${xs.map((x) => x.toFixed(0)).join(', ')} |`);
console.log(`ask: ${(median(rows[1][1]) / median(rows[0][1])).toFixed(1)}× node -e 0 (target ≤ 400 ms); serve restart: ${(median(rows[3][1]) / median(rows[2][1])).toFixed(1)}× bare Fastify (target ≤ 500 ms); understanding built: ${median(rows[4][1]).toFixed(0)} ms (target ≤ 100 ms)`);
