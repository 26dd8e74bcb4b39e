import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { createRequire } from 'node:module';
import type twilioLib from 'twilio';
import { sendError } from './http-errors.js';

export interface TwilioOptions {
  authToken: string;
  /** Public base URL Twilio calls (https://bikebot.example.org); null: rebuilt from Host / X-Forwarded-*. */
  publicUrl: string | null;
}

/**
 * The URL Twilio signed: the configured public URL plus the path and query, or,
 * behind a proxy with no URL configured, what X-Forwarded-Proto/Host say it was.
 */
export function signedUrl(req: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '') + req.url;
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim() || undefined;
  const proto = first(req.headers['x-forwarded-proto']) ?? req.protocol;
  const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? req.hostname;
  return `${proto}://${host}${req.url}`;
}

/** Twilio's form parameters a webhook reads; Twilio sends many more, all kept. */
export function twilioForm(fields: Record<string, string>) {
  return {
    type: 'object',
    additionalProperties: true,
    properties: Object.fromEntries(Object.entries(fields).map(([k, description]) => [k, { type: 'string', description }])),
  } as const;
}

/** The 200 answer of a Twilio webhook: TwiML for Twilio to carry out. */
export const TWIML_RESPONSE = { description: 'TwiML', content: { 'text/xml': { schema: { type: 'string' } } } } as const;

/** Rejects, with 403, any request not signed with our auth token for exactly this URL and body. */
export function twilioSignatureCheck(opts: TwilioOptions): preHandlerAsyncHookHandler {
  // The twilio package takes most of a second to load: a server loads it with the first webhook, not at start.
  let validateRequest: typeof twilioLib.validateRequest | null = null;
  return async function checkSignature(req: FastifyRequest, reply: FastifyReply) {
    validateRequest ??= (createRequire(import.meta.url)('twilio') as typeof twilioLib).validateRequest;
    const signature = req.headers['x-twilio-signature'];
    const params = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const ok = typeof signature === 'string' && signature !== '' && validateRequest(opts.authToken, signature, signedUrl(req, opts.publicUrl), params);
    if (!ok) {
      req.log.warn({ signed: typeof signature === 'string' }, 'twilio signature rejected');
      return sendError(reply, 403, 'UNAUTHORIZED', 'Missing or invalid X-Twilio-Signature.');
    }
  };
}

/**
 * Phone numbers never reach logs or session keys: a keyed hash stands in for them.
 * Keyed (HMAC), because a plain hash of a phone number can be reversed by trying
 * every number.
 */
export function senderKey(secret: string, sender: string): string {
  return createHmac('sha256', secret).update(sender.replace(/[^\d+a-z:]/gi, '')).digest('base64url').slice(0, 22);
}

/** Form fields arrive as string or string[]; Twilio sends each once. */
export function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function sendTwiml(reply: FastifyReply, twiml: { toString(): string }): FastifyReply {
  return reply.code(200).type('text/xml; charset=utf-8').send(twiml.toString());
}
