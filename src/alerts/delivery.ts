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

/** Is this number/owner opted out of SMS (STOP)? Swappable for the persistent list. */
export interface OptOutList {
  isOptedOut(owner: string, to: string): Promise<boolean>;
}
