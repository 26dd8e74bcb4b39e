import { LocalClocks } from '../domain/alerts/local-clock.js';
import { inWindow } from '../domain/alerts/rule.js';
import type { KvStore } from '../store/kv-store.js';
import { COUNT_PREFIX, OUTBOX_PREFIX, outboxKey, outboxKeyParts } from './alert-store.js';
import { decodeDelivery, encodeDelivery, SendError, type DeliveryRecord, type NewDelivery, type OptOutCheck, type Sender } from './delivery.js';

/** How long a delivery record is kept: it is also the dedupe window for replayed snapshots. */
export const DEDUPE_TTL_MS = 3 * 24 * 3600_000;
const COUNT_TTL_MS = 2 * 24 * 3600_000;

export interface OutboxPolicy {
  /** Deliveries per recipient per local day (default 10). */
  dailyLimit: number;
  /** Local minutes [from, to) when recurring alerts without hours of their own are held back; null: none. */
  quietHours: { fromMin: number; toMin: number } | null;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_POLICY: OutboxPolicy = { dailyLimit: 10, quietHours: { fromMin: 22 * 60, toMin: 7 * 60 }, maxAttempts: 8, baseBackoffMs: 2000, maxBackoffMs: 5 * 60_000 };

export interface OutboxOptions {
  kv: KvStore;
  senders: Partial<Record<DeliveryRecord['channel'], Sender>>;
  optOuts: OptOutCheck;
  policy?: Partial<OutboxPolicy>;
  now?: () => number;
  random?: () => number;
  onEvent?: (what: 'sent' | 'suppressed' | 'failed' | 'retry', d: DeliveryRecord, detail?: string) => void;
  /** Local clocks for quiet hours and the daily count (shared with the alert service); default: its own. */
  clocks?: LocalClocks;
  /** Test seam: runs after a delivery is persisted and before it is sent (the crash test stops here). */
  beforeSend?: (d: DeliveryRecord) => Promise<void>;
}

/**
 * What the outbox keeps in memory of a pending delivery: where its record is and
 * when it is due. The record itself is read back from the store when its turn
 * comes (it is read then anyway, to see it is still pending): a burst of
 * thousands of alerts then leaves small objects behind, not thousands of records
 * for the garbage collector to carry until they are sent.
 */
interface Pending {
  id: string;
  owner: string;
  observedAt: string | null;
  nextAttemptAt: number;
}

function pendingOf(d: DeliveryRecord): Pending {
  return { id: d.id, owner: d.owner, observedAt: d.payload.observedAt ?? null, nextAttemptAt: d.nextAttemptAt };
}

/** Only what Pending holds, so the stored value (a string as long as the rest) is not kept with it. */
function pendingOfNew(n: NewDelivery): Pending {
  return { id: n.id, owner: n.owner, observedAt: n.observedAt, nextAttemptAt: n.nextAttemptAt };
}

/**
 * The persisted outbox. A delivery is written before anything is sent, with
 * setIfAbsent under a key derived from (rule, station, observation time): that
 * one write is both the claim that makes a replayed snapshot a no-op and the
 * record a restart resumes from. After the send the record stays, marked sent,
 * for the dedupe window. A crash after the send but before the mark would send
 * again on restart (at-least-once at that one point); webhook receivers get the
 * delivery id to drop such a repeat.
 */
export class Outbox {
  private readonly policy: OutboxPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly clocks: LocalClocks;
  private readonly hhmm: (iso: string, timezone: string) => string;
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly opts: OutboxOptions) {
    this.policy = { ...DEFAULT_POLICY, ...opts.policy };
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.clocks = opts.clocks ?? new LocalClocks();
    this.hhmm = (iso, tz) => this.clocks.hhmm(iso, tz);
  }

  private key(p: Pending): string {
    return outboxKey({ owner: p.owner, id: p.id, payload: { observedAt: p.observedAt } });
  }

  /** Persist a delivery; false when one with the same dedupe key already exists (a replay). */
  async enqueue(d: DeliveryRecord): Promise<boolean> {
    const claimed = await this.opts.kv.setIfAbsent(outboxKey(d), encodeDelivery(d), DEDUPE_TTL_MS);
    if (!claimed) return false;
    this.pending.set(d.id, pendingOf(d));
    return true;
  }

  /**
   * Many at once (as the engine makes them: firedDelivery), in one store write;
   * returns how many were new. alsoDelete: store keys removed in that same write
   * (the one-shot rules these deliveries end).
   */
  async enqueueMany(ns: readonly NewDelivery[], alsoDelete: readonly string[] = []): Promise<number> {
    if (ns.length === 0 && alsoDelete.length === 0) return 0;
    const claimed = await this.opts.kv.setIfAbsentMany(ns, DEDUPE_TTL_MS, alsoDelete);
    let n = 0;
    for (let i = 0; i < ns.length; i++) {
      if (claimed[i]) {
        this.pending.set(ns[i].id, pendingOfNew(ns[i]));
        n++;
      }
    }
    return n;
  }

