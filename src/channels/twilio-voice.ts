import './route-config.js';
import type { FastifyPluginAsync } from 'fastify';
import twilio from 'twilio';
import type { Answer } from '../domain/answer.js';
import { recognizerConfidence } from '../domain/message.js';
import type { HandleTurn } from '../dialog/turn-deps.js';
import { runTurn } from './run-turn.js';
import { toSpeech as dialogToSpeech } from '../dialog/speech.js';
import { withOptionList } from './speech.js';
import { field, sendTwiml, TWIML_RESPONSE, twilioForm, senderKey, twilioSignatureCheck, type TwilioOptions } from './twilio-common.js';
import { limitHints, type VoiceHintSource } from './voice-hints.js';

export interface TwilioVoiceOptions extends TwilioOptions {
  handleTurn: HandleTurn;
  turnTimeoutMs: number;
  voiceHints?: VoiceHintSource;
  /** Text → words to say; default: the dialog's toSpeech (idempotent on replies it already spoke). */
  toSpeech?: (text: string) => string;
  /** BCP-47 language for recognition and speech (default en-GB). */
  language?: string;
  /** Twilio <Say voice>, e.g. "Polly.Amy-Neural" (default: Twilio's own for the language). */
  voice?: string;
  hashSecret?: string;
  onTurn?: (intent: string) => void;
}

export const VOICE_TEXTS = {
  greeting: 'Hello, this is BikeBot. Which docking station or place would you like bikes or docks for?',
  reprompt: "Sorry, I didn't catch that. Which station, or which place?",
  goodbye: "I still didn't hear anything, so I'll say goodbye. Thanks for calling BikeBot.",
  farewell: 'Goodbye, and ride safely.',
  failed: "Sorry, I couldn't look that up just now. Please try again.",
} as const;

/** The path Twilio posts follow-up turns to: the marker tells a silent follow-up from a new call. */
export const VOICE_ACTION = '/twilio/voice?followup=1';
/**
 * Where Twilio goes when a <Gather> hears nothing: the first silence gets one
 * reprompt, the second a polite goodbye. The count rides in the URL, which Twilio signs.
 */
export const silenceUrl = (n: number): string => `/twilio/voice?silence=${n}`;

/**
 * Text for <Say>: the TwiML builder escapes XML, but a Polly voice reads the text as
 * SSML-ish, so characters that could open markup or be read out as symbols go.
 */
