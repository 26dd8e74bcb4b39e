import { randomBytes } from 'node:crypto';
import { LocalClocks } from '../domain/alerts/local-clock.js';
import { changedStations, RuleIndex, type Firing } from '../domain/alerts/rule-index.js';
import { isExpired, type AlertRule } from '../domain/alerts/rule.js';
import type { Snapshot, Station } from '../domain/station.js';
import { AlertStore, emptyProfile, parseJson, RULE_PREFIX, RULES_VERSION_KEY, type Profile } from './alert-store.js';
import { decodeDelivery, firedDelivery, type ClockText, type DeliveryRecord } from './delivery.js';
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
  /** Replicas: rule changes to and from the others (absent: one process). */
  bus?: RuleBus;
  /** Test seam (the crash test stops here): after a snapshot is evaluated, before its alerts are persisted. */
  beforeEnqueue?: () => Promise<void>;
  /** Snapshot evaluated: how many stations changed and rules fired, and how long it took. */
  onEvaluated?: (feedId: string, changed: number, fired: number, ms: number) => void;
}

/**
 * A broadcast among the replicas sharing a store (Redis pub/sub): rules added or
 * removed on one replica reach the others' indexes, the lease holder's above all,
 * since it evaluates every rule whichever replica took it.
 */
export interface RuleBus {
  publish(message: string): Promise<void>;
  subscribe(handler: (message: string) => void): Promise<void>;
}

