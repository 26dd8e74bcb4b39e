/**
 * Every city at once: N stations over C GBFS systems, made from the real station
 * names of ../shared/data (Chicago, Montréal, London: their street names, paired
 * as corners), written as GBFS folders and served by our replay server on loopback.
 * For each size it measures:
 *  - served: `bikebot serve` (built dist/) polling all C systems from a fresh data dir —
 *    time until /readyz counts every station, the process's RSS then, and the slowest
 *    /healthz answer from its first one until then (asked every 20 ms);
 *  - in-process: building the index and every system's names, then a person in a city
 *    asking for a station by its name (as written, and with one letter dropped),
 *    scoped to their city as the dialog scopes it: right first time %, p50/p99 ms; then
 *    100 of them with no city known (every system searched), as written;
 * Baseline in the same run: London alone (792 stations) built the same way.
 *
 *   npm run build && node --import tsx bench/world.ts [--sizes 10000,50000,100000,200000] [--systems 40] [--questions 2000] [--plot world.svg] [--no-serve]
 *     [--server-node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"]   (flags for the served process's node: profile what it does)
 *     [--served-only]   (skip the in-process half: before/after runs of the served half with --cli)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { StationIndex } from '../src/domain/station-index.js';
import type { Snapshot, Station } from '../src/domain/station.js';
import { StationResolver } from '../src/domain/understand/station-resolver.js';
import { prepareUnderstanding, warmUnderstanding } from '../src/domain/understand/warm.js';
import { GbfsRoutes } from '../src/replay/gbfs-routes.js';
import { startReplayServer } from '../src/replay/replay-server.js';
import { seededRandom } from '../src/replay/faults.js';
import { arg, benchSetup } from './lib/served-bench.js';

const { shared, cli } = benchSetup();
const sizes = arg('--sizes', '10000,50000,100000,200000').split(',').map(Number);
const nSystems = Number(arg('--systems', '40'));
const nQuestions = Number(arg('--questions', '2000'));
const plot = arg('--plot', '');
const serve = !process.argv.includes('--no-serve');
const inProc = !process.argv.includes('--served-only');
const serverNodeArgs = arg('--server-node-args', '').split(' ').filter(Boolean);

// ——— Real street names, as the pieces of real station names

function streetPool(): string[] {
  const names: string[] = [];
  for (const sys of ['divvy-chicago', 'bixi-montreal']) {
    const doc = JSON.parse(readFileSync(join(shared, 'data', 'gbfs', sys, 'station_information.json'), 'utf8')) as { data: { stations: Array<{ name: string }> } };
    for (const s of doc.data.stations) names.push(s.name);
  }
  const csv = readFileSync(join(shared, 'data', 'tfl', 'stations.csv'), 'utf8').split('\n').slice(1);
  for (const line of csv) {
    const m = /^[^,]*,[^,]*,("[^"]*"|[^,]*)/.exec(line);
    if (m) names.push(m[1].replace(/^"|"$/g, ''));
  }
  const pieces = new Set<string>();
  for (const n of names) for (const p of n.split(/\s*(?:&|\/|,| - )\s*/)) if (/^[\p{L}][\p{L}\d .'’-]{3,28}$/u.test(p.trim()) && !/public rack|test/i.test(p)) pieces.add(p.trim());
  return [...pieces].sort();
}

interface World {
  systems: Array<{ id: string; city: string; stations: Station[] }>;
}

/** C systems of n/C stations, each a city of corners made of real street names (unique names within a system). */
function makeWorld(n: number, c: number, pool: string[]): World {
  const random = seededRandom(n + c);
  const per = Math.ceil(n / c);
  const systems: World['systems'] = [];
  const asOf = new Date().toISOString();
  for (let k = 0; k < c; k++) {
    const id = `city${String(k).padStart(3, '0')}`;
    // Each city has its own streets: a slice of the pool, so cities share some names (namesakes) but not all.
    const streets: string[] = [];
    const want = Math.max(40, Math.ceil(Math.sqrt(per * 2.2)));
    for (let i = 0; i < want; i++) streets.push(pool[Math.floor(random() * pool.length)]);
    const lat0 = -35 + (k % 10) * 9;
    const lon0 = -120 + Math.floor(k / 10) * 30;
    const seen = new Set<string>();
    const stations: Station[] = [];
    for (let tries = 0; stations.length < per && tries < per * 20; tries++) {
      const a = streets[Math.floor(random() * streets.length)];
      const b = streets[Math.floor(random() * streets.length)];
      if (a === b) continue;
      const name = `${a} & ${b}`;
      if (seen.has(name.toLowerCase()) || seen.has(`${b} & ${a}`.toLowerCase())) continue;
      seen.add(name.toLowerCase());
      const bikes = Math.floor(random() * 12);
      const empty = Math.floor(random() * 12);
      stations.push({
        id: `${id}:${stations.length}`, systemId: id, name, lat: lat0 + random() * 0.2, lon: lon0 + random() * 0.3, terminalName: null,
        bikes, standardBikes: null, ebikes: null, emptyDocks: empty, docks: bikes + empty, brokenDocks: 0,
        installed: true, locked: false, temporary: false, renting: true, returning: true, asOf,
      });
    }
    systems.push({ id, city: `City ${k}`, stations });
  }
  return { systems };
}

function writeGbfs(world: World, dir: string): void {
  const now = Math.floor(Date.now() / 1000);
  for (const sys of world.systems) {
    const d = join(dir, sys.id);
    mkdirSync(d, { recursive: true });
    const local = (s: Station) => s.id.slice(sys.id.length + 1);
    writeFileSync(join(d, 'system_information.json'), JSON.stringify({ last_updated: now, ttl: 60, version: '2.3', data: { system_id: sys.id, language: 'en', name: `${sys.city} Bikes`, timezone: 'UTC' } }));
    writeFileSync(join(d, 'station_information.json'), JSON.stringify({ last_updated: now, ttl: 60, version: '2.3', data: { stations: sys.stations.map((s) => ({ station_id: local(s), name: s.name, lat: s.lat, lon: s.lon, capacity: s.docks })) } }));
    writeFileSync(
      join(d, 'station_status.json'),
      JSON.stringify({ last_updated: now, ttl: 60, version: '2.3', data: { stations: sys.stations.map((s) => ({ station_id: local(s), num_bikes_available: s.bikes, num_docks_available: s.emptyDocks, is_installed: true, is_renting: true, is_returning: true, last_reported: now })) } }),
    );
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** In-process: build the index and every system's names; then people in each city ask for stations by name. */
async function inProcess(world: World): Promise<{ buildMs: number; rehearsalMs: number; heapMB: number; accuracy: number; p50: number; p99: number; max: number; slow: number; slowInGc: number; gcMs: number; unscoped: { n: number; right: number; p50: number; p99: number } }> {
  const snaps: Snapshot[] = world.systems.map((s) => ({ feedId: s.id, systemId: s.id, fetchedAt: new Date().toISOString(), asOf: new Date().toISOString(), stations: s.stations }));
  const t0 = performance.now();
  const index = new StationIndex(snaps);
  prepareUnderstanding(index);
  const buildMs = performance.now() - t0;
  const resolver = StationResolver.forIndex(index);
  // As a server does before its first answer (the rehearsal of src/understanding-warmup.ts):
  // the matching code compiled, so the questions time the steady state, not V8's first runs.
  const w0 = performance.now();
  warmUnderstanding(index);
  const rehearsalMs = performance.now() - w0;
  // Garbage collections during the questions: a slow question that overlaps one is the collector's.
  const gcs: Array<[number, number]> = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]);
  });
  obs.observe({ entryTypes: ['gc'] });
  const random = seededRandom(7);
  const times: number[] = [];
  const starts: number[] = [];
  let right = 0;
  for (let q = 0; q < nQuestions; q++) {
    const sys = world.systems[Math.floor(random() * world.systems.length)];
    const st = sys.stations[Math.floor(random() * sys.stations.length)];
    const said = q % 2 === 0 ? st.name.toLowerCase() : dropLetter(st.name.toLowerCase(), random);
    const t = performance.now();
    const r = resolver.resolve(said, { systemId: sys.id });
    times.push(performance.now() - t);
    starts.push(t);
    if (r.verdict === 'confident' && r.matches[0].station.id === st.id) right++;
  }
  // The same people without a city (no system of the conversation, no location, no city named):
  // every system's names are searched. Fewer of them: at 200k each is tens of ms.
  const unscoped: number[] = [];
  let unscopedRight = 0;
  for (let q = 0; q < Math.min(nQuestions, 100); q++) {
    const sys = world.systems[Math.floor(random() * world.systems.length)];
    const st = sys.stations[Math.floor(random() * sys.stations.length)];
    const t = performance.now();
    const r = resolver.resolve(st.name.toLowerCase());
    unscoped.push(performance.now() - t);
    if (r.verdict === 'confident' && r.matches[0].station.id === st.id) unscopedRight++;
  }
  await new Promise((r) => setImmediate(r));
  obs.disconnect();
  const slow = times.map((ms, i) => [ms, starts[i]] as const).filter(([ms]) => ms > 5);
  const slowInGc = slow.filter(([ms, t]) => gcs.some(([a, b]) => a < t + ms && b > t)).length;
  const gcMs = gcs.reduce((a, [x, y]) => a + (y - x), 0);
  return {
    buildMs, rehearsalMs, heapMB: process.memoryUsage().heapUsed / 1e6, accuracy: (100 * right) / nQuestions, p50: pct(times, 50), p99: pct(times, 99), max: Math.max(...times), slow: slow.length, slowInGc, gcMs,
    unscoped: { n: unscoped.length, right: (100 * unscopedRight) / unscoped.length, p50: pct(unscoped, 50), p99: pct(unscoped, 99) },
  };
}

