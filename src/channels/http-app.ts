import './route-config.js';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { HandleTurn } from '../dialog/turn-deps.js';
import type { OptOutList } from './opt-out-list.js';
import type { ConversationIds } from './conversation-ids.js';

import type { SseHub } from '../alerts/sse-hub.js';
import { alertsStreamPlugin } from './alerts-stream.js';
import { chatApiPlugin } from './chat-api.js';
import { installOverloadGuard } from './overload.js';
import { lazyCompilers } from './lazy-compilers.js';
import { PrebuiltSerializers } from './prebuilt-serializers.js';
import type { WindowCounter } from './sender-rate-limit.js';
import { installErrorHandlers, sendError } from './http-errors.js';
import { LOG_REDACT_PATHS } from './log-redact.js';
import type { Metrics } from './metrics.js';
import { collectRoutes, openApiDocument } from './openapi.js';
import type { McpDeps } from './mcp-server.js';
import type { VoiceHintSource } from './voice-hints.js';
import { webStaticPlugin } from './web-static.js';

/** What /readyz reports (see src/readiness.ts); without `status`, `ready` decides ready or not_ready. */
export interface Readiness {
  status?: 'ready' | 'degraded' | 'not_ready';
  ready: boolean;
  reasons?: string[];
  snapshotAgeS: number | null;
  stations: number;
  feeds: ReadonlyArray<{ feedId: string; lastSuccessAt: string | null; lastError: string | null; asOf?: string | null; nextPollAt?: string | null; refused?: { at: string; reason: string } | null }>;
}

const READINESS_SCHEMA = {
  type: 'object',
  required: ['status', 'ready', 'reasons', 'snapshotAgeS', 'stations', 'feeds'],
  properties: {
    status: { type: 'string', enum: ['ready', 'degraded', 'not_ready'] },
    ready: { type: 'boolean' },
    reasons: { type: 'array', items: { type: 'string' }, description: 'Why degraded or not ready; empty when ready' },
    snapshotAgeS: { type: 'integer', nullable: true, description: 'Age of the oldest loaded observations, seconds' },
    stations: { type: 'integer' },
    feeds: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          feedId: { type: 'string' },
          asOf: { type: 'string', nullable: true },
          lastSuccessAt: { type: 'string', nullable: true },
          lastError: { type: 'string', nullable: true },
          nextPollAt: { type: 'string', nullable: true },
          refused: { type: 'object', nullable: true, additionalProperties: true, properties: { at: { type: 'string' }, reason: { type: 'string' } } },
        },
      },
    },
  },
} as const;

export interface HttpAppDeps {
  handleTurn: HandleTurn;
  /** The chat route's serializers made at build time; default: dist/channels/serializers.generated.cjs when the build wrote it. */
  prebuiltSerializers?: PrebuiltSerializers;
  /** A pino/Fastify logger, or options for one (level, and a stream for tests). Default: info to stdout. */
  logger?: FastifyBaseLogger | { level?: string; stream?: DestinationStream };
  readiness: () => Readiness;
  metrics: Metrics;
  /** SMS and Voice routes exist only when this is set. */
  twilio?: {
    authToken: string;
    publicUrl: string | null;
    /** Who texted STOP (persistent, keyed by its own secret); default: in memory. */
    optOuts?: OptOutList;
    /** BCP-47, for recognition and <Say> (default en-GB). */
    language?: string;
    /** <Say voice="…">, e.g. "Polly.Amy-Neural"; default Twilio's. */
    voice?: string;
  };
  voiceHints?: VoiceHintSource;
  /** Signs and checks chat conversation ids; default: a per-process secret. */
  conversationIds?: ConversationIds;
  /** Replaces the voice channel's own speech tidy-up (e.g. the dialog's toSpeech). */
  toSpeech?: (text: string) => string;
  rateLimit?: { smsPerSenderPerMinute: number };
  /** Redis mode: the chat API's per-client and SMS per-sender limits are counted across replicas. */
  sharedCounter?: WindowCounter;
  /** Default 16 KiB. */
  bodyLimitBytes?: number;
  /** Whole request, socket included (default 10 s); a turn gets most of it. */
  requestTimeoutMs?: number;
  /** Requests in progress beyond this get 503 + Retry-After (default 64). */
  maxConcurrent?: number;
  /** Shed with 503 + Retry-After while the event loop lags more than this, ms (default 0: off). */
  maxEventLoopDelayMs?: number;
  /** Shed a request read more than this many ms into a busy loop turn (default 0: off). */
  maxQueueDelayMs?: number;
  /** The tighter bound for clients that ask again before their Retry-After is up (default: maxQueueDelayMs). */
  impatientQueueDelayMs?: number;
  /** Chat API requests per minute per client address (default 0: no limit). */
  chatPerMinute?: number;
  /** Behind a load balancer: the client address comes from X-Forwarded-For. */
  trustProxy?: boolean;
  publicDir?: string;
  /** Web map tile URL template; null or absent: the page's offline drawing only. */
  mapTiles?: string | null;
  /** The public base URL, named as the server in the OpenAPI document. */
  publicUrl?: string | null;
  /** BikeBot's version, for the OpenAPI document. */
  version?: string;
  /** POST /mcp (Model Context Protocol over Streamable HTTP) exists only when this is set. */
  mcp?: McpDeps;
  /** Open web pages that alerts are streamed to (GET /api/alerts/stream). */
  alertStream?: SseHub;
}

