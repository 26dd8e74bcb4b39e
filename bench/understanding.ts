/**
 * Understanding benchmark: the dev set through BikeBot's pipeline and through two
 * name-search baselines (Fuse.js, MiniSearch), side by side, scored the same way.
 *
 *   node --import tsx bench/understanding.ts [eval.jsonl] [--shared <dir>] [--reps N] [--speed]
 *
 * Times are per message in process. The DONE-WHEN block (understanding alone, and
 * MiniSearch in the same run) counts every message of every run — the cold pass
 * and N warm passes, no best-of — and gives CPU time per message beside it, which a
 * loaded machine disturbs least. One further line, labelled so, keeps each whole
 * turn's fastest of N runs. --speed prints the DONE-WHEN block alone.
 */
import { existsSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildPipeline, loadTflIndex } from './lib/understanding-harness.js';
import { nameVariants, siblingsOf } from './lib/name-variants.js';
import { StationResolver } from '../src/domain/understand/station-resolver.js';
import { understand } from '../src/domain/understand/understand.js';
import { FIRST_REHEARSALS, warmUnderstanding } from '../src/domain/understand/warm.js';
import { IntentModel } from '../src/domain/understand/intent-model.js';
import { INTENT_WEIGHTS } from '../src/domain/understand/intent-weights.js';
import { ASK_WORDS, baselineAnswer, cleanQuery, baselineVariants, fuseSearch, miniSearch, FUSE_OPTIONS, MINISEARCH_OPTIONS, type NameSearch } from './lib/name-search-baselines.js';
import { loadEvalCases, type EvalCase } from '../src/eval/eval-case.js';
import { runEval, scoreCase, type EvalReport, type Tally } from '../src/eval/run-eval.js';
import type { StationIndex } from '../src/domain/station-index.js';
import { NameVocabulary } from '../src/domain/understand/name-vocabulary.js';
import { verdictOf } from '../src/domain/understand/station-resolver.js';
import { execFileSync } from 'node:child_process';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const shared = resolve(arg('--shared') ?? join(process.cwd(), '..', 'shared'));
const evalFile = resolve(process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--')) ?? join(shared, 'eval', 'dev.jsonl'));
const reps = Math.max(1, Number(arg('--reps') ?? 5));
const sharedData = join(shared, 'data');
if (!existsSync(evalFile) || !existsSync(sharedData)) {
  console.error(`needs the shared data bundle: ${evalFile} and ${sharedData}`);
  process.exit(2);
}

interface Column {
  byKind: Record<string, Tally>;
  byNoise: Record<string, Tally>;
  total: Tally;
  confidentlyWrong: number;
  asked: number;
  /** Ids of the cases passed. */
  passed: Set<string>;
}

function bump(m: Record<string, Tally>, k: string, pass: boolean): void {
  const t = (m[k] ??= { n: 0, pass: 0 });
  t.n++;
  if (pass) t.pass++;
}

function baselineColumn(cases: readonly EvalCase[], search: NameSearch, index: StationIndex): Column {
  const col: Column = { byKind: {}, byNoise: {}, total: { n: 0, pass: 0 }, confidentlyWrong: 0, asked: 0, passed: new Set() };
  for (const c of cases) {
    const s = scoreCase(c, baselineAnswer(search, c.utterance), index);
    if (s.pass) col.passed.add(c.id);
    bump(col.byKind, c.kind, s.pass);
    bump(col.byNoise, c.noise, s.pass);
    bump({ t: col.total }, 't', s.pass);
    if (s.confidentlyWrong) col.confidentlyWrong++;
  }
  return col;
}

/** The strongest fair baseline: the library searches just the words that name the place. */
function onSubject(search: NameSearch): NameSearch {
  return (utterance) => {
    const u = understand(utterance);
    return u.subject ? search(u.subject) : null;
  };
}

function oursColumn(r: EvalReport): Column {
  return { byKind: r.byKind, byNoise: r.byNoise, total: r.total, confidentlyWrong: r.confidentlyWrong, asked: r.outcomes.filter((o) => o.got.startsWith('options')).length, passed: new Set(r.outcomes.filter((o) => o.pass).map((o) => o.id)) };
}

function pct(t: Tally | undefined): string {
  return t && t.n ? `${((100 * t.pass) / t.n).toFixed(1)}%` : '-';
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : 0;
}

/**
 * Every station's name said seven ways (bench/lib/name-variants.ts), through the
 * resolver alone: right (confident, correct), asked (a choice that includes it),
 * missed (none, or a choice without it) and WRONG (confident, another station).
 */
function stressTable(index: StationIndex): string[] {
  const r = StationResolver.forIndex(index);
  const by = new Map<string, { n: number; right: number; asked: number; missed: number; wrong: number }>();
  const wrongs: string[] = [];
  const times: number[] = [];
  for (const v of nameVariants(index.stations)) {
    const t0 = performance.now();
    const res = r.resolve(v.text);
    times.push(performance.now() - t0);
    const t = by.get(v.style) ?? { n: 0, right: 0, asked: 0, missed: 0, wrong: 0 };
    by.set(v.style, t);
    t.n++;
    const topId = res.matches[0]?.station.id;
    if (res.verdict === 'confident') {
      if (topId === v.station.id) t.right++;
      else if (topId !== undefined && siblingsOf(v.station, index.stations).has(topId)) t.asked++; // "Royal Avenue" said: either is fair
      else {
        t.wrong++;
        wrongs.push(`  "${v.text}" → ${res.matches[0].station.name} (meant ${v.station.name})`);
      }
    } else if (res.verdict === 'ambiguous' && res.matches.some((m) => m.station.id === v.station.id)) t.asked++;
    else t.missed++;
  }
  times.sort((a, b) => a - b);
  const out = [...calibrationTable(index, r), '', 'Resolver stress test: every station name said seven ways (synthetic, seeded)', `| ${'style'.padEnd(20)} | ${'n'.padStart(5)} | ${'right'.padStart(7)} | ${'asked'.padStart(7)} | ${'missed'.padStart(7)} | ${'WRONG'.padStart(5)} |`];
  const p = (a: number, n: number) => `${((100 * a) / n).toFixed(1)}%`.padStart(7);
  for (const [k, t] of by) out.push(`| ${k.padEnd(20)} | ${String(t.n).padStart(5)} | ${p(t.right, t.n)} | ${p(t.asked, t.n)} | ${p(t.missed, t.n)} | ${String(t.wrong).padStart(5)} |`);
  out.push(`resolver alone: p50 ${percentile(times, 50).toFixed(3)} ms, p99 ${percentile(times, 99).toFixed(3)} ms over ${times.length} names`);
  if (wrongs.length) out.push('confidently wrong:', ...wrongs.slice(0, 20));
  return out;
}

/**
 * Is the score a probability? Top-match score against how often the top match is
 * the station meant, over the stress variants plus harder partial forms (the name
 * without its first word; the first word alone), where the right answer is often unknowable.
 */
function calibrationTable(index: StationIndex, r: StationResolver): string[] {
  const texts = nameVariants(index.stations).map((v) => ({ text: v.text, id: v.station.id }));
  for (const s of index.stations) {
    const w = s.name.split(/[ ,]+/).filter(Boolean);
    if (w.length > 2) texts.push({ text: w.slice(1).join(' '), id: s.id });
    texts.push({ text: w[0], id: s.id });
  }
  const bins = Array.from({ length: 5 }, () => ({ n: 0, ok: 0, sum: 0 }));
  for (const t of texts) {
    const m = r.resolve(t.text).matches[0];
    if (!m) continue;
    const b = bins[Math.min(4, Math.floor(m.score * 5))];
    b.n++;
    b.sum += m.score;
    if (m.station.id === t.id) b.ok++;
  }
  const out = [`Calibration (${texts.length} synthetic asks): top-match score vs how often it is the station meant`];
  bins.forEach((b, i) => {
    if (b.n) out.push(`  score ${(i / 5).toFixed(1)}–${((i + 1) / 5).toFixed(1)}: n=${String(b.n).padStart(5)}  mean score ${(b.sum / b.n).toFixed(2)}  right ${(b.ok / b.n).toFixed(2)}`);
  });
  return out;
}

function stats(xs: number[]): string {
  const s = xs.slice().sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(3)} ms, p99 ${percentile(s, 99).toFixed(3)} ms, max ${s.at(-1)!.toFixed(3)} ms (${s.length} messages)`;
}

/**
 * Whole understanding (understand → spelling and sound candidates → confidence →
 * verdict) per message, every message of every run counted (no best-of), the first
 * pass (each message met for the first time, after the start-up rehearsal a server
 * runs on its own names) and the later runs apart; MiniSearch's top-hit search over the same messages in the same run; and
 * snapshot-to-ready: building the names' vocabulary and phoneme index from scratch.
 */
function understandingTimes(cases: readonly EvalCase[], index: StationIndex, runs: number): string[] {
  const sorted = [...index.stations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ready: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    NameVocabulary.of(sorted);
    ready.push(performance.now() - t);
  }
  const dictMs = Number(execFileSync(process.execPath, ['--input-type=module', '-e', "const t = performance.now(); await import('cmu-pronouncing-dictionary'); process.stdout.write(String(performance.now() - t));"], { encoding: 'utf8' }));
  // As a served process meets its first real message: the intent model the server's brain
  // decodes, the index prepared and the rehearsal run on the index's own names with that
  // model (warm.ts, what `serve` runs after it starts listening) — none of the measured messages.
  const model = new IntentModel(INTENT_WEIGHTS);
  const tw = performance.now();
  const resolver = StationResolver.forIndex(index);
  warmUnderstanding(index, FIRST_REHEARSALS, model);
  const warmUpMs = performance.now() - tw;
  const texts = cases.map((c) => c.utterance);
  const once = (text: string): number => {
    const t = performance.now();
    const u = understand(text, { model });
    if (u.subject) verdictOf(resolver.candidates(u.subject, { lead: u.lead, tail: u.tail, said: u.said }));
    return performance.now() - t;
  };
  const cold = texts.map(once);
  const warm: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < runs; r++) for (const t of texts) warm.push(once(t));
  const cpu = process.cpuUsage(cpu0);
  const mini = miniSearch(index.stations);
  const base: number[] = [];
  const bcpu0 = process.cpuUsage();
  for (let r = 0; r < runs + 1; r++) {
    for (const text of texts) {
      const t = performance.now();
      baselineAnswer(mini, text);
      base.push(performance.now() - t);
    }
  }
  const bcpu = process.cpuUsage(bcpu0);
  const cpuMs = (u: NodeJS.CpuUsage, n: number) => (u.user + u.system) / 1000 / n;
  const p99 = (xs: number[]) => percentile(xs.slice().sort((a, b) => a - b), 99);
  const all = [...cold, ...warm];
  return [
    `DONE-WHEN (issue 9, per message on London, every message of every run, no best-of; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores):`,
    `  BikeBot understanding p99 ${p99(all).toFixed(3)} ms over ${all.length} (first pass + ${runs} more passes; the later passes alone ${p99(warm).toFixed(3)} ms) — target ≤ 1 ms`,
    `    (first pass = each message met for the first time, after the server's own start-up rehearsal on the index's names: ${warmUpMs.toFixed(0)} ms)`,
    `  MiniSearch top hit p99 ${p99(base).toFixed(3)} ms over ${base.length} in the same run; ratio BikeBot/MiniSearch ${(p99(warm) / p99(base)).toFixed(2)}× (warm p99), ${(cpuMs(cpu, warm.length) / cpuMs(bcpu, base.length)).toFixed(2)}× (CPU per message)`,
    `  CPU per message (process.cpuUsage): BikeBot ${cpuMs(cpu, warm.length).toFixed(3)} ms, MiniSearch ${cpuMs(bcpu, base.length).toFixed(3)} ms`,
    '',
    `Understanding alone (understand + spelling + sound + confidence + verdict), ${index.stations.length} stations, every message of every run:`,
    `  first pass (after the start-up rehearsal): ${stats(cold)}`,
    `  warm (${runs} more passes):                   ${stats(warm)}`,
    `  MiniSearch top hit, same messages, ${runs + 1} passes: ${stats(base)}`,
    `  snapshot-to-ready (names' vocabulary, trigram and phoneme index, from scratch; 5 builds): ${ready.map((x) => x.toFixed(0)).join(', ')} ms; pronouncing dictionary load, once per process: ${dictMs.toFixed(0)} ms`,
  ];
}

