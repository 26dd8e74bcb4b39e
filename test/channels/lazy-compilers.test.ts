import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { lazyCompilers } from '../../src/channels/lazy-compilers.js';

const schema = { response: { 200: { type: 'object', required: ['n'], properties: { n: { type: 'integer' }, name: { type: 'string' } } } } };

test('serializers made on first use write what Fastify’s own write (fast-json-stringify: unlisted properties dropped)', async () => {
  const compilers = lazyCompilers();
  const lazy = Fastify({ schemaController: compilers.schemaController });
  const eager = Fastify();
  for (const app of [lazy, eager]) {
    app.get('/x', { schema }, async () => ({ n: 3, name: 'Waterloo', secret: 'not listed' }));
    app.get('/y', { schema }, async () => ({ n: 4 }));
  }
  // A route with a body schema and no validator of its own still gets Fastify's default one.
  lazy.post('/z', { schema: { body: { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } } } }, async (req) => req.body);
  const bodies = await Promise.all([lazy, eager].map(async (app) => (await app.inject({ url: '/x' })).body));
  assert.equal(bodies[0], bodies[1]);
  assert.equal(bodies[0], '{"n":3,"name":"Waterloo"}');
  // The ones not asked for yet are compiled in turn, and then answer as before.
  await compilers.compileRest();
  assert.equal((await lazy.inject({ url: '/y' })).body, '{"n":4}');
  assert.equal((await lazy.inject({ method: 'POST', url: '/z', payload: { a: '7' } })).body, '{"a":7}', 'coerced, as Fastify’s default validator does');
  assert.equal((await lazy.inject({ method: 'POST', url: '/z', payload: {} })).statusCode, 400);
  await Promise.all([lazy.close(), eager.close()]);
});
