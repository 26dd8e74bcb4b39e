import type { Answer } from '../domain/answer.js';
import type { HandleTurn } from '../dialog/turn-deps.js';
import { isValidLatLon } from '../domain/geo.js';
import { recognizerConfidence, type InboundMessage } from '../domain/message.js';
import { runTurn } from './run-turn.js';
import { toSpeech as dialogToSpeech } from '../dialog/speech.js';
import { toSsml, withOptionList } from './speech.js';

/** The parts of a Lex V2 slot value BikeBot reads (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html). */
export interface LexV2Slot {
  shape?: 'Scalar' | 'List' | 'Composite';
  value?: { originalValue?: string; interpretedValue?: string; resolvedValues?: string[] } | null;
  values?: LexV2Slot[];
}

export interface LexV2Intent {
  name: string;
  slots?: Record<string, LexV2Slot | null>;
  state?: string;
  confirmationState?: string;
}

export interface LexV2Event {
  messageVersion?: string;
  invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook' | string;
  inputMode?: 'Text' | 'Speech' | 'DTMF' | string;
  responseContentType?: string;
  sessionId: string;
  inputTranscript?: string;
  bot?: { id?: string; name?: string; aliasId?: string; localeId?: string; version?: string };
  interpretations?: unknown[];
  requestAttributes?: Record<string, string>;
  sessionState: {
    activeContexts?: unknown[];
    sessionAttributes?: Record<string, string>;
    intent?: LexV2Intent;
    originatingRequestId?: string;
  };
  transcriptions?: unknown[];
}

export type LexDialogActionType = 'Close' | 'ElicitSlot' | 'ElicitIntent';

export interface LexV2Response {
  sessionState: {
    dialogAction: { type: LexDialogActionType; slotToElicit?: string };
    intent?: { name: string; state: 'Fulfilled' | 'InProgress' | 'Failed'; slots: Record<string, LexV2Slot | null> };
    sessionAttributes: Record<string, string>;
  };
  messages: Array<{ contentType: 'PlainText' | 'SSML'; content: string }>;
}

export interface LexOptions {
  turnTimeoutMs?: number;
  toSpeech?: (text: string) => string;
}

function slotText(slot: LexV2Slot | null | undefined): string | null {
  if (!slot) return null;
  if (slot.values && slot.values.length > 0) return slot.values.map(slotText).filter(Boolean).join(' and ') || null;
  return slot.value?.interpretedValue ?? slot.value?.originalValue ?? null;
}

/**
 * A bot whose intents fill slots (say a "StationName" slot) and whose transcript is
 * empty (DTMF, or a Connect flow calling with slots only) still gets a sentence
 * BikeBot understands.
 */
function messageText(event: LexV2Event): string {
  const transcript = (event.inputTranscript ?? '').trim();
  if (transcript !== '') return transcript;
  const slots = event.sessionState.intent?.slots ?? {};
  const parts = Object.values(slots).map(slotText).filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join(' ') : 'help';
}

/**
 * What the recognizer heard, when the caller spoke: Lex V2 lists its readings in
 * `transcriptions`, best first, each with `transcriptionConfidence` (0..1; older events
 * wrap it as `{ score }`). The first is `inputTranscript`; the rest are alternates the
 * dialog weighs too (dialog/n-best.ts). Typed input has nothing to weigh.
 */
export function speechReadings(event: LexV2Event, text: string): Pick<InboundMessage, 'confidence' | 'alternatives'> {
  if (event.inputMode !== 'Speech' || !Array.isArray(event.transcriptions)) return {};
  const readings = event.transcriptions
    .map((t) => {
      const o = (t && typeof t === 'object' ? t : {}) as { transcription?: unknown; transcriptionConfidence?: unknown };
      const c = o.transcriptionConfidence;
      return { text: typeof o.transcription === 'string' ? o.transcription.trim() : '', confidence: recognizerConfidence(c && typeof c === 'object' ? (c as { score?: unknown }).score : c) };
    })
    .filter((r) => r.text !== '');
  if (readings.length === 0) return {};
  // The readings describe another utterance than the one answered (a slot-only turn): not ours to weigh.
  const top = readings.find((r) => r.text.toLowerCase() === text.toLowerCase());
  if (!top) return {};
  return { confidence: top.confidence, alternatives: readings.filter((r) => r !== top).slice(0, 4) };
}

