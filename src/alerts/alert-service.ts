import { createHash } from 'node:crypto';
import { alertText, conditionPhrase } from '../domain/alerts/describe.js';
import { LocalClocks } from '../domain/alerts/local-clock.js';
import { changedStations, RuleIndex, type Firing } from '../domain/alerts/rule-index.js';
import { isClosed, isExpired, type AlertRule } from '../domain/alerts/rule.js';
import type { Snapshot, Station } from '../domain/station.js';
import { AlertStore, emptyProfile, type Profile } from './alert-store.js';
import type { DeliveryRecord } from './delivery.js';
import type { Outbox } from './outbox.js';
import type { KvStore } from '../store/kv-store.js';

export interface AlertServiceOptions {
  kv: KvStore;
  outbox: Outbox;
  now?: () => Date;
  /** Local clocks (formatters per zone), shared with the outbox; default: its own. */
  clocks?: LocalClocks;
  /** Which delivery channels can actually send (SMS needs Twilio credentials, webhook a URL). */
  channels: ReadonlySet<DeliveryRecord['channel']>;
  onError?: (e: unknown, what: string) => void;
  /** Snapshot evaluated: how many stations changed and rules fired, and how long it took. */
  onEvaluated?: (feedId: string, changed: number, fired: number, ms: number) => void;
}

export interface EvaluateResult {
  changed: number;
  firings: Firing[];
  enqueued: number;
}

/**
 * The alert engine: rules indexed by station in memory (and kept in the store),
 * each new snapshot diffed against the previous one of its feed, firings turned
 * into outbox deliveries. Snapshots are evaluated one at a time, in order.
 */
