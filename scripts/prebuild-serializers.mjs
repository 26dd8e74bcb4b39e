#!/usr/bin/env node
// Part of `npm run build`, after tsc: writes dist/channels/serializers.generated.cjs, the
// chat route's response serializers as fast-json-stringify's standalone code, so a
// starting server need not load fast-json-stringify and Ajv before its first answer
// (src/channels/prebuilt-serializers.ts). The compile inputs are recorded from the chat
// plugin mounted in a plain Fastify, as buildHttpApp mounts it; inputs that differ at run
// time only mean that route is compiled as before.
import { writeFileSync } from 'node:fs';
import Fastify from 'fastify';
import { chatApiPlugin } from '../dist/channels/chat-api.js';
import { generateSerializers } from '../dist/channels/prebuilt-serializers.js';

const inputs = [];
const app = Fastify({
  logger: false,
  schemaController: {
    compilersFactory: {
      buildSerializer: (externalSchemas, options) => (route) => {
        if (route.url === '/api/chat') inputs.push({ schema: route.schema, externalSchemas, options });
        return JSON.stringify;
      },
    },
  },
});
await app.register(chatApiPlugin, {
  handleTurn: async () => {
    throw new Error('not for answering');
  },
  turnTimeoutMs: 1_000,
});
await app.ready();
await app.close();
const out = new URL('../dist/channels/serializers.generated.cjs', import.meta.url);
writeFileSync(out, generateSerializers(inputs));
console.log(`prebuilt ${inputs.length} response serializers of /api/chat → ${out.pathname}`);
