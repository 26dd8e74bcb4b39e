import './route-config.js';
import type { FastifyPluginAsync } from 'fastify';
import twilio from 'twilio';
import type { Answer } from '../domain/answer.js';
import { listsAllOptions } from './speech.js';
import { fitsSms, trimToSms } from '../dialog/sms.js';
import { shortName } from '../dialog/replies/format.js';
import type { HandleTurn, SessionStore } from '../dialog/turn-deps.js';
import { runTurn } from './run-turn.js';
import { SenderRateLimit } from './sender-rate-limit.js';
import { field, sendTwiml, TWIML_RESPONSE, twilioForm, senderKey, twilioSignatureCheck, type TwilioOptions } from './twilio-common.js';

export interface TwilioSmsOptions extends TwilioOptions {
  handleTurn: HandleTurn;
  turnTimeoutMs: number;
  smsPerSenderPerMinute: number;
  /** Who said STOP. Keyed by the hashed sender; defaults to this process's memory. */
  optOuts?: SessionStore;
  /** Key for hashing phone numbers; defaults to the auth token. */
  hashSecret?: string;
  onTurn?: (intent: string) => void;
}

/** Twilio's and the US carriers' standard keywords, matched as the whole message. */
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
const START_WORDS = new Set(['start', 'yes', 'unstop', 'optin']);
const HELP_WORDS = new Set(['help', 'info']);

export const SMS_TEXTS = {
  stop: 'BikeBot: you are unsubscribed and will get no more messages. Reply START to resubscribe.',
  start: 'BikeBot: you are subscribed again. Ask about any docking station, e.g. "bikes at Waterloo". Reply STOP to opt out.',
  help: 'BikeBot answers bike-share questions: text a station or place, e.g. "bikes near Hyde Park" or "docks at Kings Cross". Reply STOP to opt out. Msg&data rates may apply.',
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

function inMemoryStore(): SessionStore {
  const m = new Map<string, string>();
  return {
    get: async (k) => m.get(k) ?? null,
    set: async (k, v) => void m.set(k, v),
    delete: async (k) => void m.delete(k),
  };
}

export const twilioSmsPlugin: FastifyPluginAsync<TwilioSmsOptions> = async (app, opts) => {
  const optOuts = opts.optOuts ?? inMemoryStore();
  const limiter = new SenderRateLimit(opts.smsPerSenderPerMinute);
  const secret = opts.hashSecret ?? opts.authToken;
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
      const from = field(req.body, 'From') ?? '';
      const body = (field(req.body, 'Body') ?? '').trim();
      const who = senderKey(secret, from || 'unknown');
      const optKey = `sms-optout:${who}`;
      const keyword = body.toLowerCase().replace(/[.!\s]+$/g, '');

      if (STOP_WORDS.has(keyword)) {
        await optOuts.set(optKey, new Date().toISOString());
        req.log.info({ sender: who }, 'sms opt-out');
        return sendTwiml(reply, message(SMS_TEXTS.stop));
      }
      if (START_WORDS.has(keyword)) {
        await optOuts.delete(optKey);
        return sendTwiml(reply, message(SMS_TEXTS.start));
      }
      if ((await optOuts.get(optKey)) !== null) {
        // Opted out: carriers expect silence until START, whatever they send.
        return sendTwiml(reply, message(null));
      }
      if (HELP_WORDS.has(keyword)) return sendTwiml(reply, message(SMS_TEXTS.help));

      const verdict = limiter.take(who);
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
