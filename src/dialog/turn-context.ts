import type { Answer } from '../domain/answer.js';
import type { InboundMessage } from '../domain/message.js';
import type { StationIndex } from '../domain/station-index.js';
import type { Understanding } from '../domain/understanding.js';
import type { BuildCtx, Built } from './answers/common.js';
import type { ZoneClocks } from './replies/data-age.js';
import type { Session } from './session.js';
import type { Brain, TurnDeps } from './turn-deps.js';

/** Everything known while one message is being answered. */
export interface Turn {
  msg: InboundMessage;
  text: string;
  u: Understanding;
  session: Session | null;
  index: StationIndex | null;
  now: Date;
  deps: TurnDeps;
  brain: Brain;
  clocks: ZoneClocks;
}

/** What to do with the session after the turn. */
export type Outcome = { answer: Answer; session: Partial<Session> | 'keep' | 'clear' };

export function buildCtx(t: Turn, index: StationIndex, systemId: string | null): BuildCtx {
  return { index, now: t.now, staleAfterMs: t.deps.staleAfterMs, voice: t.msg.voice === true, systemId, clocks: t.clocks };
}

export function done(b: Built, fresh: boolean): Outcome {
  // A fresh question replaces the whole session; a follow-up adds to it.
  if (fresh) {
    const s = b.session;
    if (s.stationId === undefined) s.stationId = null;
    if (s.place === undefined) s.place = null;
    if (s.shownIds === undefined) s.shownIds = [];
    if (s.lastIds === undefined) s.lastIds = [];
    if (s.options === undefined) s.options = [];
    if (s.systemId === undefined) s.systemId = null;
  }
  return { answer: b.answer, session: b.session };
}
