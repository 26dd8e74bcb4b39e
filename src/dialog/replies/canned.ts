import { echo } from './format.js';
import { LONDON_EXAMPLES, type Examples } from './examples.js';
import { smsCost, smsSegments } from '../sms.js';

/**
 * Replies that do not depend on station data. They teach by example: a person who
 * does not know what to ask learns faster from one real question than from a list
 * of features. Each fits one SMS segment so it can be followed by nothing else.
 *
 * The examples come from the system the person is in (see examples.ts); London's are
 * the default, as London is where the dialog is usually asked.
 */

/** ', e.g. "bikes at X"' or '' when there is nothing real to show. */
function eg(...asks: Array<string | null>): string {
  const real = asks.filter((a): a is string => a !== null).map((a) => `"${a}"`);
  if (real.length === 0) return '';
  return `, e.g. ${real.length === 1 ? real[0] : `${real.slice(0, -1).join(', ')} or ${real[real.length - 1]}`}`;
}

const at = (what: string, where: string | null): string | null => (where === null ? null : `${what} ${where}`);

/** The first wording that fits one SMS segment (local names vary in length), else the last. */
function oneSegment(...texts: string[]): string {
  return texts.find((t) => smsSegments(t) === 1) ?? texts[texts.length - 1];
}

export function helpReply(ex: Examples = LONDON_EXAMPLES): string {
  // What it does and how to ask, with an example: two sentences a person can act on, one SMS segment.
  const what = 'I find bikes, e-bikes and free docks at a station or near a place, from live data.';
  if (ex === LONDON_EXAMPLES) return `${what} Ask e.g. "bikes at Waterloo Station 3" or "docks near SE1 7PB".`;
  const ask = (e: string) => `${what} Ask${e ? e.replace(/^, e\.g\./, ' e.g.') : ' about a station or a place'}.`;
  return oneSegment(ask(eg(at('bikes at', ex.station), at('docks near', ex.place))), ask(eg(at('bikes at', ex.station))), ask(''));
}

export function greetingReply(ex: Examples = LONDON_EXAMPLES): string {
  if (ex === LONDON_EXAMPLES) return 'Hi! Tell me a docking station or a place, e.g. "bikes at Soho Square" or "space to drop off near the British Museum".';
  return oneSegment(`Hi! Tell me a docking station or a place${eg(at('bikes at', ex.station), at('space to drop off near', ex.place))}.`, `Hi! Tell me a docking station or a place${eg(at('bikes at', ex.station))}.`);
}

export function thanksReply(): string {
  return "You're welcome. Safe riding!";
}

export function cancelReply(): string {
  return 'OK, cancelled. Ask about any station or place when you like.';
}

export function unknownReply(text: string, ex: Examples = LONDON_EXAMPLES): string {
  const said = echo(text, 30);
  // Echoing an emoji or another script would switch the whole SMS to UCS-2 and halve its room.
  const lead = said.length === 0 ? 'Sorry, I got an empty message.' : smsCost(said).encoding === 'gsm7' ? `Sorry, I didn't get "${said}".` : "Sorry, I didn't get that.";
  if (ex === LONDON_EXAMPLES) return `${lead} Try a station or place, e.g. "bikes at Hyde Park Corner" or "docks near W1J 0BD".`;
  return oneSegment(`${lead} Try a station or place${eg(at('bikes at', ex.station), at('docks near', ex.place))}.`, `${lead} Try a station or place${eg(at('bikes at', ex.station))}.`, `${lead} Try a station or place.`);
}

/**
 * Nothing matched what the person named. The example is one that works where they
 * are: a UK postcode in London, a real station of their own system elsewhere.
 */
export function notFoundReply(said: string, ex: Examples = LONDON_EXAMPLES): string {
  if (ex.postcodes) return `I couldn't find "${said}". Try a station name, a street, a place or a postcode${eg(at('bikes near', ex.place))}.`;
  return `I couldn't find "${said}". Try a station name, a street or a place${eg(at('bikes at', ex.station))}.`;
}

export function errorReply(ex: Examples = LONDON_EXAMPLES): string {
  return `Sorry, something went wrong on my side. Please try again in a moment${eg(at('bikes at', ex.station))}.`;
}

/**
 * No station data at all. Says what is true: the live feed could not be reached (or
 * the first fetch is still running), and when the next try is.
 */
export function noDataReply(outlook: { unreachable: boolean; nextTryAt: Date | null } | null = null, now: Date = new Date()): string {
  const when = outlook?.nextTryAt ? nextTryPhrase(outlook.nextTryAt.getTime() - now.getTime()) : null;
  if (outlook?.unreachable) {
    return `Sorry, I can't reach the live station feed right now, so I have no station data.${when ? ` I'll try again ${when}.` : ' Please try again later.'}`;
  }
  return `I'm still fetching station data for the first time.${when ? ` The next try is ${when}.` : ' Please try again in a few seconds.'}`;
}

function nextTryPhrase(ms: number): string {
  if (ms <= 5_000) return 'in a few seconds';
  if (ms < 60_000) return `in about ${Math.ceil(ms / 10_000) * 10} seconds`;
  const min = Math.round(ms / 60_000);
  return min === 1 ? 'in about a minute' : `in about ${min} minutes`;
}

export function whereReply(noun: string, ex: Examples = LONDON_EXAMPLES): string {
  const near = ex === LONDON_EXAMPLES ? 'Euston' : ex.place;
  return `Where are you? Tell me a station${ex.postcodes ? ', a place or a postcode' : ' or a place'} and I'll find ${noun}${eg(at(`${noun} near`, near))}.`;
}

export function noSuchChoiceReply(count: number): string {
  return `Please reply with a number from 1 to ${count}.`;
}

/**
 * Said when the session store (Redis, SQLite) cannot be reached: the answer still comes
 * from the live data, but whatever was said before is forgotten and the next turn will be too.
 */
export function memoryLostNote(): string {
  return "(I can't recall our conversation just now, so please ask in full each time.)";
}
