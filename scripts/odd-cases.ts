/**
 * Writes generated odd-input cases (JSON Lines) for the stations of a TfL BikePoint snapshot
 * (see bench/lib/odd-input.ts). Score them split by station like any set:
 *   node --import tsx scripts/odd-cases.ts ../shared/data/tfl/bikepoint-2022-08-01T08-25-10Z.json [seed] > odd.jsonl
 *   npx bikebot eval odd.jsonl --snapshot … --gazetteer ../shared/data/london --split held-out
 */
import { readFileSync } from 'node:fs';
import { generateOddCases } from '../bench/lib/odd-input.js';

const [file, seed = '9'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: odd-cases.ts <BikePoint.json> [seed]\n');
  process.exit(2);
}
const raw = JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; commonName: string }>;
const cases = generateOddCases(raw.map((s) => ({ id: s.id, name: s.commonName })), { seed: Number(seed) });
process.stdout.write(cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
