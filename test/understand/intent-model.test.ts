import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHARED_DIR, skipWithoutShared } from '../helpers/shared-data.js';
import { IntentModel, MODEL_LABELS } from '../../src/domain/understand/intent-model.js';
import { INTENT_WEIGHTS } from '../../src/domain/understand/intent-weights.js';
import { understand } from '../../src/domain/understand/understand.js';
import { loadEvalCases } from '../../src/eval/eval-case.js';

const model = new IntentModel(INTENT_WEIGHTS);
const withModel = (t: string) => understand(t, { model });

test('the packed model decodes, and its probabilities are probabilities', () => {
  assert.deepEqual([...INTENT_WEIGHTS.labels], [...MODEL_LABELS]);
  for (const t of ['how much is a day pass', 'bikes at waterloo', '', 'ok', 'x'.repeat(500)]) {
    const g = model.guess(t, t.split(' '));
    assert.ok(g.p > 0 && g.p <= 1 && g.station >= 0 && g.station <= 1, JSON.stringify(g));
    assert.ok(MODEL_LABELS.includes(g.label));
  }
});

test('the model answers phrasings the word lists do not know', () => {
  // Each of these is "unknown" or a station to the word lists alone.
  for (const [text, intent] of [
    ['app keeps crashing when i try to unlock', 'problem'],
    ['whats the damage for a whole day', 'prices'],
    ['that was really useful thanks', 'thanks'],
    ['Dzień dobry, ile kosztuje przejazd?', 'other_language'],
  ] as const) {
    assert.notEqual(understand(text).intent, intent, `the lists alone already know ${text}`);
    assert.equal(withModel(text).intent, intent, text);
  }
});

test('a foreign question that names a station stays a station question', () => {
  for (const text of ['Bonjour, il y a des vélos à Bricklayers Arms ?', 'Hallo, wie viele Fahrräder gibt es bei Wright\'s Lane?', 'gibt es freie plätze an der imperial wharf station']) {
    const u = withModel(text);
    assert.equal(u.intent, 'station_status', text);
    assert.ok(u.subject && !/wie|viele|gibt|vélos|velos/.test(u.subject), `${text} → ${u.subject}`);
  }
});

const skip = skipWithoutShared('eval/dev.jsonl', 'eval/asr-dev.jsonl', 'data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london/landmarks.csv');

test('the model never turns a station or place question of the dev files into another intent', { skip }, () => {
  const cases = [...loadEvalCases(join(SHARED_DIR, 'eval', 'dev.jsonl')), ...loadEvalCases(join(SHARED_DIR, 'eval', 'asr-dev.jsonl'))].filter((c) => c.kind === 'name' || c.kind === 'place');
  assert.ok(cases.length > 500);
  const changed = cases.filter((c) => understand(c.utterance).intent !== withModel(c.utterance).intent).map((c) => c.utterance);
  assert.deepEqual(changed, []);
});

test('the committed weights are what the trainer makes from the committed corpus', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-intents-'));
  try {
    const out = join(dir, 'weights.ts');
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/train-intents.ts', SHARED_DIR, '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
    // A yes/no, not a diff: the two files are 275 kB each, and a diff that size stalled the test reporter.
    const same = readFileSync(out, 'utf8') === readFileSync(join(REPO_ROOT, 'src', 'domain', 'understand', 'intent-weights.ts'), 'utf8');
    assert.ok(same, 'src/domain/understand/intent-weights.ts is not what the trainer makes now: run node --import tsx scripts/train-intents.ts ../shared');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
