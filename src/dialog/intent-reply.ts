/**
 * The answers to messages that are not about a station: help, greetings, thanks, another
 * language, prices and the operator's contact. Given straight away when the message says so,
 * and after the lookup when what the word lists took for a name turned out to name nothing
 * and the intent model read the message as one of these (fresh-question.ts).
 */
import type { Intent } from '../domain/answer.js';
import type { StationIndex } from '../domain/station-index.js';
import { serviceOf, NO_SERVICE } from '../domain/system-service.js';
import { textAnswer } from './answers/common.js';
import { cancelReply, greetingReply, helpReply, thanksReply, unknownReply } from './replies/canned.js';
import type { Examples } from './replies/examples.js';
import { cantDoReply, otherLanguageReply, pricesReply, problemReply, whichCityReply } from './replies/service.js';
import type { CantDo } from '../domain/understanding.js';
import { namedSystem, systemAtPoint, systemLabel } from './systems.js';
import type { Outcome, Turn } from './turn-context.js';

/** The outcome for an intent that needs no station, or null for one that does (station_status, nearest). */
export function intentOutcome(t: Turn, intent: Intent, ex: Examples): Outcome | null {
  const voice = t.msg.voice === true;
  switch (intent) {
    case 'cancel':
      return { answer: textAnswer('cancel', 'any', cancelReply(), voice), session: 'clear' };
    case 'help':
      return { answer: textAnswer('help', t.u.want, helpReply(ex), voice), session: 'keep' };
    case 'greeting':
      return { answer: textAnswer('greeting', t.u.want, greetingReply(ex), voice), session: 'keep' };
    case 'thanks':
      return { answer: textAnswer('thanks', t.u.want, thanksReply(), voice), session: 'keep' };
    case 'other_language':
      return { answer: textAnswer('other_language', 'any', otherLanguageReply(ex), voice), session: 'keep' };
    case 'prices':
    case 'problem':
      return { answer: textAnswer(intent, 'any', serviceReply(t, intent), voice), session: 'keep' };
    case 'unknown':
      return { answer: textAnswer('unknown', 'any', t.u.cantDo ? cantDoText(t, t.u.cantDo, ex) : unknownReply(t.text, ex), voice), session: 'keep' };
    default:
      return null;
  }
}

/**
 * Prices and the operator's contact belong to a scheme: the one the person named, the one
 * the conversation is in, the one around their shared location, or the only one served.
 * Several schemes and none of these: ask which city rather than guess.
 */
function serviceReply(t: Turn, intent: 'prices' | 'problem'): string {
  const voice = t.msg.voice === true;
  const index = t.index;
  if (!index || index.systems.length === 0) return intent === 'prices' ? pricesReply('this scheme', NO_SERVICE, voice) : problemReply('the operator', NO_SERVICE, voice);
  const id = serviceSystemId(t, index);
  if (id === null) {
    const cities = index.systems.map((s) => systemLabel(index, s.id));
    return whichCityReply(cities, intent);
  }
  const name = index.systems.find((s) => s.id === id)?.name ?? systemLabel(index, id);
  const service = serviceOf(index, id);
  return intent === 'prices' ? pricesReply(name, service, voice) : problemReply(name, service, voice);
}

/** An errand only the operator can run, answered with that operator's name and contact (or, among several cities, none named). */
function cantDoText(t: Turn, kind: CantDo, ex: Examples): string {
  const index = t.index;
  const id = index && index.systems.length > 0 ? serviceSystemId(t, index) : null;
  if (!index || id === null) return cantDoReply(kind, 'the operator', NO_SERVICE, ex, t.msg.voice === true);
  const name = index.systems.find((s) => s.id === id)?.name ?? systemLabel(index, id);
  return cantDoReply(kind, name, serviceOf(index, id), ex, t.msg.voice === true);
}

function serviceSystemId(t: Turn, index: StationIndex): string | null {
  const named = namedSystem(index, t.u.systemHint, t.text);
  if (named) return named;
  if (t.session?.systemId) return t.session.systemId;
  const loc = t.msg.location;
  if (loc && Number.isFinite(loc.lat) && Number.isFinite(loc.lon)) {
    const at = systemAtPoint(index, loc);
    if (at) return at;
  }
  return index.systems.length === 1 ? index.systems[0].id : null;
}
