import type { Want } from './station.js';

/**
 * What a message was about. Beside the station questions: `help` (what BikeBot can do),
 * `prices` (what a hire costs), `problem` (a broken bike, a dock that will not release:
 * the operator's contact), `other_language` (a message BikeBot cannot read: it says it
 * understands English only). None of these is ever answered with a station.
 * `alert` and `my_stations` answer alert and saved-station commands (src/dialog/alert-turn.ts).
 */
export type Intent = 'station_status' | 'nearest' | 'help' | 'prices' | 'problem' | 'greeting' | 'thanks' | 'cancel' | 'other_language' | 'unknown' | 'alert' | 'my_stations';
export const INTENTS: readonly Intent[] = ['station_status', 'nearest', 'help', 'prices', 'problem', 'greeting', 'thanks', 'cancel', 'other_language', 'unknown', 'alert', 'my_stations'];

export interface AnswerStation {
  id: string;
  name: string;
  lat: number | null;
  lon: number | null;
  bikes: number | null;
  standardBikes: number | null;
  ebikes: number | null;
  emptyDocks: number | null;
  docks: number | null;
  brokenDocks: number | null;
  /** Great-circle metres from the resolved place or shared location; null when there was none. */
  distanceM: number | null;
  asOf: string | null;
}

export interface AnswerOption {
  id: string;
  name: string;
  /** What the person asked about at this option, and how far: "12 bikes, 80 m". */
  detail?: string;
}

export interface AnswerPlace {
  name: string;
  lat: number;
  lon: number;
}

/** The answer contract: stable, rendered by every channel. */
export interface Answer {
  intent: Intent;
  want: Want;
  /** Text a person reads or hears. */
  reply: string;
  stations: AnswerStation[];
  /** Non-empty exactly when the bot asks the person to choose. */
  options: AnswerOption[];
  place: AnswerPlace | null;
  /** Observation time of the counts in this answer (ISO), null when no counts are given. */
  dataAsOf: string | null;
  stale: boolean;
  /** IANA zone of the counts' system, when counts are given: every time shown or said is in it. */
  timeZone?: string;
}
