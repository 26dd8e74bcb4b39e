import { performance } from 'node:perf_hooks';
import type { Answer } from '../domain/answer.js';
import type { StationIndex } from '../domain/station-index.js';
import type { HandleTurn } from '../dialog/turn-deps.js';
import { warmUnderstanding } from '../domain/understand/warm.js';
import type { EvalCase } from './eval-case.js';
import { understand } from '../domain/understand/understand.js';
import { StationResolver, verdictOf } from '../domain/understand/station-resolver.js';
import { reliabilityTable, formatReliability, type Bucket, type Judged } from './reliability.js';

export interface Tally {
  n: number;
  pass: number;
}

export interface EvalOutcome {
  id: string;
  kind: string;
  noise: string;
  utterance: string;
  pass: boolean;
  /** A station given with no question asked, and it was the wrong one. */
  confidentlyWrong: boolean;
  ms: number;
  got: string;
}

export interface EvalReport {
  total: Tally;
  byKind: Record<string, Tally>;
  byNoise: Record<string, Tally>;
  /** Name cases (including edge cases that name a station) answered confidently with the wrong station. */
  confidentlyWrong: number;
  /** Steady state, as a running server sees it: the timed pass, after warmUnderstanding and one warm-up pass. */
  p50Ms: number;
  p99Ms: number;
  /** The first pass over the set (JIT, caches and lookups not yet warm); null when run without warm-up. */
  cold: { p50Ms: number; p99Ms: number } | null;
  /** Time warmUnderstanding took for the index (what a server pays once per snapshot, off the message path). */
  warmIndexMs: number;
  /** Cases whose answer in the timed pass differs from the warm-up pass's (should be 0: no hidden state). */
  unstable: number;
  outcomes: EvalOutcome[];
  /** Name asks with one right station: the resolver's confidence in its top candidate against whether it was right. */
  reliability: Bucket[];
}

export interface RunEvalOptions {
  /** Warm the index and run the set once untimed before the timed pass (default true). */
  warmUp?: boolean;
}

/** Stations nearest the true place that can serve the want: the ones a correct answer may start with. */
function acceptableNear(index: StationIndex, c: EvalCase): Set<string> {
  const p = c.expect.place;
  if (!p) return new Set();
  const k = c.noise === 'area' ? 5 : 3;
  // A feed without e-bike counts (TfL before 2023) can never "have e-bikes": the bot
  // honestly falls back to bikes there, and so does the scoring.
  const around = index.nearest(p.lat, p.lon, { k: 5 });
  const want = c.want === 'ebikes' && around.length > 0 && around.every((n) => n.station.ebikes === null) ? 'bikes' : c.want;
  return new Set(index.nearest(p.lat, p.lon, { k, want }).map((n) => n.station.id));
}

function describe(a: Answer): string {
  if (a.options.length) return `options ${a.options.map((o) => o.id).join(',')}`;
  if (a.stations.length) return `${a.intent} ${a.stations.map((s) => s.id).slice(0, 3).join(',')}${a.place ? ` near "${a.place.name}"` : ''}`;
  return `${a.intent} (no stations)`;
}

