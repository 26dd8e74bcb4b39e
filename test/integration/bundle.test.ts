/**
 * The one-file bundle `npm run build` makes (dist/bikebot.cjs, scripts/bundle.mjs) and its
 * code caches, run as the `bikebot` command runs them (bin/bikebot.js): the same answers as
 * the sources, the caches taken, and the parts loaded off the first answer's path (the web
 * page's vendored Leaflet, the OpenAPI document, prom-client) working from inside it.
 * Skipped when dist/ has no bundle (tests run from the sources without a build).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { spawn } from 'node:child_process';
import { runNode } from '../helpers/run-node.js';

const BIN = join(REPO_ROOT, 'bin', 'bikebot.js');
const BUNDLE = join(REPO_ROOT, 'dist', 'bikebot.cjs');
const skip = !existsSync(BUNDLE) ? 'dist/bikebot.cjs not built (npm run build)' : skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json');
const SNAPSHOT = join(SHARED_DATA, 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json');

const run = runNode;

test('the bundle answers as the sources do, line for line', { skip }, async () => {
  const lines = ['bikes at waterloo station 3', 'phillimore gardens docks', 'near hyde park corner', 'how much is it', 'hello', 'x'.repeat(3000), 'bikes at claphm junction'];
  const args = ['ask', '--batch', '--json', '--snapshot', SNAPSHOT];
  const [bundled, sources] = await Promise.all([run([BIN, ...args], lines.join('\n') + '\n'), run(['--import', 'tsx', join(REPO_ROOT, 'src', 'cli.ts'), ...args], lines.join('\n') + '\n')]);
  assert.equal(bundled.code, 0, bundled.stderr);
  assert.equal(sources.code, 0, sources.stderr);
  // dataAsOf and ages are the snapshot's, not the clock's, so the two runs print the same bytes.
  assert.equal(bundled.stdout, sources.stdout);
  assert.equal(bundled.stdout.trim().split('\n').length, lines.length);
});

test('the code caches made by the build are taken by V8', { skip }, async () => {
  for (const command of ['ask', 'serve']) {
    const probe = `import { runBundle } from './dist/bundle-run.js'; process.argv.splice(1, 9, 'bikebot', '--version', '${command}'); process.stderr.write(JSON.stringify(runBundle()));`;
    const r = await run(['--input-type=module', '-e', probe]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
    assert.deepEqual(JSON.parse(r.stderr), { cacheUsed: true }, `${command} cache`);
  }
});

test('serve from the bundle: chat, the web page with its vendored map, the OpenAPI document and metrics', { skip }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-bundle-test-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [BIN, 'serve', '--snapshot', SNAPSHOT, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  let answer: { answer: { stations: Array<{ id: string }> } } | null = null;
  for (let i = 0; i < 600 && answer === null; i++) {
    assert.equal(child.exitCode, null, stderr);
    answer = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'bikes at river street clerkenwell' }) })
      .then(async (r) => (r.ok ? ((await r.json()) as { answer: { stations: Array<{ id: string }> } }) : null))
      .catch(() => null);
    if (answer === null) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(answer, stderr);
  assert.equal(answer.answer.stations[0]?.id, 'BikePoints_1');
  const leaflet = await fetch(`${base}/vendor/leaflet.js`);
  assert.equal(leaflet.status, 200);
  assert.match(await leaflet.text(), /Leaflet/);
  const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
  assert.match(openapi.openapi, /^3\./);
  assert.ok('/api/chat' in openapi.paths);
  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /^bikebot_/m);
});

test('the bundle loads its external packages with require, never import()', { skip: existsSync(BUNDLE) ? false : 'no bundle: run npm run build' }, () => {
  // In a vm.Script on Node 20, a function compiled again after bytecode flushing loses the script's
  // dynamic-import loader: `rehearse` died with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING at import('autocannon').
  const text = readFileSync(BUNDLE, 'utf8');
  assert.doesNotMatch(text, /\bimport\(\s*["'](?:better-sqlite3|twilio|ioredis|autocannon)["']\s*\)/);
});
