import type { Answer } from '../domain/answer.js';
import type { InboundMessage } from '../domain/message.js';
import { alertTurn } from './alert-turn.js';
import { textAnswer } from './answers/common.js';
import { defaultBrain } from './brain.js';
import { followUp } from './follow-up-turn.js';
import { hasNBest, pinned, readNBest } from './n-best.js';
import { fresh } from './fresh-question.js';
import { errorReply, memoryLostNote, noDataReply } from './replies/canned.js';
import { intentOutcome } from './intent-reply.js';
import { ZoneClocks } from './replies/data-age.js';
import { examplesFor } from './replies/examples.js';
import { clearSession, loadSession, nextSession, saveSession, worthRemembering, type Session } from './session.js';
import { type Outcome, type Turn } from './turn-context.js';
import type { Brain, HandleTurn, TurnDeps } from './turn-deps.js';

/** Longer messages are cut before understanding: nobody names a station in 2,000 characters. */
const MAX_TEXT = 2000;

/** A wall of text keeps its start and its end, where a person would look for the question. */
function bounded(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT / 2)} ${text.slice(-MAX_TEXT / 2)}`;
}

/**
 * The one entry point every channel calls. It never throws: whatever goes wrong
 * inside becomes a polite `unknown` answer, and the error goes to deps.onError.
 */
export function createTurnHandler(deps: TurnDeps): HandleTurn {
  const brain = deps.brain ?? defaultBrain();
  const clocks = new ZoneClocks();
  return async (msg) => {
    const voice = msg?.voice === true;
    try {
      return await turn(deps, brain, clocks, msg);
    } catch (err) {
      report(deps, err, msg);
      return textAnswer('unknown', 'any', errorReply(), voice);
    }
  };
}

function report(deps: TurnDeps, err: unknown, msg: InboundMessage): void {
  try {
    deps.onError?.(err, msg);
  } catch {
    // A failing logger must not turn an apology into a crash.
  }
}

async function turn(deps: TurnDeps, brain: Brain, clocks: ZoneClocks, msg: InboundMessage): Promise<Answer> {
  const now = deps.now();
  const conversationId = String(msg.conversationId ?? '');
  let text = typeof msg.text === 'string' ? bounded(msg.text) : '';
  let session: Session | null = null;
  let memoryLost = false;
  try {
    if (msg.newConversation !== true) session = await loadSession(deps.sessions, conversationId, now.getTime(), deps.sessionTtlMs);
  } catch (err) {
    // Without the session store the bot still answers fresh questions, and says it cannot follow a thread.
    memoryLost = true;
    report(deps, err, msg);
  }
  const index = deps.index();
  // Alert and my-stations commands come first; "bikes at home" comes back with home's station named.
  const pre = deps.alerts ? await alertTurn({ deps, brain, msg, text, session, index, now, clocks }, deps.alerts) : null;
  if (pre && 'text' in pre) text = pre.text;
  const outcome = pre && 'answer' in pre ? pre : await understandAndDecide();
  async function understandAndDecide(): Promise<Outcome> {
    const uctx = { index, openOptions: session?.options ?? [], inConversation: session !== null };
    let u = brain.understand(text, uctx);
    let said = text;
    let mind = brain;
    // Speech with a confidence or other readings: understand them all and take what they agree on.
    // A reply to an open choice ("two", "the second one") is read as said.
    if (hasNBest(msg) && (session?.options.length ?? 0) === 0) {
      const pick = await readNBest(msg, text, brain, uctx, index ? { index, geocoder: deps.geocoder, location: sharedLocation(msg) } : null);
      u = pick.u;
      said = pick.text;
      mind = pinned(brain, pick);
    }
    const t: Turn = { msg, text: said, u, session, index, now, deps, brain: mind, clocks };
    return decide(t);
  }
  try {
    if (outcome.session === 'clear') await clearSession(deps.sessions, conversationId);
    else if (outcome.session !== 'keep') {
      const next = nextSession(session, outcome.session, now.getTime());
      // A stored conversation is updated even when it now holds nothing (it is still a
      // conversation); a new one is stored only when there is something to remember.
      if (session !== null || worthRemembering(next)) await saveSession(deps.sessions, conversationId, next, now.getTime(), deps.sessionTtlMs);
    }
  } catch (err) {
    memoryLost = true;
    report(deps, err, msg);
  }
  return memoryLost ? { ...outcome.answer, reply: `${outcome.answer.reply} ${memoryLostNote()}` } : outcome.answer;
}

async function decide(t: Turn): Promise<Outcome> {
  const { u } = t;
  const voice = t.msg.voice === true;
  const ex = examplesFor(t.index, t.session?.systemId ?? null);
  // A cancel ends the thread before any follow-up could read it.
  const cancel = u.intent === 'cancel' ? intentOutcome(t, 'cancel', ex) : null;
  if (cancel) return cancel;

  const follow = t.session && t.index ? followUp(t, t.session, t.index) : null;
  if (follow) return follow;

  // "unknown" still goes to the lookup: a bare phrase may be a name; an errand we cannot run is said so.
  if (u.intent !== 'unknown' || u.cantDo) {
    const said = intentOutcome(t, u.intent, ex);
    if (said) return said;
  }
  if (!t.index) return { answer: textAnswer(u.intent, u.want, noDataReply(t.deps.dataOutlook?.() ?? null, t.now), voice), session: 'keep' };
  return fresh(t, t.index);
}

function sharedLocation(msg: InboundMessage): { lat: number; lon: number } | null {
  const l = msg.location;
  return l && Number.isFinite(l.lat) && Number.isFinite(l.lon) && Math.abs(l.lat) <= 90 && Math.abs(l.lon) <= 180 ? { lat: l.lat, lon: l.lon } : null;
}
