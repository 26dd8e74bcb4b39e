import { createRequire } from 'node:module';
import type twilioLib from 'twilio';
import type RequestClientLib from 'twilio/lib/base/RequestClient.js';
import { SendError, type DeliveryRecord, type Sender } from './delivery.js';

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164) or Messaging Service SID (MG…). */
  from: string;
  /** Base URL of the REST API; default Twilio's. Tests point it at a loopback stand-in. */
  apiUrl?: string | null;
  timeoutMs?: number;
}

export const TWILIO_API_URL = 'https://api.twilio.com';

/**
 * The official client's RequestClient, sending to another base URL: the library
 * builds https://api.twilio.com/2010-04-01/… itself, and only the origin changes.
 */
function baseUrlRequestClient(RequestClient: typeof RequestClientLib, base: URL, opts: RequestClientLib.RequestClientOptions): RequestClientLib {
  class BaseUrlRequestClient extends RequestClient {
    override request<T>(o: RequestClientLib.RequestOptions<T>) {
      const u = new URL(o.uri);
      const prefix = base.pathname.replace(/\/+$/, '');
      const rewritten = new URL(prefix + u.pathname + u.search, base.origin);
      return super.request({ ...o, uri: rewritten.href });
    }
  }
  return new BaseUrlRequestClient(opts);
}

/**
 * SMS out through Twilio's Messages API, with the official `twilio` package. The
 * package takes most of a second to load: only a server that sends SMS loads it,
 * when the sender is built.
 */
export function twilioSender(opts: TwilioSenderOptions): Sender {
  const require = createRequire(import.meta.url);
  const twilio = require('twilio') as typeof twilioLib;
  const RequestClient = require('twilio/lib/base/RequestClient.js') as typeof RequestClientLib;
  const timeout = opts.timeoutMs ?? 10_000;
  const base = opts.apiUrl && opts.apiUrl !== TWILIO_API_URL ? new URL(opts.apiUrl) : null;
  // env: {} so the client never picks up TWILIO_* from the environment behind config's back.
  const client = twilio(opts.accountSid, opts.authToken, {
    timeout,
    env: {},
    ...(base ? { httpClient: baseUrlRequestClient(RequestClient, base, { timeout }) } : {}),
  } as Parameters<typeof twilio>[2]);
  const isService = opts.from.startsWith('MG');
  return {
    async send(d: DeliveryRecord) {
      try {
        await client.messages.create({ to: d.to, body: d.text, ...(isService ? { messagingServiceSid: opts.from } : { from: opts.from }) });
      } catch (e) {
        const err = e as { status?: number; code?: number; message?: string };
        const status = typeof err.status === 'number' ? err.status : 0;
        // 4xx but 429 is a refusal (bad number, unsubscribed recipient 21610): trying again cannot help.
        const retryable = status === 0 || status === 429 || status >= 500;
        throw new SendError(`twilio ${status || 'network'}${err.code ? ` ${err.code}` : ''}: ${err.message ?? 'failed'}`, retryable);
      }
    },
  };
}
