import type { Station, Want } from '../../domain/station.js';
import { compose, type ListItem } from '../replies/compose.js';
import { fitsSms } from '../sms.js';
import { walkingMinutes } from '../../domain/geo.js';
import { awayPhrase, distancePhrase, echo, headlineCount, shortName, wantNoun } from '../replies/format.js';
import { systemLabel } from '../systems.js';
import type { SessionPlace } from '../session.js';
import { age, effectiveWant, MAX_NEAREST, noStationsAnswer, render, toAnswerPlace, toAnswerStation, type BuildCtx, type Built } from './common.js';

/** Beyond this nobody walks over to a dock; the answer says so instead of pretending it is near. */
const FAR_M = 5000;

/**
 * A place with no station of any system within reach is not a place with no bikes
 * "right now": it is outside what we cover, and the person should hear where we do.
 */
export function outsideCoverage(ctx: BuildCtx, at: { lat: number; lon: number }): string | null {
  if (ctx.index.nearest(at.lat, at.lon, { k: 1 }).length > 0) return null;
  // Half the Earth's circumference: any station anywhere.
  const nearest = ctx.index.nearest(at.lat, at.lon, { k: 1, maxDistanceM: 20_040_000 })[0];
  if (!nearest) return null;
  const sys = ctx.index.systems.find((x) => x.id === nearest.station.systemId);
  const label = systemLabel(ctx.index, nearest.station.systemId);
  const name = sys && sys.name !== label ? `${sys.name} (${label})` : label;
  return `That is outside the areas I cover; the nearest I know is ${name}, ${distancePhrase(nearest.distanceM)} away.`;
}

/** Up to three stations nearest the place that can serve the want. */
export function nearestAnswer(ctx: BuildCtx, place: SessionPlace, want: Want, exclude: ReadonlySet<string> = new Set(), next = false): Built {
  const eff = effectiveWant(ctx.index, place, want, ctx.systemId);
  const scope = { k: next ? 1 : MAX_NEAREST, exclude, ...(ctx.systemId ? { systemId: ctx.systemId } : {}) };
  let found = ctx.index.nearest(place.lat, place.lon, { want: eff, ...scope });
  const where = place.own ? 'you' : echo(place.name);
  const noun = wantNoun(eff);
  const answerPlace = toAnswerPlace(place);
  // Said, never dropped to fit: otherwise "e-bikes near X" would silently be answered with all bikes.
  const ebikeNote = eff !== want ? 'E-bike counts are not published here, so these are bike counts.' : '';
  // None known to serve the want, but the feed gave no counts for stations here:
  // that is "count unknown", never "no bikes".
  let unknown = false;
  if (found.length === 0) {
    const near = ctx.index.nearest(place.lat, place.lon, { want: 'any', ...scope }).filter((n) => countUnknown(n.station, eff));
    if (near.length > 0) {
      found = near;
      unknown = true;
    }
  }
  if (found.length === 0) {
    const outside = exclude.size === 0 ? outsideCoverage(ctx, place) : null;
    const text = outside ?? (exclude.size > 0 ? `No more stations with ${noun} near ${where} right now.` : `No stations with ${noun} near ${where} right now.`);
    return {
      answer: noStationsAnswer('nearest', want, compose({ head: text }, render(ctx)).text, [], answerPlace),
      session: { intent: 'nearest', want, stationId: null, place, lastIds: [], options: [] },
    };
  }
  // A list reads "Name: count, distance"; a single station reads as one sentence.
  const sep = found.length > 1 ? ':' : ',';
  const items: ListItem[] = found.map((n) => {
    const rest = `${sep} ${headlineCount(n.station, eff)}, ${awayPhrase(n.distanceM)}.`;
    return { full: n.station.name + rest, short: shortName(n.station.name) + rest };
  });
  const a = age(ctx, found.map((n) => n.station));
  // A place far from every station is usually a place in another city or a wrong guess: say so.
  const far = !next && found[0].distanceM > FAR_M ? `No ${noun} within ${FAR_M / 1000} km of ${where}. ` : '';
  const head = unknown ? `${COUNT_NAME[eff]} unknown near ${where} right now: the feed did not give them. Nearest:` : far ? `${far}Nearest:` : next ? `Next nearest${want === 'any' ? '' : ` with ${noun}`}:` : `Nearest ${noun} to ${where}:`;
  // Heard, a list is one sentence: "The nearest with spaces to X are A, 24 spaces, 2 min walk; then B, …".
  const spoken = ctx.voice && found.length > 1 && !unknown;
  const sayHead = `${far}The nearest ${want === 'any' ? 'stations' : `with ${noun}`} ${far ? 'are' : `to ${where} are`}`;
  const sayItems = (listed: ListItem[]): ListItem[] =>
    listed.map((it, i) => {
      const n = found[i];
      // Heard, minutes are what a walker uses; metres as well would double the sentence.
      const away = n.distanceM > 5000 ? `${distancePhrase(n.distanceM)} away` : `${walkingMinutes(n.distanceM)} min walk`;
      const said = `${shortName(n.station.name)}, ${headlineCount(n.station, eff)}, ${away}`;
      const text = `${i === 0 ? '' : 'then '}${said}${i === listed.length - 1 ? '.' : ';'}`;
      return { full: text, short: text };
    });
  // Spoken lists are held to the same length as written ones (Lex and Connect cap a
  // message too): fewer stations, each sentence whole, never a dangling "then".
  const sayFitting = (listed: ListItem[], note: string) => {
    for (let n = listed.length; n >= 1; n--) {
      const text = render(ctx)([sayHead, ...sayItems(listed.slice(0, n)).map((it) => it.full), note, ebikeNote].filter(Boolean).join(' '));
      if (fitsSms(text) || n === 1) return { text, kept: n };
    }
    return { text: '', kept: 0 };
  };
  const build = (listed: ListItem[], note: string) =>
    spoken ? sayFitting(listed, note) : compose({ head, items: listed, numbered: found.length > 1, tail: [note, ebikeNote].filter(Boolean) }, render(ctx));
  let composed = build(items, a.note);
  const shown = found.slice(0, composed.kept);
  // The age must describe exactly the counts left in the reply.
  const a2 = shown.length === found.length ? a : age(ctx, shown.map((n) => n.station));
  if (a2.note !== a.note) {
    const again = build(items.slice(0, shown.length), a2.note);
    if (again.kept === shown.length) composed = again;
  }
  return {
    answer: {
      intent: 'nearest',
      want,
      reply: composed.text,
      stations: shown.map((n) => toAnswerStation(n.station, n.distanceM)),
      options: [],
      place: answerPlace,
      dataAsOf: a2.dataAsOf,
      stale: a2.stale,
      timeZone: a2.timeZone,
    },
    session: { intent: 'nearest', want, stationId: null, place, shownIds: [...exclude, ...shown.map((n) => n.station.id)], lastIds: shown.map((n) => n.station.id), options: [] },
  };
}

const COUNT_NAME: Record<Want, string> = { bikes: 'Bike counts are', ebikes: 'Bike counts are', docks: 'Space counts are', any: 'Counts are' };

function countUnknown(s: Station, want: Want): boolean {
  // A station that is not renting (or not taking bikes back) is never offered, count or no count.
  if (want === 'docks') return s.returning && s.emptyDocks === null;
  if (want === 'ebikes') return s.renting && s.ebikes === null && s.bikes === null;
  return s.renting && s.bikes === null;
}
