import { hash } from 'node:crypto';
import { alertText, conditionPhrase } from '../domain/alerts/describe.js';
import type { Firing } from '../domain/alerts/rule-index.js';
import { isClosed, type Condition, type DeliveryChannel, type Measure, type StationState } from '../domain/alerts/rule.js';
import { outboxKey } from './alert-store.js';

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
  /**
   * What the text and the payload say, which is what is stored (format 3); the
   * text is rendered from it whenever the delivery is read back. Absent on a
   * record stored before (format 2), whose text was stored as it is.
   */
  facts?: AlertFacts;
}

/** What an alert's text is rendered from: the rule's condition and the station as observed (the time is in the key). */
export interface AlertFacts {
  condition: Condition;
  recurring: boolean;
  station: StationState & { name: string };
}

/** "08:20" for an observation time in a zone (LocalClocks.hhmm, memoised for a pass over many). */
export type ClockText = (iso: string, timezone: string) => string;

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
 * A delivery as the engine writes it: its outbox key, its stored value and what
 * the outbox keeps in memory while it is pending. Made straight from a firing,
 * with no text: an evaluation makes thousands of these at once, and rendering,
 * allocating and writing the text of each cost more than the rest of the record.
 */
export interface NewDelivery {
  key: string;
  value: string;
  id: string;
  owner: string;
  observedAt: string | null;
  nextAttemptAt: number;
}

/**
 * The delivery for one firing, persisted before anything is sent. Its id is a
 * digest of the dedupe key (rule, station, observation time), so a replayed
 * snapshot makes the same key and its claim fails.
 */
export function firedDelivery(f: Firing, nowMs: number, feedAsOf: string | null): NewDelivery {
  const { rule: r, station: s } = f;
  const observed = observedAt(f, feedAsOf);
  // One-shot hash(): no Hash object per delivery, thousands of which fire at once.
  const id = hash('sha256', `${r.id}|${s.id}|${observed ?? 'unknown'}`, 'base64url').slice(0, 24);
  const value = JSON.stringify([
    3, r.delivery.channel, r.delivery.to, r.timezone, r.recurring && r.schedule === null ? 1 : 0, 'pending', null, 0, nowMs, nowMs,
    r.no, r.recurring ? 1 : 0, conditionCode(r.condition), s.id, s.name, s.bikes, s.ebikes, s.emptyDocks, stateBits(s), s.closure ? [s.closure.until, s.closure.note] : null,
  ]);
  return { key: outboxKey({ owner: r.owner, id, payload: { observedAt: observed } }), value, id, owner: r.owner, observedAt: observed, nextAttemptAt: nowMs };
}

/**
 * When the feed observed what fired: the station's counts time, as for every alert;
 * for a closure announced by the operator, its own time when that is later (a
 * station's last report can be hours old, and two closures between the same two
 * reports must not share a dedupe key); the feed's time for a station with none.
 */
function observedAt(f: Firing, feedAsOf: string | null): string | null {
  const own = f.station.asOf;
  const since = f.rule.condition.kind === 'closed' ? (f.station.closure?.since ?? null) : null;
  if (since !== null && (own === null || Date.parse(since) > Date.parse(own))) return since;
  return own ?? feedAsOf;
}

/**
 * The stored form of a delivery (format 3): one positional JSON array, without
 * what its key already says (observation time, owner, digest) and without the
 * text, which is rendered from the facts when the delivery is read back to be
 * sent. An evaluation writes thousands of these in one transaction, and the
 * bytes written are much of its cost. A record of format 2 (the text stored as
 * it is) is written back as it was read.
 */
export function encodeDelivery(d: DeliveryRecord): string {
  const p = d.payload;
  const f = d.facts;
  if (!f) {
    return JSON.stringify([2, d.channel, d.to, d.text, d.timezone, d.quietApplies ? 1 : 0, d.state, d.reason ?? null, d.attempts, d.nextAttemptAt, d.createdAt, p.ruleNo, p.stationId, p.stationName, p.condition, p.bikes, p.ebikes, p.emptyDocks, p.closed ? 1 : 0]);
  }
  const s = f.station;
  return JSON.stringify([
    3, d.channel, d.to, d.timezone, d.quietApplies ? 1 : 0, d.state, d.reason ?? null, d.attempts, d.nextAttemptAt, Date.parse(d.createdAt),
    p.ruleNo, f.recurring ? 1 : 0, conditionCode(f.condition), p.stationId, s.name, s.bikes, s.ebikes, s.emptyDocks, stateBits(s), s.closure ? [s.closure.until, s.closure.note] : null,
  ]);
}