/** Scores one answer exactly as the understanding issue defines a pass. */
export function scoreCase(c: EvalCase, a: Answer, index: StationIndex): { pass: boolean; confidentlyWrong: boolean } {
  const asked = a.options.length > 0;
  const first = a.stations[0]?.id;
  const ids = c.expect.station_ids ?? [];
  const among = c.expect.ambiguous_among ?? [];
  const wrongStation = !asked && first !== undefined && !ids.includes(first);
  if (c.kind === 'intent') return { pass: a.intent === c.intent, confidentlyWrong: false };
  if (c.kind === 'place') {
    const ok = acceptableNear(index, c);
    const direct = !asked && first !== undefined && ok.has(first);
    const choice = c.noise === 'area' && asked && a.options.slice(0, 3).some((o) => ok.has(o.id));
    return { pass: direct || choice, confidentlyWrong: false };
  }
  if (among.length) {
    const offered = new Set(a.options.map((o) => o.id));
    return { pass: asked && among.every((id) => offered.has(id)), confidentlyWrong: !asked && first !== undefined && !among.includes(first) };
  }
  if (ids.length) {
    const pass = !asked && first !== undefined && ids.includes(first) && (c.kind !== 'edge' || a.intent === c.intent);
    return { pass, confidentlyWrong: wrongStation };
  }
  // No station expected (an unknown name, or an edge case scored on intent): inventing one fails.
  return { pass: a.intent === c.intent && (asked || a.stations.length === 0), confidentlyWrong: !asked && a.stations.length > 0 && c.intent === 'station_status' };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function bump(m: Record<string, Tally>, key: string, pass: boolean): void {
  const t = (m[key] ??= { n: 0, pass: 0 });
  t.n++;
  if (pass) t.pass++;
}

/**
 * Runs every case as its own fresh conversation through the real turn handler
 * and scores it. Times are per message, in process, including the geocoders.
 * Like a running server: the index is warmed (warmUnderstanding) and the set is
 * run once as warm-up, each case in its own conversation, before the timed pass
 * that is scored; the warm-up pass's times are reported as the cold ones.
 */
export async function runEval(cases: readonly EvalCase[], handleTurn: HandleTurn, index: StationIndex, opts: RunEvalOptions = {}): Promise<EvalReport> {
  const warmUp = opts.warmUp !== false;
  const outcomes: EvalOutcome[] = [];
  const report: EvalReport = { total: { n: 0, pass: 0 }, byKind: {}, byNoise: {}, confidentlyWrong: 0, p50Ms: 0, p99Ms: 0, cold: null, warmIndexMs: 0, unstable: 0, outcomes, reliability: [] };
  let seq = 0;
  const stamp = Date.now();
  const turn = async (c: EvalCase, pass: string): Promise<{ a: Answer; ms: number }> => {
    const conversationId = `eval:${pass}:${c.id}:${seq++}:${stamp}`;
    const t0 = performance.now();
    const a = await handleTurn({ channel: 'eval', conversationId, text: c.utterance });
    return { a, ms: performance.now() - t0 };
  };
  const first: string[] = [];
  if (warmUp) {
    const t0 = performance.now();
    warmUnderstanding(index);
    report.warmIndexMs = performance.now() - t0;
    const coldTimes: number[] = [];
    for (const c of cases) {
      const { a, ms } = await turn(c, 'warm-up');
      coldTimes.push(ms);
      first.push(describe(a));
    }
    coldTimes.sort((x, y) => x - y);
    report.cold = { p50Ms: percentile(coldTimes, 50), p99Ms: percentile(coldTimes, 99) };
  }
  for (const [i, c] of cases.entries()) {
    const { a, ms } = await turn(c, 'timed');
    const s = scoreCase(c, a, index);
    const got = describe(a);
    if (warmUp && first[i] !== got) report.unstable++;
    outcomes.push({ id: c.id, kind: c.kind, noise: c.noise, utterance: c.utterance, pass: s.pass, confidentlyWrong: s.confidentlyWrong, ms, got });
    bump(report.byKind, c.kind, s.pass);
    bump(report.byNoise, c.noise, s.pass);
    report.total.n++;
    if (s.pass) report.total.pass++;
    if (s.confidentlyWrong) report.confidentlyWrong++;
  }
  report.reliability = reliabilityTable(judge(cases, index));
  const times = outcomes.map((o) => o.ms).sort((x, y) => x - y);
  report.p50Ms = percentile(times, 50);
  report.p99Ms = percentile(times, 99);
  return report;
}

/** The resolver's confidence in its first candidate for every name ask with one right station, and whether it was right. */
export function judge(cases: readonly EvalCase[], index: StationIndex): Judged[] {
  const resolver = StationResolver.forIndex(index);
  const out: Judged[] = [];
  for (const c of cases) {
    const ids = c.expect.station_ids;
    if (c.kind !== 'name' || !ids?.length) continue;
    const u = understand(c.utterance);
    const cands = u.subject ? resolver.candidates(u.subject, { lead: u.lead, tail: u.tail, said: u.said }) : [];
    const v = verdictOf(cands, u.subject ?? undefined);
    out.push({ confidence: v.confidence, right: cands.length > 0 && ids.includes(cands[0].station.id) });
  }
  return out;
}

function pct(t: Tally): string {
  return t.n ? `${((100 * t.pass) / t.n).toFixed(1)}%` : '-';
}

export function formatEvalReport(r: EvalReport, opts: { failures?: boolean } = {}): string {
  const lines: string[] = [];
  const row = (label: string, t: Tally) => lines.push(`  ${label.padEnd(16)} ${String(t.pass).padStart(4)}/${String(t.n).padEnd(4)} ${pct(t).padStart(7)}`);
  lines.push('by kind:');
  for (const [k, t] of Object.entries(r.byKind)) row(k, t);
  lines.push('by noise:');
  for (const [k, t] of Object.entries(r.byNoise).sort(([a], [b]) => a.localeCompare(b))) row(k, t);
  row('TOTAL', r.total);
  lines.push(`confidently wrong: ${r.confidentlyWrong}`);
  lines.push('time per message (in process, whole turn):');
  if (r.cold) lines.push(`  first pass (cold):  p50 ${r.cold.p50Ms.toFixed(3)} ms, p99 ${r.cold.p99Ms.toFixed(3)} ms`);
  lines.push(`  ${r.cold ? 'warm (timed pass):' : 'single pass:      '}  p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms${r.cold ? `  (index warmed in ${r.warmIndexMs.toFixed(0)} ms, then one untimed pass)` : ''}`);
  if (r.reliability.some((b) => b.n > 0)) {
    lines.push('reliability (name asks with one right station: confidence in the first candidate → share right):');
    lines.push(formatReliability(r.reliability));
  }
  if (r.unstable) lines.push(`  answers that changed between the warm-up and the timed pass: ${r.unstable}`);
  if (opts.failures !== false) {
    const bad = r.outcomes.filter((o) => !o.pass);
    if (bad.length) lines.push('failures:');
    for (const o of bad) lines.push(`  ${o.id} [${o.kind}/${o.noise}] ${JSON.stringify(o.utterance.slice(0, 60))} → ${o.got}${o.confidentlyWrong ? '  (CONFIDENTLY WRONG)' : ''}`);
  }
  return lines.join('\n');
}
