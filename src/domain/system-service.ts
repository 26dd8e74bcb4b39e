import type { StationIndex } from './station-index.js';

/**
 * What a scheme tells its riders beyond station counts: what a hire costs and how to
 * reach the operator when a bike or dock is broken. A GBFS feed publishes both
 * (`system_pricing_plans`, the phone and web of `system_information`); TfL's BikePoint
 * API publishes neither, so for TfL they come from the systems config, with the date
 * someone checked them. Nothing here is ever made up: what nobody said is null.
 */

/** One way to pay (GBFS `system_pricing_plans` plan, or a row of the configured table). */
export interface PricePlan {
  name: string;
  /** The fixed price of the plan (a pass, or the unlock fee), in `currency`; 0 for free. */
  price: number;
  /** ISO 4217 ("GBP", "USD"). */
  currency: string;
  /** The operator's own words for it ("£1.65 for 30 minutes …"), or null. */
  description: string | null;
  /** Per-minute segments (GBFS per_min_pricing): rate per `interval` minutes from minute `start`. */
  perMinute: Array<{ start: number; rate: number; interval: number; end: number | null }>;
}

export interface PricingInfo {
  plans: PricePlan[];
  /** Where riders can read the full price list, or null. */
  url: string | null;
  /** Configured prices: the day (YYYY-MM-DD) someone checked them against the operator. Feed prices: null. */
  checked: string | null;
  source: 'feed' | 'config';
}

export interface OperatorContact {
  phone: string | null;
  url: string | null;
  email: string | null;
  source: 'feed' | 'config';
}

export interface SystemService {
  pricing: PricingInfo | null;
  contact: OperatorContact | null;
}

export const NO_SERVICE: SystemService = { pricing: null, contact: null };

/** A contact is worth giving only when it gives some way to reach someone. */
export function hasContact(c: OperatorContact | null): c is OperatorContact {
  return c !== null && (c.phone !== null || c.url !== null || c.email !== null);
}

/**
 * The service facts of one system: the feed's (newest snapshot of that system that has
 * any) field by field, else the config's. The feed wins because it is the operator
 * speaking now; the config is what someone copied down on the day it names.
 */
export function serviceOf(index: StationIndex, systemId: string): SystemService {
  let fromFeed: SystemService | null = null;
  let fromFeedAt = '';
  for (const snap of index.snapshots.values()) {
    if (snap.systemId === systemId && snap.service && (fromFeed === null || snap.fetchedAt > fromFeedAt)) {
      fromFeed = snap.service;
      fromFeedAt = snap.fetchedAt;
    }
  }
  const configured = index.systems.find((s) => s.id === systemId)?.service ?? NO_SERVICE;
  const pricing = fromFeed?.pricing && fromFeed.pricing.plans.length > 0 ? fromFeed.pricing : (configured.pricing ?? fromFeed?.pricing ?? null);
  const contact = hasContact(fromFeed?.contact ?? null) ? (fromFeed?.contact ?? null) : (configured.contact ?? null);
  return { pricing, contact };
}
