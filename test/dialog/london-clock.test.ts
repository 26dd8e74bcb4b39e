import { test } from 'node:test';
import assert from 'node:assert/strict';
import { londonDay, londonTime } from '../../src/dialog/replies/london-clock.js';

const intlTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const intlDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short' });
const noFallback = () => {
  throw new Error('fell back inside 1996-2099');
};
const time = londonTime(noFallback);
const day = londonDay(noFallback);

function sameAsIntl(ms: number): void {
  const at = new Date(ms);
  assert.equal(time.format(at), intlTime.format(at), at.toISOString());
  assert.equal(day.format(at), intlDay.format(at), at.toISOString());
}

test('London clock: equals Intl minute by minute around every changeover 1996-2099', () => {
  for (let year = 1996; year <= 2099; year++) {
    for (const month of [2, 9]) {
      const lastDay = new Date(Date.UTC(year, month + 1, 0));
      const sunday = Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay());
      // From the Saturday before to the Monday after, every 15 minutes, and each minute either side of 01:00 UTC.
      for (let ms = sunday - 86_400_000; ms <= sunday + 2 * 86_400_000; ms += 900_000) sameAsIntl(ms);
      for (let m = -3; m <= 3; m++) sameAsIntl(sunday + 3_600_000 + m * 60_000);
      sameAsIntl(sunday + 3_600_000 - 1);
    }
  }
});

test('London clock: equals Intl at month ends, year ends and spread times 1996-2099', () => {
  for (let year = 1996; year <= 2099; year++) {
    for (let month = 0; month < 12; month++) {
      const first = Date.UTC(year, month, 1);
      for (const d of [-3_600_001, -1, 0, 1, 22 * 3_600_000 + 59 * 60_000, 23 * 3_600_000 + 30 * 60_000]) {
        if (new Date(first + d).getUTCFullYear() >= 1996) sameAsIntl(first + d);
      }
    }
  }
  // A deterministic spread of odd minutes over the whole range.
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    sameAsIntl(Date.UTC(1996, 0, 1, 1) + (x / 2 ** 31) * (Date.UTC(2099, 11, 31) - Date.UTC(1996, 0, 1, 1)));
  }
});

test('London clock: outside 1996-2099 the fallback answers', () => {
  const fallback = { format: (at: Date) => `intl:${at.getUTCFullYear()}` };
  assert.equal(londonTime(() => fallback).format(new Date(Date.UTC(1995, 5, 1))), 'intl:1995');
  assert.equal(londonDay(() => fallback).format(new Date(Date.UTC(2100, 0, 1, 12))), 'intl:2100');
  assert.equal(londonTime(() => intlTime).format(new Date(Date.UTC(1990, 6, 1, 12))), intlTime.format(new Date(Date.UTC(1990, 6, 1, 12))));
});
