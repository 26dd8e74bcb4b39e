import { createHmac, timingSafeEqual } from 'node:crypto';
import { SendError, type DeliveryRecord, type Sender } from './delivery.js';

export interface WebhookOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  userAgent?: string;
}

/** sha256=<hex HMAC of "<timestamp>.<body>">: the timestamp is signed so a captured request cannot be replayed later. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function verifyWebhookSignature(secret: string, timestamp: string, body: string, signature: string): boolean {
  const want = Buffer.from(webhookSignature(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * POSTs the alert as JSON to one URL (Home Assistant, scripts), signed with the
 * shared secret. X-BikeBot-Delivery is stable across retries, so a receiver can
 * drop a repeat.
 */
export function webhookSender(opts: WebhookOptions, now: () => number = Date.now): Sender {
  return {
    async send(d: DeliveryRecord) {
      const body = JSON.stringify({ ...d.payload, deliveryId: d.id, to: d.to });
      const ts = String(Math.floor(now() / 1000));
      let res: Response;
      try {
        res = await fetch(opts.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': opts.userAgent ?? 'BikeBot',
            'x-bikebot-delivery': d.id,
            'x-bikebot-timestamp': ts,
            'x-bikebot-signature': webhookSignature(opts.secret, ts, body),
          },
          body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        await res.arrayBuffer().catch(() => undefined);
      } catch (e) {
        throw new SendError(`webhook: ${(e as Error).message}`, true);
      }
      if (res.ok) return;
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new SendError(`webhook answered ${res.status}`, retryable);
    },
  };
}
