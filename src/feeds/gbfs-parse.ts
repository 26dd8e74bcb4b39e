/**
 * Pure readers for GBFS documents (1.0-style, 2.x, 3.0). They accept what can be
 * interpreted without guessing — booleans or 1/0, epoch seconds or RFC 3339,
 * plain or localized strings — and reject the rest: a document we cannot use is
 * a FEED_PARSE error, one unusable station is skipped and counted.
 */
import { BikeBotError } from '../domain/errors.js';
import type { OperatorContact, PricePlan } from '../domain/system-service.js';

export const GBFS_FILES = ['gbfs', 'system_information', 'station_information', 'station_status', 'vehicle_types', 'system_pricing_plans', 'system_alerts'] as const;
export type GbfsFileName = (typeof GBFS_FILES)[number];

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The envelope every GBFS file shares. */
export interface GbfsEnvelope {
  /** ISO time, null when absent or unreadable. */
  lastUpdated: string | null;
  ttlS: number | null;
  /** `version` as sent; absent in 1.0 feeds. */
  version: string | null;
  data: Obj;
  /** The whole document as parsed (for the schema check, which then does not parse it again). */
  document: Obj;
}

export function parseEnvelope(file: string, body: string): GbfsEnvelope {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    throw new BikeBotError('FEED_PARSE', `GBFS ${file}: not JSON (${(e as Error).message})`, { cause: e });
  }
  if (!isObj(doc) || !isObj(doc.data)) throw new BikeBotError('FEED_PARSE', `GBFS ${file}: no "data" object`);
  const ttl = doc.ttl;
  return {
    lastUpdated: toIso(doc.last_updated),
    ttlS: typeof ttl === 'number' && Number.isFinite(ttl) && ttl >= 0 ? ttl : null,
    version: typeof doc.version === 'string' ? doc.version : null,
    data: doc.data,
    document: doc,
  };
}

/** 2.x and 1.0 send POSIX seconds, 3.0 sends RFC 3339. Anything else is unknown, not guessed. */
export function toIso(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    const d = new Date(v * 1000);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  }
  return null;
}

/** GBFS booleans; 1.0 (and Divvy's 2.3 feed) send 1/0. */
export function toBool(v: unknown): boolean | undefined {
  if (v === true || v === 1) return true;
  if (v === false || v === 0) return false;
  return undefined;
}

/** A non-negative integer count, or null: never a guess from a string or a fraction. */
export function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** A plain string (1.0/2.x) or a 3.0 localized list `[{text, language}]`. */
export function localizedText(v: unknown, language: string | null): string | null {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return null;
  const entries = v.filter((e): e is { text: string; language?: unknown } => isObj(e) && typeof e.text === 'string');
  const byLang = (l: string) => entries.find((e) => typeof e.language === 'string' && e.language.toLowerCase() === l.toLowerCase());
  const hit = (language ? byLang(language) : undefined) ?? byLang('en') ?? entries[0];
  return hit ? hit.text : null;
}

/** Whitespace a name needs tidied: any but single spaces inside it, or a space before a comma. */
const UNTIDY = /[^\S ]|  | ,|^ | $/;

export function tidyName(name: string): string {
  // Most names are tidy: one test instead of three copies (5,000 names a system, every poll).
  if (!UNTIDY.test(name)) return name;
  return name.replace(/\s+/g, ' ').replace(/\s+,/g, ',').trim();
}

export interface Discovery {
  /** Language whose feed list was used (2.x), or null (3.0 has one list). */
  language: string | null;
  languages: string[];
  feeds: Map<string, string>;
}

/** Reads gbfs.json: 2.x/1.0 `data.<lang>.feeds`, 3.0 `data.feeds`. Preference: configured language, 'en', the first. */
export function parseDiscovery(env: GbfsEnvelope, preferred: string | null): Discovery {
  const collect = (list: unknown): Map<string, string> => {
    if (!Array.isArray(list)) throw new BikeBotError('FEED_PARSE', 'GBFS gbfs.json: "feeds" is not a list');
    const feeds = new Map<string, string>();
    for (const f of list) if (isObj(f) && typeof f.name === 'string' && typeof f.url === 'string') feeds.set(f.name, f.url);
    return feeds;
  };
  if (Array.isArray(env.data.feeds)) return { language: null, languages: [], feeds: collect(env.data.feeds) };
  const languages = Object.keys(env.data).filter((k) => isObj(env.data[k]) && Array.isArray((env.data[k] as Obj).feeds));
  if (languages.length === 0) throw new BikeBotError('FEED_PARSE', 'GBFS gbfs.json: no feed list in "data"');
  const pick = (l: string | null) => (l ? languages.find((x) => x.toLowerCase() === l.toLowerCase()) : undefined);
  const language = pick(preferred) ?? pick('en') ?? languages[0];
  return { language, languages, feeds: collect((env.data[language] as Obj).feeds) };
}

