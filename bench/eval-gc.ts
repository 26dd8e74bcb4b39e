/**
 * The `bikebot eval` timing, message by message, with the garbage collections that
 * fell inside each message: shows whether a slow message was slow by itself or met
 * a scavenge. Same build as `bikebot eval` (TfL snapshot file, London gazetteer),
 * warm-up pass, then the timed pass; run it a few times (each run is a fresh process).
 * Each slow message also shows the process's CPU time while it ran (all threads: more
 * than the wall time means V8's background compiler or GC threads were busy too) and
 * its involuntary context switches.
 *
 *   node --import tsx bench/eval-gc.ts [--shared <dir>] [--slowest K] [--passes N] [--cpu] [--markers]
 *
 * --cpu: sample the timed pass (25 µs) and print what ran inside the slowest messages.
 * --markers: print "@w <text>" / "@@ <text>" before each warm-up / timed message, to
 *   read alongside node's --trace-opt / --trace-deopt / --trace-gc output.
 */
import { join, resolve } from 'node:path';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { buildCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadEvalCases } from '../src/eval/eval-case.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const shared = resolve(arg('--shared') ?? join(process.cwd(), '..', 'shared'));
const slowestK = Number(arg('--slowest') ?? 4);
const passes = Number(arg('--passes') ?? 1);
let markers = false;
const cases = loadEvalCases(join(shared, 'eval', 'dev.jsonl'));
const cfg = loadConfig({
  argv: ['eval', '--snapshot', join(shared, 'data', 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json'), '--gazetteer', join(shared, 'data', 'london'), '--log-level', 'silent'],
  env: {},
});
const core = await buildCore(cfg, { mode: 'oneshot' });
if (process.argv.includes('--markers')) console.log('@@@ built');
const gcs: PerformanceEntry[] = [];
const obs = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
obs.observe({ entryTypes: ['gc'] });

let seq = 0;
/** CPU time (all threads) and involuntary context switches of the process: tells preemption from work. */
const usage = (): [number, number] => {
  const r = process.resourceUsage();
  return [(r.userCPUTime + r.systemCPUTime) / 1000, r.involuntaryContextSwitches];
};
const hr = () => Number(process.hrtime.bigint() / 1000n);
const pass = async (): Promise<{ t0: number; t1: number; h0: number; h1: number; text: string; cpu: number; preempt: number }[]> => {
  const out = [];
  for (const c of cases) {
    if (markers) console.log(`@@ ${c.utterance}`);
    else if (process.argv.includes('--markers')) console.log(`@w ${c.utterance}`);
    const u0 = usage();
    const h0 = hr();
    const t0 = performance.now();
    await core.handleTurn({ channel: 'eval', conversationId: `eval:${c.id}:${seq++}`, text: c.utterance });
    const t1 = performance.now();
    const h1 = hr();
    const u1 = usage();
    out.push({ t0, t1, h0, h1, text: c.utterance, cpu: u1[0] - u0[0], preempt: u1[1] - u0[1] });
  }
  return out;
};
interface ProfNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
const profiling = process.argv.includes('--cpu');
const session = new Session();
if (profiling) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 25 });
}
await pass();
markers = process.argv.includes('--markers');
for (let p = 0; p < passes; p++) {
  if (profiling) await session.post('Profiler.start');
  const timed = await pass();
  markers = false;
  if (profiling) {
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfNode[]; startTime: number; samples: number[]; timeDeltas: number[] } };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const label = (id: number) => {
      const parts: string[] = [];
      for (let cur: number | undefined = id; cur !== undefined && parts.length < 4; cur = parent.get(cur)) {
        const f = byId.get(cur)!.callFrame;
        parts.push(`${f.functionName || '(anon)'}${f.url ? '@' + f.url.replace(/^.*\//, '') : ''}`);
      }
      return parts.join(' < ');
    };
    // Profile sample times are V8 TimeTicks in µs: CLOCK_MONOTONIC, like process.hrtime.
    let t = profile.startTime;
    const samples = profile.samples.map((id, i) => ((t += profile.timeDeltas[i]), { us: t, id }));
    const worst = timed.map((x) => ({ ...x, ms: x.t1 - x.t0 })).sort((a, b) => b.ms - a.ms).slice(0, 3);
    for (const w of worst) {
      const counts = new Map<string, number>();
      for (const s of samples) if (s.us >= w.h0 && s.us <= w.h1) counts.set(label(s.id), (counts.get(label(s.id)) ?? 0) + 1);
      console.log(`  ${w.ms.toFixed(2)} ms ${JSON.stringify(w.text.slice(0, 30))}: ${[...counts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${v}× ${k}`).join(' | ')}`);
    }
  }
  await new Promise((r) => setTimeout(r, 20));
  const ms = timed.map((t) => t.t1 - t.t0).sort((a, b) => a - b);
  const p99 = ms[Math.ceil(0.99 * ms.length) - 1];
  const inPass = gcs.filter((g) => g.startTime >= timed[0].t0 && g.startTime <= timed.at(-1)!.t1);
  const slow = timed
    .map((t) => ({ ...t, ms: t.t1 - t.t0, gc: gcs.filter((g) => g.startTime >= t.t0 && g.startTime <= t.t1).reduce((s, g) => s + g.duration, 0) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, slowestK);
  console.log(
    `[${timed[0].t0.toFixed(0)}–${timed.at(-1)!.t1.toFixed(0)} ms] p50 ${ms[Math.floor(ms.length / 2)].toFixed(3)} p99 ${p99.toFixed(3)} ms; pass ${(timed.at(-1)!.t1 - timed[0].t0).toFixed(0)} ms, ${inPass.length} GCs in pass (${inPass.map((g) => `${["", "minor", "major", "", "incr", "", "", "", "weak"][(g as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "?"} ${g.duration.toFixed(2)}`).join(', ')}); slowest: ${slow.map((s) => `${s.ms.toFixed(2)}${s.gc ? `(gc ${s.gc.toFixed(2)})` : ''}[cpu ${s.cpu.toFixed(2)}${s.preempt ? ` preempted ${s.preempt}` : ''}] ${JSON.stringify(s.text.slice(0, 30))}`).join('; ')}`,
  );
}
obs.disconnect();
await core.close();