/** A stored delivery back from its key's parts and value, its text rendered; null when it is not one. */
export function decodeDelivery(parts: { owner: string; id: string; observedAt: string | null }, raw: string | null, clockText: ClockText): DeliveryRecord | null {
  if (raw === null) return null;
  let a: unknown;
  try {
    a = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!Array.isArray(a)) return null;
  const { owner, id, observedAt } = parts;
  if (a[0] === 3 && a.length === 20) {
    const [, channel, to, timezone, quiet, state, reason, attempts, nextAttemptAt, createdAt, ruleNo, recurring, code, stationId, name, bikes, ebikes, emptyDocks, bits, closure] = a as [
      3, DeliveryChannel, string, string, number, DeliveryRecord['state'], string | null, number, number, number, number, number, string, string, string, number | null, number | null, number | null, number, [string | null, string | null] | null,
    ];
    const condition = conditionOf(code);
    if (!condition) return null;
    const station: AlertFacts['station'] = {
      name, bikes, ebikes, emptyDocks, installed: (bits & 1) !== 0, locked: (bits & 2) !== 0, renting: (bits & 4) !== 0, returning: (bits & 8) !== 0,
      closure: closure ? { until: closure[0], note: closure[1], since: null } : null,
    };
    const facts: AlertFacts = { condition, recurring: recurring === 1, station };
    const text = alertText({ condition, recurring: facts.recurring, timezone }, { ...station, asOf: observedAt }, clockText);
    return {
      v: 1, id, owner, channel, to, text, timezone, quietApplies: quiet === 1, state, ...(reason !== null ? { reason } : {}), attempts, nextAttemptAt, createdAt: new Date(createdAt).toISOString(), facts,
      payload: { type: 'alert', ruleId: `${owner}#${ruleNo}`, ruleNo, owner, stationId, stationName: name, condition: conditionPhrase(condition), bikes, ebikes, emptyDocks, closed: isClosed(station), observedAt, text },
    };
  }
  if (a[0] !== 2 || a.length !== 19) return null;
  const [, channel, to, text, timezone, quiet, state, reason, attempts, nextAttemptAt, createdAt, ruleNo, stationId, stationName, condition, bikes, ebikes, emptyDocks, closed] = a as [
    2, DeliveryChannel, string, string, string, number, DeliveryRecord['state'], string | null, number, number, string, number, string, string, string, number | null, number | null, number | null, number,
  ];
  return {
    v: 1, id, owner, channel, to, text, timezone, quietApplies: quiet === 1, state, ...(reason !== null ? { reason } : {}), attempts, nextAttemptAt, createdAt,
    payload: { type: 'alert', ruleId: `${owner}#${ruleNo}`, ruleNo, owner, stationId, stationName, condition, bikes, ebikes, emptyDocks, closed: closed === 1, observedAt, text },
  };
}

/** Installed, locked, renting and returning as bits 1, 2, 4 and 8 (an announced closure is stored beside them). */
function stateBits(s: StationState): number {
  return (s.installed ? 1 : 0) | (s.locked ? 2 : 0) | (s.renting ? 4 : 0) | (s.returning ? 8 : 0);
}

/** "bikes>=3", "docks<1", "closed", "reopened": a condition in a few bytes. */
function conditionCode(c: Condition): string {
  return c.kind === 'count' ? `${c.measure}${c.op === 'atLeast' ? '>=' : '<'}${c.n}` : c.kind;
}

function conditionOf(code: string): Condition | null {
  if (code === 'closed' || code === 'reopened') return { kind: code };
  const m = /^(bikes|ebikes|docks)(>=|<)(\d+)$/.exec(code);
  return m ? { kind: 'count', measure: m[1] as Measure, op: m[2] === '>=' ? 'atLeast' : 'below', n: Number(m[3]) } : null;
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
