/**
 * Chooses the intent model's overrule thresholds (intent-model.ts `Overrule`) for the weights
 * scripts/train-intents.ts just wrote, and prints the table they were chosen from.
 *
 *   node --import tsx scripts/tune-overrule.ts [../shared] --tune A.jsonl B.jsonl … [--guard C.jsonl …]
 *
 * Every message goes through the real turn handler and is scored as `bikebot eval` scores it.
 * Tune sets: labelled intent and odd-input lines the weights were NOT trained on. Guard sets:
 * station and place questions (../shared/eval/dev.jsonl and asr-dev.jsonl, and generated
 * recogniser-style and typed names for every station, are always included); a setting that
 * fails any guard question the lists alone answer right is refused, because a wrong override
 * sends a station question away unanswered, which is worse than a missed greeting.
 *
 * Each message's fate depends on one threshold only (the one its word-list reading selects), so
 * the whole set runs once with no overrule and once per kind of overrule alone at 0, and every
 * combination of thresholds is then scored from those outcomes without running it again.
 */
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INTENT_WEIGHTS } from '../src/domain/understand/intent-weights.js';
import { IntentModel, type Overrule } from '../src/domain/understand/intent-model.js';
import { mendWords, normaliseText, tokens } from '../src/domain/understand/normalise.js';
import { defaultBrain } from '../src/dialog/brain.js';
import { buildCore } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { loadEvalCases, type EvalCase } from '../src/eval/eval-case.js';
import { runEval } from '../src/eval/run-eval.js';
import { generateCases, generateTypedCases } from '../bench/lib/respell.js';

const args = process.argv.slice(2);
const shared = args[0] !== undefined && !args[0].startsWith('--') ? args[0] : '../shared';
const listAfter = (flag: string): string[] => {
  const at = args.indexOf(flag);
  if (at < 0) return [];
  const out: string[] = [];
  for (let i = at + 1; i < args.length && !args[i].startsWith('--'); i++) out.push(args[i]);
  return out;
};
const tuneFiles = listAfter('--tune');
if (tuneFiles.length === 0) {
  console.error('usage: tune-overrule.ts [../shared] --tune A.jsonl … [--guard C.jsonl …]');
  process.exit(2);
}

