import type { Answer } from '../domain/answer.js';
import type { InboundMessage } from '../domain/message.js';
import type { Geocoder } from '../domain/place.js';
import type { StationIndex } from '../domain/station-index.js';

/** Structural subset of KvStore: the dialog needs no more, and imports no adapter. */
export interface SessionStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
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
}

export type HandleTurn = (msg: InboundMessage) => Promise<Answer>;
