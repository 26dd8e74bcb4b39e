import type { Intent } from '../../domain/answer.js';
import type { Station, Want } from '../../domain/station.js';
import { compose, type ListItem } from '../replies/compose.js';
import { echo, shortName } from '../replies/format.js';
import type { SessionPlace } from '../session.js';
import { systemLabel, spansSystems } from '../systems.js';
import { MAX_OPTIONS, render, type BuildCtx, type Built } from './common.js';

/** Ask the person to choose; at most five options so it stays an SMS and a short call. */
export function chooseAnswer(ctx: BuildCtx, candidates: readonly Station[], want: Want, intent: Intent, head: string, place: SessionPlace | null = null): Built {
  const list = candidates.slice(0, MAX_OPTIONS);
  // Namesakes in different cities are told apart by the city, in the reply and in the options.
  const city = spansSystems(list) ? (s: Station) => ` (${systemLabel(ctx.index, s.systemId)})` : () => '';
  const items: ListItem[] = list.map((s) => ({ full: `${s.name}${city(s)}`, short: `${shortName(s.name)}${city(s)}` }));
  // One candidate is a confirmation, not a choice: still an option, so "1" or "yes" can take it.
  const tail = list.length === 1 ? 'Reply 1 if so, or ask again.' : 'Reply with a number.';
  const composed = compose({ head: list.length === 1 ? 'Did you mean:' : head, items, numbered: true, minItems: Math.min(2, list.length), tail: [tail] }, render(ctx));
  const options = list.slice(0, composed.kept).map((s) => ({ id: s.id, name: `${s.name}${city(s)}` }));
  return {
    answer: { intent, want, reply: composed.text, stations: [], options, place: place ? { name: place.name, lat: place.lat, lon: place.lon } : null, dataAsOf: null, stale: false },
    session: { intent, want, stationId: null, place, lastIds: [], options },
  };
}

export function notFoundAnswer(ctx: BuildCtx, subject: string, suggestions: readonly Station[], want: Want, intent: Intent): Built {
  const said = echo(subject, 30);
  if (suggestions.length === 0) {
    const text = `I couldn't find "${said}". Try a station name, a street, a place or a postcode, e.g. "bikes near SE1 7PB".`;
    return {
      answer: { intent, want, reply: compose({ head: text }, render(ctx)).text, stations: [], options: [], place: null, dataAsOf: null, stale: false },
      session: { intent, want, stationId: null, place: null, lastIds: [], options: [] },
    };
  }
  return chooseAnswer(ctx, suggestions.slice(0, 3), want, intent, `I couldn't find "${said}". Did you mean:`);
}
