/**
 * How old the counts are, said the way a person needs it. Counts a minute or two
 * old are as good as live and are not commented on; older counts get their
 * observation time in the system's own time zone ("counts from 14:02"), because the
 * person is standing in that city whatever zone the server runs in.
 */

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

const formatters = new Map<string, { time: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string): { time: Intl.DateTimeFormat; day: Intl.DateTimeFormat } {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = {
        time: new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
        day: new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' }),
      };
    } catch {
      // An unknown zone in a feed's config must not cost the person their answer.
      return formattersFor(DEFAULT_TIMEZONE);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** "14:02", or "09:25 on 1 Aug" when the counts are from another day than now (in that zone). */
export function clockPhrase(at: Date, now: Date, timeZone: string): string {
  const f = formattersFor(timeZone);
  const time = f.time.format(at);
  const sameDay = f.day.format(at) === f.day.format(now);
  return sameDay ? time : `${time} on ${f.day.format(at)}`;
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

export function dataAge(times: ReadonlyArray<string | null>, now: Date, staleAfterMs: number, timeZone: string): DataAge {
  const dataAsOf = oldestAsOf(times);
  if (dataAsOf === null) return { dataAsOf: null, stale: false, note: '' };
  const at = new Date(dataAsOf);
  const ageMs = now.getTime() - at.getTime();
  const stale = ageMs > staleAfterMs;
  if (ageMs <= MENTION_AGE_MS && !stale) return { dataAsOf, stale, note: '' };
  const clock = clockPhrase(at, now, timeZone);
  const note = stale ? `Old data: counts from ${clock}, may have changed.` : `Counts from ${clock}.`;
  return { dataAsOf, stale, note };
}
