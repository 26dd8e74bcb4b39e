import type { Intent } from './answer.js';
import type { Want } from './station.js';
import type { Place } from './place.js';
import type { Station } from './station.js';

/** A reference back to the previous turn ("2", "what about e-bikes?", "next one?"). */
export type FollowUp =
  | { kind: 'choose'; index: number } // "2", "the second one" — 0-based
  | { kind: 'choose_name'; text: string } // "Waterloo 3" said while options are open
  | { kind: 'want'; want: Want } // "what about e-bikes?", "and docks?"
  | { kind: 'next' }; // "next one?", "any other?"

/**
 * An errand BikeBot cannot run, asked outright (understand/errands.ts): an action on a hire
 * ("unlock bike 40213"), a change to the rider's account ("update my card details"), lost
 * property ("left my phone in the basket"). Answered by saying so and where to go.
 */
export type CantDo = 'hire' | 'account' | 'lost_property';

/** What a message says, before any lookup. Produced by understand() — pure, no I/O. */
export interface Understanding {
  intent: Intent;
  want: Want;
  /** The words naming a station or place, with filler and want words removed; null when none. */
  subject: string | null;
  /**
   * Little words said just before the subject and trimmed from it ("to" of "to lee
   * street"): a recogniser may have made them of the name's first sound, so the
   * sound matcher may use them; absent when none.
   */
  lead?: string;
  /** The same after the subject ("and get" of "arm and get" for Ormonde Gate); absent when none. */
  tail?: string;
  /** The subject's words as said, filler words between them kept, for the sound matcher (absent when the same as subject). */
  said?: string;
  /**
   * The subject's words before the first bike, dock or space word dropped from it, when words followed
   * it ("ritchmond way shepards bush" of "ritchmond wy shepards bush any spaces to put bike bak"): the
   * name said first and the rest of the question after. Tried when the whole subject names nothing for sure.
   */
  head?: string;
  /** The person asked for what is near a place ("near", "nearest", "closest", "around", "I'm at …"). */
  near: boolean;
  /** Coordinates typed in the message ("51.52,-0.10"). */
  coordinates: { lat: number; lon: number } | null;
  /** A city or system named in the message ("… new york"), matched against system names/aliases. */
  systemHint: string | null;
  followUp: FollowUp | null;
  /**
   * The message itself says it is about bikes, docks, stations or nearness. A bare phrase
   * ("lots road", "undefined") is not: when it matches nothing, the intent is unknown.
   */
  explicit?: boolean;
  /**
   * Written in another language (another script, or foreign function words outnumbering
   * English ones). The dialog still answers what it can resolve; what it cannot, it answers
   * by saying, in English, that it understands English only.
   */
  foreign?: boolean;
  /**
   * The message opened with a greeting, thanks, cancel or help ("howdy partner", "brill
   * thanks", "forget I asked"). When nothing after it names a station outright, that is
   * what the message was: the dialog answers it, not a guess at a place.
   */
  social?: 'greeting' | 'thanks' | 'cancel' | 'help' | null;
  /**
   * What the intent model read the message as, where the lists' reading of a name stood
   * ("when was the bicycle invented", "unlock bike 12345"): answered instead when the
   * name is nothing known — no station, place or suggestion. Absent when the model agrees.
   */
  otherwise?: Intent;
  /** With intent unknown: the errand asked for that BikeBot cannot run; absent otherwise. */
  cantDo?: CantDo;
}

export interface StationMatch {
  station: Station;
  /** 0..1, calibrated: about the probability this is the station meant. */
  score: number;
}

/** What a subject resolved to, after the station resolver and the geocoders had their say. */
export type Interpretation =
  | { kind: 'station'; station: Station; confidence: number }
  | { kind: 'choose'; candidates: Station[] }
  | { kind: 'place'; place: Place }
  | { kind: 'not_found'; suggestions: Station[] };