interface RuleChange {
  from: string;
  /** The store's rules version before and after this change (see RULES_VERSION_KEY). */
  prev?: string | null;
  next?: string;
  add?: string[];
  remove?: string[];
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
  private readonly lastAt = new Map<string, string>();
  private readonly now: () => Date;
  private chain: Promise<unknown> = Promise.resolve();
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Tells this replica's own messages on the bus from the others'. */
  private readonly busId = randomBytes(8).toString('hex');
  /**
   * Replicas: the rules version this index reflects, whether a change was missed
   * (a message whose "prev" is not ours, or a store version we never heard of), and
   * a store version seen once without its message (it may still be on its way).
   */
  private seenVersion: string | null = null;
  private stale = false;
  private suspectVersion: string | null = null;

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
    if (this.opts.bus) {
      // Subscribed before loading, so a rule added meanwhile is not missed between the two.
      await this.opts.bus.subscribe((m) => void this.onRuleChange(m).catch((e) => this.opts.onError?.(e, 'applying a rule change from another replica'))).catch((e) => this.opts.onError?.(e, 'subscribing to rule changes'));
    }
    if (this.opts.bus) this.seenVersion = await this.opts.kv.get(RULES_VERSION_KEY);
    for (const r of await this.store.loadRules()) this.rules.add(r);
    await this.sweep();
    await this.opts.outbox.resume();
    this.sweepTimer = setInterval(() => void this.sweep().catch((e) => this.opts.onError?.(e, 'sweeping expired alerts')), 5 * 60_000);
    this.sweepTimer.unref?.();
  }

  /**
   * The "before" for the next snapshot of this feed, without firing: the snapshot
   * restored at start, or (a follower) each one the lease holder stored after
   * evaluating it, so that on taking over this replica diffs against what was
   * last evaluated — not against nothing (a missed change) nor an older one.
   */
  prime(s: Snapshot): void {
    const had = this.lastAt.get(s.feedId);
    if (had !== undefined && had >= s.fetchedAt) return;
    this.last.set(s.feedId, byId(s.stations));
    this.lastAt.set(s.feedId, s.fetchedAt);
  }

  /**
   * Index exactly the rules in the store (a replica taking over evaluation: rule
   * changes it missed on the bus while it followed are repaired). Queued with the
   * evaluations, so none runs on a half-loaded index.
   */
  reload(): Promise<void> {
    const run = this.chain.then(() => this.reloadNow());
    this.chain = run.catch((e) => this.opts.onError?.(e, 'reloading alert rules'));
    return this.chain as Promise<void>;
  }

  private async reloadNow(): Promise<void> {
    const version = this.opts.bus ? await this.opts.kv.get(RULES_VERSION_KEY) : null;
    const stored = await this.store.loadRules();
    const ids = new Set(stored.map((r) => r.id));
    for (const r of [...this.rules.all()]) if (!ids.has(r.id)) this.rules.remove(r.id);
    for (const r of stored) if (this.rules.get(r.id) === undefined) this.rules.add(r);
    this.seenVersion = version;
    this.stale = false;
    this.suspectVersion = null;
  }

  /**
   * Replicas: before evaluating, is the index behind the store? A rule change whose
   * message this replica missed (Redis pub/sub delivers at most once: a dropped
   * subscriber connection loses what was sent meanwhile) shows as a gap in the chain
   * of versions, or as a store version that stays unheard of for a whole snapshot
   * interval; either way the rules are read again from the store. One GET a snapshot.
   */
  private async catchUp(): Promise<void> {
    if (!this.opts.bus) return;
    const version = await this.opts.kv.get(RULES_VERSION_KEY);
    if (version !== this.seenVersion) {
      if (version === this.suspectVersion) this.stale = true;
      else this.suspectVersion = version;
    }
    if (this.stale) {
      this.opts.onError?.(new Error('a rule change from another replica was missed'), 'following rule changes; reloaded them from the store');
      await this.reloadNow();
    }
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
    await this.catchUp();
    const prev = this.last.get(s.feedId);
    this.last.set(s.feedId, byId(s.stations));
    this.lastAt.set(s.feedId, s.fetchedAt);
    if (!prev) return { changed: 0, firings: [], enqueued: 0 };
    const changed = changedStations(prev, s.stations);
    const firings: Firing[] = [];
    const now = this.now();
    const clockOf = this.clocks.memo(now);
    for (const [p, q] of changed) this.rules.firingAt(p, q, now, firings, clockOf);
    // One-shot rules are done once their delivery is persisted: deleted from the
    // store in the very write that persists the deliveries (one SQLite transaction,
    // one Redis round trip), so a crash keeps both or neither; out of the index
    // only once that write succeeded.
    const done = firings.filter((f) => !f.rule.recurring).map((f) => f.rule.id);
    if (firings.length > 0) await this.opts.beforeEnqueue?.();
    // The texts are not rendered here but when each alert is sent (from the facts
    // stored with it): most of a burst's deliveries wait for their turn anyway.
    const nowMs = now.getTime();
    const enqueued = await this.opts.outbox.enqueueMany(
      firings.map((f) => firedDelivery(f, nowMs, s.asOf)),
      done.map((id) => RULE_PREFIX + id),
    );
    if (done.length > 0) {
      for (const id of done) this.rules.remove(id);
      await this.announce({ remove: done });
    }
    if (enqueued > 0) this.opts.outbox.kick();
    this.opts.onEvaluated?.(s.feedId, changed.length, firings.length, performance.now() - t0);
    return { changed: changed.length, firings, enqueued };
  }

  /** The delivery a firing makes, as the outbox will read it back (text rendered); feedAsOf: the snapshot's own observation time, for a station that has none. */
  delivery(f: Firing, now: Date, texts: ClockText = (iso, tz) => this.clocks.hhmm(iso, tz), feedAsOf: string | null = null): DeliveryRecord {
    const n = firedDelivery(f, now.getTime(), feedAsOf);
    return decodeDelivery({ owner: n.owner, id: n.id, observedAt: n.observedAt }, n.value, texts) as DeliveryRecord;
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
    await this.announce({ add: [rule.id] });
    return rule;
  }

  removeRule(id: string): Promise<void> {
    return this.removeRules([id]);
  }

  private async removeRules(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.rules.remove(id);
    await Promise.all(ids.map((id) => this.store.deleteRule(id)));
    await this.announce({ remove: [...ids] });
  }

  /** Tell the other replicas; a lost message is repaired when a replica takes over (reload). */
  private async announce(change: Omit<RuleChange, 'from' | 'prev' | 'next'>): Promise<void> {
    if (!this.opts.bus) return;
    const bus = this.opts.bus;
    const next = randomBytes(8).toString('hex');
    try {
      // Not atomic across replicas: two changes at once fork the chain, and the
      // replicas that see the fork read the rules again (a reload too many, never one too few).
      const prev = await this.opts.kv.get(RULES_VERSION_KEY);
      if (prev !== this.seenVersion) this.stale = true;
      await this.opts.kv.set(RULES_VERSION_KEY, next);
      this.seenVersion = next;
      await bus.publish(JSON.stringify({ from: this.busId, prev, next, ...change }));
    } catch (e) {
      this.opts.onError?.(e, 'announcing a rule change');
    }
  }

  private async onRuleChange(message: string): Promise<void> {
    let m: RuleChange;
    try {
      m = JSON.parse(message) as RuleChange;
    } catch {
      return;
    }
    if (m.from === this.busId) return;
    if (typeof m.next === 'string') {
      if ((m.prev ?? null) !== this.seenVersion) this.stale = true;
      this.seenVersion = m.next;
    }
    for (const id of Array.isArray(m.remove) ? m.remove : []) this.rules.remove(String(id));
    for (const id of Array.isArray(m.add) ? m.add : []) {
      const r = parseJson<AlertRule>(await this.opts.kv.get(RULE_PREFIX + String(id)));
      if (r && r.id === id) this.rules.add(r);
    }
  }

  /** Everything of one owner: rules, saved stations, deliveries (sent or not), counters. */
  async forget(owner: string): Promise<number> {
    for (const r of [...this.rules.all()]) if (r.owner === owner) this.rules.remove(r.id);
    this.opts.outbox.dropOwner(owner);
    const keys = await this.store.ownerKeys(owner);
    await Promise.all(keys.map((k) => this.opts.kv.delete(k)));
    const ruleIds = keys.filter((k) => k.startsWith(RULE_PREFIX)).map((k) => k.slice(RULE_PREFIX.length));
    if (ruleIds.length > 0) await this.announce({ remove: ruleIds });
    return keys.length;
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.chain.catch(() => {});
    await this.opts.outbox.close();
  }
}

function byId(stations: readonly Station[]): Map<string, Station> {
  const m = new Map<string, Station>();
  for (const s of stations) m.set(s.id, s);
  return m;
}
