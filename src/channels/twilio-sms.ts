import './route-config.js';
import type { FastifyPluginAsync } from 'fastify';
import twilio from 'twilio';
import type { Answer } from '../domain/answer.js';
import { listsAllOptions } from './speech.js';
import { fitsSms, trimToSms } from '../dialog/sms.js';
import { shortName } from '../dialog/replies/format.js';
import type { HandleTurn } from '../dialog/turn-deps.js';
import { MemoryKvStore } from '../store/memory-kv.js';
import { OptOutList } from './opt-out-list.js';
import { runTurn } from './run-turn.js';
import { SenderRateLimit, type WindowCounter } from './sender-rate-limit.js';
import { field, sendTwiml, TWIML_RESPONSE, twilioForm, twilioSignatureCheck, type TwilioOptions } from './twilio-common.js';

export interface TwilioSmsOptions extends TwilioOptions {
  handleTurn: HandleTurn;
  turnTimeoutMs: number;
  smsPerSenderPerMinute: number;
  /** Redis mode: the per-sender limit is counted across replicas. */
  sharedCounter?: WindowCounter;
  /** Who said STOP, kept in the store under a secret of its own; default: this process's memory (tests). */
  optOuts?: OptOutList;
  onTurn?: (intent: string) => void;
}

/**
 * Twilio's and the carriers' (CTIA) standard keywords, matched as the whole message,
 * whatever the case. YES opts back in only someone who opted out; from anyone else
 * it is an answer to "did you mean …?" and goes to the conversation.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
export const START_WORDS: ReadonlySet<string> = new Set(['start', 'unstop', 'optin']);
export const HELP_WORDS: ReadonlySet<string> = new Set(['help', 'info']);

export const SMS_TEXTS = {
  stop: 'BikeBot: you are unsubscribed and will get no more messages. Reply START to resubscribe.',
  start: 'BikeBot: you are subscribed again. Ask about any docking station, e.g. "bikes at Waterloo". Reply STOP to opt out.',
  help: 'BikeBot answers bike-share questions: text a station or place, e.g. "bikes near Hyde Park" or "docks at Kings Cross". Text NEW to start again. Reply STOP to opt out, START to opt back in. Msg&data rates may apply.',
  slowDown: "BikeBot: you're texting faster than I can answer. Please wait a minute and try again.",
  failed: 'BikeBot: sorry, I could not answer that just now. Please try again in a minute.',
} as const;

/**
 * SMS has no buttons: options become a numbered list, unless the reply already lists
 * them. Every text part is paid for, so the reply is held to two segments — by
 * listing fewer options, then their names without the area, never by cutting the
 * list or the "Reply with a number." in half. Only a reply too long on its own is cut.
 */
export function renderSms(answer: Answer): string {
  const text = answer.reply.replace(/\r\n?/g, '\n').trim();
  if (answer.options.length === 0 || listsAllOptions(text, answer.options)) return trimToSms(text);
  const listed = (names: string[]) => `${text}\n${names.map((n, i) => `${i + 1}. ${n}`).join('\n')}\nReply with a number.`;
  const full = answer.options.map((o) => o.name);
  const short = answer.options.map((o) => shortName(o.name));
  for (let n = full.length; n >= 1; n--) {
    for (const names of [full.slice(0, n), short.slice(0, n)]) {
      const candidate = listed(names);
      if (fitsSms(candidate)) return candidate;
    }
  }
  return trimToSms(text);
}

/** The keyword a whole message is, if it is one: "Stop.", " STOP " → "stop". */
export function smsKeyword(body: string): string {
  return body.trim().toLowerCase().replace(/[.!\s]+$/g, '');
}

export const twilioSmsPlugin: FastifyPluginAsync<TwilioSmsOptions> = async (app, opts) => {
  const optOuts = opts.optOuts ?? (await OptOutList.open(new MemoryKvStore({ sweepIntervalMs: 0 })));
  const limiter = new SenderRateLimit(opts.smsPerSenderPerMinute, Date.now, opts.sharedCounter ?? null);
  const message = (text: string | null) => {
    const r = new twilio.twiml.MessagingResponse();
    if (text !== null) r.message(text);
    return r;
  };

  app.post(
    '/twilio/sms',
    {
      config: { channel: 'sms' },
      preHandler: twilioSignatureCheck(opts),
      schema: {
        summary: 'Twilio Messaging webhook (form-encoded, signed); answers with TwiML <Message>',
        tags: ['twilio'],
        consumes: ['application/x-www-form-urlencoded'],
        body: twilioForm({ From: 'Sender phone number (hashed before use; never logged)', To: 'Our number', Body: 'The message text', MessageSid: 'Twilio message id' }),
        response: { 200: TWIML_RESPONSE },
      },
    },
    async (req, reply) => {
      const from = field(req.body, 'From') || 'unknown';
      const body = (field(req.body, 'Body') ?? '').trim();
      const who = optOuts.keyOf(from);
      const keyword = smsKeyword(body);

      // The opt-out list lives in the shared store (Redis when scaled out). When that store
      // is down, texting still works: Twilio itself blocks replies to numbers that sent STOP,
      // so answering is safe, and an unrecorded STOP is logged for the operator.
      const store = async <T>(what: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
        try {
          return await fn();
        } catch (err) {
          req.log.error({ sender: who, err: (err as Error)?.message }, `sms opt-out list unavailable: ${what}`);
          return fallback;
        }
      };
      if (STOP_WORDS.has(keyword)) {
        await store('opt-out not recorded', () => optOuts.optOut(from), undefined);
        req.log.info({ sender: who }, 'sms opt-out');
        return sendTwiml(reply, message(SMS_TEXTS.stop));
      }
      const optedOut = await store('opt-out not checked', () => optOuts.isOptedOut(from), false);
      if (START_WORDS.has(keyword) || (keyword === 'yes' && optedOut)) {
        await store('opt-in not recorded', () => optOuts.optIn(from), undefined);
        req.log.info({ sender: who }, 'sms opt-in');
        return sendTwiml(reply, message(SMS_TEXTS.start));
      }
      // Carriers require HELP to be answered even to someone who opted out.
      if (HELP_WORDS.has(keyword)) return sendTwiml(reply, message(SMS_TEXTS.help));
      // Opted out: silence until START, whatever they send.
      if (optedOut) return sendTwiml(reply, message(null));

      const verdict = await limiter.take(who);
      if (verdict !== 'ok') {
        req.log.warn({ sender: who, verdict }, 'sms rate limited');
        return sendTwiml(reply, message(verdict === 'warn' ? SMS_TEXTS.slowDown : null));
      }
      try {
        const answer = await runTurn(opts.handleTurn, { channel: 'sms', conversationId: `sms:${who}`, text: body === '' ? 'help' : body, ...(from ? { replyTo: from } : {}) }, opts.turnTimeoutMs);
        opts.onTurn?.(answer.intent);
        return sendTwiml(reply, message(renderSms(answer)));
      } catch (err) {
        // Twilio shows an HTTP error to nobody; the person would just wait. Say sorry instead.
        req.log.error({ err }, 'sms turn failed');
        return sendTwiml(reply, message(SMS_TEXTS.failed));
      }
    },
  );
};
