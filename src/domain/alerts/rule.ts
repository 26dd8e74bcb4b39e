import type { Station } from '../station.js';
import type { LocalClock } from './local-clock.js';

/**
 * An alert rule: one station, one condition, when it is watched and until when,
 * and where to say so. Saved places ("home") are resolved to their station when
 * the rule is made, so the engine only ever deals with station ids.
 */
export type Measure = 'bikes' | 'ebikes' | 'docks';

export type Condition =
  /** atLeast n: fires when the count rises to n or more; below n: when it falls under n. */
  | { kind: 'count'; measure: Measure; op: 'atLeast' | 'below'; n: number }
  /** Not installed, locked, not renting or not returning (TfL Installed/Locked; GBFS is_*). */
  | { kind: 'closed' }
  | { kind: 'reopened' };

/** Local days and hours a recurring rule is watched; days 0 = Sunday … 6 = Saturday. */
export interface Schedule {
  days: number[];
  /** Minutes after local midnight; fromMin > toMin wraps past midnight. */
  fromMin: number;
  toMin: number;
}

export type DeliveryChannel = 'sms' | 'web' | 'webhook';

export interface Delivery {
  channel: DeliveryChannel;
  /** SMS: the phone number; web: the device token; webhook: the owner id the integration knows. */
  to: string;
}

export interface AlertRule {
  /** `<owner>#<no>`: unique, and the owner's part keeps forget-me a prefix delete. */
  id: string;
  /** Who made it: `sms:<hashed number>`, `web:<device token>`, `api:<client id>`. */
  owner: string;
  /** 1, 2, 3 … per owner, for "cancel 2". */
  no: number;
  stationId: string;
  stationName: string;
  systemId: string;
  timezone: string;
  condition: Condition;
  recurring: boolean;
  /** Null: any time (one-shot rules; recurring with no days or hours said). */
  schedule: Schedule | null;
  createdAt: string;
  /** ISO; null only for recurring rules with no end said. */
  expiresAt: string | null;
  delivery: Delivery;
}

/** What an alert reads of a station: its counts and whether it serves (not where it is). */
export type StationState = Pick<Station, 'bikes' | 'ebikes' | 'emptyDocks' | 'installed' | 'locked' | 'renting' | 'returning' | 'closure'>;

/** The number a count condition watches; null when the feed does not say. */
export function measureOf(s: StationState, m: Measure): number | null {
  const v = m === 'bikes' ? s.bikes : m === 'ebikes' ? s.ebikes : s.emptyDocks;
  if (v === null) return null;
  // A closed station serves nothing, whatever its counters say; broken docks are never space.
  if (!s.installed || s.locked || s.closure) return 0;
  if (m === 'docks' ? !s.returning : !s.renting) return 0;
  return v;
}

export function isClosed(s: StationState): boolean {
  return !s.installed || s.locked || !s.renting || !s.returning || !!s.closure;
}

export function holds(c: Condition, s: Station): boolean {
  switch (c.kind) {
    case 'closed':
      return isClosed(s);
    case 'reopened':
      return !isClosed(s);
    case 'count': {
      const v = measureOf(s, c.measure);
      if (v === null) return false;
      return c.op === 'atLeast' ? v >= c.n : v < c.n;
    }
  }
}

/** Fires on the transition only: it did not hold before and holds now. */
export function fires(c: Condition, prev: Station, next: Station): boolean {
  // From "unknown" is not a transition: a count missing for one poll must not raise an alarm.
  if (c.kind === 'count' && measureOf(prev, c.measure) === null) return false;
  return holds(c, next) && !holds(c, prev);
}

export function inWindow(minutes: number, fromMin: number, toMin: number): boolean {
  if (fromMin === toMin) return true;
  return fromMin < toMin ? minutes >= fromMin && minutes < toMin : minutes >= fromMin || minutes < toMin;
}

/**
 * Is the rule watched at this instant (not expired, inside its days and hours)?
 * clockOf (LocalClocks.memo) lets one evaluation read the local clock once per zone, not once per rule.
 */
export function isActive(r: AlertRule, at: Date, clockOf: (timezone: string) => LocalClock): boolean {
  if (r.expiresAt !== null && at.getTime() >= Date.parse(r.expiresAt)) return false;
  if (!r.schedule) return true;
  const { day, minutes } = clockOf(r.timezone);
  const s = r.schedule;
  // A window past midnight belongs to the day it started on.
  const startedYesterday = s.fromMin > s.toMin && minutes < s.toMin;
  const d = startedYesterday ? (day + 6) % 7 : day;
  return s.days.includes(d) && inWindow(minutes, s.fromMin, s.toMin);
}

export function isExpired(r: AlertRule, at: Date): boolean {
  return r.expiresAt !== null && at.getTime() >= Date.parse(r.expiresAt);
}
