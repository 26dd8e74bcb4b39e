import type { Station } from '../station.js';
import type { LocalClock, LocalClocks } from './local-clock.js';
import { fires, isActive, measureOf, type AlertRule, type Measure } from './rule.js';

/**
 * Rules indexed by station, and count rules further by measure and direction,
 * sorted by threshold. A count rule "atLeast n" fires when the value goes from
 * p to q with p < n ≤ q, so the rules that fire are one contiguous run found by
 * binary search: a change at k stations costs O(k log r + rules that fire),
 * never a scan of all rules.
 */
interface Bucket {
  atLeast: Record<Measure, AlertRule[]>;
  below: Record<Measure, AlertRule[]>;
  other: AlertRule[];
}

function emptyBucket(): Bucket {
  return { atLeast: { bikes: [], ebikes: [], docks: [] }, below: { bikes: [], ebikes: [], docks: [] }, other: [] };
}

/** First position whose threshold is > x (upper bound). */
function upper(list: AlertRule[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (thresholdOf(list[mid]) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function thresholdOf(r: AlertRule): number {
  return r.condition.kind === 'count' ? r.condition.n : 0;
}

export interface Firing {
  rule: AlertRule;
  station: Station;
}

export class RuleIndex {
  private readonly byStation = new Map<string, Bucket>();
  private readonly byId = new Map<string, AlertRule>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): AlertRule | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<AlertRule> {
    return this.byId.values();
  }

  add(r: AlertRule): void {
    if (this.byId.has(r.id)) this.remove(r.id);
    this.byId.set(r.id, r);
    let b = this.byStation.get(r.stationId);
    if (!b) this.byStation.set(r.stationId, (b = emptyBucket()));
    const list = this.listFor(b, r);
    list.splice(upper(list, thresholdOf(r)), 0, r);
  }

  remove(id: string): AlertRule | undefined {
    const r = this.byId.get(id);
    if (!r) return undefined;
    this.byId.delete(id);
    const b = this.byStation.get(r.stationId);
    if (b) {
      const list = this.listFor(b, r);
      const i = list.indexOf(r);
      if (i >= 0) list.splice(i, 1);
    }
    return r;
  }

  private listFor(b: Bucket, r: AlertRule): AlertRule[] {
    const c = r.condition;
    return c.kind === 'count' ? (c.op === 'atLeast' ? b.atLeast[c.measure] : b.below[c.measure]) : b.other;
  }

  /** Rules on one station whose condition became true between prev and next and that are watched now. */
  firingAt(prev: Station, next: Station, now: Date, out: Firing[], clockOf: (tz: string) => LocalClock): void {
    const b = this.byStation.get(next.id);
    if (!b) return;
    for (const m of ['bikes', 'ebikes', 'docks'] as const) {
      const p = measureOf(prev, m);
      const q = measureOf(next, m);
      if (p === null || q === null || p === q) continue;
      if (q > p) {
        // atLeast n fires for p < n ≤ q.
        const list = b.atLeast[m];
        for (let i = upper(list, p); i < list.length && thresholdOf(list[i]) <= q; i++) push(list[i], next, now, out, clockOf);
      } else {
        // below n fires for q < n ≤ p.
        const list = b.below[m];
        for (let i = upper(list, q); i < list.length && thresholdOf(list[i]) <= p; i++) push(list[i], next, now, out, clockOf);
      }
    }
    for (const r of b.other) if (fires(r.condition, prev, next)) push(r, next, now, out, clockOf);
  }
}

function push(rule: AlertRule, station: Station, now: Date, out: Firing[], clockOf: (tz: string) => LocalClock): void {
  if (isActive(rule, now, clockOf)) out.push({ rule, station });
}

/** Did anything an alert can watch change at this station? */
export function watchedChange(a: Station, b: Station): boolean {
  return a.bikes !== b.bikes || a.ebikes !== b.ebikes || a.emptyDocks !== b.emptyDocks || a.installed !== b.installed || a.locked !== b.locked || a.renting !== b.renting || a.returning !== b.returning || !a.closure !== !b.closure;
}

/**
 * The stations of `next` that changed since `prev` (same feed). Stations new in
 * `next` have no "before", so nothing can be said to have changed there.
 */
export function changedStations(prev: ReadonlyMap<string, Station>, next: readonly Station[]): Array<[Station, Station]> {
  const out: Array<[Station, Station]> = [];
  for (const s of next) {
    const p = prev.get(s.id);
    if (p && watchedChange(p, s)) out.push([p, s]);
  }
  return out;
}

/** The baseline the benchmark compares against: every rule checked on every snapshot. */
export function naiveFirings(rules: Iterable<AlertRule>, prev: ReadonlyMap<string, Station>, next: ReadonlyMap<string, Station>, now: Date, clocks: LocalClocks): Firing[] {
  const out: Firing[] = [];
  const clockOf = clocks.memo(now);
  for (const r of rules) {
    const p = prev.get(r.stationId);
    const q = next.get(r.stationId);
    if (p && q && fires(r.condition, p, q)) push(r, q, now, out, clockOf);
  }
  return out;
}
