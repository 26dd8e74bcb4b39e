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
  hashSecret?: string;
  onTurn?: (intent: string) => void;
}

export const VOICE_TEXTS = {
  greeting: 'Hello, this is BikeBot. Which docking station or place would you like bikes or docks for?',
  goodbye: "I didn't hear anything, so I'll say goodbye. Thanks for calling BikeBot.",
  farewell: 'Goodbye, and ride safely.',
  failed: "Sorry, I couldn't look that up just now. Please try again.",
} as const;

/** The path Twilio posts follow-up turns to: the marker tells a silent follow-up from a new call. */
export const VOICE_ACTION = '/twilio/voice?followup=1';

/** A caller cannot see a list: options are read out with their numbers, unless the reply already names them. */
export function renderSpeech(answer: Answer, toSpeech: (t: string) => string): string {
  return toSpeech(withOptionList(answer.reply.trim(), answer.options, toSpeech));
}

export const twilioVoicePlugin: FastifyPluginAsync<TwilioVoiceOptions> = async (app, opts) => {
  const toSpeech = opts.toSpeech ?? dialogToSpeech;
  const language = (opts.language ?? 'en-GB') as 'en-GB';
  const secret = opts.hashSecret ?? opts.authToken;

  const gatherThenGoodbye = async (say: string, conversationId: string, answer: Answer | null) => {
    const hints = limitHints(opts.voiceHints ? await opts.voiceHints({ conversationId, answer }) : []);
    const r = new twilio.twiml.VoiceResponse();
    const gather = r.gather({
      input: ['speech'],
      action: VOICE_ACTION,
      method: 'POST',
      speechTimeout: 'auto',
      language,
      ...(hints.length > 0 ? { hints: hints.join(', ') } : {}),
    });
    gather.say({ language }, say);
    // Twilio falls through to the next verb when the caller says nothing at all.
    r.say({ language }, VOICE_TEXTS.goodbye);
    r.hangup();
    return r;
  };

  const hangUpWith = (say: string) => {
    const r = new twilio.twiml.VoiceResponse();
    r.say({ language }, say);
    r.hangup();
    return r;
  };

  app.post<{ Querystring: { followup?: string } }>(
    '/twilio/voice',
    {
      config: { channel: 'voice' },
      preHandler: twilioSignatureCheck(opts),
      schema: {
        summary: 'Twilio Voice webhook (form-encoded, signed); answers with TwiML <Gather input="speech">',
        tags: ['twilio'],
        consumes: ['application/x-www-form-urlencoded'],
        body: twilioForm({ CallSid: 'Twilio call id (hashed; keys the conversation)', From: 'Caller number (hashed; never logged)', SpeechResult: 'What the caller said, transcribed by Twilio', Confidence: 'Transcription confidence, 0..1' }),
        querystring: { type: 'object', properties: { followup: { type: 'string', description: 'Set on the Gather callback of a follow-up question' } } },
        response: { 200: TWIML_RESPONSE },
      },
    },
    async (req, reply) => {
      const callSid = field(req.body, 'CallSid') ?? field(req.body, 'From') ?? 'unknown';
      const conversationId = `voice:${senderKey(secret, callSid)}`;
      const speech = (field(req.body, 'SpeechResult') ?? '').trim();
      const followUp = req.query.followup !== undefined;

      if (speech === '') {
        return sendTwiml(reply, followUp ? hangUpWith(VOICE_TEXTS.goodbye) : await gatherThenGoodbye(VOICE_TEXTS.greeting, conversationId, null));
      }
      let answer: Answer;
      try {
        // Twilio's Confidence (0..1) for SpeechResult: a low one makes the dialog ask rather than answer.
        const confidence = recognizerConfidence(field(req.body, 'Confidence'));
        answer = await runTurn(opts.handleTurn, { channel: 'voice', conversationId, text: speech, voice: true, confidence }, opts.turnTimeoutMs);
      } catch (err) {
        req.log.error({ err }, 'voice turn failed');
        return sendTwiml(reply, await gatherThenGoodbye(VOICE_TEXTS.failed, conversationId, null));
      }
      opts.onTurn?.(answer.intent);
      const said = renderSpeech(answer, toSpeech);
      if (answer.intent === 'thanks' || answer.intent === 'cancel') {
        return sendTwiml(reply, hangUpWith(`${said} ${VOICE_TEXTS.farewell}`.trim()));
      }
      return sendTwiml(reply, await gatherThenGoodbye(said, conversationId, answer));
    },
  );
};
