import type { Answer } from '../domain/answer.js';
import type { InboundMessage } from '../domain/message.js';
import { textAnswer } from './answers/common.js';
import { defaultBrain } from './brain.js';
import { followUp } from './follow-up-turn.js';
import { fresh } from './fresh-question.js';
import { cancelReply, errorReply, greetingReply, helpReply, noDataReply, thanksReply } from './replies/canned.js';
import { examplesFor } from './replies/examples.js';
import { clearSession, emptySession, loadSession, saveSession, type Session } from './session.js';
import { type Outcome, type Turn } from './turn-context.js';
import type { Brain, HandleTurn, TurnDeps } from './turn-deps.js';

/** Longer messages are cut before understanding: nobody names a station in 2,000 characters. */
const MAX_TEXT = 2000;

/**
 * The one entry point every channel calls. It never throws: whatever goes wrong
 * inside becomes a polite `unknown` answer, and the error goes to deps.onError.
 */
export function createTurnHandler(deps: TurnDeps): HandleTurn {
  const brain = deps.brain ?? defaultBrain();
  return async (msg) => {
    const voice = msg?.voice === true;
    try {
      return await turn(deps, brain, msg);
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

async function turn(deps: TurnDeps, brain: Brain, msg: InboundMessage): Promise<Answer> {
  const now = deps.now();
  const conversationId = String(msg.conversationId ?? '');
  const text = typeof msg.text === 'string' ? msg.text.slice(0, MAX_TEXT) : '';
  let session: Session | null = null;
  try {
    session = await loadSession(deps.sessions, conversationId, now.getTime(), deps.sessionTtlMs);
  } catch (err) {
    // Without the session store the bot still answers fresh questions.
    report(deps, err, msg);
  }
  const index = deps.index();
  const u = brain.understand(text, { index, openOptions: session?.options ?? [], inConversation: session !== null });
  const t: Turn = { msg, text, u, session, index, now, deps, brain };
  const outcome = await decide(t);
  try {
    if (outcome.session === 'clear') await clearSession(deps.sessions, conversationId);
    else if (outcome.session !== 'keep') {
      const next: Session = { ...(session ?? emptySession(now.getTime())), ...outcome.session };
      await saveSession(deps.sessions, conversationId, next, now.getTime(), deps.sessionTtlMs);
    }
  } catch (err) {
    report(deps, err, msg);
  }
  return outcome.answer;
}

async function decide(t: Turn): Promise<Outcome> {
  const { u } = t;
  const voice = t.msg.voice === true;
  if (u.intent === 'cancel') return { answer: textAnswer('cancel', 'any', cancelReply(), voice), session: 'clear' };

  const follow = t.session && t.index ? followUp(t, t.session, t.index) : null;
  if (follow) return follow;

  const ex = examplesFor(t.index, t.session?.systemId ?? null);
  switch (u.intent) {
    case 'help':
      return { answer: textAnswer('help', u.want, helpReply(ex), voice), session: 'keep' };
    case 'greeting':
      return { answer: textAnswer('greeting', u.want, greetingReply(ex), voice), session: 'keep' };
    case 'thanks':
      return { answer: textAnswer('thanks', u.want, thanksReply(), voice), session: 'keep' };
    default:
      break;
  }
  if (!t.index) return { answer: textAnswer(u.intent, u.want, noDataReply(t.deps.dataOutlook?.() ?? null, t.now), voice), session: 'keep' };
  return fresh(t, t.index);
}
