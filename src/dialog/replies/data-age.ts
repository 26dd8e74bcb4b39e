/**
 * How old the counts are, said the way a person needs it. Counts a minute or two
 * old are as good as live and are not commented on; older counts get their
 * observation time in the system's own time zone ("counts from 14:02"), because the
 * person is standing in that city whatever zone the server runs in.
 */
import { londonDay, londonTime, type ClockFormat } from './london-clock.js';

export const DEFAULT_TIMEZONE = 'Europe/London';
/** Below this age the time is not worth the words it takes. */
export const MENTION_AGE_MS = 5 * 60_000;

export interface DataAge {
  /** The oldest observation time among the counts shown (ISO), or null when none. */
  dataAsOf: string | null;
  stale: boolean;
  /** Sentence to append to the reply, or '' when the data is fresh. */
  note: string;
}

interface ZoneFormats {
  readonly time: ClockFormat;
  readonly day: ClockFormat;
}

/** The clock of one time zone, with the last phrase it made remembered. */
class ZoneClock {
  private atMs = NaN;
  private atTime = '';
  private atDay = '';
  private nowMinute = NaN;
  private nowDay = '';

  constructor(private readonly f: ZoneFormats) {}

  phrase(at: Date, now: Date): string {
    // Every answer from one snapshot states the same observation time, and "now" is
    // on the same day for a whole minute at least: Intl runs when either changes.
    const atMs = at.getTime();
    if (atMs !== this.atMs) {
      this.atTime = this.f.time.format(at);
      this.atDay = this.f.day.format(at);
      this.atMs = atMs;
    }
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== this.nowMinute) {
      this.nowDay = this.f.day.format(now);
      this.nowMinute = minute;
    }
    return this.atDay === this.nowDay ? this.atTime : `${this.atTime} on ${this.atDay}`;
  }
}

/**
 * Clock phrases in each system's own time zone. Building an Intl.DateTimeFormat
 * costs far more than using one, and formatting three dates per answer showed in
 * profiles, so one is built per zone on first use (London's only for dates its
 * arithmetic does not cover) and its last phrase is reused.
 * A value owned by whoever answers turns (the turn handler), never module state.
 */
export class ZoneClocks {
  private readonly zones = new Map<string, ZoneClock>();

  /** "14:02", or "09:25 on 1 Aug" when the counts are from another day than now (in that zone). */
  phrase(at: Date, now: Date, timeZone: string): string {
    let clock = this.zones.get(timeZone);
    if (!clock) {
      clock = new ZoneClock(formatsFor(timeZone) ?? (formatsFor(DEFAULT_TIMEZONE) as ZoneFormats));
      this.zones.set(timeZone, clock);
    }
    return clock.phrase(at, now);
  }
}

function formatsFor(timeZone: string): ZoneFormats | null {
  try {
    const intl = intlFormats(timeZone);
    if (timeZone !== 'Europe/London') return intl();
    // London's phrases by arithmetic (london-clock.ts): no ICU load in the first answer.
    return Object.freeze({ time: londonTime(() => intl().time), day: londonDay(() => intl().day) });
  } catch {
    // An unknown zone in a feed's config must not cost the person their answer.
    return null;
  }
}

/** The zone's Intl formatters, built on first call (throws for an unknown zone). */
function intlFormats(timeZone: string): () => ZoneFormats {
  let made: ZoneFormats | null = null;
  return () =>
    (made ??= Object.freeze({
      time: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      day: new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }),
    }));
}

export function oldestAsOf(times: ReadonlyArray<string | null>): string | null {
  let oldest: string | null = null;
  let oldestMs = Infinity;
  for (const t of times) {
    if (t === null) continue;
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) continue;
    if (ms < oldestMs) {
      oldestMs = ms;
      oldest = t;
    }
  }
  return oldest;
}

export function dataAge(times: ReadonlyArray<string | null>, now: Date, staleAfterMs: number, timeZone: string, clocks: ZoneClocks): DataAge {
  const dataAsOf = oldestAsOf(times);
  if (dataAsOf === null) return { dataAsOf: null, stale: false, note: '' };
  const at = new Date(dataAsOf);
  const ageMs = now.getTime() - at.getTime();
  const stale = ageMs > staleAfterMs;
  if (ageMs <= MENTION_AGE_MS && !stale) return { dataAsOf, stale, note: '' };
  const clock = clocks.phrase(at, now, timeZone);
  const note = stale ? `Old data: counts from ${clock}, may have changed.` : `Counts from ${clock}.`;
  return { dataAsOf, stale, note };
}
