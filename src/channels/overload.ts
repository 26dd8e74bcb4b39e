import './route-config.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import underPressure from '@fastify/under-pressure';
import rateLimit from '@fastify/rate-limit';
import { createRequire } from 'node:module';
import type twilioLib from 'twilio';
import type { ErrorBody } from './http-errors.js';

export interface OverloadOptions {
  /** Requests in progress beyond this are shed (queue depth). */
  maxInFlight: number;
  /** Shed while the measured event-loop delay is above this, ms; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Seconds a shed client is told to wait (Retry-After). */
  retryAfterS?: number;
  /** Chat API requests per minute per client address; 0 turns the limit off. */
  chatPerMinute?: number;
  onShed?: (channel: string, why: 'in_flight' | 'event_loop_delay') => void;
}

const BUSY_SMS = 'BikeBot is very busy right now. Please text again in a minute.';
const BUSY_VOICE = 'Sorry, BikeBot is very busy right now. Please call again in a minute. Goodbye.';

/**
 * Refusing politely, early and cheaply. A saturated Node process answers every
 * request late; shedding the excess with 503 + Retry-After keeps the answered ones
 * fast. Two signals: requests in progress (queue depth, counted from onRequest so
 * requests waiting for their body count too) and the event-loop delay measured by
 * @fastify/under-pressure. Probes and scrapes (channel "ops") are never shed, so
 * /healthz answers during the peak. Twilio is not a client that retries on 503: it
 * gets a 200 with valid TwiML saying BikeBot is busy.
 */
export async function installOverloadGuard(app: FastifyInstance, opts: OverloadOptions): Promise<void> {
  const retryAfterS = opts.retryAfterS ?? 2;
  // Only Twilio's routes answer in TwiML, and they exist only when their plugins loaded the package.
  const twilio = () => createRequire(import.meta.url)('twilio') as typeof twilioLib;
  const body = (req: FastifyRequest, reply: FastifyReply): string | ErrorBody => {
    const channel = req.routeOptions.config?.channel;
    if (channel === 'sms') {
      const r = new (twilio().twiml.MessagingResponse)();
      r.message(BUSY_SMS);
      reply.code(200).type('text/xml; charset=utf-8');
      return r.toString();
    }
    if (channel === 'voice') {
      const r = new (twilio().twiml.VoiceResponse)();
      r.say({ language: 'en-GB' }, BUSY_VOICE);
      r.hangup();
      reply.code(200).type('text/xml; charset=utf-8');
      return r.toString();
    }
    reply.code(503).header('retry-after', String(retryAfterS)).type('application/json; charset=utf-8');
    return { code: 'OVERLOADED', message: 'BikeBot is busy; please try again in a moment.' };
  };

  if (opts.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: opts.maxEventLoopDelayMs,
      // The mean delay over a quarter second: a peak is noticed at once, while one long
      // task (an index rebuilt for a new snapshot) does not shed the requests after it.
      sampleInterval: 250,
      retryAfter: retryAfterS,
      pressureHandler: (req, reply, _type, value) => {
        const channel = req.routeOptions.config?.channel ?? 'other';
        if (channel === 'ops') return undefined;
        // under-pressure reports Infinity when its histogram took no sample in the last
        // interval: one task held the loop the whole time (an index rebuilt for a new
        // snapshot) and the loop is free again now. That is not a queue to shed.
        if (value === Infinity) return undefined;
        opts.onShed?.(channel, 'event_loop_delay');
        // Sent here; Fastify then skips the rest of the request (reply.sent).
        void reply.send(body(req, reply));
        return undefined;
      },
    });
  }

  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (req, reply) => {
    const channel = req.routeOptions.config?.channel ?? 'other';
    if (channel === 'ops' || reply.sent) return;
    if (inFlight >= opts.maxInFlight) {
      opts.onShed?.(channel, 'in_flight');
      return reply.send(body(req, reply));
    }
    inFlight++;
    counted.add(req);
  });
  app.addHook('onResponse', async (req) => {
    if (counted.delete(req)) inFlight--;
  });
  // A client that went away before its answer still frees its place.
  app.addHook('onRequestAbort', async (req) => {
    if (counted.delete(req)) inFlight--;
  });

  if ((opts.chatPerMinute ?? 0) > 0) {
    await app.register(rateLimit, {
      global: false,
      max: opts.chatPerMinute,
      timeWindow: 60_000,
      // Thrown into the app's error handler, which answers 429 with code RATE_LIMITED.
      errorResponseBuilder: (_req, ctx) =>
        Object.assign(new Error(`Too many messages from this address: at most ${ctx.max} a minute. Please wait ${Math.ceil(ctx.ttl / 1000)} s.`), { statusCode: 429 }),
    });
  }
}

/** Route config for a rate-limited route (the chat API); nothing when limits are off. */
export function chatRateLimit(perMinute: number | undefined): { rateLimit?: { max: number; timeWindow: number } } {
  return perMinute && perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {};
}
