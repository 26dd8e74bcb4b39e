/**
 * What the benchmarks that run the built server share: flags, the data bundle beside
 * the repository (skipped with a message when absent) and the built CLI they measure.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEvalCases } from '../../src/eval/eval-case.js';

export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

export interface BenchSetup {
  shared: string;
  snapshot: string;
  /** The built CLI (dist/cli.js, or --cli): benchmarks measure the server as deployed. */
  cli: string;
}

/** Exits 0 with "skipped" without ../shared/data, and 1 when dist/ is not built. */
export function benchSetup(): BenchSetup {
  const shared = resolve(arg('--shared', join(process.cwd(), '..', 'shared')));
  const snapshot = join(shared, 'data', 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');
  const cli = resolve(arg('--cli', join('dist', 'cli.js')));
  if (!existsSync(snapshot)) {
    console.log(`skipped: ${snapshot} is absent (the bench needs ../shared/data)`);
    process.exit(0);
  }
  if (!existsSync(cli)) {
    console.error('dist/cli.js is missing: run `npm run build` first (the bench measures the built server, as deployed)');
    process.exit(1);
  }
  return { shared, snapshot, cli };
}

/** The dev set's questions as the chat API accepts them. */
export function devQuestions(shared: string): string[] {
  return loadEvalCases(join(shared, 'eval', 'dev.jsonl'))
    .map((c) => c.utterance)
    .filter((t) => t.trim().length > 0 && t.length <= 500);
}