function location(attrs: Record<string, string>): { lat: number; lon: number } | null {
  const lat = Number(attrs.lat ?? attrs.latitude);
  const lon = Number(attrs.lon ?? attrs.longitude);
  return attrs.lat !== undefined || attrs.latitude !== undefined ? (isValidLatLon(lat, lon) ? { lat, lon } : null) : null;
}

/**
 * How the caller answers decides how the reply is said. Speech and DTMF are phone
 * input (Amazon Connect): the reply is spoken, so it says "Say the number", never
 * "Reply with a number". Typed input gets the written reply.
 */
export function isVoiceInput(event: Pick<LexV2Event, 'inputMode'>): boolean {
  return event.inputMode === 'Speech' || event.inputMode === 'DTMF';
}

/** Lex tells the hook which message types the client takes; SSML unless it says otherwise. */
function acceptsSsml(event: LexV2Event): boolean {
  const accept = event.requestAttributes?.['x-amz-lex:accept-content-types'];
  return accept === undefined || /\bSSML\b/i.test(accept);
}

/**
 * Lex V2 fulfilment: the Lex session id is the conversation. When BikeBot asks the
 * caller to choose, or did not understand, the dialog stays open (ElicitIntent)
 * so the next utterance comes straight back here; otherwise the intent closes.
 */
export async function handleLexEvent(event: LexV2Event, handleTurn: HandleTurn, opts: LexOptions = {}): Promise<LexV2Response> {
  const voice = isVoiceInput(event);
  const speak = opts.toSpeech ?? dialogToSpeech;
  const attrs = { ...(event.sessionState.sessionAttributes ?? {}) };
  const intentName = event.sessionState.intent?.name ?? 'BikeBot';
  const slots = event.sessionState.intent?.slots ?? {};
  const render = (text: string): LexV2Response['messages'] => {
    if (!voice) return [{ contentType: 'PlainText', content: text }];
    let said = speak(text);
    // A caller on the keypad can press the number as well as say it.
    if (event.inputMode === 'DTMF') said = said.replace(/\b([Ss])ay (the number|a number|one if so)\b/g, (_m, s: string, what: string) => `${s}ay or press ${what}`);
    return [acceptsSsml(event) ? { contentType: 'SSML', content: toSsml(said) } : { contentType: 'PlainText', content: said }];
  };

  let answer: Answer;
  const text = messageText(event);
  try {
    answer = await runTurn(
      handleTurn,
      { channel: 'lex', conversationId: `lex:${event.sessionId}`, text, location: location(attrs), voice, ...speechReadings(event, text) },
      opts.turnTimeoutMs ?? 8000,
    );
  } catch {
    return {
      sessionState: { dialogAction: { type: 'Close' }, intent: { name: intentName, state: 'Failed', slots }, sessionAttributes: attrs },
      messages: render("Sorry, I couldn't look that up just now. Please try again in a minute."),
    };
  }

  const said = withOptionList(answer.reply.trim(), answer.options, voice ? speak : undefined);
  const keepOpen = answer.options.length > 0 || answer.intent === 'unknown';
  attrs.bikebotIntent = answer.intent;
  if (answer.dataAsOf) attrs.bikebotDataAsOf = answer.dataAsOf;
  if (answer.options.length > 0) attrs.bikebotOptions = JSON.stringify(answer.options.map((o) => o.name));
  else delete attrs.bikebotOptions;

  // A bot built with a slot ("StationName") gets that slot elicited again on a miss or a
  // choice, emptied so Lex takes the next utterance as its value; a slotless bot, ElicitIntent.
  const slotNames = Object.keys(slots);
  const reask = keepOpen ? (slotNames.find((k) => slotText(slots[k]) !== null) ?? slotNames[0]) : undefined;
  const dialogAction: LexV2Response['sessionState']['dialogAction'] = reask ? { type: 'ElicitSlot', slotToElicit: reask } : { type: keepOpen ? 'ElicitIntent' : 'Close' };
  return {
    sessionState: {
      dialogAction,
      intent: { name: intentName, state: keepOpen ? 'InProgress' : 'Fulfilled', slots: reask ? { ...slots, [reask]: null } : slots },
      sessionAttributes: attrs,
    },
    messages: render(said),
  };
}
