#!/usr/bin/env node
// Node 20's test runner does not expand globs, so the test files are listed here.
// Two cores: at most two test files run at once.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}
const only = process.argv.slice(2);
const files = (only.length ? only : walk('test')).sort();
// A failing test that leaves a server or timer open must fail the run, never hang it:
// each file ends when its tests end (--test-force-exit), and no test outlives ten minutes.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-force-exit', '--test-timeout=600000', '--test-reporter=./scripts/test-reporter.mjs', '--test-reporter-destination=stdout', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
