import awsLambdaFastify from '@fastify/aws-lambda';
import type { FastifyInstance } from 'fastify';
import type { HandleTurn } from '../dialog/turn-deps.js';
import { handleLexEvent, type LexOptions, type LexV2Event, type LexV2Response } from './lex-v2.js';

export type HttpLambdaHandler = (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean }>;
export type LexLambdaHandler = (event: LexV2Event, context?: unknown) => Promise<LexV2Response>;

/**
 * API Gateway (REST or HTTP API) or ALB events → the same Fastify app `bikebot serve`
 * runs. The app is already ready (buildHttpApp awaits it), so no request decorator.
 */
export function createLambdaHandler(app: FastifyInstance): HttpLambdaHandler {
  const proxy = awsLambdaFastify(app, { callbackWaitsForEmptyEventLoop: false, decorateRequest: false });
  return (event, context) => proxy(event, context as Parameters<typeof proxy>[1]);
}

/** Lex V2 code hook (dialog and fulfilment) → BikeBot's turn handler. */
export function createLexHandler(handleTurn: HandleTurn, opts: LexOptions = {}): LexLambdaHandler {
  return (event) => handleLexEvent(event, handleTurn, opts);
}

/**
 * Lambda keeps a process warm between invocations: the app (index, sessions,
 * poller) is built on the first event and reused, and both entry points share it.
 * A failed build is retried on the next event rather than cached.
 */
export function createLazyLambdaHandlers(build: () => Promise<{ app: FastifyInstance; handleTurn: HandleTurn }>, lexOpts: LexOptions = {}): { http: HttpLambdaHandler; lex: LexLambdaHandler } {
  let built: Promise<{ http: HttpLambdaHandler; lex: LexLambdaHandler }> | null = null;
  const get = () => {
    built ??= build().then(
      ({ app, handleTurn }) => ({ http: createLambdaHandler(app), lex: createLexHandler(handleTurn, lexOpts) }),
      (err: unknown) => {
        built = null;
        throw err;
      },
    );
    return built;
  };
  return {
    http: async (event, context) => (await get()).http(event, context),
    lex: async (event, context) => (await get()).lex(event, context),
  };
}