  /** Pending deliveries of an earlier run, loaded and scheduled: a restart loses none. */
  async resume(): Promise<number> {
    const keys = await this.opts.kv.keys(OUTBOX_PREFIX);
    const texts = this.clocks.hhmmMemo();
    let n = 0;
    for (const k of keys) {
      const parts = outboxKeyParts(k);
      const d = parts && decodeDelivery(parts, await this.opts.kv.get(k), texts);
      if (d && d.state === 'pending' && !this.pending.has(d.id)) {
        this.pending.set(d.id, pendingOf(d));
        n++;
      }
    }
    this.kick();
    return n;
  }

  /** Forget pending deliveries of one owner (forget me / cancelled). */
  dropOwner(owner: string): void {
    for (const [id, p] of this.pending) if (p.owner === owner) this.pending.delete(id);
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /** Send what is due now, and schedule the next attempt. */
  kick(): void {
    if (this.closed) return;
    if (this.draining) {
      this.draining.then(() => this.kick(), () => this.kick());
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      this.schedule();
    });
  }

  /** Resolves when nothing due is left to send (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining.catch(() => {});
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let next = Infinity;
    for (const p of this.pending.values()) next = Math.min(next, p.nextAttemptAt);
    if (next === Infinity) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, next - this.now()));
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    const due = [...this.pending.values()].filter((d) => d.nextAttemptAt <= this.now() && !this.inFlight.has(d.id));
    // Recipients in parallel (one slow one must not hold up the rest), each one's
    // deliveries in order, so the daily count is read and written by one at a time.
    const byOwner = new Map<string, Pending[]>();
    for (const d of due) {
      const list = byOwner.get(d.owner);
      if (list) list.push(d);
      else byOwner.set(d.owner, [d]);
    }
    const queues = [...byOwner.values()];
    const lane = async () => {
      for (let q = queues.shift(); q && !this.closed; q = queues.shift()) for (const d of q) if (!this.closed) await this.attempt(d);
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
  }

  private async attempt(p: Pending): Promise<void> {
    this.inFlight.add(p.id);
    try {
      // The record may have been removed (forget me) since it was queued.
      const d = decodeDelivery(p, await this.opts.kv.get(this.key(p)), this.hhmm);
      if (!d || d.state !== 'pending') {
        this.pending.delete(p.id);
        return;
      }
      const held = await this.holdReason(d);
      if (held) return await this.finish(d, 'suppressed', held);
      await this.opts.beforeSend?.(d);
      const sender = this.opts.senders[d.channel];
      if (!sender) return await this.finish(d, 'failed', `no ${d.channel} sender configured`);
      try {
        await sender.send(d);
      } catch (e) {
        const retryable = e instanceof SendError ? e.retryable : true;
        const msg = e instanceof Error ? e.message : String(e);
        d.attempts++;
        if (!retryable || d.attempts >= this.policy.maxAttempts) return await this.finish(d, 'failed', msg);
        d.nextAttemptAt = p.nextAttemptAt = this.now() + this.backoff(d.attempts);
        await this.opts.kv.set(this.key(p), encodeDelivery(d), DEDUPE_TTL_MS);
        this.opts.onEvent?.('retry', d, msg);
        return;
      }
      await this.countSent(d);
      await this.finish(d, 'sent');
    } finally {
      this.inFlight.delete(p.id);
    }
  }

  private backoff(attempts: number): number {
    const base = Math.min(this.policy.maxBackoffMs, this.policy.baseBackoffMs * 2 ** (attempts - 1));
    return Math.round(base * (0.8 + 0.4 * this.random()));
  }

  private async holdReason(d: DeliveryRecord): Promise<string | null> {
    if (d.channel === 'sms' && (await this.opts.optOuts.isOptedOut(d.to))) return 'opted_out';
    const q = this.policy.quietHours;
    const clock = this.clocks.at(new Date(this.now()), d.timezone);
    if (d.quietApplies && q && inWindow(clock.minutes, q.fromMin, q.toMin)) return 'quiet_hours';
    const n = Number((await this.opts.kv.get(`${COUNT_PREFIX}${d.owner}#${clock.date}`)) ?? 0);
    if (n >= this.policy.dailyLimit) return 'daily_limit';
    return null;
  }

  private async countSent(d: DeliveryRecord): Promise<void> {
    const key = `${COUNT_PREFIX}${d.owner}#${this.clocks.at(new Date(this.now()), d.timezone).date}`;
    const n = Number((await this.opts.kv.get(key)) ?? 0);
    await this.opts.kv.set(key, String(n + 1), COUNT_TTL_MS);
  }

  private async finish(d: DeliveryRecord, state: DeliveryRecord['state'], reason?: string): Promise<void> {
    this.pending.delete(d.id);
    const done: DeliveryRecord = { ...d, state, ...(reason ? { reason } : {}) };
    // The address (and a format-2 record's text) is not needed once it is done: only the dedupe claim stays.
    await this.opts.kv.set(outboxKey(d), encodeDelivery({ ...done, to: '', text: '' }), DEDUPE_TTL_MS);
    this.opts.onEvent?.(state === 'sent' ? 'sent' : state === 'suppressed' ? 'suppressed' : 'failed', done, reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle();
  }
}
