import type { InboundMessage } from '../domain/message.js';
import type { StationIndex } from '../domain/station-index.js';
import type { Station } from '../domain/station.js';
import type { Interpretation, Understanding } from '../domain/understanding.js';
import { chooseAnswer, notFoundAnswer } from './answers/choose.js';
import { textAnswer } from './answers/common.js';
import { nearestAnswer } from './answers/nearest.js';
import { stationStatus } from './answers/station-status.js';
import { cancelReply, greetingReply, helpReply, thanksReply, unknownReply, whereReply } from './replies/canned.js';
import type { Examples } from './replies/examples.js';
import { otherLanguageReply } from './replies/service.js';
import { nameTokens } from '../domain/understand/normalise.js';
import { STATION_WORDS, STREET_TYPES } from '../domain/understand/lexicon.js';
import { examplesFor } from './replies/examples.js';
import { wantNoun } from './replies/format.js';
import type { SessionPlace } from './session.js';
import { geocoderWithin, isMultiSystem, namedSystem, spansSystems, stripCity, systemAtPoint } from './systems.js';
import type { BuildCtx, Built } from './answers/common.js';
import { buildCtx, done, type Outcome, type Turn } from './turn-context.js';
import { intentOutcome } from './intent-reply.js';

/** A place found from a message in another language is answered only when the geocoder is this sure of it. */
const FOREIGN_PLACE_CONFIDENCE = 0.9;

/**
 * The interpretation rests on a word of the message spelt as in the name ("tooley" in "…
 * an der tooley street"), not on how a foreign word sounds; or on a place found for certain.
 */
function namedOutright(it: Interpretation, subject: string | null): boolean {
  if (it.kind === 'place') return it.place.confidence >= FOREIGN_PLACE_CONFIDENCE;
  if (it.kind === 'not_found' || subject === null) return false;
  const said = new Set(nameTokens(subject));
  const station = it.kind === 'station' ? it.station : it.candidates[0];
  return station !== undefined && nameTokens(station.name).some((w) => w.length >= 4 && said.has(w) && !STREET_TYPES.has(w) && !STATION_WORDS.has(w));
}

function namesStreet(subject: string | null): boolean {
  return subject !== null && nameTokens(subject).some((w) => STREET_TYPES.has(w));
}

/** The most words a London station's name runs to (with its area): more is a story around one. */
const LONGEST_NAME_WORDS = 7;

/** A new question: whatever the session held no longer applies. */
export async function fresh(t: Turn, index: StationIndex): Promise<Outcome> {
  const { u } = t;
  const voice = t.msg.voice === true;
  // A city named in the message wins; otherwise the system is the one around the place in question.
  const named = namedSystem(index, u.systemHint, t.text);
  const at = (p: { lat: number; lon: number }): string | null => named ?? systemAtPoint(index, p);
  const ctxIn = (id: string | null) => buildCtx(t, index, id);
  const location = validLocation(t.msg.location);
  const own: SessionPlace | null = location ? { name: 'your location', lat: location.lat, lon: location.lon, own: true } : null;
  // Examples in replies come from the system in question, not always London.
  const ex = examplesFor(index, named ?? (location ? systemAtPoint(index, location) : null));
  const wantsStations = u.intent === 'nearest' || u.intent === 'station_status' || u.want !== 'any' || u.near;
  if (u.followUp && u.subject === null && !u.coordinates && !location) {
    // "2" or "next one?" with nothing open: there is no list to refer to.
    if (u.followUp.kind === 'want') return { answer: textAnswer('nearest', u.followUp.want, whereReply(wantNoun(u.followUp.want), ex), voice), session: 'keep' };
    return { answer: textAnswer('unknown', 'any', unknownReply(t.text, ex), voice), session: 'keep' };
  }
  if (u.coordinates) {
    const place: SessionPlace = { name: `${u.coordinates.lat.toFixed(4)}, ${u.coordinates.lon.toFixed(4)}`, lat: u.coordinates.lat, lon: u.coordinates.lon };
    const ctx = ctxIn(at(place));
    return settle(nearestAnswer(ctx, place, u.want), ctx);
  }
  if (u.subject === null || u.subject.trim() === '') {
    if (own && (wantsStations || u.intent === 'unknown')) {
      const ctx = ctxIn(at(own));
      return settle(nearestAnswer(ctx, own, u.want), ctx);
    }
    if (wantsStations) return { answer: textAnswer(u.intent === 'unknown' ? 'nearest' : u.intent, u.want, whereReply(wantNoun(u.want), ex), voice), session: 'keep' };
    if (u.foreign) return { answer: textAnswer('other_language', 'any', otherLanguageReply(ex), voice), session: 'keep' };
    return { answer: textAnswer('unknown', u.want, unknownReply(t.text, ex), voice), session: 'keep' };
  }
  const it = await interpretIn(t, index, u, named, location);
  // In another language, only a station named outright (or a place found for certain) is an answer:
  // a foreign word that sounds like a London name is not.
  if (u.foreign && !namedOutright(it, u.subject)) {
    return { answer: textAnswer('other_language', 'any', otherLanguageReply(ex), voice), session: 'keep' };
  }
  // "howdy partner", "forget I asked": a greeting or thanks with a word that names no station outright.
  // A street named after it ("ta runs street") is a name misheard, worth the question.
  // So is a thanks told at length ("thank you so much for your help, I was getting quite flustered at the
  // station but you sorted it out …"): words more than any name has, around a station word, name none outright.
  const told = u.subject !== null && u.subject.split(' ').length > LONGEST_NAME_WORDS;
  if ((u.explicit === false || told) && u.social && it.kind !== 'station' && !(it.kind === 'choose' && namesStreet(u.subject))) return socialOutcome(u.social, ex, voice);
  switch (it.kind) {
    case 'station': {
      const st = it.station;
      const ctx = ctxIn(named ?? (isMultiSystem(index) ? st.systemId : null));
      if ((u.near || u.intent === 'nearest') && st.lat !== null && st.lon !== null) {
        return settle(nearestAnswer(ctx, { name: st.name, lat: st.lat, lon: st.lon }, u.want), ctx);
      }
      return settle(stationStatus(ctx, st, u.want, own), ctx);
    }
    case 'place': {
      const p = it.place;
      const ctx = ctxIn(at(p));
      return settle(nearestAnswer(ctx, { name: p.name, lat: p.lat, lon: p.lon }, u.want), ctx);
    }
    case 'choose': {
      const intent = u.intent === 'unknown' ? 'station_status' : u.intent;
      // Options in one city keep the follow-up in it; options across cities leave it to the one chosen.
      const ctx = ctxIn(named ?? (isMultiSystem(index) && !spansSystems(it.candidates) ? (it.candidates[0]?.systemId ?? null) : null));
      return settle(chooseAnswer(ctx, it.candidates, u.want, intent, 'Which one did you mean?', own), ctx);
    }
    case 'not_found': {
      // What the lists took for a name names nothing, and the model read the message as something else
      // ("when was the bicycle invented", "unlock bike 12345"): that is the answer, not "I couldn't find".
      if (u.otherwise && it.suggestions.length === 0) {
        const other = intentOutcome(t, u.otherwise, ex);
        if (other) return other;
      }
      // A bare phrase that matches nothing ("undefined", "lots of love") was not a question about stations.
      const ctx = ctxIn(named);
      // Echo what was looked for, without the city word that picked the system.
      const said = (named && isMultiSystem(index) ? stripCity(u.subject, index, named) : null) ?? u.subject;
      return settle(notFoundAnswer(ctx, said, it.suggestions, u.want, u.explicit === false ? 'unknown' : u.intent), ctx);
    }
  }
}

