import Fastify from 'fastify';
import { chatApiPlugin } from './chat-api.js';
import type { CompileInputs } from './prebuilt-serializers.js';

/**
 * The chat route's serializer compile inputs (schema, shared schemas, options per status), recorded
 * from the chat plugin mounted in a plain Fastify as buildHttpApp mounts it. The build
 * (scripts/prebuild-serializers.mjs) generates the prebuilt serializers from these, and the test
 * checks them against the same: one recorder, so the two can never record differently.
 */
export async function chatCompileInputs(): Promise<CompileInputs[]> {
  const inputs: CompileInputs[] = [];
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
  return inputs;
}
