import type { OperatorContact, PricePlan, SystemService } from '../../domain/system-service.js';
import type { CantDo } from '../../domain/understanding.js';
import { hasContact } from '../../domain/system-service.js';
import { fitsSms } from '../sms.js';
import { LONDON_EXAMPLES, type Examples } from './examples.js';

/**
 * Replies to questions that are not about one station: what a hire costs, who to call
 * about a broken bike, and a message in a language BikeBot does not read. They quote
 * only what the feed or the config said (see domain/system-service.ts), name where it
 * came from and, for a configured price list, the day it was checked; with nothing to
 * quote they say so. Each fits two SMS segments: plans are dropped from the end, never cut.
 */

const MAX_PLANS = 4;

function money(amount: number, currency: string): string {
  if (amount === 0) return 'free';
  try {
    const digits = Number.isInteger(amount) ? 0 : 2;
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: 2 }).format(amount);
  } catch {
    // A currency code Intl does not know: the number and the code, as the feed gave them.
    return `${amount} ${currency}`;
  }
}

function minutes(n: number): string {
  return n === 1 ? 'minute' : `${n} min`;
}

/** "Single Ride $1 + $0.18 per minute", or the plan's own description when it is short and says more. */
export function planLine(p: PricePlan): string {
  const parts = [`${p.name} ${money(p.price, p.currency)}`];
  const rates = p.perMinute.filter((r) => r.rate > 0).slice(0, 2);
  for (const r of rates) parts.push(`${r.start > 0 ? `after ${r.start} min, ` : ''}${money(r.rate, p.currency)} per ${minutes(r.interval)}`);
  const line = rates.length > 0 ? `${parts[0]} + ${parts.slice(1).join(', ')}` : parts[0];
  const desc = p.description?.replace(/\s+/g, ' ').trim();
  return desc && desc.length <= 90 && !line.includes(desc) ? `${line} (${desc.replace(/[.\s]+$/, '')})` : line;
}

/** "30 Nov 2026" from the checked date (YYYY-MM-DD), as written in the config. */
function checkedOn(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function pricesReply(systemName: string, service: SystemService, voice: boolean): string {
  const p = service.pricing;
  const url = p?.url ?? service.contact?.url ?? null;
  if (!p || p.plans.length === 0) {
    if (url && !voice) return `I don't have ${systemName}'s prices, sorry. They're on ${url}`;
    return `I don't have ${systemName}'s prices, sorry: the operator publishes them.`;
  }
  const where = p.source === 'feed' ? `${systemName} prices, from its live feed` : `${systemName} prices${p.checked ? ` (checked ${checkedOn(p.checked)})` : ''}`;
  const more = url && !voice ? ` More: ${url}` : '';
  for (let n = Math.min(MAX_PLANS, p.plans.length); n >= 1; n--) {
    const text = `${where}: ${p.plans.slice(0, n).map(planLine).join('; ')}.${more}`;
    if (voice || fitsSms(text)) return text;
  }
  return `${where}: ${planLine(p.plans[0])}.`;
}

/** A phone number said digit by digit, in its groups ("0 3 4 3, 2 2 2"): never "three hundred and forty-three". */
export function spokenPhone(phone: string): string {
  return phone
    .replace(/[^\d+\s-]/g, ' ')
    .split(/[\s-]+/)
    .filter((g) => g !== '')
    .map((g) => g.replace(/^\+/, 'plus ').replace(/(\d)(?=\d)/g, '$1 '))
    .join(', ');
}

function contactWays(c: OperatorContact, voice: boolean): string {
  const ways: string[] = [];
  if (c.phone) ways.push(`call ${voice ? spokenPhone(c.phone) : c.phone}`);
  if (c.url && !voice) ways.push(`see ${c.url}`);
  else if (c.url) ways.push('use their website');
  if (c.email && !voice) ways.push(`email ${c.email}`);
  return ways.length <= 1 ? ways.join('') : `${ways.slice(0, -1).join(', ')} or ${ways[ways.length - 1]}`;
}

/** A broken bike, a dock that will not release, a wrong charge: only the operator can help. */
export function problemReply(systemName: string, service: SystemService, voice: boolean): string {
  const c = service.contact;
  if (hasContact(c)) return `Sorry about that. Only ${systemName} can fix a bike, a dock or a hire: ${contactWays(c, voice)}. Please don't ride a faulty bike.`;
  return `Sorry about that. Please report it to ${systemName}, who run the bikes and docks; I don't have their phone number or website. Please don't ride a faulty bike.`;
}

/** What BikeBot cannot do, said plainly, and who can: each errand in the words a rider would use for it. */
const CANT_DO: Readonly<Record<CantDo, (operator: string) => string>> = {
  hire: (op) => `I can't unlock, reserve or extend a hire: do that in ${op}'s app or at the docking station.`,
  account: (op) => `I can't see or change accounts, cards or memberships: ${op} can, in their app or on their website.`,
  lost_property: (op) => `I can't look for lost property: please ask ${op} whether it was handed in.`,
};

/**
 * An errand only the operator can run ("unlock bike 40213", "update my card details", "I left my phone
 * in the basket"): what BikeBot cannot do, where to go (the operator's contact, when the feed or config
 * gave one) and what it can do instead, with an example that works here. Fits two SMS segments.
 */
export function cantDoReply(kind: CantDo, systemName: string, service: SystemService, ex: Examples, voice: boolean): string {
  const c = service.contact;
  const said = `${CANT_DO[kind](systemName)}${hasContact(c) ? ` To reach them, ${contactWays(c, voice)}.` : ''}`;
  const can = 'I can tell you the bikes, e-bikes and free docks at a station or near a place';
  const full = ex.station ? `${said} ${can}, e.g. "bikes at ${ex.station}".` : `${said} ${can}.`;
  return voice || fitsSms(full) ? full : `${said} ${can}.`;
}

/** The person named no city and several are served: prices and operators differ by city. */
export function whichCityReply(cities: readonly string[], what: 'prices' | 'problem'): string {
  const list = cities.slice(0, 4).join(', ');
  return what === 'prices' ? `Prices differ by city (${list}). Which one? E.g. "prices in ${cities[0]}".` : `Sorry about that. Which city are you in (${list})? E.g. "broken bike in ${cities[0]}".`;
}

export function otherLanguageReply(ex: Examples = LONDON_EXAMPLES): string {
  const eg = ex.station ? ` Ask e.g. "bikes at ${ex.station}".` : '';
  return `Sorry, I only understand English.${eg}`;
}