/**
 * interpret(), narrowed to the system the person is in: a named city restricts station
 * names and places to it (and is tried without the city word when it hid the name);
 * namesakes in several cities are narrowed to the shared location's city.
 */
async function interpretIn(t: Turn, index: StationIndex, u: Understanding, named: string | null, location: { lat: number; lon: number } | null): Promise<Interpretation> {
  if (!isMultiSystem(index)) return t.brain.interpret(u, { index, geocoder: t.deps.geocoder, location });
  if (named) {
    const within = { index, geocoder: geocoderWithin(t.deps.geocoder, index, named), location };
    const hinted: Understanding = { ...u, systemHint: named };
    let it = await t.brain.interpret(hinted, within);
    const stripped = u.subject ? stripCity(u.subject, index, named) : null;
    if (stripped !== null && stripped !== u.subject && (it.kind === 'not_found' || it.kind === 'choose')) {
      const again = await t.brain.interpret({ ...hinted, subject: stripped }, within);
      if (again.kind !== 'not_found') it = again;
    }
    return keepWithin(it, named);
  }
  const it = await t.brain.interpret(u, { index, geocoder: t.deps.geocoder, location });
  if (it.kind === 'choose' && location) {
    const here = systemAtPoint(index, location);
    const local = here ? it.candidates.filter((s) => s.systemId === here) : [];
    if (local.length === 1 && local.length < it.candidates.length) return { kind: 'station', station: local[0], confidence: 0.5 };
    if (local.length > 1) return { kind: 'choose', candidates: local };
  }
  return it;
}

/** A named city is a promise: stations of another city are not the answer. */
function keepWithin(it: Interpretation, systemId: string): Interpretation {
  const inside = (s: Station) => s.systemId === systemId;
  if (it.kind === 'station' && !inside(it.station)) return { kind: 'not_found', suggestions: [] };
  if (it.kind === 'choose') {
    const c = it.candidates.filter(inside);
    return c.length > 0 ? { kind: 'choose', candidates: c } : { kind: 'not_found', suggestions: [] };
  }
  if (it.kind === 'not_found') return { kind: 'not_found', suggestions: it.suggestions.filter(inside) };
  return it;
}

/** A fresh answer; the session remembers the system it was given in, for follow-ups. */
function settle(b: Built, ctx: BuildCtx): Outcome {
  const o = done(b, true);
  if (typeof o.session === 'object') o.session.systemId = ctx.systemId;
  return o;
}

function validLocation(loc: InboundMessage['location']): { lat: number; lon: number } | null {
  if (!loc || typeof loc.lat !== 'number' || typeof loc.lon !== 'number') return null;
  if (!Number.isFinite(loc.lat) || !Number.isFinite(loc.lon) || Math.abs(loc.lat) > 90 || Math.abs(loc.lon) > 180) return null;
  return { lat: loc.lat, lon: loc.lon };
}

function socialOutcome(social: NonNullable<Understanding['social']>, ex: Examples, voice: boolean): Outcome {
  switch (social) {
    case 'cancel':
      return { answer: textAnswer('cancel', 'any', cancelReply(), voice), session: 'clear' };
    case 'help':
      return { answer: textAnswer('help', 'any', helpReply(ex), voice), session: 'keep' };
    case 'greeting':
      return { answer: textAnswer('greeting', 'any', greetingReply(ex), voice), session: 'keep' };
    case 'thanks':
      return { answer: textAnswer('thanks', 'any', thanksReply(), voice), session: 'keep' };
  }
}
