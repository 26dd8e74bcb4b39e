import type { ZoneClocks } from './data-age.js';
import { walkingMinutes } from '../../domain/geo.js';
import type { Station, Want } from '../../domain/station.js';

/**
 * Small building blocks for replies. Replies are read on a phone screen or heard
 * on a call, so counts under ten are words ("no bikes", "one space"), distances are
 * rounded to what a person can use, and nothing unknown is dressed up as a number.
 */

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

export function countPhrase(n: number | null, singular: string, plural: string): string | null {
  if (n === null || !Number.isFinite(n)) return null;
  const num = n >= 0 && n < WORDS.length && Number.isInteger(n) ? WORDS[n] : String(n);
  return `${num} ${n === 1 ? singular : plural}`;
}

export const bikesPhrase = (n: number | null): string | null => countPhrase(n, 'bike', 'bikes');
export const ebikesPhrase = (n: number | null): string | null => countPhrase(n, 'e-bike', 'e-bikes');
export const spacesPhrase = (n: number | null): string | null => countPhrase(n, 'space', 'spaces');

/** "120 m", "1.4 km": metres are exact enough below a kilometre, tenths above. */
export function distancePhrase(m: number): string {
  if (m < 1000) return `${Math.max(10, Math.round(m / 10) * 10)} m`;
  if (m < 10_000) return `${(m / 1000).toFixed(1)} km`;
  return `${Math.round(m / 1000)} km`;
}

/** "250 m, 3 min walk"; beyond 5 km nobody walks, so minutes are left out. */
export function distanceWalk(m: number): string {
  if (m > 5000) return distancePhrase(m);
  return `${distancePhrase(m)}, ${walkingMinutes(m)} min walk`;
}

/** "250 m away, 3 min walk". */
export function awayPhrase(m: number): string {
  return m > 5000 ? `${distancePhrase(m)} away` : `${distancePhrase(m)} away, ${walkingMinutes(m)} min walk`;
}

export function wantNoun(want: Want): string {
  switch (want) {
    case 'bikes':
      return 'bikes';
    case 'ebikes':
      return 'e-bikes';
    case 'docks':
      return 'spaces';
    case 'any':
      return 'stations';
  }
}

/** The counts that matter for this want, most relevant first. */
export function countsFor(s: Station, want: Want): string {
  const bikes = bikesPhrase(s.bikes);
  const spaces = spacesPhrase(s.emptyDocks);
  const ebikes = ebikesPhrase(s.ebikes);
  const parts: string[] = [];
  if (want === 'docks') {
    parts.push(spaces ?? 'space count unknown');
    if (bikes) parts.push(bikes);
  } else if (want === 'ebikes') {
    if (ebikes) parts.push(s.bikes !== null && s.bikes !== s.ebikes ? `${ebikes} (${s.bikes} bikes in all)` : ebikes);
    else parts.push(bikes ? `${bikes} (e-bike count not published)` : 'bike count unknown');
    if (spaces) parts.push(spaces);
  } else {
    if (bikes) parts.push(ebikes && (s.ebikes ?? 0) > 0 ? `${bikes} (${ebikes})` : bikes);
    else parts.push('bike count unknown');
    parts.push(spaces ?? 'space count unknown');
  }
  return parts.join(', ');
}

/** Just the count the person asked about, for list items. */
export function headlineCount(s: Station, want: Want): string {
  if (want === 'docks') return spacesPhrase(s.emptyDocks) ?? 'space count unknown';
  if (want === 'ebikes') return ebikesPhrase(s.ebikes) ?? bikesPhrase(s.bikes) ?? 'bike count unknown';
  if (want === 'bikes') return bikesPhrase(s.bikes) ?? 'bike count unknown';
  return countsFor(s, 'any');
}

/**
 * Why this station cannot serve the want, or null when it can. Being closed
 * outranks being empty: an empty but open station will fill up, a locked one will not.
 */
export function cannotServeReason(s: Station, want: Want, clock?: { now: Date; timezone: string; clocks: ZoneClocks }): string | null {
  if (s.closure) {
    const until = s.closure.until && clock ? ` until ${clock.clocks.phrase(new Date(s.closure.until), clock.now, clock.timezone)}` : '';
    return `${s.name} is closed${until}${s.closure.note ? ` (${s.closure.note.replace(/[.\s]+$/, '')})` : ''}.`;
  }
  if (!s.installed) return `${s.name} is not in service right now.`;
  if (s.locked) return `${s.name} is closed (locked) right now.`;
  if (s.lat === null || s.lon === null) return `${s.name} has no location on the map, so I can't send you there.`;
  switch (want) {
    case 'any':
      return null;
    case 'bikes':
      if (!s.renting) return `${s.name} is not renting bikes right now.`;
      if (s.bikes === null) return `${s.name} has no bike count right now.`;
      return s.bikes > 0 ? null : `No bikes at ${s.name}${tail(spacesPhrase(s.emptyDocks))}.`;
    case 'ebikes':
      if (!s.renting) return `${s.name} is not renting bikes right now.`;
      // No e-bike count published: any bike is the best that can honestly be said.
      if (s.ebikes === null) return cannotServeReason(s, 'bikes');
      return s.ebikes > 0 ? null : `No e-bikes at ${s.name}${tail(bikesPhrase(s.bikes))}.`;
    case 'docks':
      if (!s.returning) return `${s.name} is not taking bikes back right now.`;
      if (s.emptyDocks === null) return `${s.name} has no space count right now.`;
      return s.emptyDocks > 0 ? null : `No spaces at ${s.name}${tail(bikesPhrase(s.bikes), brokenPhrase(s))}.`;
  }
}

function brokenPhrase(s: Station): string | null {
  return s.brokenDocks !== null && s.brokenDocks > 0 ? `${countPhrase(s.brokenDocks, 'dock', 'docks')} out of order` : null;
}

function tail(...parts: Array<string | null>): string {
  const kept = parts.filter((p): p is string => p !== null);
  return kept.length ? ` (${kept.join(', ')})` : '';
}

/** Cut a person's own words before echoing them: a reply must stay an SMS. */
export function echo(text: string, max = 40): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  // Whole code points only: half an emoji is not text.
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '...';
}

/** Display name without the area after the last comma, for tight lists. */
export function shortName(name: string): string {
  const i = name.indexOf(',');
  return i > 0 ? name.slice(0, i) : name;
}