async function main(): Promise<void> {
  const cases = loadEvalCases(evalFile);
  // --speed: only the timing block (the done-when figures), in seconds rather than minutes.
  if (process.argv.includes('--speed')) {
    console.log(understandingTimes(cases, loadTflIndex(sharedData), reps).join('\n'));
    return;
  }
  const t0 = performance.now();
  const p = buildPipeline(sharedData);
  const buildMs = performance.now() - t0;
  const stations = p.index.stations;

  const cold = await runEval(cases, p.handleTurn, p.index);
  // Steady state for messages never seen before: a fresh pipeline warmed on other
  // text (synthetic station asks), then each dev message once.
  const fresh = buildPipeline(sharedData);
  const warmTexts = nameVariants(fresh.index.stations).filter((_, i) => i % 7 === 0).map((v) => `bikes at ${v.text}`);
  for (const [i, text] of warmTexts.entries()) await fresh.handleTurn({ channel: 'eval', conversationId: `warm-${i}`, text });
  const steady = await runEval(cases, fresh.handleTurn, fresh.index, { warmUp: false });
  // Noise-robust cost: each message N times, the resolver's word memo cleared before
  // each run so nothing is served from our cache, fastest run kept (the others met
  // another process or a GC pause, not our code).
  const resolver = StationResolver.forIndex(fresh.index);
  const best: number[] = [];
  for (const [j, c] of cases.entries()) {
    let min = Infinity;
    for (let i = 0; i < reps; i++) {
      resolver.clearMemo();
      const t = performance.now();
      await fresh.handleTurn({ channel: 'eval', conversationId: `rep-${j}-${i}`, text: c.utterance });
      min = Math.min(min, performance.now() - t);
    }
    best.push(min);
  }
  const warm = best.slice().sort((a, b) => a - b);

  const ours = oursColumn(cold);
  const cols: Array<[string, Column]> = [
    ['BikeBot', ours],
    ['Fuse.js', baselineColumn(cases, fuseSearch(stations), p.index)],
    ['MiniSearch', baselineColumn(cases, miniSearch(stations), p.index)],
    ['Fuse+subj', baselineColumn(cases, onSubject(fuseSearch(stations, FUSE_OPTIONS, 'none')), p.index)],
    ['Mini+subj', baselineColumn(cases, onSubject(miniSearch(stations, MINISEARCH_OPTIONS, 'none')), p.index)],
  ];
  const isAmbiguous = (c: EvalCase) => (c.expect.ambiguous_among?.length ?? 0) > 0;
  const nameCases = cases.filter((c) => c.kind === 'name' && !isAmbiguous(c));
  const nameOnly = (col: Column): Tally => ({ n: nameCases.length, pass: nameCases.filter((c) => col.passed.has(c.id)).length });

  const lines: string[] = [];
  lines.push(`eval set: ${evalFile} (${cases.length} cases); stations: ${stations.length}; pipeline built in ${buildMs.toFixed(0)} ms`);
  lines.push('');
  lines.push(`Baselines: each library over the ${stations.length} station names with its documented plain settings; the top hit is the answer (they never ask, and have no intent).`);
  lines.push(`  both: the message lower-cased, ? ! . , ; : and quotes to spaces, and these ${ASK_WORDS.size} words dropped: ${[...ASK_WORDS].join(' ')}`);
  lines.push(`  Fuse.js:    new Fuse(names, ${JSON.stringify(FUSE_OPTIONS)}) (default threshold 0.6)`);
  lines.push(`  MiniSearch: new MiniSearch({ fields: ["name"], searchOptions: ${JSON.stringify(MINISEARCH_OPTIONS)} }) (default OR of terms)`);
  lines.push('  +subj: the same libraries and settings, given only the subject our understand() extracts (no clean-up): the strongest fair baseline.');
  lines.push('  Scored as ours: name = top id expected; ambiguous = a question whose options cover the set (baselines never ask: fail); place = top among the 3 nearest to the true place that can serve the want (area: 5).');
  lines.push(`| ${'slice'.padEnd(26)} | ${cols.map(([n]) => n.padStart(10)).join(' | ')} |`);
  lines.push(`|${'-'.repeat(28)}|${cols.map(() => '-'.repeat(12)).join('|')}|`);
  const row = (label: string, get: (c: Column) => Tally | undefined) => {
    const n = get(ours)?.n ?? 0;
    lines.push(`| ${`${label} (${n})`.padEnd(26)} | ${cols.map(([, c]) => pct(get(c)).padStart(10)).join(' | ')} |`);
  };
  for (const k of Object.keys(ours.byKind)) row(`kind ${k}`, (c) => c.byKind[k]);
  row('name, not ambiguous', nameOnly);
  for (const k of Object.keys(ours.byNoise).sort()) row(`noise ${k}`, (c) => c.byNoise[k]);
  row('all', (c) => c.total);
  lines.push(`| ${'confidently wrong'.padEnd(26)} | ${cols.map(([, c]) => String(c.confidentlyWrong).padStart(10)).join(' | ')} |`);
  lines.push(`| ${'questions asked'.padEnd(26)} | ${cols.map(([, c]) => String(c.asked).padStart(10)).join(' | ')} |`);
  lines.push('');
  lines.push('Baseline configurations tried (same scoring; the kept two are the columns above):');
  const slices: Array<[string, (c: EvalCase) => boolean]> = [
    ['names', (c) => c.kind === 'name' && !isAmbiguous(c)],
    ['ambiguous', isAmbiguous],
    ['places', (c) => c.kind === 'place'],
    ['all', () => true],
  ];
  lines.push(`| ${'configuration'.padEnd(36)} | ${slices.map(([n]) => n.padStart(9)).join(' | ')} | conf. wrong |`);
  for (const v of baselineVariants(stations)) {
    const col = baselineColumn(cases, v.search, p.index);
    const cells = slices.map(([, f]) => {
      const sel = cases.filter(f);
      return pct({ n: sel.length, pass: sel.filter((c) => col.passed.has(c.id)).length }).padStart(9);
    });
    lines.push(`| ${`${v.kept ? '* ' : '  '}${v.label}`.padEnd(36)} | ${cells.join(' | ')} | ${String(col.confidentlyWrong).padStart(11)} |`);
  }
  // How far can any search over names go on places? A case counts if some station the
  // scorer would accept shares a word with the cleaned message (an oracle picking it).
  const words = (t: string) => new Set(t.toLowerCase().split(/[^a-z0-9']+/).filter((w) => w.length > 1));
  const places = cases.filter((c) => c.kind === 'place');
  const reachable = places.filter((c) => {
    const q = words(cleanQuery(c.utterance));
    return stations.some((st) => [...words(st.name)].some((w) => q.has(w)) && scoreCase(c, baselineAnswer(() => st, c.utterance), p.index).pass);
  }).length;
  lines.push(`Ceiling for any name search on places: ${pct({ n: places.length, pass: reachable })} (${reachable}/${places.length} place cases have an acceptable station sharing a word with the cleaned message).`);
  lines.push('');
  lines.push(`BikeBot time per message (whole turn: understand, resolve, geocode, dialog); machine load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores:`);
  if (cold.cold) lines.push(`  first pass (cold process, index warmed in ${cold.warmIndexMs.toFixed(0)} ms beforehand): p50 ${cold.cold.p50Ms.toFixed(3)} ms, p99 ${cold.cold.p99Ms.toFixed(3)} ms (includes JIT)`);
  lines.push(`  warm (second pass, as runEval times it): p50 ${cold.p50Ms.toFixed(3)} ms, p99 ${cold.p99Ms.toFixed(3)} ms`);
  lines.push(`  warmed on ${warmTexts.length} other messages, each dev message once: p50 ${steady.p50Ms.toFixed(3)} ms, p99 ${steady.p99Ms.toFixed(3)} ms`);
  lines.push(`  uncached (word memo cleared), best of ${reps} runs per message: p50 ${percentile(warm, 50).toFixed(3)} ms, p99 ${percentile(warm, 99).toFixed(3)} ms, max ${warm.at(-1)?.toFixed(3)} ms`);
  lines.push('');
  lines.push(...understandingTimes(cases, p.index, reps));
  lines.push('');
  lines.push(...stressTable(p.index));
  const bad = cold.outcomes.filter((o) => !o.pass);
  if (bad.length) {
    lines.push('');
    lines.push('BikeBot failures:');
    for (const o of bad) lines.push(`  ${o.id} [${o.kind}/${o.noise}] ${JSON.stringify(o.utterance.slice(0, 50))} → ${o.got}${o.confidentlyWrong ? '  CONFIDENTLY WRONG' : ''}`);
  }
  console.log(lines.join('\n'));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
