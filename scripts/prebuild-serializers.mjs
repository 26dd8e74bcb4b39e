#!/usr/bin/env node
// Part of `npm run build`, after tsc: writes dist/channels/serializers.generated.cjs, the
// chat route's response serializers as fast-json-stringify's standalone code, so a
// starting server need not load fast-json-stringify and Ajv before its first answer
// (src/channels/prebuilt-serializers.ts). The compile inputs are recorded by chatCompileInputs
// (src/channels/chat-compile-inputs.ts); inputs that differ at run
// time only mean that route is compiled as before.
import { writeFileSync } from 'node:fs';
import { chatCompileInputs } from '../dist/channels/chat-compile-inputs.js';
import { generateSerializers } from '../dist/channels/prebuilt-serializers.js';

const inputs = await chatCompileInputs();
const out = new URL('../dist/channels/serializers.generated.cjs', import.meta.url);
writeFileSync(out, generateSerializers(inputs));
console.log(`prebuilt ${inputs.length} response serializers of /api/chat → ${out.pathname}`);
