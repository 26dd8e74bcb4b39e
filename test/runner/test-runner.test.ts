import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared-data.js';

test('the runner counts a skipped suite as skipped in its summary line', { timeout: 60_000 }, () => {
  // Without NODE_TEST_CONTEXT the child is a runner of its own, not a subtest of this one.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', join('test', 'runner', 'fixtures', 'skipped-suite.fixture.ts')], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 50_000, env });
  assert.equal(r.status, 0, r.stderr);
  // One skipped describe() plus one skipped test(); node's own reporter says "# skipped 1".
  assert.match(r.stdout, /^# skipped 2$/m, r.stdout);
  assert.match(r.stdout, /^# pass 1$/m);
  assert.match(r.stdout, /^# fail 0$/m);
});
