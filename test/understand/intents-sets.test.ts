import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT, SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import type { EvalCase } from '../../src/eval/eval-case.js';

const skip = skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london');
const FIXTURES = join(REPO_ROOT, 'test', 'understand', 'fixtures');

/**
 * The intent sets, written apart from the dev set and from one another: greeting, thanks,
 * cancel, help, prices, problem, other_language and unknown, many phrasings each, and odd
 * input (stretched, run together, punctuation, markup, injection, 10 kB, emoji). Each was
 * scored once before any change made for it (README "Understanding" gives those first
 * scores); the floors keep what the later, general fixes reached.
 */
test('intent sets: every intent and odd input, against the real pipeline', { skip }, async () => {
  const { buildPipeline } = await import('../../bench/lib/understanding-harness.js');
  const { loadEvalCases } = await import('../../src/eval/eval-case.js');
  const { runEval, formatEvalReport } = await import('../../src/eval/run-eval.js');
  const { selectSplit } = await import('../../src/eval/split.js');
  const p = buildPipeline(SHARED_DATA);
  for (const [file, intentFloor, oddFloor] of [
    ['intents-tune.jsonl', 1, 1],
    ['intents-heldout.jsonl', 0.99, 0.9],
    ['intents-heldout-2.jsonl', 0.98, 1],
    ['intents-heldout-3.jsonl', 0.98, 1],
  ] as const) {
    const cases = loadEvalCases(join(FIXTURES, file));
    await check(file, cases, intentFloor, oddFloor);
  }
  // intents-h9.jsonl: both halves written before any tuning; the tune half was tuned on
  // (with intents-h9-tune2.jsonl), the held-out half never (split by id: src/eval/split.ts).
  const h9 = loadEvalCases(join(FIXTURES, 'intents-h9.jsonl'));
  await check('intents-h9 tune', selectSplit(h9, 'tune'), 0.98, 1);
  // The held-out half has since been trained on by the intent model (scripts/train-intents.ts).
  await check('intents-h9 held-out', selectSplit(h9, 'held-out'), 0.98, 0.9);
  await check('intents-h9-tune2', loadEvalCases(join(FIXTURES, 'intents-h9-tune2.jsonl')), 0.98, 1);
  // Third round, with the trained intent model (intent-model.ts): intents-h14.jsonl chose the
  // model's thresholds; intents-final.jsonl was scored once and then looked at; intents-final2.jsonl
  // was scored once, after every change (README "Understanding" gives the first-contact scores).
  await check('intents-h14', loadEvalCases(join(FIXTURES, 'intents-h14.jsonl')), 0.98, 1);
  await check('intents-final', loadEvalCases(join(FIXTURES, 'intents-final.jsonl')), 0.97, 1);
  await check('intents-final2', loadEvalCases(join(FIXTURES, 'intents-final2.jsonl')), 0.96, 0.93);
  // Fourth round: intents-h15 (written as a tune set), then intents-final3, -final4 and -final5, each
  // scored once on first contact (README "Understanding"), then tuned on in turn (scripts/tune-overrule.ts).
  await check('intents-h15', loadEvalCases(join(FIXTURES, 'intents-h15.jsonl')), 0.98, 0.96);
  await check('intents-final3', loadEvalCases(join(FIXTURES, 'intents-final3.jsonl')), 0.98, 1);
  await check('intents-final4', loadEvalCases(join(FIXTURES, 'intents-final4.jsonl')), 0.96, 0.96);
  await check('intents-final5', loadEvalCases(join(FIXTURES, 'intents-final5.jsonl')), 0.98, 1);
  // intents-final6: scored once after the fourth round (95.4% / 90.0%), then tuned on in a fifth.
  await check('intents-final6', loadEvalCases(join(FIXTURES, 'intents-final6.jsonl')), 0.98, 0.93);
  // Sixth round: intents-final8 and -final9, written together by a writer who saw neither code nor
  // sets, scored once at first contact (98.5% / 93.3% and 94.4% / 83.3%), then tuned on.
  await check('intents-final8', loadEvalCases(join(FIXTURES, 'intents-final8.jsonl')), 0.98, 0.96);
  await check('intents-final9', loadEvalCases(join(FIXTURES, 'intents-final9.jsonl')), 0.98, 0.96);
  // intents-final10: written last, scored once at 9600a1e (96.9% / 90.0%) and once after the sixth round
  // at 1e17f71 (97.4% / 86.7%), then its misses looked at.
  await check('intents-final10', loadEvalCases(join(FIXTURES, 'intents-final10.jsonl')), 0.98, 0.9);
  // Seventh round: intents-final11 and -final12, by two writers apart, scored at first contact at 56faead
  // (95.2% / 87.5% and 93.2% / 72.5%, one confidently wrong), then their odd input looked at; intents were
  // left to the model and not tuned (95.6% / 97.5% and 94.4% / 95.0% after).
  await check('intents-final11', loadEvalCases(join(FIXTURES, 'intents-final11.jsonl')), 0.98, 0.975);
  await check('intents-final12', loadEvalCases(join(FIXTURES, 'intents-final12.jsonl')), 0.975, 0.975);
  // Eighth round: four sets by four writers apart (final13-16), scored at first contact at a8db6bd:
  // 91.7% / 77.5%, 89.3% / 80.0%, 90.7% / 80.0% and 87.2% / 80.0%. final13 and final14 were then tuned
  // on (scripts/tune-overrule.ts) and their misses looked at; final15's misses were looked at, not tuned
  // on; final16 was never looked at, and is scored here as the round left it.
  // Ninth round (issue 9): the misses of final13-16 read as classes of phrasing, each fixed generally (account
  // errands, lost property, cycling advice, "I mean X", names inside odd input): 99.7% / 100%, 99.3% / 100%,
  // 100% / 100% and 97.6% / 100% after (final16's other misses are labels the earlier sets and dev.jsonl
  // disagree with: "merci beaucoup" is thanks there, other_language here).
  await check('intents-final13', loadEvalCases(join(FIXTURES, 'intents-final13.jsonl')), 0.99, 1);
  await check('intents-final14', loadEvalCases(join(FIXTURES, 'intents-final14.jsonl')), 0.99, 1);
  await check('intents-final15', loadEvalCases(join(FIXTURES, 'intents-final15.jsonl')), 1, 1);
  await check('intents-final16', loadEvalCases(join(FIXTURES, 'intents-final16.jsonl')), 0.975, 1);
  // Ninth round: final17 and final18 scored at first contact (97.6% / 95.0%, 97.2% / 97.5%) and then tuned on;
  // final19 and final20 written after, scored at the start and after the round's other changes (98.6% / 90.0%,
  // 96.9% / 95.0%); final19's odd-input misses were then looked at, final20 never.
  await check('intents-final17', loadEvalCases(join(FIXTURES, 'intents-final17.jsonl')), 0.97, 1);
  await check('intents-final18', loadEvalCases(join(FIXTURES, 'intents-final18.jsonl')), 0.97, 1);
  await check('intents-final19', loadEvalCases(join(FIXTURES, 'intents-final19.jsonl')), 0.98, 1);
  await check('intents-final20', loadEvalCases(join(FIXTURES, 'intents-final20.jsonl')), 0.98, 1);
  // Tenth round: final21-25 by five writers apart, scored at first contact at 044eaf5. final24 (94.8% / 97.5%,
  // quick phone typing) was then looked at: sign-offs, call-offs by another way home, rules of the road,
  // "round" for around, "closest to X", echo's words in a command line (97.9% / 100% after).
  await check('intents-final24', loadEvalCases(join(FIXTURES, 'intents-final24.jsonl')), 0.98, 1);
  // final26 and final27 were written after, in the styles of final25 and final23 (which stay unread), scored at
  // first contact at d646977 (94.8% / 100%, 95.5% / 100%) and looked at: a social first clause with only the
  // person's circumstances after it, polite preambles before a reservation, call-off phrasing (97.6%, 96.6% after).
  await check('intents-final26', loadEvalCases(join(FIXTURES, 'intents-final26.jsonl')), 0.97, 1);
  await check('intents-final27', loadEvalCases(join(FIXTURES, 'intents-final27.jsonl')), 0.96, 1);
  // final28 (non-native English) and final29 (impatient, testing the bot) by two more writers, first contact at
  // a89423c: 95.2% / 97.5% and 97.6% / 97.5%; looked at (closings with thanks, a call-off said last, chit-chat,
  // noises as faults, a form's meta lines): 97.9% / 97.5% and 98.6% / 100% after.
  await check('intents-final28', loadEvalCases(join(FIXTURES, 'intents-final28.jsonl')), 0.97, 0.975);
  await check('intents-final29', loadEvalCases(join(FIXTURES, 'intents-final29.jsonl')), 0.98, 1);
  // final23 and final25 stayed unread until every other change of the round had landed (af5f187): 98.6% / 97.5%,
  // 1 wrong without asking, and 93.4% / 97.5% (first contact at 044eaf5: 98.3% / 97.5% and 92.8% / 97.5%). Then
  // looked at: near questions behind a polite preamble, giving up outranking a thanks, an area found for a
  // misspelt street named in it (the one wrong answer), ages and directions (99.0% / 100%, 96.6% / 97.5% after).
  await check('intents-final23', loadEvalCases(join(FIXTURES, 'intents-final23.jsonl')), 0.98, 1);
  await check('intents-final25', loadEvalCases(join(FIXTURES, 'intents-final25.jsonl')), 0.96, 0.975);
  // final30-32, three more writers kept apart, written and first scored after every other change of the round
  // (ce67e2c): 97.2% / 100%, 94.8% / 92.5% and 97.6% / 95.0%, none wrong without asking (the build of 044eaf5
  // on the same sets: 96.2% / 97.5% and 95.5% / 92.5% with one wrong each, 94.8% / 90.0%). Then looked at: a
  // charge reported is not small talk, "nearest to X", "sorted it" with thanks, "nah you're alright", a story dictated
  // without punctuation read from its question, "around now" as when.
  await check('intents-final30', loadEvalCases(join(FIXTURES, 'intents-final30.jsonl')), 0.97, 1);
  await check('intents-final31', loadEvalCases(join(FIXTURES, 'intents-final31.jsonl')), 0.95, 0.975);
  await check('intents-final32', loadEvalCases(join(FIXTURES, 'intents-final32.jsonl')), 0.98, 0.95);
  // final33-35, the last three writers of the round, first scored at fe6af55 (97.2% / 100%, 97.2% / 92.5% with one
  // wrong without asking, 96.9% / 92.5%; the build of 044eaf5 on them: 96.2% / 97.5%, 96.9% / 92.5%, 95.5% / 92.5%,
  // two wrong); only the wrong answer's class was then fixed (an area found for a misspelt street in it).
  await check('intents-final33', loadEvalCases(join(FIXTURES, 'intents-final33.jsonl')), 0.97, 1);
  await check('intents-final34', loadEvalCases(join(FIXTURES, 'intents-final34.jsonl')), 0.97, 0.95);
  await check('intents-final35', loadEvalCases(join(FIXTURES, 'intents-final35.jsonl')), 0.965, 0.925);
  // final21 (96.2% / 97.5%) and final22 (96.9% / 100%) were looked at too, with final20's misses, read as classes:
  // the person needing nothing more said as a statement, receipts, complaints about people, rules of other
  // transport, ages, jobs, sponsoring, where a belonging was lost, places to eat, other cities, the whole scheme
  // counted, a story's trailing question. What is left is labels the sets disagree on (a foreign thanks or hello is
  // thanks or a greeting in the earlier sets, other_language here; refunds; "speak to a human").
  await check('intents-final21', loadEvalCases(join(FIXTURES, 'intents-final21.jsonl')), 0.97, 0.95);
  await check('intents-final22', loadEvalCases(join(FIXTURES, 'intents-final22.jsonl')), 0.98, 1);

  async function check(file: string, cases: EvalCase[], intentFloor: number, oddFloor: number): Promise<void> {
    const r = await runEval(cases, p.handleTurn, p.index, { warmUp: false });
    const report = formatEvalReport(r);
    const share = (k: string) => (r.byKind[k] ? r.byKind[k].pass / r.byKind[k].n : 1);
    assert.ok(share('intent') >= intentFloor, `${file}: intent ${share('intent')}\n${report}`);
    assert.ok(share('edge') >= oddFloor, `${file}: odd input ${share('edge')}\n${report}`);
    assert.equal(r.confidentlyWrong, 0, `${file}\n${report}`);
  }
});
