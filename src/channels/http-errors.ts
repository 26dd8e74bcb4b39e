import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isBikeBotError, type ErrorCode } from '../domain/errors.js';


/** Every JSON error body: clients branch on `code`, people read `message`. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
} as const;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  OVERLOADED: 503,
  RATE_LIMITED: 429,
  FEED_RATE_LIMITED: 503,
};

/** "body/location/lat must be number", "body has unknown property \"foo\"", "body must be a JSON object". */
export function describeValidationError(where: string, v: { instancePath?: string; keyword: string; params: unknown; message?: string }): string {
  const path = `${where}${v.instancePath || ''}`;
  if (v.keyword === 'additionalProperties') return `${path} has unknown property "${String((v.params as { additionalProperty?: unknown }).additionalProperty)}"`;
  if (v.keyword === 'required') return `${path}/${String((v.params as { missingProperty?: unknown }).missingProperty)} is required`;
  if (v.keyword === 'type' && (v.instancePath ?? '') === '' && (v.params as { type?: unknown }).type === 'object') return `${path} must be a JSON object`;
  return `${path} ${v.message ?? 'is invalid'}`;
}

export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  if (status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  return reply.code(status).type('application/json; charset=utf-8').send({ code, message } satisfies ErrorBody);
}

/**
 * Maps Fastify's own errors (validation, body limits, bad JSON) and BikeBotErrors
 * to stable codes. Anything else is a 500 whose details stay in the log, never in
 * the response.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (err.validation) {
      const where = err.validationContext ?? 'body';
      const detail = err.validation.map((v) => describeValidationError(where, v)).join('; ');
      return sendError(reply, 400, 'INVALID_INPUT', detail);
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', 'Request body is too large.');
    }
    if (isBikeBotError(err)) {
      const status = STATUS_BY_CODE[err.code] ?? 500;
      if (status >= 500) req.log.error({ err }, 'request failed');
      return sendError(reply, status, err.code, status >= 500 && err.code !== 'OVERLOADED' ? 'Something went wrong on our side.' : err.message);
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type, empty body: the client's mistake, said plainly.
      const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : 'INVALID_INPUT';
      return sendError(reply, status === 415 ? 415 : status, code, err.message);
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'INTERNAL', 'Something went wrong on our side.');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`));
}
