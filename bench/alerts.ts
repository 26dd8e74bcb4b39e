/**
 * Alert evaluation at scale: 100,000 rules over London's stations, evaluated on
 * every real snapshot-to-snapshot change in ../shared/data/tfl/occupancy (three
 * days, a snapshot every ~20 minutes), and the firings enqueued in the persisted
 * outbox (SQLite, the default store). Beside it, in the same run, the baseline: a
 * scan of all rules on every snapshot, enqueueing the same firings.
 *
 *   node --expose-gc --import tsx bench/alerts.ts [--rules 100000] [--shared <dir>]
 *
 * Prints p50/p99 per snapshot of evaluate-only and evaluate+enqueue for both, and
 * the heap the indexed rules take. Nothing is sent (the outbox is not drained).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AlertService } from '../src/alerts/alert-service.js';
import { Outbox } from '../src/alerts/outbox.js';
import { changedStations, naiveFirings, RuleIndex, type Firing } from '../src/domain/alerts/rule-index.js';
import { clockMemo } from '../src/domain/alerts/rule.js';
import type { AlertRule, Condition, Measure } from '../src/domain/alerts/rule.js';
import type { Snapshot, Station } from '../src/domain/station.js';
import { parseBikePoints } from '../src/feeds/tfl-parse.js';
import { loadTflReplayData } from '../src/replay/tfl-replay-data.js';
import { SqliteKvStore } from '../src/store/sqlite-kv.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const shared = resolve(arg('--shared') ?? join(process.cwd(), '..', 'shared'));
const tflDir = join(shared, 'data', 'tfl');
if (!existsSync(join(tflDir, 'occupancy'))) {
  console.log(`skipped: ${tflDir}/occupancy not found (the shared data bundle is needed)`);
  process.exit(0);
}
const N = Number(arg('--rules') ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;

// A seeded generator, so runs compare.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const data = loadTflReplayData(tflDir);
const snapshots: Snapshot[] = data.times.map((t, i) => parseBikePoints(JSON.parse(data.snapshot(i).body), { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date(t) }));
const ids = snapshots[0].stations.map((s) => s.id);

function makeRule(i: number): AlertRule {
  const owner = `sms:owner${i % 20_000}`;
  const measure = pick<Measure>(['bikes', 'bikes', 'docks', 'docks', 'ebikes']);
  const c: Condition = rnd() < 0.05 ? { kind: pick(['closed', 'reopened'] as const) } : { kind: 'count', measure, op: rnd() < 0.6 ? 'atLeast' : 'below', n: 1 + Math.floor(rnd() * 8) };
  const recurring = rnd() < 0.8;
  const sid = pick(ids);
  return {
    id: `${owner}#${i}`, owner, no: i, stationId: sid, stationName: sid, systemId: 'tfl', timezone: 'Europe/London', condition: c, recurring,
    schedule: recurring && rnd() < 0.5 ? { days: [1, 2, 3, 4, 5], fromMin: 6 * 60, toMin: 10 * 60 } : null,
    createdAt: '2022-06-01T00:00:00Z', expiresAt: null, delivery: { channel: 'sms', to: `+4477009${String(i % 100_000).padStart(5, '0')}` },
  };
}

gc?.();
const heap0 = process.memoryUsage().heapUsed;
const rules: AlertRule[] = [];
for (let i = 0; i < N; i++) rules.push(makeRule(i));
gc?.();
const heap1 = process.memoryUsage().heapUsed;
const index = new RuleIndex();
for (const r of rules) index.add(r);
gc?.();
const heap2 = process.memoryUsage().heapUsed;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const byId = (st: readonly Station[]) => new Map(st.map((s) => [s.id, s]));

async function run(label: string, evaluate: (prev: Snapshot, next: Snapshot, now: Date) => Firing[]) {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-bench-alerts-'));
  const kv = await SqliteKvStore.open(join(dir, 'bench.db'));
  const outbox = new Outbox({ kv, senders: {}, optOuts: { isOptedOut: async () => false } });
  const service = new AlertService({ kv, outbox, channels: new Set(['sms']) });
  const evalMs: number[] = [];
  const totalMs: number[] = [];
  let fired = 0;
  let changed = 0;
  for (let i = 1; i < snapshots.length; i++) {
    const prev = snapshots[i - 1];
    const next = snapshots[i];
    // Evaluate as of the observation time, so weekday-morning schedules are what the data says.
    const now = new Date(next.asOf ?? next.fetchedAt);
    const t0 = performance.now();
    const firings = evaluate(prev, next, now);
    const t1 = performance.now();
    await outbox.enqueueMany(firings.map((f) => service.delivery(f, now)));
    const t2 = performance.now();
    evalMs.push(t1 - t0);
    totalMs.push(t2 - t0);
    fired += firings.length;
    changed += changedStations(byId(prev.stations), next.stations).length;
  }
  await kv.close();
  rmSync(dir, { recursive: true, force: true });
  const n = snapshots.length - 1;
  console.log(`${label.padEnd(26)} evaluate p50 ${pct(evalMs, 50).toFixed(2)} ms  p99 ${pct(evalMs, 99).toFixed(2)} ms | evaluate+enqueue p50 ${pct(totalMs, 50).toFixed(2)} ms  p99 ${pct(totalMs, 99).toFixed(2)} ms | ${(changed / n).toFixed(0)} stations changed, ${(fired / n).toFixed(0)} firings per snapshot`);
  return { evalMs, totalMs };
}

console.log(`${N.toLocaleString('en-GB')} rules over ${ids.length} stations; ${snapshots.length - 1} real snapshot-to-snapshot changes (${new Date(data.times[0]).toISOString().slice(0, 10)} …)`);
console.log(`rules in memory: ${((heap1 - heap0) / 1048576).toFixed(1)} MB for the rule objects, ${((heap2 - heap1) / 1048576).toFixed(1)} MB for the station index (total ${((heap2 - heap0) / 1048576).toFixed(1)} MB)${gc ? '' : ' — run with --expose-gc for exact figures'}`);

// Warm both paths once on a pair, untimed.
index.firingAt(snapshots[0].stations[0], snapshots[1].stations[0], new Date(), []);
const indexed = await run('indexed by station', (prev, next, now) => {
  const out: Firing[] = [];
  const clockOf = clockMemo(now);
  for (const [p, q] of changedStations(byId(prev.stations), next.stations)) index.firingAt(p, q, now, out, clockOf);
  return out;
});
const naive = await run('baseline: scan all rules', (prev, next, now) => naiveFirings(rules, byId(prev.stations), byId(next.stations), now));
console.log(`ratio baseline/indexed, evaluate p50: ${(pct(naive.evalMs, 50) / pct(indexed.evalMs, 50)).toFixed(1)}x, p99: ${(pct(naive.evalMs, 99) / pct(indexed.evalMs, 99)).toFixed(1)}x; evaluate+enqueue p50: ${(pct(naive.totalMs, 50) / pct(indexed.totalMs, 50)).toFixed(1)}x`);
