import type { Station } from '../station.js';
import { hhmm, type LocalClocks } from './local-clock.js';
import { measureOf, type AlertRule, type Condition, type Schedule, type StationState } from './rule.js';

const NOUN: Record<string, [string, string]> = { bikes: ['bike', 'bikes'], ebikes: ['e-bike', 'e-bikes'], docks: ['free dock', 'free docks'] };

function plural(n: number, m: string): string {
  const [one, many] = NOUN[m];
  return `${n} ${n === 1 ? one : many}`;
}

/** "there's a free dock", "Kings Cross drops below 3 bikes", "it closes". */
export function conditionPhrase(c: Condition): string {
  switch (c.kind) {
    case 'closed':
      return 'it closes';
    case 'reopened':
      return 'it reopens';
    case 'count': {
      if (c.op === 'below') return c.n === 1 ? `it runs out of ${NOUN[c.measure][1]}` : `it drops below ${plural(c.n, c.measure)}`;
      return c.n === 1 ? `there's ${c.measure === 'ebikes' ? 'an' : 'a'} ${NOUN[c.measure][0]}` : `there are ${plural(c.n, c.measure)} or more`;
    }
  }
}

const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function schedulePhrase(s: Schedule): string {
  const d = [...s.days].sort((a, b) => a - b).join(',');
  const days = d === '0,1,2,3,4,5,6' ? 'every day' : d === '1,2,3,4,5' ? 'on weekdays' : d === '0,6' ? 'at weekends' : `on ${s.days.map((x) => DAY[x]).join(', ')}`;
  if (s.fromMin === 0 && s.toMin >= 24 * 60) return days;
  if (s.fromMin === 0) return `${days} before ${hhmm(s.toMin)}`;
  if (s.toMin >= 24 * 60) return `${days} after ${hhmm(s.fromMin)}`;
  return `${days} ${hhmm(s.fromMin)}–${hhmm(s.toMin)}`;
}

/** Short name used in lists and for "cancel the waterloo alert". */
export function ruleName(r: AlertRule): string {
  const c = r.condition;
  const what = c.kind === 'count' ? (c.op === 'below' ? `low ${NOUN[c.measure][1]}` : NOUN[c.measure][1]) : c.kind === 'closed' ? 'closure' : 'reopening';
  return `${what} at ${r.stationName}`;
}

/** The one-sentence confirmation of a new rule. */
export function confirmation(r: AlertRule, channelWord: string, now: Date, clocks: LocalClocks): string {
  const when = r.recurring ? (r.schedule ? ` ${schedulePhrase(r.schedule)}` : ' each time') : '';
  const until = r.expiresAt ? (Date.parse(r.expiresAt) - now.getTime() <= 36 * 3600_000 ? ` until ${clocks.hhmm(r.expiresAt, r.timezone)}` : ` until ${r.expiresAt.slice(0, 10)}`) : '';
  return `OK: I'll ${channelWord} you${when} when ${conditionPhrase(r.condition)} at ${r.stationName}${until} (alert ${r.no}).`;
}

/** "one line per rule: 1. docks at Waterloo Station 3 — weekdays before 08:00". */
export function listLine(r: AlertRule): string {
  const sched = r.recurring ? (r.schedule ? `, ${schedulePhrase(r.schedule)}` : ', each time') : ', once';
  return `${r.no}. ${ruleName(r)}${sched}`;
}

/** The alert itself: what changed, where, and when the feed observed it (clockText: "08:20" for an instant in a zone). */
export function alertText(r: Pick<AlertRule, 'condition' | 'recurring' | 'timezone'>, s: StationState & Pick<Station, 'name' | 'asOf'>, clockText: (iso: string, timezone: string) => string): string {
  const c = r.condition;
  const at = s.asOf ? ` (as of ${clockText(s.asOf, r.timezone)})` : '';
  let what: string;
  if (c.kind === 'closed') what = `${s.name} has closed${s.closure ? `${s.closure.until ? ` until ${clockText(s.closure.until, r.timezone)}` : ''}${s.closure.note ? ` (${s.closure.note.replace(/[.\s]+$/, '')})` : ''}` : !s.installed ? ' (not in service)' : s.locked ? ' (locked)' : !s.renting ? ' (not renting bikes)' : ' (not taking bikes back)'}`;
  else if (c.kind === 'reopened') what = `${s.name} is open again`;
  else {
    const v = measureOf(s, c.measure) ?? 0;
    what = c.measure === 'docks' ? `${plural(v, 'docks')} at ${s.name}` : `${plural(v, c.measure)} at ${s.name}`;
    if (v === 0) what = `no ${NOUN[c.measure][1]} at ${s.name}`;
  }
  const tail = r.recurring ? '' : ' This alert is done.';
  return `BikeBot alert: ${what}${at}.${tail}`;
}
