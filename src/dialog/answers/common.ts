import type { Answer, AnswerStation, Intent } from '../../domain/answer.js';
import { distanceM } from '../../domain/geo.js';
import type { StationIndex } from '../../domain/station-index.js';
import type { Station, Want } from '../../domain/station.js';
import { compose } from '../replies/compose.js';
import { dataAge, DEFAULT_TIMEZONE, type ZoneClocks } from '../replies/data-age.js';
import type { Session, SessionPlace } from '../session.js';
import { toSpeech } from '../speech.js';

/** Everything an answer builder needs for one turn. */
export interface BuildCtx {
  index: StationIndex;
  now: Date;
  staleAfterMs: number;
  voice: boolean;
  systemId: string | null;
  clocks: ZoneClocks;
}

/** An answer and what the session should remember of it. */
export interface Built {
  answer: Answer;
  session: Partial<Session>;
}

/** Most options listed in one choice; more close candidates are narrowed down by area (answers/choose.ts). */
export const MAX_OPTIONS = 8;
export const MAX_NEAREST = 3;

export function render(ctx: { voice: boolean }): (s: string) => string {
  return ctx.voice ? toSpeech : (s) => s;
}

export function toAnswerStation(s: Station, distance: number | null): AnswerStation {
  return {
    id: s.id,
    name: s.name,
    lat: s.lat,
    lon: s.lon,
    bikes: s.bikes,
    standardBikes: s.standardBikes,
    ebikes: s.ebikes,
    emptyDocks: s.emptyDocks,
    docks: s.docks,
    brokenDocks: s.brokenDocks,
    distanceM: distance === null ? null : Math.round(distance),
    asOf: s.asOf,
  };
}

/** The place as answers show it: the session's own-location mark stays in the session. */
export function toAnswerPlace(p: SessionPlace): NonNullable<Answer['place']> {
  return { name: p.name, lat: p.lat, lon: p.lon };
}

export function timezoneOf(index: StationIndex, systemId: string | undefined): string {
  return index.systems.find((s) => s.id === systemId)?.timezone ?? DEFAULT_TIMEZONE;
}

export function distanceFrom(from: { lat: number; lon: number } | null, s: Station): number | null {
  if (!from || s.lat === null || s.lon === null) return null;
  return distanceM(from.lat, from.lon, s.lat, s.lon);
}

/**
 * Time zone and age of the counts shown. The age note is part of the honest answer,
 * so it goes in the tail that is never dropped.
 */
export function age(ctx: BuildCtx, stations: Station[]): { dataAsOf: string | null; stale: boolean; note: string; timeZone: string } {
  const tz = timezoneOf(ctx.index, stations[0]?.systemId);
  const times: Array<string | null> = new Array(stations.length);
  for (let i = 0; i < stations.length; i++) times[i] = stations[i].asOf;
  return { ...dataAge(times, ctx.now, ctx.staleAfterMs, tz, ctx.clocks), timeZone: tz };
}

/**
 * When the feed publishes no e-bike counts near here (TfL data before 2023, many
 * GBFS systems), "has e-bikes" can never be true; bikes is the honest fallback,
 * and the reply says so.
 */
export function effectiveWant(index: StationIndex, at: { lat: number; lon: number }, want: Want, systemId: string | null): Want {
  if (want !== 'ebikes') return want;
  const around = index.nearest(at.lat, at.lon, { k: 5, ...(systemId ? { systemId } : {}) });
  return around.length > 0 && around.every((n) => n.station.ebikes === null) ? 'bikes' : 'ebikes';
}

/** An answer that shows no station counts: a reply, perhaps options to choose from and the place asked about. */
export function noStationsAnswer(intent: Intent, want: Want, reply: string, options: Answer['options'] = [], place: Answer['place'] = null): Answer {
  return { intent, want, reply, stations: [], options, place, dataAsOf: null, stale: false };
}

/** A plain text answer with no stations (help, greetings, errors, questions back). */
export function textAnswer(intent: Intent, want: Want, text: string, voice: boolean): Answer {
  return noStationsAnswer(intent, want, compose({ head: text }, render({ voice })).text);
}