export class AlertService {
  readonly rules = new RuleIndex();
  readonly store: AlertStore;
  /** Schedules, confirmations and alert texts read local clocks through this one value. */
  readonly clocks: LocalClocks;
  private readonly last = new Map<string, Map<string, Station>>();
  private readonly now: () => Date;
  private chain: Promise<unknown> = Promise.resolve();
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: AlertServiceOptions) {
    this.store = new AlertStore(opts.kv);
    this.now = opts.now ?? (() => new Date());
    this.clocks = opts.clocks ?? new LocalClocks();
  }

  get channels(): ReadonlySet<DeliveryRecord['channel']> {
    return this.opts.channels;
  }

  /** Load stored rules and resume pending deliveries; sweep expired rules now and then. */
  async start(): Promise<void> {
    for (const r of await this.store.loadRules()) this.rules.add(r);
    await this.sweep();
    await this.opts.outbox.resume();
    this.sweepTimer = setInterval(() => void this.sweep().catch((e) => this.opts.onError?.(e, 'sweeping expired alerts')), 5 * 60_000);
    this.sweepTimer.unref?.();
  }

  /** The "before" for the next snapshot of this feed, without firing (a restored snapshot). */
  prime(s: Snapshot): void {
    if (!this.last.has(s.feedId)) this.last.set(s.feedId, byId(s.stations));
  }

  /** Diff against the feed's previous snapshot, enqueue what fired. Serialised per process. */
  onSnapshot(s: Snapshot): Promise<EvaluateResult> {
    const run = this.chain.then(() => this.evaluate(s));
    this.chain = run.catch((e) => this.opts.onError?.(e, 'evaluating alerts'));
    return run;
  }

  /** Resolves once every snapshot handed in so far is evaluated and what was due is sent. */
  async settled(): Promise<void> {
    await this.chain.catch(() => {});
    await this.opts.outbox.idle();
  }

  async evaluate(s: Snapshot): Promise<EvaluateResult> {
    const t0 = performance.now();
    const prev = this.last.get(s.feedId);
    this.last.set(s.feedId, byId(s.stations));
    if (!prev) return { changed: 0, firings: [], enqueued: 0 };
    const changed = changedStations(prev, s.stations);
    const firings: Firing[] = [];
    const now = this.now();
    const clockOf = this.clocks.memo(now);
    for (const [p, q] of changed) this.rules.firingAt(p, q, now, firings, clockOf);
    const texts = clockTexts(this.clocks);
    const enqueued = await this.opts.outbox.enqueueMany(firings.map((f) => this.delivery(f, now, texts)));
    // One-shot rules are done once their delivery is persisted: all removed at once
    // (one SQLite commit, one Redis round of writes), not a commit each.
    const done = firings.filter((f) => !f.rule.recurring).map((f) => f.rule.id);
    if (done.length > 0) await this.removeRules(done);
    if (enqueued > 0) this.opts.outbox.kick();
    this.opts.onEvaluated?.(s.feedId, changed.length, firings.length, performance.now() - t0);
    return { changed: changed.length, firings, enqueued };
  }

  delivery(f: Firing, now: Date, texts: (iso: string, tz: string) => string = (iso, tz) => this.clocks.hhmm(iso, tz)): DeliveryRecord {
    const { rule: r, station: s } = f;
    const dedupe = `${r.id}|${s.id}|${s.asOf ?? 'unknown'}`;
    const text = alertText(r, s, texts);
    return {
      v: 1,
      id: createHash('sha256').update(dedupe).digest('base64url').slice(0, 24),
      owner: r.owner,
      channel: r.delivery.channel,
      to: r.delivery.to,
      text,
      payload: {
        type: 'alert',
        ruleId: r.id,
        ruleNo: r.no,
        owner: r.owner,
        stationId: s.id,
        stationName: s.name,
        condition: conditionPhrase(r.condition),
        bikes: s.bikes,
        ebikes: s.ebikes,
        emptyDocks: s.emptyDocks,
        closed: isClosed(s),
        observedAt: s.asOf,
        text,
      },
      timezone: r.timezone,
      quietApplies: r.recurring && r.schedule === null,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now.getTime(),
      createdAt: now.toISOString(),
    };
  }

  async sweep(): Promise<number> {
    const now = this.now();
    const dead = [...this.rules.all()].filter((r) => isExpired(r, now)).map((r) => r.id);
    if (dead.length > 0) await this.removeRules(dead);
    return dead.length;
  }

  // ---- what the dialog uses (AlertsPort) ----

  async profile(owner: string): Promise<Profile> {
    return (await this.store.profile(owner)) ?? emptyProfile(owner);
  }

  saveProfile(p: Profile): Promise<void> {
    return this.store.saveProfile(p);
  }

  rulesOf(owner: string): AlertRule[] {
    const out: AlertRule[] = [];
    for (const r of this.rules.all()) if (r.owner === owner && !isExpired(r, this.now())) out.push(r);
    return out.sort((a, b) => a.no - b.no);
  }

  /** Numbers the rule, stores it, indexes it. */
  async addRule(draft: Omit<AlertRule, 'id' | 'no'>): Promise<AlertRule> {
    const p = await this.profile(draft.owner);
    const no = p.nextNo;
    const rule: AlertRule = { ...draft, id: `${draft.owner}#${no}`, no };
    await this.saveProfile({ ...p, nextNo: no + 1 });
    await this.store.saveRule(rule);
    this.rules.add(rule);
    return rule;
  }

  async removeRule(id: string): Promise<void> {
    this.rules.remove(id);
    await this.store.deleteRule(id);
  }

  private async removeRules(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.rules.remove(id);
    await Promise.all(ids.map((id) => this.store.deleteRule(id)));
  }

  /** Everything of one owner: rules, saved stations, deliveries (sent or not), counters. */
  async forget(owner: string): Promise<number> {
    for (const r of this.rulesOf(owner)) this.rules.remove(r.id);
    for (const r of [...this.rules.all()]) if (r.owner === owner) this.rules.remove(r.id);
    this.opts.outbox.dropOwner(owner);
    const keys = await this.store.ownerKeys(owner);
    for (const k of keys) await this.opts.kv.delete(k);
    return keys.length;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.chain.catch(() => {});
    await this.opts.outbox.close();
  }
}

/** "10:00" for an observation time, formatted once per (time, zone) in one evaluation. */
function clockTexts(clocks: LocalClocks): (iso: string, tz: string) => string {
  const seen = new Map<string, string>();
  return (iso, tz) => {
    const k = `${tz}|${iso}`;
    let t = seen.get(k);
    if (t === undefined) seen.set(k, (t = clocks.hhmm(iso, tz)));
    return t;
  };
}

function byId(stations: readonly Station[]): Map<string, Station> {
  const m = new Map<string, Station>();
  for (const s of stations) m.set(s.id, s);
  return m;
}
