/**
 * The OpenAPI document of the full app (chat, web, Twilio, MCP, ops), as served at
 * /openapi.json, linted by Redocly's own CLI (pinned in devDependencies) with the
 * repo's redocly.yaml: no errors, no warnings. And no route is left out of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHttpApp } from '../../src/channels/http-app.js';
import { Metrics } from '../../src/channels/metrics.js';
import type { Answer } from '../../src/domain/answer.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const REDOCLY = join(REPO_ROOT, 'node_modules', '.bin', 'redocly');

async function fullApp(publicUrl: string | null) {
  const answer: Answer = { intent: 'help', want: 'any', reply: 'hi', stations: [], options: [], place: null, dataAsOf: null, stale: false };
  const app = await buildHttpApp({
    handleTurn: async () => answer,
    logger: { level: 'silent' },
    metrics: new Metrics(),
    readiness: () => ({ ready: false, snapshotAgeS: null, stations: 0, feeds: [] }),
    twilio: { authToken: 'x'.repeat(32), publicUrl },
    publicUrl,
    version: '9.9.9',
    mcp: { handleTurn: async () => answer, index: () => null, systems: () => [], version: '9.9.9' },
  });
  return { app };
}

test('every route is in /openapi.json with an operationId, security and its errors', async (t) => {
  const { app } = await fullApp('https://bikebot.example.org');
  t.after(() => app.close());
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    servers: Array<{ url: string }>;
    paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
    components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
  };
  assert.deepEqual(doc.servers.map((s) => s.url), ['https://bikebot.example.org']);
  assert.equal(doc.components.securitySchemes.twilioSignature.name, 'X-Twilio-Signature');

  for (const path of ['/', '/app.js', '/healthz', '/readyz', '/metrics', '/openapi.json', '/api/chat', '/twilio/sms', '/twilio/voice', '/mcp']) assert.ok(doc.paths[path], `${path} is documented`);
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(op.operationId, `${method} ${path} operationId`);
      assert.ok(Array.isArray(op.security), `${method} ${path} says its security`);
      assert.ok(op.responses['503']?.headers?.['Retry-After'], `${method} ${path} documents 503 with Retry-After`);
    }
  }
  assert.ok(doc.paths['/readyz'].get.responses['503'], '/readyz documents its 503');
  for (const p of ['/twilio/sms', '/twilio/voice']) {
    assert.deepEqual(doc.paths[p].post.security, [{ twilioSignature: [] }]);
    for (const code of ['400', '403', '413', '415']) assert.ok(doc.paths[p].post.responses[code], `${p} ${code}`);
  }
  for (const code of ['200', '400', '413', '503']) assert.ok(doc.paths['/api/chat'].post.responses[code], `/api/chat ${code}`);
  for (const code of ['200', '400', '413', '503']) assert.ok(doc.paths['/mcp'].post.responses[code], `/mcp ${code}`);
});

test('the documented errors are the ones the app sends', async (t) => {
  const { app } = await fullApp(null);
  t.after(() => app.close());
  const big = await app.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'x'.repeat(20_000) }) });
  assert.equal(big.statusCode, 413);
  const unsigned = await app.inject({ method: 'POST', url: '/twilio/sms', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'From=%2B447700900000&Body=hi' });
  assert.equal(unsigned.statusCode, 403);
  const xml = await app.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'text/xml' }, payload: '<x/>' });
  assert.equal(xml.statusCode, 415);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 503);
  assert.ok(ready.headers['retry-after']);
});

test('redocly lint: no errors and no warnings', { skip: existsSync(REDOCLY) ? false : 'node_modules/.bin/redocly missing (run npm ci)' }, async (t) => {
  const { app } = await fullApp(null);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).body;
  await app.close();
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-openapi-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'openapi.json');
  writeFileSync(file, doc);
  const r = spawnSync(REDOCLY, ['lint', file, '--config', join(REPO_ROOT, 'redocly.yaml'), '--format', 'summary'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: dir, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    timeout: 120_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /Your API description is valid/, out);
  // (Redocly's own Node-version banner says "Deprecation warning"; lint findings read "warning <rule>: n".)
  assert.doesNotMatch(out, /You have \d+ warning|^(error|warning) +[a-z0-9-]+: \d+/m, out);
});