export function speakable(text: string): string {
  return text
    .replace(/&/g, ' and ')
    .replace(/[<>{}\[\]\\^|~`*_#]/g, ' ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A caller cannot see a list: options are read out with their numbers, unless the reply already names them. */
export function renderSpeech(answer: Answer, toSpeech: (t: string) => string): string {
  return toSpeech(withOptionList(answer.reply.trim(), answer.options, toSpeech));
}

type SayAttributes = Parameters<ReturnType<twilio.twiml.VoiceResponse['gather']>['say']>[0];

export const twilioVoicePlugin: FastifyPluginAsync<TwilioVoiceOptions> = async (app, opts) => {
  const toSpeech = opts.toSpeech ?? dialogToSpeech;
  const language = opts.language ?? 'en-GB';
  const sayAttrs = { language, ...(opts.voice ? { voice: opts.voice } : {}) } as SayAttributes;
  const secret = opts.hashSecret ?? opts.authToken;

  /** Say, then listen for speech or a key; on silence Twilio falls through to the Redirect. */
  const listen = async (say: string, conversationId: string, answer: Answer | null, silences: number) => {
    const hints = limitHints(opts.voiceHints ? await opts.voiceHints({ conversationId, answer }) : []);
    const r = new twilio.twiml.VoiceResponse();
    const choosing = answer !== null && answer.options.length > 0 && answer.options.length <= 9;
    const gather = r.gather({
      input: ['speech', 'dtmf'],
      action: VOICE_ACTION,
      method: 'POST',
      speechTimeout: 'auto',
      timeout: 6,
      // One key is a whole answer while options are open; otherwise # ends the digits.
      ...(choosing ? { numDigits: 1 } : { finishOnKey: '#' }),
      language: language as 'en-GB',
      ...(hints.length > 0 ? { hints: hints.join(', ') } : {}),
    });
    gather.say(sayAttrs, speakable(say));
    r.redirect({ method: 'POST' }, silenceUrl(silences + 1));
    return r;
  };

  const hangUpWith = (say: string) => {
    const r = new twilio.twiml.VoiceResponse();
    r.say(sayAttrs, speakable(say));
    r.hangup();
    return r;
  };

  app.post<{ Querystring: { followup?: string; silence?: string } }>(
    '/twilio/voice',
    {
      config: { channel: 'voice' },
      preHandler: twilioSignatureCheck(opts),
      schema: {
        summary: 'Twilio Voice webhook (form-encoded, signed); answers with TwiML <Gather input="speech dtmf">',
        tags: ['twilio'],
        consumes: ['application/x-www-form-urlencoded'],
        body: twilioForm({ CallSid: 'Twilio call id (hashed; keys the conversation)', From: 'Caller number (hashed; never logged)', SpeechResult: 'What the caller said, transcribed by Twilio', Confidence: 'Transcription confidence, 0..1', Digits: 'Keys the caller pressed' }),
        querystring: {
          type: 'object',
          properties: {
            followup: { type: 'string', description: 'Set on the Gather callback of a follow-up question' },
            silence: { type: 'string', pattern: '^[0-9]$', description: 'How many times in a row the caller has said nothing (Redirect after a silent Gather)' },
          },
        },
        response: { 200: TWIML_RESPONSE },
      },
    },
    async (req, reply) => {
      const callSid = field(req.body, 'CallSid') ?? field(req.body, 'From') ?? 'unknown';
      const conversationId = `voice:${senderKey(secret, callSid)}`;
      const speech = (field(req.body, 'SpeechResult') ?? '').trim();
      // A key pressed: "3" chooses option 3 like the word would.
      const digits = (field(req.body, 'Digits') ?? '').replace(/[^0-9]/g, '');
      const heard = speech !== '' ? speech : digits;
      const silence = Number(req.query.silence ?? (req.query.followup !== undefined ? 1 : 0)) || 0;

      if (heard === '') {
        if (silence === 0) return sendTwiml(reply, await listen(VOICE_TEXTS.greeting, conversationId, null, 0));
        if (silence === 1) return sendTwiml(reply, await listen(VOICE_TEXTS.reprompt, conversationId, null, 1));
        return sendTwiml(reply, hangUpWith(VOICE_TEXTS.goodbye));
      }
      let answer: Answer;
      try {
        // Twilio's Confidence (0..1) for SpeechResult: a low one makes the dialog ask rather than answer. A key press is certain.
        const confidence = speech !== '' ? recognizerConfidence(field(req.body, 'Confidence')) : null;
        answer = await runTurn(opts.handleTurn, { channel: 'voice', conversationId, text: heard, voice: true, confidence }, opts.turnTimeoutMs);
      } catch (err) {
        req.log.error({ err }, 'voice turn failed');
        return sendTwiml(reply, await listen(VOICE_TEXTS.failed, conversationId, null, 0));
      }
      opts.onTurn?.(answer.intent);
      const said = renderSpeech(answer, toSpeech);
      // "Never mind" ends the call; "new" / "start again" asks for the next question.
      const startAgain = answer.intent === 'cancel' && /\b(new|again|over)\b/i.test(heard);
      if (answer.intent === 'thanks' || (answer.intent === 'cancel' && !startAgain)) {
        return sendTwiml(reply, hangUpWith(`${said} ${VOICE_TEXTS.farewell}`.trim()));
      }
      return sendTwiml(reply, await listen(said, conversationId, answer, 0));
    },
  );
};
