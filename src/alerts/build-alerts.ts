import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { LocalClocks } from '../domain/alerts/local-clock.js';
import type { DeliveryChannel } from '../domain/alerts/rule.js';
import { hasCoordination } from '../store/coordination.js';
import type { KvStore } from '../store/kv-store.js';
import { USER_AGENT } from '../version.js';
import { AlertService, type AlertServiceOptions } from './alert-service.js';
import type { OptOutCheck, Sender } from './delivery.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { SseHub } from './sse-hub.js';
import { twilioSender } from './twilio-sender.js';
import { webhookSender } from './webhook-sender.js';

/** The Redis channel rule changes travel on between replicas. */
export const RULES_CHANNEL = 'alert-rules';

export interface Alerts {
  service: AlertService;
  sse: SseHub;
}

/**
 * Senders from config: SMS needs the account SID, auth token and sender; webhook its
 * URL and secret; the web page always. optOuts: the SMS webhook's STOP list.
 */
export function buildAlerts(cfg: Config, kv: KvStore, logger: Logger, optOuts: OptOutCheck, extra: Pick<OutboxOptions, 'beforeSend'> & Pick<AlertServiceOptions, 'beforeEnqueue'> = {}): Alerts {
  const sse = new SseHub();
  const senders: Partial<Record<DeliveryChannel, Sender>> = { web: sse };
  if (cfg.twilioAccountSid && cfg.twilioAuthToken && cfg.twilioFrom) {
    senders.sms = twilioSender({ accountSid: cfg.twilioAccountSid, authToken: cfg.twilioAuthToken, from: cfg.twilioFrom, apiUrl: cfg.twilioApiUrl, timeoutMs: cfg.requestTimeoutS * 1000 });
  }
  if (cfg.alertWebhookUrl && cfg.alertWebhookSecret) {
    senders.webhook = webhookSender({ url: cfg.alertWebhookUrl, secret: cfg.alertWebhookSecret, userAgent: USER_AGENT, timeoutMs: cfg.requestTimeoutS * 1000 });
  }
  const clocks = new LocalClocks();
  const outbox = new Outbox({
    kv,
    clocks,
    senders,
    optOuts,
    policy: { dailyLimit: cfg.alertDailyLimit, quietHours: cfg.alertQuietHours },
    // Owners are hashed numbers or tokens; the text and the number itself stay out of the logs.
    onEvent: (what, d, detail) => logger[what === 'failed' ? 'warn' : 'info']({ delivery: d.id, channel: d.channel, owner: d.owner, attempts: d.attempts, detail }, `alert ${what}`),
    ...(extra.beforeSend ? { beforeSend: extra.beforeSend } : {}),
  });
  const service = new AlertService({
    kv,
    clocks,
    // Replicas on one Redis: rules set on any of them reach the one evaluating.
    ...(hasCoordination(kv) ? { bus: { publish: (m: string) => kv.publish(RULES_CHANNEL, m), subscribe: (h: (m: string) => void) => kv.subscribe(RULES_CHANNEL, h) } } : {}),
    outbox,
    ...(extra.beforeEnqueue ? { beforeEnqueue: extra.beforeEnqueue } : {}),
    channels: new Set(Object.keys(senders) as DeliveryChannel[]),
    onError: (e, what) => logger.error({ err: e instanceof Error ? e.message : String(e) }, `failed ${what}`),
    onEvaluated: (feedId, changed, fired, ms) => {
      if (fired > 0) logger.info({ feed: feedId, changed, fired, ms: Math.round(ms * 10) / 10 }, 'alerts evaluated');
    },
  });
  return { service, sse };
}
