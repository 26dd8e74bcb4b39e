import { Socket } from 'node:net';
import './route-config.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import underPressure from '@fastify/under-pressure';
import { createRequire } from 'node:module';
import type twilioLib from 'twilio';
import type { ErrorBody } from './http-errors.js';
import { HeldRefusals, RefusalPacing } from './held-refusals.js';

export interface OverloadOptions {
  /** Requests in progress beyond this are shed (queue depth). */
  maxInFlight: number;
  /** Shed while the measured event-loop delay is above this, ms; 0 turns the check off. */
  maxEventLoopDelayMs: number;
  /** Seconds a shed client is told to wait (Retry-After). */
  retryAfterS?: number;
  /** Shed a request the event loop reaches more than this many ms after the first request of its turn; 0 = off. */
  maxQueueDelayMs?: number;
  /**
   * The same bound, ms, for a client that asked again on its connection before the
   * Retry-After of its last refusal was up, and while more of those are held than
   * requests are in progress, for every client asking again on its connection
   * (default: maxQueueDelayMs; never more).
   */
  impatientQueueDelayMs?: number;
  onShed?: (channel: string, why: ShedReason) => void;
  /**
   * The clock a loop turn's queue delay is read on, ms (default performance.now). Tests
   * pass one their handlers advance, so where a request falls against a bound is
   * decided by the work the test says came before it, not by how often a loaded
   * machine preempted the process in between.
   */
  turnClock?: () => number;
}

export type ShedReason = 'in_flight' | 'queue_delay' | 'event_loop_delay';

declare module 'fastify' {
  interface FastifyRequest {
    /** Refused by the overload guard: counted, not logged one line each. */
    shed: boolean;
  }
}

const BUSY_SMS = 'BikeBot is very busy right now. Please text again in a minute.';
const BUSY_VOICE = 'Sorry, BikeBot is very busy right now. Please call again in a minute. Goodbye.';

/**
 * Refusing politely, early and cheaply. A saturated Node process answers every
 * request late; shedding the excess with 503 + Retry-After keeps the answered ones
 * fast. Three signals, each checked per request in onRequest (before the body is
 * read or a turn is run):
 *   - queue delay: requests read in one event-loop turn run one after another, so a
 *     request reached late in a busy turn has waited behind all before it (its
 *     client longer). Past --max-queue-delay in the turn the rest are refused, which
 *     bounds every answered request's wait to about two turns. A tighter bound
 *     (--max-queue-delay-impatient) applies to a client that asked again on its
 *     connection before its Retry-After was up, and, while more such clients are
 *     held (see below) than requests are in progress — a peak of clients that
 *     hammer — to every client asking again on its connection. Refusing those is
 *     what parks their connections, so it is what keeps the turns short; without it
 *     the turns settle at the ordinary bound, as many connections busy as fit in it.
 *     A client's first request on a connection (a new visitor, or each new client
 *     behind a proxy that reuses its connections) is judged by the ordinary bound:
 *     refusing one that will not come back on this connection saves nothing;
 *   - requests in progress (queue depth of work that awaits, counted from onRequest);
 *   - sustained event-loop delay measured by @fastify/under-pressure (lag from
 *     anything else: garbage collection, a starved process).
 * A connection that asks again before its Retry-After has passed and is refused
 * again gets that refusal only when the Retry-After is up: a client that hammers
 * cannot turn refusals into the server's main work (connection-level backpressure;
 * one that waits as told never sees the hold). Probes and scrapes (channel "ops")
 * are never shed, so /healthz answers during the peak. Twilio is not a client that
 * retries on 503: it gets a 200 with valid TwiML saying BikeBot is busy, at once.
 */
