/** Whole seconds since an ISO time (never negative: clocks disagree a little); null when there is no time. */
export function ageS(iso: string | null, now = Date.now()): number | null {
  return iso ? Math.max(0, Math.round((now - Date.parse(iso)) / 1000)) : null;
}
