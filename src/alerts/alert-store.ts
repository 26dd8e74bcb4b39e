import type { AlertRule } from '../domain/alerts/rule.js';
import type { KvStore } from '../store/kv-store.js';
import type { Profile } from '../domain/alerts/profile.js';
export { emptyProfile, type Profile, type SavedPlace } from '../domain/alerts/profile.js';

/**
 * Where alerts live in the KvStore (SQLite by default, Redis when scaled out).
 * Every key carries the owner right after its kind, so "forget me" is a handful
 * of prefix deletes and a test can read the store to see nothing is left.
 *
 *   alert:rule:<owner>#<no>        the rule (kept until it fires, expires or is cancelled)
 *   alert:profile:<owner>          saved stations, rule counter, whether the notice was given
 *   alert:outbox:<owner>#<digest>  one delivery: pending, then sent/suppressed/failed (3 days, the dedupe window)
 *   alert:count:<owner>#<date>     deliveries that day, for the daily limit (2 days)
 */
export const ALERT_PREFIX = 'alert:';
export const RULE_PREFIX = 'alert:rule:';
export const PROFILE_PREFIX = 'alert:profile:';
export const OUTBOX_PREFIX = 'alert:outbox:';
export const COUNT_PREFIX = 'alert:count:';

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
    const lists = await Promise.all([RULE_PREFIX, OUTBOX_PREFIX, COUNT_PREFIX].map((p) => this.kv.keys(`${p}${owner}#`)));
    const profile = (await this.kv.get(PROFILE_PREFIX + owner)) !== null ? [PROFILE_PREFIX + owner] : [];
    return [...lists.flat(), ...profile];
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
