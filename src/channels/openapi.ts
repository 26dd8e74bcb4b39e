/**
 * The OpenAPI document, generated from the route schemas by @fastify/swagger. Each
 * plugin describes its own route (body, success response, route-specific errors);
 * what every route shares is added here from the route's channel, so a new route is
 * documented completely without repeating it: an operationId, its security, and the
 * errors the app itself may answer with (400/413/415 for bodies, 503 when
 * overloaded or shutting down). `redocly lint` checks the result (test/ops).
 */
import './route-config.js';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { ERROR_BODY_SCHEMA } from './http-errors.js';

export interface OpenApiOptions {
  /** The public base URL (config --public-url); the document then names it as its server. */
  publicUrl: string | null;
  version: string;
}

const RETRY_AFTER = { 'Retry-After': { type: 'integer', description: 'Seconds to wait before trying again' } };

const errorResponse = (description: string, extra: Record<string, unknown> = {}) => ({ ...ERROR_BODY_SCHEMA, description, ...extra });

const COMMON_ERRORS = {
  400: errorResponse('The request is malformed or does not match the schema (code INVALID_INPUT)'),
  413: errorResponse('The body is larger than the limit (16 KiB by default; code PAYLOAD_TOO_LARGE)'),
  415: errorResponse('The Content-Type is not one this route takes (code INVALID_INPUT)'),
  503: errorResponse('Overloaded or shutting down: try again after Retry-After seconds (code OVERLOADED)', { headers: RETRY_AFTER }),
} as const;

const TWILIO_CHANNELS = new Set(['sms', 'voice']);

/** "post", "/api/chat" → "postApiChat"; "/" → "getIndex". */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase());
  return method.toLowerCase() + (words.length ? words.join('') : 'Index');
}

type Schema = FastifySchema & { hide?: boolean; operationId?: string; security?: unknown; response?: Record<string, unknown>; body?: unknown };

/** Adds what every route shares to one route's schema, for the document only (validation is unchanged). */
export function describeRoute(schema: Schema | undefined, url: string, route: RouteOptions): { schema: FastifySchema; url: string } {
  const s: Schema = { ...(schema ?? {}) };
  if (s.hide) return { schema: s, url };
  const method = Array.isArray(route.method) ? route.method[0] : route.method;
  const channel = route.config && typeof route.config === 'object' ? (route.config as { channel?: string }).channel : undefined;
  s.operationId ??= operationIdFor(String(method), url);
  // Public routes say so explicitly (security: []); the Twilio webhooks take only signed requests.
  s.security ??= channel && TWILIO_CHANNELS.has(channel) ? [{ twilioSignature: [] }] : [];
  const errors: Record<string, unknown> = { 503: COMMON_ERRORS[503] };
  if (s.body) Object.assign(errors, { 400: COMMON_ERRORS[400], 413: COMMON_ERRORS[413], 415: COMMON_ERRORS[415] });
  if (channel && TWILIO_CHANNELS.has(channel)) errors[403] = errorResponse('X-Twilio-Signature is missing or does not match this URL and body (code UNAUTHORIZED)');
  s.response = { ...errors, ...(s.response ?? {}) };
  // A route's own 503 still comes with the Retry-After every 503 of ours carries (http-errors.ts).
  const own503 = s.response[503] as { headers?: unknown } | undefined;
  if (own503 && !own503.headers) s.response[503] = { ...own503, headers: RETRY_AFTER };
  return { schema: s, url };
}

export function swaggerOptions(opts: OpenApiOptions): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'BikeBot HTTP API',
        version: opts.version,
        description: 'Bike-share docking station answers by chat, SMS, phone and AI assistants (MCP). Every answer carries when its counts were observed upstream.',
        license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
      },
      servers: [opts.publicUrl ? { url: opts.publicUrl.replace(/\/+$/, ''), description: 'This deployment' } : { url: '/', description: 'The server this document was fetched from' }],
      tags: [
        { name: 'chat', description: 'Questions and answers as JSON, for apps and the web chat' },
        { name: 'web', description: 'The web chat page and its assets' },
        { name: 'twilio', description: 'Webhooks Twilio calls for SMS and voice; signed with the account auth token' },
        { name: 'mcp', description: 'Model Context Protocol for AI assistants (Streamable HTTP)' },
        { name: 'ops', description: 'Health, readiness, metrics and this document' },
      ],
      components: {
        securitySchemes: {
          twilioSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Twilio-Signature',
            description: "Base64 HMAC-SHA1, keyed with the Twilio auth token, of the full public URL followed by the POST parameters sorted by name (Twilio's request validation). Requests without a valid signature get 403.",
          },
        },
      },
    },
    transform: ({ schema, url, route }) => describeRoute(schema as Schema, url, route),
  };
}

/**
 * Collects the app's routes as they are added, for openApiDocument(). Registering
 * @fastify/swagger itself would load it (and yaml, and its schema resolver) at every
 * start, ~0.2 s of CPU, for a document few processes are ever asked for.
 */
export function collectRoutes(app: FastifyInstance): RouteOptions[] {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    // Fastify adds a HEAD twin of each GET; the document leaves those out (as @fastify/swagger does).
    if (route.method !== 'HEAD') routes.push(route);
  });
  return routes;
}

/**
 * The OpenAPI document of these routes, made on demand: @fastify/swagger in a
 * throwaway Fastify instance that is given the same routes (method, URL, schema,
 * config) and never listens. Its schemas are not compiled there: validation and
 * serialisation stay the app's own.
 */
export async function openApiDocument(routes: readonly RouteOptions[], opts: OpenApiOptions): Promise<unknown> {
  const [{ default: Fastify }, { default: swagger }] = await Promise.all([import('fastify'), import('@fastify/swagger')]);
  const doc = Fastify({ logger: false });
  doc.setValidatorCompiler(() => () => true);
  doc.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await doc.register(swagger, swaggerOptions(opts));
  await doc.register(async (scope) => {
    for (const r of routes) scope.route({ method: r.method, url: r.url, ...(r.schema ? { schema: r.schema } : {}), ...(r.config ? { config: r.config } : {}), handler: async () => null });
  });
  await doc.ready();
  try {
    return doc.swagger();
  } finally {
    await doc.close();
  }
}

