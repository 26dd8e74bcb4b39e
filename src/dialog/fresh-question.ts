import type { InboundMessage } from '../domain/message.js';
import type { StationIndex } from '../domain/station-index.js';
import { chooseAnswer, notFoundAnswer } from './answers/choose.js';
import { textAnswer } from './answers/common.js';
import { nearestAnswer } from './answers/nearest.js';
import { stationStatus } from './answers/station-status.js';
import { unknownReply, whereReply } from './replies/canned.js';
import { wantNoun } from './replies/format.js';
import type { SessionPlace } from './session.js';
import { buildCtx, done, type Outcome, type Turn } from './turn-context.js';

function systemIdFor(index: StationIndex, hint: string | null): string | null {
  if (!hint) return null;
  const h = hint.toLowerCase();
  const sys = index.systems.find((s) => s.id.toLowerCase() === h || s.name.toLowerCase() === h || (s.aliases ?? []).some((a) => a.toLowerCase() === h));
  return sys?.id ?? null;
}

/** A new question: whatever the session held no longer applies. */
export async function fresh(t: Turn, index: StationIndex): Promise<Outcome> {
  const { u } = t;
  const voice = t.msg.voice === true;
  const systemId = systemIdFor(index, u.systemHint);
  const ctx = buildCtx(t, index, systemId);
  const location = validLocation(t.msg.location);
  const wantsStations = u.intent === 'nearest' || u.intent === 'station_status' || u.want !== 'any' || u.near;
  if (u.followUp && u.subject === null && !u.coordinates && !location) {
    // "2" or "next one?" with nothing open: there is no list to refer to.
    if (u.followUp.kind === 'want') return { answer: textAnswer('nearest', u.followUp.want, whereReply(wantNoun(u.followUp.want)), voice), session: 'keep' };
    return { answer: textAnswer('unknown', 'any', unknownReply(t.text), voice), session: 'keep' };
  }
  if (u.coordinates) {
    const place: SessionPlace = { name: `${u.coordinates.lat.toFixed(4)}, ${u.coordinates.lon.toFixed(4)}`, lat: u.coordinates.lat, lon: u.coordinates.lon };
    return withSystem(done(nearestAnswer(ctx, place, u.want), true), systemId);
  }
  if (u.subject === null || u.subject.trim() === '') {
    if (location && (wantsStations || u.intent === 'unknown')) {
      return withSystem(done(nearestAnswer(ctx, { name: 'your location', lat: location.lat, lon: location.lon, own: true }, u.want), true), systemId);
    }
    if (wantsStations) return { answer: textAnswer(u.intent === 'unknown' ? 'nearest' : u.intent, u.want, whereReply(wantNoun(u.want)), voice), session: 'keep' };
    return { answer: textAnswer('unknown', u.want, unknownReply(t.text), voice), session: 'keep' };
  }
  const it = await t.brain.interpret(u, { index, geocoder: t.deps.geocoder, location });
  const own: SessionPlace | null = location ? { name: 'your location', lat: location.lat, lon: location.lon, own: true } : null;
  switch (it.kind) {
    case 'station': {
      const st = it.station;
      if ((u.near || u.intent === 'nearest') && st.lat !== null && st.lon !== null) {
        return withSystem(done(nearestAnswer(ctx, { name: st.name, lat: st.lat, lon: st.lon }, u.want), true), systemId);
      }
      return withSystem(done(stationStatus(ctx, st, u.want, own), true), systemId);
    }
    case 'place': {
      const p = it.place;
      return withSystem(done(nearestAnswer(ctx, { name: p.name, lat: p.lat, lon: p.lon }, u.want), true), systemId);
    }
    case 'choose': {
      const intent = u.intent === 'unknown' ? 'station_status' : u.intent;
      return withSystem(done(chooseAnswer(ctx, it.candidates, u.want, intent, 'Which one did you mean?', own), true), systemId);
    }
    case 'not_found':
      // A bare phrase that matches nothing ("undefined", "lots of love") was not a question about stations.
      return withSystem(done(notFoundAnswer(ctx, u.subject, it.suggestions, u.want, u.explicit === false ? 'unknown' : u.intent), true), systemId);
  }
}

function withSystem(o: Outcome, systemId: string | null): Outcome {
  if (typeof o.session === 'object') o.session.systemId = systemId;
  return o;
}

function validLocation(loc: InboundMessage['location']): { lat: number; lon: number } | null {
  if (!loc || typeof loc.lat !== 'number' || typeof loc.lon !== 'number') return null;
  if (!Number.isFinite(loc.lat) || !Number.isFinite(loc.lon) || Math.abs(loc.lat) > 90 || Math.abs(loc.lon) > 180) return null;
  return { lat: loc.lat, lon: loc.lon };
}
