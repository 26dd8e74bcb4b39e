/**
 * Start-up, side by side with baselines in the same run:
 *  - `bikebot ask` (one question from a BikePoint file, whole process) vs `node -e 0`;
 *  - `bikebot serve` restarted on a data dir holding a saved snapshot, upstream
 *    unreachable, until its first /api/chat answer — vs a bare Fastify server's first response;
 *  - London's understanding built cold in a fresh process (snapshot → ready to resolve
 *    names: vocabulary, phonemes, sound and trigram indexes), and the rehearsal a server
 *    runs after it, in slices (bench/lib/build-understanding.mjs).
 * Medians of --runs runs (default 5). Needs dist/ (`npm run build`) and ../shared/data.
 * The build measured is bin/bikebot.js as deployed (the bundle with its code cache when
 * built), or --cli <entry>; --baseline <entry> (another checkout's bin/bikebot.js or
 * dist/cli.js) is measured in the same runs, each of its steps right after this build's.
 *
 *   npm run build && node --import tsx bench/start.ts [--runs 5] [--shared <dir>] [--cli <entry>] [--baseline <entry>]
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { startReplayServer } from '../src/replay/replay-server.js';
import { arg, benchSetup } from './lib/served-bench.js';

const runs = Number(arg('--runs', '5'));
const { snapshot } = benchSetup();
const baseline = arg('--baseline', '');
const builds = [{ name: 'this build', cli: resolve(arg('--cli', 'bin/bikebot.js')) }, ...(baseline ? [{ name: 'baseline', cli: resolve(baseline) }] : [])];
/** The dist/ folder an entry runs (bin/bikebot.js runs ../dist). */
const distOf = (cli: string) => (basename(dirname(cli)) === 'bin' ? join(dirname(cli), '..', 'dist') : dirname(cli));

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

// A data dir per build holding a snapshot saved by an earlier run, as after a restart.
const dataDirs = builds.map(() => mkdtempSync(join(tmpdir(), 'bikebot-bench-start-')));
const replay = await startReplayServer({ source: snapshot });
for (const [i, b] of builds.entries()) {
  const p = port();
  await timeFirstResponse([b.cli, 'serve', '--tfl-url', replay.url, '--host', '127.0.0.1', '--port', String(p), '--data-dir', dataDirs[i], '--log-level', 'warn'], () => ask(p));
}
await replay.close();
// The same URL, now with nothing listening: the first fetch fails and the stored snapshot
// answers. (Snapshots are stored per source URL, so another URL would find none to restore.)
const deadUpstream = replay.url;

const rows: Array<[string, number[]]> = [
  ['node -e 0', []],
  ['bare Fastify: spawn → first response', []],
];
const perBuild = builds.map((b) => {
  const r: Array<[string, number[]]> = [
    [`${b.name}: bikebot ask (whole process)`, []],
    [`${b.name}: bikebot serve restart → first /api/chat answer`, []],
    [`${b.name}: London understanding built (cold, in-process)`, []],
    [`${b.name}: matcher rehearsal after it (in slices, off the first answer)`, []],
  ];
  rows.push(...r);
  return r;
});
for (let i = 0; i < runs; i++) {
  // Builds take turns going first, so neither always meets the other's leftovers.
  const order = i % 2 === 0 ? [...builds.entries()] : [...builds.entries()].reverse();
  rows[0][1].push(timeProcess(['-e', '0']));
  const ep = port();
  rows[1][1].push(await timeFirstResponse(['bench/lib/echo-server.mjs', String(ep)], async () => (await fetch(`http://127.0.0.1:${ep}/healthz`)).ok));
  for (const [k, b] of order) perBuild[k][0][1].push(timeProcess([b.cli, 'ask', '--snapshot', snapshot, 'bikes at waterloo station 3']));
  for (const [k, b] of order) {
    const sp = port();
    perBuild[k][1][1].push(await timeFirstResponse([b.cli, 'serve', '--tfl-url', deadUpstream, '--host', '127.0.0.1', '--port', String(sp), '--data-dir', dataDirs[k], '--log-level', 'warn'], () => ask(sp)));
  }
  for (const [k, b] of order) {
    // The dist of the build measured, not necessarily this checkout's.
    const built = JSON.parse(execFileSync(process.execPath, ['bench/lib/build-understanding.mjs', snapshot, distOf(b.cli)], { encoding: 'utf8' })) as { understanding: number; rehearsal: number };
    perBuild[k][2][1].push(built.understanding);
    perBuild[k][3][1].push(built.rehearsal);
  }
}
for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
console.log(`start-up, median of ${runs} runs (London: 792 TfL stations, default London gazetteer); load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('| what | median ms | all runs ms |');
console.log('|---|---|---|');
for (const [name, xs] of rows) console.log(`| ${name} | ${median(xs).toFixed(0)} | ${xs.map((x) => x.toFixed(0)).join(', ')} |`);
for (const [k, b] of builds.entries()) {
  const [askMs, restartMs, builtMs] = perBuild[k].map(([, xs]) => median(xs));
  console.log(`${b.name} (${b.cli}): ask ${askMs.toFixed(0)} ms = ${(askMs / median(rows[0][1])).toFixed(1)}× node -e 0 (target ≤ 400 ms); serve restart ${restartMs.toFixed(0)} ms = ${(restartMs / median(rows[1][1])).toFixed(1)}× bare Fastify (target ≤ 500 ms); understanding built ${builtMs.toFixed(0)} ms (target ≤ 100 ms)`);
}
