import type { Intent } from '../../domain/answer.js';
import type { Station, Want } from '../../domain/station.js';
import { compose } from '../replies/compose.js';
import { awayPhrase, cannotServeReason, countsFor, distanceWalk, headlineCount, wantNoun } from '../replies/format.js';
import type { SessionPlace } from '../session.js';
import { age, distanceFrom, effectiveWant, render, timezoneOf, toAnswerPlace, toAnswerStation, type BuildCtx, type Built } from './common.js';

/** A named station: its counts for the want, and the nearest one that can serve when it cannot. */
export function stationStatus(ctx: BuildCtx, s: Station, want: Want, from: SessionPlace | null, intent: Intent = 'station_status'): Built {
  const reason = cannotServeReason(s, want, { now: ctx.now, timezone: timezoneOf(ctx.index, s.systemId), clocks: ctx.clocks });
  const mentioned: Array<{ station: Station; distance: number | null }> = [{ station: s, distance: distanceFrom(from, s) }];
  let head: string;
  const optional: string[] = [];
  if (reason === null) {
    const d = mentioned[0].distance;
    const away = from?.own && d !== null ? ` (${distanceWalk(d)} from you)` : '';
    head = `${s.name}${away}: ${countsFor(s, want)}.`;
    if (want === 'docks' && s.brokenDocks !== null && s.brokenDocks > 0) optional.push(`${s.brokenDocks === 1 ? 'One dock is' : `${s.brokenDocks} docks are`} out of order.`);
  } else {
    head = reason;
    const origin = s.lat !== null && s.lon !== null ? { lat: s.lat, lon: s.lon } : from;
    if (origin) {
      const eff = effectiveWant(ctx.index, origin, want, ctx.systemId ?? s.systemId);
      const alt = ctx.index.nearest(origin.lat, origin.lon, { want: eff, k: 1, exclude: new Set([s.id]), systemId: ctx.systemId ?? s.systemId })[0];
      if (alt) {
        head += ` ${alt.station.name} is ${awayPhrase(alt.distanceM)}, with ${headlineCount(alt.station, eff)}.`;
        mentioned.push({ station: alt.station, distance: distanceFrom(from, alt.station) });
      } else {
        head += ` No station nearby has ${wantNoun(eff)} right now.`;
      }
    }
  }
  const shown = mentioned.map((m) => m.station);
  const a = age(ctx, shown);
  const { text } = compose({ head, tail: a.note ? [a.note] : [], optional }, render(ctx));
  return {
    answer: {
      intent,
      want,
      reply: text,
      stations: mentioned.map((m) => toAnswerStation(m.station, m.distance)),
      options: [],
      place: from ? toAnswerPlace(from) : null,
      dataAsOf: a.dataAsOf,
      stale: a.stale,
      timeZone: a.timeZone,
    },
    session: {
      intent,
      want,
      stationId: s.id,
      // "next one?" after a named station means the next nearest to it.
      place: s.lat !== null && s.lon !== null ? { name: s.name, lat: s.lat, lon: s.lon } : from,
      shownIds: shown.map((x) => x.id),
      lastIds: shown.map((x) => x.id),
      options: [],
    },
  };
}
