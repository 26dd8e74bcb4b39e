import type { Answer } from '../domain/answer.js';
import type { InboundMessage } from '../domain/message.js';
import type { Geocoder } from '../domain/place.js';
import type { StationIndex } from '../domain/station-index.js';
import type { Interpretation, Understanding } from '../domain/understanding.js';
import type { AlertsPort } from './alert-turn.js';

/** Structural subset of KvStore: the dialog needs no more, and imports no adapter. */
export interface SessionStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What understanding may know about the conversation so far. */
export interface UnderstandContext {
  index: StationIndex | null;
  /** Options the previous turn asked the person to choose from ("Waterloo 3" picks one). */
  openOptions: ReadonlyArray<{ id: string; name: string }>;
  /** True when there is a live session a follow-up could refer to. */
  inConversation: boolean;
}

export interface InterpretContext {
  index: StationIndex;
  geocoder: Geocoder;
  /** A location the channel shared, for "nearest" without a named place. */
  location: { lat: number; lon: number } | null;
}

/**
 * The understanding step as the dialog sees it: what the words say (pure), then
 * what they refer to (station resolver and geocoders). The default is the real
 * src/domain/understand; tests and experiments may pass another.
 */
export interface Brain {
  understand(text: string, ctx: UnderstandContext): Understanding;
  interpret(u: Understanding, ctx: InterpretContext): Promise<Interpretation>;
}

/** Where the live data stands when there is none to answer from. */
export interface DataOutlook {
  /** Some feed has been tried and could not be fetched (or its data was refused). */
  unreachable: boolean;
  /** The next attempt of any feed, or null when none is scheduled (a one-shot run). */
  nextTryAt: Date | null;
}

export interface TurnDeps {
  /** The current index (swapped atomically on new data); null before any snapshot. */
  index(): StationIndex | null;
  /** The whole geocoder chain (local first, then live ones if configured). */
  geocoder: Geocoder;
  sessions: SessionStore;
  now(): Date;
  staleAfterMs: number;
  sessionTtlMs: number;
  /** Said when there is no data: whether the feed was unreachable and when it is tried next. */
  dataOutlook?: () => DataOutlook;
  /** Alerts and saved stations; absent: those commands are not understood (ask, eval). */
  alerts?: AlertsPort;
  /** Defaults to the real understanding (src/dialog/brain.ts). */
  brain?: Brain;
  /** Told about every internal error the person only saw as a polite apology. */
  onError?: (err: unknown, msg: InboundMessage) => void;
}

export type HandleTurn = (msg: InboundMessage) => Promise<Answer>;
