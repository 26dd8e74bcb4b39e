import { echo } from './format.js';
import { smsCost } from '../sms.js';

/**
 * Replies that do not depend on station data. They teach by example: a person who
 * does not know what to ask learns faster from one real question than from a list
 * of features. Each fits one SMS segment so it can be followed by nothing else.
 */

export function helpReply(): string {
  return 'Ask me about bike docks, e.g. "bikes at Waterloo Station 3", "nearest dock to SE1 7PB", "e-bikes near Euston". Then try "next one?" or "and docks?". Say "cancel" to start again.';
}

export function greetingReply(): string {
  return 'Hi! Tell me a docking station or a place, e.g. "bikes at Soho Square" or "space to drop off near the British Museum".';
}

export function thanksReply(): string {
  return "You're welcome. Safe riding!";
}

export function cancelReply(): string {
  return 'OK, cancelled. Ask about any station or place when you like.';
}

export function unknownReply(text: string): string {
  const said = echo(text, 30);
  // Echoing an emoji or another script would switch the whole SMS to UCS-2 and halve its room.
  const lead = said.length === 0 ? 'Sorry, I got an empty message.' : smsCost(said).encoding === 'gsm7' ? `Sorry, I didn't get "${said}".` : "Sorry, I didn't get that.";
  return `${lead} Try a station or place, e.g. "bikes at Hyde Park Corner" or "docks near W1J 0BD".`;
}

export function errorReply(): string {
  return "Sorry, something went wrong on my side. Please try again in a moment, e.g. \"bikes at Waterloo Station 3\".";
}

export function noDataReply(): string {
  return "Sorry, I don't have station data yet. Please try again in a minute.";
}

export function whereReply(noun: string): string {
  return `Where are you? Tell me a station, a place or a postcode and I'll find ${noun}, e.g. "${noun} near Euston".`;
}

export function noSuchChoiceReply(count: number): string {
  return `Please reply with a number from 1 to ${count}.`;
}
