import type { DeliveryChannel } from '../domain/alerts/rule.js';

/** One alert on its way to one recipient, as persisted in the outbox. */
export interface DeliveryRecord {
  v: 1;
  /** sha256 of the dedupe key (rule, station, observation time), shortened. */
  id: string;
  owner: string;
  channel: DeliveryChannel;
  to: string;
  text: string;
  payload: AlertPayload;
  /** IANA zone the rule's quiet hours and daily count are reckoned in. */
  timezone: string;
  /** Quiet hours hold back only recurring rules without hours of their own. */
  quietApplies: boolean;
  state: 'pending' | 'sent' | 'suppressed' | 'failed';
  reason?: string;
  attempts: number;
  nextAttemptAt: number;
  createdAt: string;
}

/** What the web page, the webhook and the logs get: the alert as data. */
export interface AlertPayload {
  type: 'alert';
  ruleId: string;
  ruleNo: number;
  owner: string;
  stationId: string;
  stationName: string;
  condition: string;
  bikes: number | null;
  ebikes: number | null;
  emptyDocks: number | null;
  closed: boolean;
  /** When the feed observed these counts (TfL `modified`, GBFS `last_reported`). */
  observedAt: string | null;
  text: string;
}

/**
 * The stored form of a delivery: one positional JSON array, without what its key
 * already says (observation time, owner, digest) or what repeats (the text in the
 * payload, the rule id = owner#no). An evaluation writes hundreds of these in one
 * transaction, and the bytes written are most of its cost: this is ~40% of the
 * plain record's size.
 */
export function encodeDelivery(d: DeliveryRecord): string {
  const p = d.payload;
  return JSON.stringify([2, d.channel, d.to, d.text, d.timezone, d.quietApplies ? 1 : 0, d.state, d.reason ?? null, d.attempts, d.nextAttemptAt, d.createdAt, p.ruleNo, p.stationId, p.stationName, p.condition, p.bikes, p.ebikes, p.emptyDocks, p.closed ? 1 : 0]);
}

/** A stored delivery back from its key's parts and value; null when it is not one. */
export function decodeDelivery(parts: { owner: string; id: string; observedAt: string | null }, raw: string | null): DeliveryRecord | null {
  if (raw === null) return null;
  let a: unknown;
  try {
    a = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!Array.isArray(a) || a[0] !== 2 || a.length !== 19) return null;
  const [, channel, to, text, timezone, quiet, state, reason, attempts, nextAttemptAt, createdAt, ruleNo, stationId, stationName, condition, bikes, ebikes, emptyDocks, closed] = a as [
    2, DeliveryChannel, string, string, string, number, DeliveryRecord['state'], string | null, number, number, string, number, string, string, string, number | null, number | null, number | null, number,
  ];
  const { owner, id, observedAt } = parts;
  return {
    v: 1, id, owner, channel, to, text, timezone, quietApplies: quiet === 1, state, ...(reason !== null ? { reason } : {}), attempts, nextAttemptAt, createdAt,
    payload: { type: 'alert', ruleId: `${owner}#${ruleNo}`, ruleNo, owner, stationId, stationName, condition, bikes, ebikes, emptyDocks, closed: closed === 1, observedAt, text },
  };
}

/** Thrown by a sender; retryable errors are tried again with back-off. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface Sender {
  send(d: DeliveryRecord): Promise<void>;
}

/**
 * Has this number texted STOP? The SMS webhook's own list answers
 * (src/channels/opt-out-list.ts, handed in by app.ts): one reader of it, so the
 * alerts can never disagree with the replies about who opted out.
 */
export interface OptOutCheck {
  isOptedOut(phone: string): Promise<boolean>;
}
