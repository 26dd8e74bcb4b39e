import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient.js';
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
class BaseUrlRequestClient extends RequestClient {
  constructor(
    private readonly base: URL,
    opts: RequestClient.RequestClientOptions,
  ) {
    super(opts);
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const u = new URL(opts.uri);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const rewritten = new URL(prefix + u.pathname + u.search, this.base.origin);
    return super.request({ ...opts, uri: rewritten.href });
  }
}

/** SMS out through Twilio's Messages API, with the official `twilio` package. */
export function twilioSender(opts: TwilioSenderOptions): Sender {
  const timeout = opts.timeoutMs ?? 10_000;
  const base = opts.apiUrl && opts.apiUrl !== TWILIO_API_URL ? new URL(opts.apiUrl) : null;
  // env: {} so the client never picks up TWILIO_* from the environment behind config's back.
  const client = twilio(opts.accountSid, opts.authToken, {
    timeout,
    env: {},
    ...(base ? { httpClient: new BaseUrlRequestClient(base, { timeout }) } : {}),
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
