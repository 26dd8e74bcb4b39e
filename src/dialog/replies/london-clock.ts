/**
 * Europe/London's clock by arithmetic, for the phrases data-age.ts makes ("09:25",
 * "1 Aug"). The first Intl.DateTimeFormat a process builds loads ICU's locale and zone
 * data, 15–30 ms of CPU, and London — TfL and the default zone — is in nearly every
 * first answer: a restarted server's and every `bikebot ask`. Since 1996 the UK keeps
 * the EU rule (BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
 * Sunday of October), which ICU's data continues for later years; outside 1996–2099
 * the caller's Intl formatter answers instead. test/dialog/london-clock.test.ts checks
 * every changeover and a spread of other times against Intl itself, so a Node whose ICU
 * says otherwise (another month abbreviation, say) fails there, not silently.
 */

/** en-GB's short months as ICU 7x spells them ("Sept", not "Sep"). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
const FIRST_YEAR = 1996;
const LAST_YEAR = 2099;
const HOUR_MS = 3_600_000;

/** 01:00 UTC on the last Sunday of `month` (0-based) in `year`. */
function lastSundayOneAm(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** The wall-clock time in London as a UTC date (read with getUTC*), or null outside the years the rule covers. */
function londonWall(at: Date): Date | null {
  const ms = at.getTime();
  const year = at.getUTCFullYear();
  if (!(year >= FIRST_YEAR && year <= LAST_YEAR)) return null;
  const summer = ms >= lastSundayOneAm(year, 2) && ms < lastSundayOneAm(year, 9);
  return summer ? new Date(ms + HOUR_MS) : at;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export interface ClockFormat {
  format(at: Date): string;
}

/** "HH:MM" (24-hour) in London; `fallback` for dates the rule does not cover. */
export function londonTime(fallback: () => ClockFormat): ClockFormat {
  return {
    format: (at) => {
      const w = londonWall(at);
      return w ? `${two(w.getUTCHours())}:${two(w.getUTCMinutes())}` : fallback().format(at);
    },
  };
}

/** "1 Aug" in London; `fallback` for dates the rule does not cover. */
export function londonDay(fallback: () => ClockFormat): ClockFormat {
  return {
    format: (at) => {
      const w = londonWall(at);
      return w ? `${w.getUTCDate()} ${MONTHS[w.getUTCMonth()]}` : fallback().format(at);
    },
  };
}