export interface GbfsSystemInformation {
  name: string | null;
  timezone: string | null;
  systemId: string | null;
  languages: string[];
  /** The operator's phone, web and e-mail for riders (never feed_contact_email, which is for developers). */
  contact: OperatorContact | null;
  /** Where riders buy passes (purchase_url). */
  purchaseUrl: string | null;
}

const webUrl = (v: unknown): string | null => (typeof v === 'string' && /^https?:\/\/\S+$/i.test(v.trim()) ? v.trim() : null);
const plainText = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.replace(/\s+/g, ' ').trim() : null);

export function parseSystemInformation(env: GbfsEnvelope, language: string | null): GbfsSystemInformation {
  const d = env.data;
  const languages = Array.isArray(d.languages) ? d.languages.filter((l): l is string => typeof l === 'string') : typeof d.language === 'string' ? [d.language] : [];
  return {
    name: localizedText(d.name, language),
    timezone: typeof d.timezone === 'string' && d.timezone ? d.timezone : null,
    systemId: typeof d.system_id === 'string' ? d.system_id : null,
    languages,
    contact: contactOf(d, language),
    purchaseUrl: webUrl(localizedText(d.purchase_url, language)),
  };
}

function contactOf(d: Obj, language: string | null): OperatorContact | null {
  const phone = plainText(d.phone_number);
  const url = webUrl(localizedText(d.url, language));
  const email = typeof d.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(d.email.trim()) ? d.email.trim() : null;
  return phone || url || email ? { phone, url, email, source: 'feed' } : null;
}

/**
 * `system_pricing_plans` (1.1+; 3.0 localizes name and description). A plan without a
 * name, a price or a currency is dropped, not completed: a price is never guessed.
 */
export function parsePricingPlans(env: GbfsEnvelope, language: string | null): PricePlan[] {
  const plans = env.data.plans;
  if (!Array.isArray(plans)) throw new BikeBotError('FEED_PARSE', 'GBFS system_pricing_plans: "data.plans" is not a list');
  const out: PricePlan[] = [];
  for (const p of plans) {
    if (!isObj(p)) continue;
    const name = plainText(localizedText(p.name, language));
    const price = typeof p.price === 'number' ? p.price : typeof p.price === 'string' && /^\d+(\.\d+)?$/.test(p.price) ? Number(p.price) : NaN;
    const currency = typeof p.currency === 'string' && /^[A-Za-z]{3}$/.test(p.currency) ? p.currency.toUpperCase() : null;
    if (!name || !Number.isFinite(price) || price < 0 || !currency) continue;
    const perMinute = (Array.isArray(p.per_min_pricing) ? p.per_min_pricing : [])
      .filter(isObj)
      .map((r) => ({ start: Number(r.start), rate: Number(r.rate), interval: Number(r.interval), end: typeof r.end === 'number' ? r.end : null }))
      .filter((r) => Number.isFinite(r.start) && r.start >= 0 && Number.isFinite(r.rate) && Number.isFinite(r.interval) && r.interval > 0)
      .sort((a, b) => a.start - b.start);
    out.push({ name, price, currency, description: plainText(localizedText(p.description, language)), perMinute });
  }
  return out;
}

export interface VehicleType {
  id: string;
  formFactor: string | null;
  propulsion: string | null;
}

export function parseVehicleTypes(env: GbfsEnvelope): Map<string, VehicleType> {
  const list = env.data.vehicle_types;
  if (!Array.isArray(list)) throw new BikeBotError('FEED_PARSE', 'GBFS vehicle_types: "data.vehicle_types" is not a list');
  const out = new Map<string, VehicleType>();
  for (const t of list) {
    if (!isObj(t) || typeof t.vehicle_type_id !== 'string') continue;
    out.set(t.vehicle_type_id, {
      id: t.vehicle_type_id,
      formFactor: typeof t.form_factor === 'string' ? t.form_factor : null,
      propulsion: typeof t.propulsion_type === 'string' ? t.propulsion_type : null,
    });
  }
  return out;
}