/** One letter of the longest word dropped: a typo. */
function dropLetter(name: string, random: () => number): string {
  const words = name.split(' ');
  let k = 0;
  for (let i = 1; i < words.length; i++) if (words[i].length > words[k].length) k = i;
  const w = words[k];
  if (w.length >= 5) {
    const at = 1 + Math.floor(random() * (w.length - 2));
    words[k] = w.slice(0, at) + w.slice(at + 1);
  }
  return words.join(' ');
}

/** Served: the built server polls every system; until /readyz counts them all, /healthz is asked every 20 ms. */
async function served(world: World, n: number): Promise<{ readyS: number | null; rssMB: number | null; cpuS: number | null; healthzMaxMs: number; healthzAsked: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-world-'));
  const gbfsDir = join(dir, 'gbfs');
  writeGbfs(world, gbfsDir);
  const routes = new GbfsRoutes({ folders: [gbfsDir] });
  const replay = await startReplayServer({ routes: [routes] });
  const config = join(dir, 'systems.json');
  writeFileSync(config, JSON.stringify({ systems: world.systems.map((s) => ({ id: s.id, kind: 'gbfs', url: `${replay.url}/gbfs/${s.id}/`, name: `${s.city} Bikes`, timezone: 'UTC', aliases: [s.city.toLowerCase()] })) }));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const t0 = performance.now();
  const child = spawn(process.execPath, [...serverNodeArgs, cli, 'serve', '--config', config, '--data-dir', join(dir, 'data'), '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  let healthzMaxMs = 0;
  let asked = 0;
  let readyS: number | null = null;
  let rssMB: number | null = null;
  let cpuS: number | null = null;
  let listening = false;
  let lastReadyCheck = 0;
  try {
    while (performance.now() - t0 < 120_000) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
      const h0 = performance.now();
      try {
        const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) });
        await r.arrayBuffer();
        if (r.ok) {
          const ms = performance.now() - h0;
          if (listening) healthzMaxMs = Math.max(healthzMaxMs, ms);
          listening = true;
          asked++;
        }
      } catch {
        if (listening) healthzMaxMs = Math.max(healthzMaxMs, performance.now() - h0);
      }
      if (listening && performance.now() - lastReadyCheck > 100) {
        lastReadyCheck = performance.now();
        try {
          const body = (await (await fetch(`${base}/readyz`)).json()) as { stations?: number };
          if ((body.stations ?? 0) >= n * 0.999) {
            readyS = (performance.now() - t0) / 1000;
            rssMB = rss(child.pid);
            cpuS = cpuSeconds(child.pid);
            break;
          }
        } catch {
          // not yet
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { readyS, rssMB, cpuS, healthzMaxMs, healthzAsked: asked };
}

/** User + system CPU seconds the process has used: on a shared machine, less disturbed than the wall clock. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function rss(pid: number | undefined): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

const pool = streetPool();
console.log(`world: ${pool.length} real street names; ${nSystems} systems; ${nQuestions} questions per size; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
// Baseline in the same run: London's own names, built the same way.
if (inProc) {
  const file = join(shared, 'data', 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');
  const { parseBikePoints } = await import('../src/feeds/tfl-parse.js');
  const snap = parseBikePoints(JSON.parse(readFileSync(file, 'utf8')), { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date() });
  const r = await inProcess({ systems: [{ id: 'tfl', city: 'London', stations: [...snap.stations] }] });
  console.log(`baseline, London alone (${snap.stations.length} stations, cold): built ${r.buildMs.toFixed(0)} ms (rehearsal ${r.rehearsalMs.toFixed(0)} ms); right first time ${r.accuracy.toFixed(1)}%, p50 ${r.p50.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, max ${r.max.toFixed(1)} ms; ${r.slow} over 5 ms, ${r.slowInGc} of them during a GC (GC ${r.gcMs.toFixed(0)} ms)`);
}
console.log('| stations | systems | served: ready s (≤ 10) | server CPU s until ready | RSS MB (≤ 1024) | /healthz max ms (≤ 100) | in-process build s | heap MB | right first time % (≥ 95) | p50 ms | p99 ms (≤ 5) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
const rows: Array<{ n: number; readyS: number | null; buildS: number; p99: number }> = [];
for (const n of sizes) {
  const world = makeWorld(n, nSystems, pool);
  const total = world.systems.reduce((a, s) => a + s.stations.length, 0);
  const ip = inProc ? await inProcess(world) : { buildMs: NaN, rehearsalMs: NaN, heapMB: NaN, accuracy: NaN, p50: NaN, p99: NaN, max: NaN, slow: 0, slowInGc: 0, gcMs: NaN, unscoped: { n: 0, right: NaN, p50: NaN, p99: NaN } };
  const sv = serve ? await served(world, total) : null;
  if (inProc) {
    console.log(`  in-process ${total}: rehearsal ${ip.rehearsalMs.toFixed(0)} ms; max ${ip.max.toFixed(1)} ms; ${ip.slow} questions over 5 ms, ${ip.slowInGc} of them during a GC (GC ${ip.gcMs.toFixed(0)} ms while asking)`);
    console.log(`  unscoped (no city known, every system searched) ${ip.unscoped.n} names as written: right first time ${ip.unscoped.right.toFixed(1)}%, p50 ${ip.unscoped.p50.toFixed(1)} ms, p99 ${ip.unscoped.p99.toFixed(1)} ms`);
  }
  rows.push({ n: total, readyS: sv?.readyS ?? null, buildS: ip.buildMs / 1000, p99: ip.p99 });
  console.log(
    `| ${total.toLocaleString('en')} | ${world.systems.length} | ${sv ? (sv.readyS === null ? 'not in 120 s' : sv.readyS.toFixed(1)) : '—'} | ${sv?.cpuS?.toFixed(1) ?? '—'} | ${sv?.rssMB?.toFixed(0) ?? '—'} | ${sv ? `${sv.healthzMaxMs.toFixed(0)} (${sv.healthzAsked} asked)` : '—'} | ${(ip.buildMs / 1000).toFixed(2)} | ${ip.heapMB.toFixed(0)} | ${ip.accuracy.toFixed(1)} | ${ip.p50.toFixed(3)} | ${ip.p99.toFixed(3)} |`,
  );
}
if (plot) {
  const W = 640;
  const H = 320;
  const maxN = Math.max(...rows.map((r) => r.n));
  const maxS = Math.max(10, ...rows.map((r) => Math.max(r.readyS ?? 0, r.buildS)));
  const x = (n: number) => 50 + (n / maxN) * (W - 80);
  const y = (s: number) => H - 40 - (s / maxS) * (H - 70);
  const line = (pts: Array<[number, number]>, colour: string) => `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<text x="${W / 2}" y="16" text-anchor="middle">bench/world: seconds to ready by stations (${nSystems} systems)</text>
<line x1="50" y1="${y(0)}" x2="${W - 30}" y2="${y(0)}" stroke="#000"/><line x1="50" y1="${y(0)}" x2="50" y2="30" stroke="#000"/>
<line x1="50" y1="${y(10)}" x2="${W - 30}" y2="${y(10)}" stroke="#c00" stroke-dasharray="4"/><text x="${W - 30}" y="${y(10) - 4}" text-anchor="end" fill="#c00">10 s target</text>
${line(rows.filter((r) => r.readyS !== null).map((r) => [r.n, r.readyS as number]), '#06c')}
${line(rows.map((r) => [r.n, r.buildS]), '#090')}
${rows.map((r) => `<text x="${x(r.n)}" y="${y(0) + 16}" text-anchor="middle">${(r.n / 1000).toFixed(0)}k</text>`).join('')}
<text x="60" y="40" fill="#06c">served: spawn → every station in /readyz</text><text x="60" y="56" fill="#090">in-process: index + names built</text>
</svg>`;
  writeFileSync(plot, svg);
  console.log(`plot: ${plot}`);
}
