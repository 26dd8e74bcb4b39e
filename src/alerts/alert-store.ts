import type { AlertRule } from '../domain/alerts/rule.js';
import type { KvStore } from '../store/kv-store.js';
import type { Profile } from '../domain/alerts/profile.js';
import type { DeliveryRecord } from './delivery.js';
export { emptyProfile, type Profile, type SavedPlace } from '../domain/alerts/profile.js';

/**
 * Where alerts live in the KvStore (SQLite by default, Redis when scaled out).
 * Every key carries the owner (right after its kind; for deliveries after the
 * observation time), so "forget me" finds all of them, and a test can read the
 * store to see nothing is left.
 *
 *   alert:rule:<owner>#<no>                   the rule (kept until it fires, expires or is cancelled)
 *   alert:profile:<owner>                     saved stations, rule counter, whether the notice was given
 *   alert:outbox:<observed>|<owner>#<digest>  one delivery: pending, then sent/suppressed/failed
 *                                             (3 days, the dedupe window)
 *   alert:count:<owner>#<date>                deliveries that day, for the daily limit (2 days)
 *   alert:rules-version                       replicas only: changes whenever a rule does
 */
export const ALERT_PREFIX = 'alert:';
export const RULE_PREFIX = 'alert:rule:';
export const PROFILE_PREFIX = 'alert:profile:';
export const OUTBOX_PREFIX = 'alert:outbox:';
export const COUNT_PREFIX = 'alert:count:';
/**
 * Replicas: a random token rewritten on every rule change and carried, with the one
 * it replaced, in the change's message, so a replica that missed a message sees the
 * gap (AlertService.catchUp). Holds nothing about anyone.
 */
export const RULES_VERSION_KEY = 'alert:rules-version';

/**
 * `alert:outbox:<observation time>|<owner>#<digest>`. The observation time leads
 * so that one snapshot's deliveries sit side by side at the end of the store's
 * key order: SQLite then appends them to a few pages instead of touching one
 * random page per delivery (keyed by owner first, enqueueing ~900 deliveries cost
 * ~10× more). Every part derives from (rule, station, observation time), so the
 * key is still the dedupe claim.
 */
export function outboxKey(d: Pick<DeliveryRecord, 'owner' | 'id'> & { payload: Pick<DeliveryRecord['payload'], 'observedAt'> }): string {
  return `${OUTBOX_PREFIX}${d.payload.observedAt ?? 'unknown'}|${d.owner}#${d.id}`;
}

/** The parts of an outbox key; null for a key of another shape. */
export function outboxKeyParts(key: string): { observedAt: string | null; owner: string; id: string } | null {
  if (!key.startsWith(OUTBOX_PREFIX)) return null;
  const bar = key.indexOf('|', OUTBOX_PREFIX.length);
  const hash = key.lastIndexOf('#');
  if (bar < 0 || hash < bar) return null;
  const observed = key.slice(OUTBOX_PREFIX.length, bar);
  return { observedAt: observed === 'unknown' ? null : observed, owner: key.slice(bar + 1, hash), id: key.slice(hash + 1) };
}

export class AlertStore {
  constructor(readonly kv: KvStore) {}

  async loadRules(): Promise<AlertRule[]> {
    const keys = await this.kv.keys(RULE_PREFIX);
    const out: AlertRule[] = [];
    // Batches keep restart with 100,000 rules from queueing 100,000 reads at once.
    for (let i = 0; i < keys.length; i += 500) {
      const vals = await Promise.all(keys.slice(i, i + 500).map((k) => this.kv.get(k)));
      for (const v of vals) {
        const r = parseJson<AlertRule>(v);
        if (r && typeof r.id === 'string' && typeof r.stationId === 'string' && r.condition) out.push(r);
      }
    }
    return out;
  }

  saveRule(r: AlertRule): Promise<void> {
    return this.kv.set(RULE_PREFIX + r.id, JSON.stringify(r));
  }

  deleteRule(id: string): Promise<void> {
    return this.kv.delete(RULE_PREFIX + id);
  }

  async profile(owner: string): Promise<Profile | null> {
    return parseJson<Profile>(await this.kv.get(PROFILE_PREFIX + owner));
  }

  saveProfile(p: Profile): Promise<void> {
    return this.kv.set(PROFILE_PREFIX + p.owner, JSON.stringify(p));
  }

  /** Every alert key of one owner: rules, profile, deliveries, counters. */
  async ownerKeys(owner: string): Promise<string[]> {
    const lists = await Promise.all([RULE_PREFIX, COUNT_PREFIX].map((p) => this.kv.keys(`${p}${owner}#`)));
    // Deliveries are keyed by time first (see outboxKey): a walk of the outbox, which
    // holds at most three days; forget-me is rare, enqueueing is not.
    const deliveries = (await this.kv.keys(OUTBOX_PREFIX)).filter((k) => outboxKeyParts(k)?.owner === owner);
    const profile = (await this.kv.get(PROFILE_PREFIX + owner)) !== null ? [PROFILE_PREFIX + owner] : [];
    return [...lists.flat(), ...deliveries, ...profile];
  }
}

export function parseJson<T>(raw: string | null): T | null {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