const snapshotFile = join(shared, 'data', 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');
const tune: EvalCase[] = tuneFiles.flatMap(loadEvalCases).filter((c) => c.kind === 'intent' || c.kind === 'edge');
const stationAsk = (c: EvalCase): boolean => c.intent === 'station_status' || c.intent === 'nearest';
const guard: EvalCase[] = [join(shared, 'eval', 'dev.jsonl'), join(shared, 'eval', 'asr-dev.jsonl'), ...listAfter('--guard')].flatMap(loadEvalCases).filter(stationAsk);
const stations = (JSON.parse(readFileSync(snapshotFile, 'utf8')) as { id: string; commonName: string }[]).map((s) => ({ id: s.id, name: s.commonName }));
guard.push(...generateCases(stations, { perStation: 2, seed: 31 }), ...generateTypedCases(stations, { seed: 32 }));
const KINDS = ['nothingFound', 'nothing', 'bareName', 'nearOnly', 'stationWord', 'notAName', 'phrase'] as const;
type Kind = (typeof KINDS)[number];
const NEVER = 1.01; // above any probability: the model never overrules
const modelAt = (o: Partial<Overrule>): IntentModel => new IntentModel(INTENT_WEIGHTS, { nothingFound: NEVER, nothing: NEVER, bareName: NEVER, nearOnly: NEVER, stationWord: NEVER, notAName: NEVER, phrase: NEVER, ...o });
const plain = modelAt({});
const cases = [...tune, ...guard];

/** Pass or fail and what was answered, per case, with the model allowed to overrule only where o says. */
async function run(o: Partial<Overrule>): Promise<Array<{ pass: boolean; got: string }>> {
  const cfg = loadConfig({ argv: ['eval', '--snapshot', snapshotFile, '--gazetteer', join(shared, 'data', 'london'), '--data-dir', mkdtempSync(join(tmpdir(), 'bikebot-tune-'))], env: {} });
  const core = await buildCore(cfg, { mode: 'oneshot', brain: defaultBrain(modelAt(o)) });
  try {
    const index = core.live.index();
    if (!index) throw new Error('no station data');
    const report = await runEval(cases, core.handleTurn, index, { warmUp: false });
    return report.outcomes.map((x) => ({ pass: x.pass, got: x.got }));
  } finally {
    await core.close();
  }
}

/** A case's outcome with no overrule, under its one sensitive kind of overrule, and the model's certainty. */
interface Fate { base: boolean; kind: number; overruled: boolean; p: number; label: string; got: string }
const base = await run({});
const alone: Array<Array<{ pass: boolean; got: string }>> = [];
for (const k of KINDS) alone.push(await run({ [k]: 0 }));
const fates: Fate[] = cases.map((c, i) => {
  const { p, label } = plain.guess(c.utterance.slice(0, 200), mendWords(tokens(normaliseText(c.utterance))));
  const k = alone.findIndex((a) => a[i].got !== base[i].got);
  return { base: base[i].pass, kind: k, overruled: k >= 0 ? alone[k][i].pass : base[i].pass, p, label, got: base[i].got };
});
const passAt = (f: Fate, o: Overrule): boolean => (f.kind >= 0 && f.p >= o[KINDS[f.kind]] ? f.overruled : f.base);
const tuneFates = fates.slice(0, tune.length).map((f, i) => ({ f, text: tune[i].utterance, want: tune[i].intent }));
const guardFates = fates.slice(tune.length).map((f, i) => ({ ...f, text: guard[i].utterance })).filter((f) => f.base);

const GRID = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999, NEVER];
const show = (v: number): string => (v > 1 ? 'never' : String(v));
console.log(`tune: ${tune.length} lines; guard: ${guardFates.length} station and place questions the lists alone answer right`);
console.log(`lists alone: ${tuneFates.filter((t) => t.f.base).length}/${tune.length}`);
// Scores add up over the kinds (each message answers to one threshold), so each is chosen alone:
// among the values that fail no guard question, the middle of those that get the most tune lines right.
const chosen = {} as Overrule;
for (let k = 0; k < KINDS.length; k++) {
  const row = GRID.map((v) => {
    let right = 0;
    let flips = 0;
    for (const t of tuneFates) if (t.f.kind === k && (t.f.p >= v ? t.f.overruled : t.f.base)) right++;
    for (const f of guardFates) if (f.kind === k && f.p >= v && !f.overruled) flips++;
    return { v, right, flips };
  });
  const safe = row.filter((r) => r.flips === 0);
  const most = Math.max(...safe.map((r) => r.right));
  const best = safe.filter((r) => r.right === most);
  // With an even count, the upper of the two middle values: the model overrules less.
  chosen[KINDS[k]] = best[Math.floor(best.length / 2)].v;
  const n = tuneFates.filter((t) => t.f.kind === k).length;
  console.log(`  ${KINDS[k].padEnd(11)} (${String(n).padStart(3)} tune lines) ${row.map((r) => `${show(r.v)}:${r.right}${r.flips ? `/${r.flips}!` : ''}`).join('  ')}  → ${show(chosen[KINDS[k]])}`);
}
const total = tuneFates.filter((t) => passAt(t.f, chosen)).length;
console.log(`chosen: ${KINDS.map((k) => `${k} ${show(chosen[k])}`).join(', ')} → ${total}/${tune.length} tune lines, 0 guard questions sent away`);
console.log('(a cell is right answers among the tune lines that threshold decides, then /guard questions failed!)');
for (const t of tuneFates) if (!passAt(t.f, chosen)) console.log(`  miss: want ${t.want}, lists alone ${t.f.got}, model ${t.f.label} ${t.f.p.toFixed(2)}: ${JSON.stringify(t.text.slice(0, 70))}`);
if (args.includes('--show-guard')) {
  // The guard questions a model as sure as 0.9 would send away: what the thresholds protect.
  for (const f of guardFates) if (f.kind >= 0 && !f.overruled && f.p >= 0.9) console.log(`  guard: ${KINDS[f.kind]} model ${f.label} ${f.p.toFixed(2)}: ${JSON.stringify(f.text.slice(0, 70))}`);
}
