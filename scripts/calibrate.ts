/**
 * Fits the resolver's confidence (confidence.ts: a logistic curve over the top
 * candidate's strength, its lead over the runner-up and each witness's lead) on the TUNE half only —
 * of ../shared/eval/dev.jsonl, asr-dev.jsonl and our generated cases — and prints
 * the coefficients and the reliability table on the tune and held-out halves.
 *   node --import tsx scripts/calibrate.ts [../shared]
 */
import { join } from 'node:path';
import { loadTflIndex } from '../bench/lib/understanding-harness.js';
import { generateCases } from '../bench/lib/respell.js';
import { loadEvalCases, type EvalCase } from '../src/eval/eval-case.js';
import { splitOf } from '../src/eval/split.js';
import { understand } from '../src/domain/understand/understand.js';
import { StationResolver } from '../src/domain/understand/station-resolver.js';
import { confidenceFeatures } from '../src/domain/understand/confidence.js';
import { reliabilityTable, formatReliability } from '../src/eval/reliability.js';

const shared = process.argv[2] ?? '../shared';
const index = loadTflIndex(join(shared, 'data'));
const resolver = StationResolver.fromStations(index.stations);
const cases: EvalCase[] = [
  ...loadEvalCases(join(shared, 'eval', 'dev.jsonl')),
  ...loadEvalCases(join(shared, 'eval', 'asr-dev.jsonl')),
  ...generateCases(index.stations.map((s) => ({ id: s.id, name: s.name }))),
].filter((c) => c.kind === 'name' && c.expect.station_ids?.length);

interface Row { x: number[]; y: number; split: string }
const rows: Row[] = [];
for (const c of cases) {
  const u = understand(c.utterance);
  if (!u.subject) continue;
  const cands = resolver.candidates(u.subject, { lead: u.lead, tail: u.tail, said: u.said });
  if (!cands.length) continue;
  rows.push({ x: confidenceFeatures(cands), y: c.expect.station_ids!.includes(cands[0].station.id) ? 1 : 0, split: splitOf(c) });
}
const tune = rows.filter((r) => r.split === 'tune');
// Logistic regression by gradient descent, with a little L2.
const w = new Array(tune[0].x.length + 1).fill(0);
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const pred = (x: number[]) => sig(w[0] + x.reduce((a, v, i) => a + v * w[i + 1], 0));
for (let it = 0; it < 6000; it++) {
  const g = new Array(w.length).fill(0);
  for (const r of tune) {
    const e = pred(r.x) - r.y;
    g[0] += e;
    r.x.forEach((v, i) => (g[i + 1] += e * v));
  }
  for (let i = 0; i < w.length; i++) w[i] -= (0.5 * (g[i] + (i ? 0.01 * w[i] : 0))) / tune.length;
}
console.log(`coefficients (bias, ${['strength', 'lead', 'agree', 'log-odds lead', 'spelling lead', 'sound lead'].join(', ')}): [${w.map((v) => v.toFixed(3)).join(', ')}]`);
for (const split of ['tune', 'held-out']) {
  const rs = rows.filter((r) => r.split === split);
  console.log(`\n${split} (${rs.length} name asks with one right station):`);
  console.log(formatReliability(reliabilityTable(rs.map((r) => ({ confidence: pred(r.x), right: r.y === 1 })))));
}