function isLogger(x: unknown): x is FastifyBaseLogger {
  return typeof x === 'object' && x !== null && typeof (x as FastifyBaseLogger).info === 'function' && typeof (x as FastifyBaseLogger).child === 'function';
}

const STATUS_OK = { description: 'Up', type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } as const;

/** How long after listening the response serializers not used yet are compiled. */
const SERIALIZERS_AFTER_MS = 1_000;

/** Routes that must answer even when the server is saturated: probes and scrapes. */
const OPS_CHANNEL = 'ops' as const;

export async function buildHttpApp(deps: HttpAppDeps): Promise<FastifyInstance> {
  const requestTimeoutMs = deps.requestTimeoutMs ?? 10_000;
  const turnTimeoutMs = Math.max(100, Math.floor(requestTimeoutMs * 0.8));
  const maxConcurrent = deps.maxConcurrent ?? 64;
  const loggerOpts: LoggerOptions & { stream?: DestinationStream } = isLogger(deps.logger)
    ? {}
    : { level: deps.logger?.level ?? 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' }, ...(deps.logger?.stream ? { stream: deps.logger.stream } : {}) };

  // The chat route's serializers as the app gets ready, the rest on first use (see lazy-compilers.ts).
  const compilers = lazyCompilers({ compileNow: (route) => route.url === '/api/chat', prebuilt: deps.prebuiltSerializers ?? PrebuiltSerializers.load() });
  const app = Fastify({
    ...(isLogger(deps.logger) ? { loggerInstance: deps.logger } : { logger: loggerOpts }),
    schemaController: compilers.schemaController,
    bodyLimit: deps.bodyLimitBytes ?? 16 * 1024,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: requestTimeoutMs,
    return503OnClosing: true,
    trustProxy: deps.trustProxy ?? false,
    // Query strings could carry message text; logs keep the path only.
    logController: new LogController({ disableRequestLogging: true }),
  });

  installErrorHandlers(app);
  await app.register(formbody);
  const routes = collectRoutes(app);

  await installOverloadGuard(app, {
    maxInFlight: maxConcurrent,
    maxEventLoopDelayMs: deps.maxEventLoopDelayMs ?? 0,
    maxQueueDelayMs: deps.maxQueueDelayMs ?? 0,
    ...(deps.impatientQueueDelayMs !== undefined ? { impatientQueueDelayMs: deps.impatientQueueDelayMs } : {}),
    onShed: (channel, why) => deps.metrics.recordShed(channel, why),
  });
  app.addHook('onResponse', async (req, reply) => {
    const routeChannel = req.routeOptions.config?.channel ?? 'other';
    // The web page and API clients share /api/chat; the page says which it is.
    const channel = routeChannel === 'api' && req.headers['x-bikebot-client'] === 'web' ? 'web' : routeChannel;
    deps.metrics.observeRequest(channel, reply.statusCode, reply.elapsedTime / 1000);
    // A refusal is counted (bikebot_requests_shed_total), not logged: under overload a
    // line each would make refusing the server's main work.
    if (req.shed) return;
    req.log.info({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const ops = { config: { channel: OPS_CHANNEL } };
  let openApi: Promise<unknown> | null = null;
  app.get('/healthz', { ...ops, schema: { summary: 'The process is up', tags: ['ops'], response: { 200: STATUS_OK } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    {
      ...ops,
      schema: {
        summary: 'ready or degraded (200: answering; degraded = stale data or refusing suspect data, with reasons) or not_ready (503)',
        tags: ['ops'],
        response: {
          200: { ...READINESS_SCHEMA, description: 'Answering: ready, or degraded (stale data, or suspect data refused) with reasons' },
          503: { ...READINESS_SCHEMA, description: 'Not ready: no station data, or data older than --not-ready-after (Retry-After says when to look again)', headers: { 'Retry-After': { type: 'integer' } } },
        },
      },
    },
    async (_req, reply) => {
      const r = deps.readiness();
      const status = r.status ?? (r.ready ? 'ready' : 'not_ready');
      if (status === 'not_ready') reply.code(503).header('retry-after', '5');
      return { ...r, status, ready: status !== 'not_ready', reasons: r.reasons ?? [] };
    },
  );
  app.get('/metrics', { ...ops, schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['ops'], response: { 200: { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } } }, async (_req, reply) => {
    reply.type(deps.metrics.contentType);
    return deps.metrics.render();
  });
  app.get('/openapi.json', { ...ops, schema: { summary: 'This OpenAPI document', tags: ['ops'], response: { 200: { description: 'OpenAPI 3.0 document', type: 'object', additionalProperties: true } } } }, async () => {
    // Made on the first request and kept: the routes do not change once the app is ready.
    openApi ??= openApiDocument(routes, { publicUrl: deps.publicUrl ?? deps.twilio?.publicUrl ?? null, version: deps.version ?? '1' }).catch((e: unknown) => {
      openApi = null;
      throw e;
    });
    return openApi;
  });

  const onTurn = (channel: string, intent: string) => deps.metrics.recordTurn(channel, intent);
  await app.register(chatApiPlugin, { handleTurn: deps.handleTurn, turnTimeoutMs, onTurn, ratePerMinute: deps.chatPerMinute ?? 0, ...(deps.sharedCounter ? { sharedCounter: deps.sharedCounter } : {}), ...(deps.conversationIds ? { conversationIds: deps.conversationIds } : {}) });
  await app.register(webStaticPlugin, { ...(deps.publicDir ? { publicDir: deps.publicDir } : {}), mapTiles: deps.mapTiles ?? null });
  if (deps.alertStream) await app.register(alertsStreamPlugin, { hub: deps.alertStream });
  if (deps.mcp) await app.register((await import('./mcp-http.js')).mcpHttpPlugin, { ...deps.mcp, onTurn: (intent: string) => onTurn('mcp', intent) });
  if (deps.twilio) {
    // Loaded only when Twilio is configured: the twilio package takes most of a second.
    const { twilioSmsPlugin } = await import('./twilio-sms.js');
    const { twilioVoicePlugin } = await import('./twilio-voice.js');
    const common = { authToken: deps.twilio.authToken, publicUrl: deps.twilio.publicUrl, handleTurn: deps.handleTurn, turnTimeoutMs };
    await app.register(twilioSmsPlugin, {
      ...common,
      smsPerSenderPerMinute: deps.rateLimit?.smsPerSenderPerMinute ?? 10,
      ...(deps.sharedCounter ? { sharedCounter: deps.sharedCounter } : {}),
      ...(deps.twilio.optOuts ? { optOuts: deps.twilio.optOuts } : {}),
      onTurn: (intent) => onTurn('sms', intent),
    });
    await app.register(twilioVoicePlugin, {
      ...common,
      ...(deps.voiceHints ? { voiceHints: deps.voiceHints } : {}),
      ...(deps.toSpeech ? { toSpeech: deps.toSpeech } : {}),
      ...(deps.twilio.language ? { language: deps.twilio.language } : {}),
      ...(deps.twilio.voice ? { voice: deps.twilio.voice } : {}),
      onTurn: (intent) => onTurn('voice', intent),
    });
  }
  // The serializers the first answers did not need, a moment after listening (see lazy-compilers.ts).
  app.addHook('onListen', async () => {
    setTimeout(() => {
      compilers.compileRest().catch((err: unknown) => app.log.error({ err: err instanceof Error ? err.message : String(err) }, 'a response serializer failed to compile'));
    }, SERIALIZERS_AFTER_MS).unref();
  });
  await app.ready();
  return app;
}
