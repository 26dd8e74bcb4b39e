/**
 * Per-message time as a running server sees it: TfL alone and TfL with every GBFS
 * system in ../shared/data/gbfs, built the way `bikebot ask` builds them (replay
 * server on loopback, systems config, buildCore), the station index warmed with
 * warmUnderstanding, one untimed pass, then the timed passes.
 *
 *   node --import tsx bench/turn-timing.ts [--shared <dir>] [--reps N] [--slowest K]
 *
 * Messages: the dev set and the mix of the GBFS pipeline test (station names of each
 * city, coordinates, shared locations, London asks). For each message the p50/p99
 * over all messages of (a) the first timed pass and (b) the fastest of N passes
 * (other processes on a shared machine do not pass for our cost) are printed.
 * Add --cpu-prof to node to profile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCore, type Core } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { Station } from '../src/domain/station.js';
import { warmUnderstanding } from '../src/domain/understand/warm.js';
import { loadEvalCases } from '../src/eval/eval-case.js';
import { GbfsRoutes } from '../src/replay/gbfs-routes.js';
import { startReplayServer } from '../src/replay/replay-server.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const shared = resolve(arg('--shared') ?? join(process.cwd(), '..', 'shared'));
const data = join(shared, 'data');
const reps = Math.max(1, Number(arg('--reps') ?? 5));
const slowestK = Number(arg('--slowest') ?? 6);
const TFL_FILE = join(data, 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');

const SYSTEMS = [
  { id: 'divvy', folder: 'divvy-chicago', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] },
  { id: 'bixi', folder: 'bixi-montreal', name: 'BIXI Montréal', timezone: 'America/Toronto', aliases: ['montreal', 'montréal'] },
  { id: 'v3fix', folder: 'mobilitydata-testfixtures-v3.0', name: 'GBFS 3.0 fixtures', timezone: 'Europe/Paris', aliases: ['paris'] },
];

function configFile(dir: string, replayUrl: string, routes: GbfsRoutes, withGbfs: boolean): string {
  const systems: unknown[] = [{ id: 'tfl', kind: 'tfl', url: replayUrl, name: 'Santander Cycles London', timezone: 'Europe/London', aliases: ['london', 'santander cycles'] }];
  if (withGbfs) {
    for (const s of SYSTEMS) {
      const base = { id: s.id, kind: 'gbfs', name: s.name, timezone: s.timezone, aliases: s.aliases };
      if (s.id === 'bixi') {
        const f = (n: string) => `${replayUrl}/gbfs/${s.folder}/${n}.json`;
        systems.push({ ...base, files: { system_information: f('system_information'), station_information: f('station_information'), station_status: f('station_status') } });
      } else systems.push({ ...base, url: routes.entryUrl(replayUrl, s.folder) });
    }
  }
  const path = join(dir, withGbfs ? 'all.json' : 'tfl.json');
  writeFileSync(path, JSON.stringify({ systems }));
  return path;
}

interface Msg {
  text: string;
  location?: { lat: number; lon: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : 0;
}

/** Many stations of every city by name, as people would ask (the pipeline test uses one per city). */
function mixOf(stations: readonly Station[], devTexts: string[]): Msg[] {
  const msgs: Msg[] = devTexts.map((text) => ({ text }));
  const bySystem = new Map<string, Station[]>();
  for (const s of stations) if (s.lat !== null && s.lon !== null) (bySystem.get(s.systemId) ?? bySystem.set(s.systemId, []).get(s.systemId)!).push(s);
  const london = ['bikes at Waterloo Station', 'docks near the british museum', 'e-bikes near SE1 7PB', 'is there a bike at River Street', 'hello', 'nearest dock to 51.5074,-0.1278'];
  let i = 0;
  for (const list of bySystem.values()) {
    for (let k = 0; k < 40; k++) {
      const s = list[(k * 37) % list.length];
      msgs.push({ text: `bikes near ${s.name}` }, { text: `is there a bike at ${s.name.toLowerCase()}` }, { text: `nearest dock to ${s.lat},${s.lon}` }, { text: 'bikes near me', location: { lat: s.lat!, lon: s.lon! } });
      msgs.push({ text: london[i++ % london.length] });
    }
  }
  return msgs;
}

let seq = 0;
async function timeAll(core: Core, msgs: Msg[]): Promise<number[]> {
  const out: number[] = [];
  for (const m of msgs) {
    const t0 = performance.now();
    await core.handleTurn({ channel: 'cli', conversationId: `timing:${seq++}`, text: m.text, ...(m.location ? { location: m.location } : {}) });
    out.push(performance.now() - t0);
  }
  return out;
}

async function measure(label: string, core: Core, devTexts: string[]): Promise<string[]> {
  const index = core.live.index()!;
  const t0 = performance.now();
  warmUnderstanding(index);
  const warmMs = performance.now() - t0;
  const msgs = mixOf(index.stations, devTexts);
  const cold = await timeAll(core, msgs);
  const runs: number[][] = [];
  for (let r = 0; r < reps; r++) runs.push(await timeAll(core, msgs));
  const first = runs[0].slice().sort((a, b) => a - b);
  const best = msgs.map((_, i) => Math.min(...runs.map((r) => r[i])));
  const bestSorted = best.slice().sort((a, b) => a - b);
  const coldSorted = cold.slice().sort((a, b) => a - b);
  const slow = msgs.map((m, i) => [best[i], m.text] as const).sort((a, b) => b[0] - a[0]).slice(0, slowestK);
  const f = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(3)} ms, p99 ${percentile(xs, 99).toFixed(3)} ms, max ${xs.at(-1)!.toFixed(3)} ms`;
  return [
    `${label}: ${index.stations.length} stations, ${msgs.length} messages; warmUnderstanding ${warmMs.toFixed(0)} ms`,
    `  first pass (cold):          ${f(coldSorted)}`,
    `  warm, one pass:             ${f(first)}`,
    `  warm, best of ${reps} per message: ${f(bestSorted)}`,
    `  slowest (best of ${reps}): ${slow.map(([ms, t]) => `${ms.toFixed(2)} ms ${JSON.stringify(t.slice(0, 40))}`).join('; ')}`,
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-turn-timing-'));
  const routes = new GbfsRoutes({ folders: [join(data, 'gbfs')] });
  const replay = await startReplayServer({ source: TFL_FILE, routes: [routes] });
  const devTexts = loadEvalCases(join(shared, 'eval', 'dev.jsonl')).map((c) => c.utterance);
  const lines = [`machine load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`];
  try {
    for (const withGbfs of [false, true]) {
      const cfg = loadConfig({ argv: ['ask', '--config', configFile(dir, replay.url, routes, withGbfs), '--tfl-url', replay.url, '--gazetteer', join(data, 'london'), '--log-level', 'silent'], env: {} });
      const core = await buildCore(cfg, { mode: 'oneshot' });
      try {
        lines.push(...(await measure(withGbfs ? 'TfL + every GBFS system' : 'TfL only', core, devTexts)));
      } finally {
        await core.close();
      }
    }
  } finally {
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(lines.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
