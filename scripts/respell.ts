/**
 * Writes generated evaluation cases (JSON Lines) for every station of a TfL
 * BikePoint snapshot: recogniser-style respellings and typed variants (see
 * bench/lib/respell.ts). Usage:
 *   node --import tsx scripts/respell.ts ../shared/data/tfl/bikepoint-2022-08-01T08-25-10Z.json [perStation] [seed] > generated.jsonl
 */
import { readFileSync } from 'node:fs';
import { generateCases } from '../bench/lib/respell.js';

const [file, per = '2', seed = '9'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: respell.ts <BikePoint.json> [perStation] [seed]\n');
  process.exit(2);
}
const raw = JSON.parse(readFileSync(file, 'utf8')) as Array<{ id: string; commonName: string }>;
const cases = generateCases(raw.map((s) => ({ id: s.id, name: s.commonName })), { perStation: Number(per), seed: Number(seed) });
process.stdout.write(cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
