import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';
import { sendError } from './http-errors.js';
import { quickCheck } from './quick-check.js';

type Ajv = InstanceType<typeof AjvModule.default>;

/** Ajv (CommonJS, its class on .default), loaded by the first schema that needs it. */
function newAjv(): Ajv {
  const m = createRequire(import.meta.url)('ajv') as { default?: typeof AjvModule.default } & typeof AjvModule.default;
  const Ctor = m.default ?? m;
  return new Ctor({ coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, strict: false, validateSchema: false });
}

/**
 * Fastify's default validator coerces types and silently drops unknown properties,
 * so `{"text":123}` became "123" and a misspelt field vanished. The chat API takes
 * exactly its documented shape instead: no coercion, no removal, no defaults.
 */
export function strictValidatorCompiler(opts: { onFirstRequest?: boolean } = {}): ({ schema }: { schema: FastifySchema }) => (data: unknown) => boolean {
  // validateSchema off: checking our own constant schemas against JSON Schema's
  // meta-schema first compiled that meta-schema in every process, ~0.1 s of each
  // start. The schemas are checked where they are published instead: the OpenAPI
  // document made from them is linted by Redocly (test/ops/openapi-redocly.test.ts).
  // onFirstRequest: each schema is compiled on its route's first request, not as the app
  // gets ready, so a restarted server's first chat answer does not wait for /mcp's and the
  // alert stream's. Without it a schema is compiled at once (compiled inside a first
  // request it would hold up the others read in the same turn) — unless it has a quick
  // check (quick-check.ts), as the chat body's has: a body that check accepts is valid
  // without Ajv, and any other gets Ajv's verdict and errors, as before. So Ajv is loaded
  // by the first body the check cannot accept, not at every start.
  // Fastify reads the errors of a refusal off the function.
  let ajv: Ajv | null = null;
  return ({ schema }) => {
    const quick = quickCheck(schema);
    let validate: ((data: unknown) => boolean) & { errors?: unknown } | null = null;
    const full = () => (validate ??= (ajv ??= newAjv()).compile(schema as object));
    if (!quick && !opts.onFirstRequest) full();
    const check = Object.assign(
      (data: unknown): boolean => {
        if (quick?.(data)) {
          check.errors = null;
          return true;
        }
        const v = full();
        const ok = v(data);
        check.errors = v.errors;
        return ok;
      },
      { errors: null as unknown },
    );
    return check;
  };
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * onRequest guard for JSON APIs called from our own page or from servers. A browser
 * on another site can post a form (urlencoded, multipart, text/plain) to any URL
 * without a CORS preflight; such requests are refused before their body is read:
 * 415 unless the body is JSON, 403 when the browser says the request is cross-site
 * (Sec-Fetch-Site) or its Origin is not this server's own.
 */
export async function refuseCrossOriginAndNonJson(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site === 'cross-site' || (origin !== undefined && !sameOrigin(origin, req.headers.host, req.headers['x-forwarded-host']))) {
    return void sendError(reply, 403, 'UNAUTHORIZED', 'Requests from other sites are not accepted.');
  }
  const type = req.headers['content-type'];
  if (!type || !JSON_TYPE.test(type)) {
    return void sendError(reply, 415, 'INVALID_INPUT', 'The body must be JSON (Content-Type: application/json).');
  }
}

function sameOrigin(origin: string, host: string | undefined, forwardedHost: string | string[] | undefined): boolean {
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage: not us.
  }
  const hosts = [host, ...(Array.isArray(forwardedHost) ? forwardedHost : forwardedHost ? forwardedHost.split(',') : [])];
  return hosts.some((h) => h !== undefined && h.trim().toLowerCase() === originHost);
}
