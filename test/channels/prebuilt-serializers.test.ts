import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chatCompileInputs } from '../../src/channels/chat-compile-inputs.js';
import { generateSerializers, PrebuiltSerializers } from '../../src/channels/prebuilt-serializers.js';
import { postJson, startTestServer } from './fixtures/app.js';

test('prebuilt serializers: the real app uses them for every chat status, and they write the bytes fast-json-stringify compiles', async () => {
  const inputs = await chatCompileInputs();
  assert.equal(inputs.length, 7);
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-prebuilt-'));
  const file = join(dir, 'serializers.generated.cjs');
  writeFileSync(file, generateSerializers(inputs));
  const prebuilt = PrebuiltSerializers.load(pathToFileURL(file));
  const s = await startTestServer({ prebuiltSerializers: prebuilt });
  try {
    assert.equal(prebuilt.used, 7, 'one for each status code of /api/chat');
    const docs = [
      (await postJson(`${s.url}/api/chat`, { text: 'bikes at waterloo' })).json,
      (await postJson(`${s.url}/api/chat`, { text: 'hello' })).json,
      (await postJson(`${s.url}/api/chat`, { text: 'spaces near kings cross' })).json,
    ];
    const refusal = await postJson(`${s.url}/api/chat`, { text: '' });
    assert.equal(refusal.status, 400);
    const fjs = createRequire(createRequire(import.meta.url).resolve('fastify'))('fast-json-stringify') as (schema: unknown, options: object) => (doc: unknown) => string;
    const check = new PrebuiltSerializers(new Map()); // nothing prebuilt: every get() is null
    for (const { schema, externalSchemas, options } of inputs) {
      assert.equal(check.get(schema, externalSchemas, options), null);
      const compiled = fjs(schema, { ...(options as object), schema: externalSchemas });
      const made = PrebuiltSerializers.load(pathToFileURL(file)).get(schema, externalSchemas, options);
      assert.ok(made);
      const required = (schema as { required?: string[] }).required ?? [];
      for (const doc of required.includes('answer') ? docs : [refusal.json, { code: 'X', message: 'y', extra: 1 }]) assert.equal(made(doc), compiled(doc));
    }
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prebuilt serializers: other compile inputs find none (the route is compiled as before)', () => {
  const prebuilt = PrebuiltSerializers.load(pathToFileURL(join(tmpdir(), 'no-such-dir', 'serializers.generated.cjs')));
  assert.equal(prebuilt.get({ type: 'object' }, {}, {}), null);
});
