import type { Intent } from '../domain/answer.js';
import type { Want } from '../domain/station.js';
import type { SessionStore } from './turn-deps.js';

/**
 * What the bot remembers between two turns of one conversation: just enough to
 * understand "2", "and docks?" or "next one?". Stored as JSON under
 * `session:<conversationId>` with a TTL; a session that is gone, expired, or that
 * does not parse is simply a new conversation.
 */
export interface SessionPlace {
  name: string;
  lat: number;
  lon: number;
  /** True for the person's own shared location: replies say "near you". */
  own?: boolean;
}

export interface Session {
  v: 1;
  intent: Intent;
  want: Want;
  /** The station a station_status turn was about. */
  stationId: string | null;
  /** The place a nearest turn was about (or the named station's position, for "next one?"). */
  place: SessionPlace | null;
  /** Every station shown in this thread so far, so "next one?" never repeats one. */
  shownIds: string[];
  /** The stations of the last reply, in order: "the second one" picks among them when no options are open. */
  lastIds: string[];
  /** Open options awaiting a choice. */
  options: Array<{ id: string; name: string }>;
  systemId: string | null;
  /** Epoch ms of the last save: a store that keeps keys past their TTL cannot resurrect a session. */
  savedAt: number;
}

export const SESSION_PREFIX = 'session:';
/** Bounds what one conversation can make us store. */
const MAX_SHOWN = 50;

export function sessionKey(conversationId: string): string {
  return SESSION_PREFIX + conversationId;
}

export function emptySession(now: number): Session {
  return { v: 1, intent: 'unknown', want: 'any', stationId: null, place: null, shownIds: [], lastIds: [], options: [], systemId: null, savedAt: now };
}

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'string');
}

/** Accepts only what this version wrote; anything else is treated as no session. */
export function parseSession(raw: string | null, now: number, ttlMs: number): Session | null {
  if (raw === null) return null;
  let x: unknown;
  try {
    x = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof x !== 'object' || x === null) return null;
  const s = x as Partial<Session>;
  if (s.v !== 1 || typeof s.savedAt !== 'number' || now - s.savedAt > ttlMs) return null;
  if (!isStringArray(s.shownIds) || !isStringArray(s.lastIds) || !Array.isArray(s.options)) return null;
  if (typeof s.intent !== 'string' || typeof s.want !== 'string') return null;
  const place = s.place;
  if (place !== null && (typeof place !== 'object' || typeof place.lat !== 'number' || typeof place.lon !== 'number' || typeof place.name !== 'string')) return null;
  const options = s.options.filter((o): o is { id: string; name: string } => typeof o?.id === 'string' && typeof o?.name === 'string');
  return {
    v: 1,
    intent: s.intent,
    want: s.want,
    stationId: typeof s.stationId === 'string' ? s.stationId : null,
    place: place ?? null,
    shownIds: s.shownIds,
    lastIds: s.lastIds,
    options,
    systemId: typeof s.systemId === 'string' ? s.systemId : null,
    savedAt: s.savedAt,
  };
}

export async function loadSession(store: SessionStore, conversationId: string, now: number, ttlMs: number): Promise<Session | null> {
  return parseSession(await store.get(sessionKey(conversationId)), now, ttlMs);
}

/**
 * The session after a turn: the fields the turn changed over the ones it had.
 * Written out field by field rather than spread: this runs on every message, and
 * a spread of a partial object is a slow, shape-changing copy in V8.
 */
export function nextSession(base: Session | null, patch: Partial<Session>, now: number): Session {
  const b = base ?? emptySession(now);
  return {
    v: 1,
    intent: patch.intent ?? b.intent,
    want: patch.want ?? b.want,
    stationId: patch.stationId !== undefined ? patch.stationId : b.stationId,
    place: patch.place !== undefined ? patch.place : b.place,
    shownIds: patch.shownIds ?? b.shownIds,
    lastIds: patch.lastIds ?? b.lastIds,
    options: patch.options ?? b.options,
    systemId: patch.systemId !== undefined ? patch.systemId : b.systemId,
    savedAt: now,
  };
}

/**
 * Whether a session holds anything a next message could refer to: options to
 * choose from, a station or a place to follow up ("and docks?", "next one?"), the
 * person's location. A conversation with none of these is not stored at all, so
 * the many one-message conversations (help, unknown names) cost no write.
 */
export function worthRemembering(s: Session): boolean {
  return s.options.length > 0 || s.stationId !== null || s.place !== null || s.lastIds.length > 0;
}

export async function saveSession(store: SessionStore, conversationId: string, session: Session, now: number, ttlMs: number): Promise<void> {
  if (session.shownIds.length > MAX_SHOWN) session.shownIds = session.shownIds.slice(-MAX_SHOWN);
  session.savedAt = now;
  await store.set(sessionKey(conversationId), JSON.stringify(session), ttlMs);
}

export async function clearSession(store: SessionStore, conversationId: string): Promise<void> {
  await store.delete(sessionKey(conversationId));
}