export async function installOverloadGuard(app: FastifyInstance, opts: OverloadOptions): Promise<void> {
  const retryAfterS = opts.retryAfterS ?? 2;
  // Only Twilio's routes answer in TwiML, and they exist only when their plugins loaded the package.
  const twilio = () => createRequire(import.meta.url)('twilio') as typeof twilioLib;
  // Serialised once: a refusal is the cheapest answer the server gives, and under
  // overload it gives thousands a second.
  const retryAfterHeader = String(retryAfterS);
  const busyJson = Buffer.from(JSON.stringify({ code: 'OVERLOADED', message: 'BikeBot is busy; please try again in a moment.' } satisfies ErrorBody));
  const body = (req: FastifyRequest, reply: FastifyReply): string | Buffer => {
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
    reply.code(503).header('retry-after', retryAfterHeader).type('application/json; charset=utf-8');
    return busyJson;
  };

  const pacing = new RefusalPacing(retryAfterS * 1000);
  const busyHead = { 'retry-after': retryAfterHeader, 'content-type': 'application/json; charset=utf-8', 'content-length': String(busyJson.length) };
  const held = new HeldRefusals((res) => res.writeHead(503, busyHead).end(busyJson));
  app.addHook('preClose', async () => held.releaseAll());
  const refuse = (req: FastifyRequest, reply: FastifyReply, channel: string, why: ShedReason): FastifyReply => {
    opts.onShed?.(channel, why);
    req.shed = true;
    // Twilio does not hammer; its busy TwiML goes out at once.
    const hold = channel === 'sms' || channel === 'voice' ? 0 : pacing.hold(req);
    if (hold <= 0) return reply.send(body(req, reply));
    // Held: Fastify's part of the request ends here (hijacked, so no hook chain or
    // promise waits on it) and the 503 is written raw when its time comes. Fastify
    // still runs the onResponse hooks when it is written (metrics count it).
    reply.hijack();
    held.add(Date.now() + hold, reply.raw);
    return reply;
  };

  const lag = opts.maxEventLoopDelayMs > 0 ? await sustainedLag(app, opts.maxEventLoopDelayMs) : () => false;

  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  const turn = new LoopTurn(opts.turnClock ?? (() => performance.now()));
  const maxQueueDelayMs = opts.maxQueueDelayMs ?? 0;
  const impatientQueueDelayMs = Math.min(maxQueueDelayMs, opts.impatientQueueDelayMs ?? maxQueueDelayMs);
  app.decorateRequest('shed', false);
  app.addHook('onRequest', async (req, reply) => {
    const channel = req.routeOptions.config?.channel ?? 'other';
    if (channel === 'ops' || reply.sent) return;
    // Only requests read from a socket share turns; one injected in-process (tests,
    // app.inject) follows the last without the loop going round.
    const queued = req.raw.socket instanceof Socket ? turn.elapsed() : 0;
    const again = pacing.again(req);
    if (inFlight >= opts.maxInFlight) return refuse(req, reply, channel, 'in_flight');
    if (lag()) return refuse(req, reply, channel, 'event_loop_delay');
    // The web page's own files (channel "web") are served from memory in microseconds: a
    // browser asks for several at once, and refusing one for the wait a chat answer
    // caused in the same turn saves nothing and leaves the page without its script.
    if (maxQueueDelayMs > 0 && channel !== 'web') {
      const tight = pacing.impatient(req) || (again && held.size > inFlight);
      if (queued > (tight ? impatientQueueDelayMs : maxQueueDelayMs)) return refuse(req, reply, channel, 'queue_delay');
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
}

/**
 * Whether the event loop has lagged more than maxMs for two quarter-second windows in
 * a row, as measured by @fastify/under-pressure (the mean delay of each window). One
 * long task (a snapshot's index rebuilt, the start-up warm-up on a busy machine)
 * makes one bad window and sheds nothing; garbage-collection thrash or a starved
 * process makes many. A window with no sample at all (Infinity: one task held the
 * loop throughout) is not counted either way.
 */
async function sustainedLag(app: FastifyInstance, maxMs: number): Promise<() => boolean> {
  await app.register(underPressure, { sampleInterval: 250 });
  let seen = 0;
  let high = 0;
  const timer = setInterval(() => {
    const d = app.memoryUsage().eventLoopDelay;
    if (d === seen || d === Infinity) return; // the same window again, or none
    seen = d;
    high = d > maxMs ? high + 1 : 0;
  }, 100);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
  return () => high >= 2;
}

/**
 * The time since this event-loop turn read its first request. Requests read in
 * one turn run one after another; one read late in a long turn has waited for all
 * before it (and its client for the whole turn). A setImmediate, which runs just
 * after the turn's I/O callbacks, ends the turn.
 */
class LoopTurn {
  private start: number | null = null;
  constructor(private readonly clock: () => number) {}
  elapsed(): number {
    const now = this.clock();
    if (this.start === null) {
      this.start = now;
      setImmediate(() => {
        this.start = null;
      });
      return 0;
    }
    return now - this.start;
  }
}
