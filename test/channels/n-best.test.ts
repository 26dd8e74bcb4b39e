/**
 * N-best from the phone channels, end to end: Lex V2 code-hook events shaped as Lex sends
 * them (https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html: inputTranscript
 * plus `transcriptions`, best first, each with transcriptionConfidence, resolvedContext and
 * resolvedSlots), and Twilio Voice webhooks signed as Twilio signs them, with SpeechResult
 * and Confidence.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { XMLParser } from 'fast-xml-parser';
import { handleLexEvent, speechReadings, type LexV2Event } from '../../src/channels/lex-v2.js';
import { VOICE_ACTION } from '../../src/channels/twilio-voice.js';
import { ASK_BELOW, readNBest } from '../../src/dialog/n-best.js';
import { defaultBrain } from '../../src/dialog/brain.js';
import { fixturePipeline } from './fixtures/pipeline.js';
import { AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from './fixtures/app.js';
import { harness } from '../dialog/fixtures.js';

function lexSpeech(readings: Array<[string, number]>, sessionId = `nbest-${Math.random().toString(16).slice(2)}`): LexV2Event {
  const intent = { confirmationState: 'None', name: 'StationStatus', slots: {}, state: 'InProgress' };
  return {
    messageVersion: '1.0',
    invocationSource: 'DialogCodeHook',
    inputMode: 'Speech',
    responseContentType: 'audio/pcm',
    sessionId,
    inputTranscript: readings[0][0],
    bot: { id: 'ABCDEFGHIJ', name: 'BikeBot', aliasId: 'TSTALIASID', localeId: 'en_GB', version: 'DRAFT' },
    interpretations: [{ intent, nluConfidence: { score: 0.8 } }],
    requestAttributes: { 'x-amz-lex:accept-content-types': 'PlainText,SSML' },
    sessionState: { activeContexts: [], sessionAttributes: {}, intent, originatingRequestId: '6f1d3c2e-2a5b-4d38-9c4e-0b3f5f0c9a77' },
    transcriptions: readings.map(([transcription, transcriptionConfidence]) => ({ transcription, transcriptionConfidence, resolvedContext: { intent: 'StationStatus' }, resolvedSlots: {} })),
  };
}

describe('Lex V2 transcriptions', () => {
  test('the event becomes the top transcript with its confidence and the alternates with theirs', () => {
    const e = lexSpeech([['bikes at webber feet', 0.55], ['bikes at webber street', 0.4], ['bites at webber street', 0.1]]);
    assert.deepEqual(speechReadings(e, 'bikes at webber feet'), {
      confidence: 0.55,
      alternatives: [
        { text: 'bikes at webber street', confidence: 0.4 },
        { text: 'bites at webber street', confidence: 0.1 },
      ],
    });
    assert.deepEqual(speechReadings({ ...e, inputMode: 'Text' }, 'bikes at webber feet'), {}, 'typed text has nothing to weigh');
    const wrapped = { ...e, transcriptions: [{ transcription: 'cheapside', transcriptionConfidence: { score: 0.7 } }] };
    assert.deepEqual(speechReadings(wrapped, 'cheapside'), { confidence: 0.7, alternatives: [] });
  });

  test('the top reading names nothing; two alternates that agree on a station are answered with it', async () => {
    const r = await handleLexEvent(lexSpeech([['bikes at webber feet', 0.5], ['bikes at webber street', 0.45], ['bikes at the webber street', 0.4]]), fixturePipeline().handleTurn);
    assert.equal(r.sessionState.dialogAction.type, 'Close');
    assert.match(r.messages[0].content, /Webber Street/);
    assert.doesNotMatch(r.messages[0].content, /Did you mean|Which one/);
  });

  test('one weakly heard alternate is offered as a question, not given as the answer', async () => {
    const r = await handleLexEvent(lexSpeech([['bikes at webber feet', 0.6], ['bikes at webber street', 0.3]]), fixturePipeline().handleTurn);
    assert.equal(r.sessionState.dialogAction.type, 'ElicitIntent', 'the dialog stays open for the answer');
    assert.match(r.messages[0].content, /Webber Street/);
    assert.ok(JSON.parse(r.sessionState.sessionAttributes.bikebotOptions).includes('Webber Street, Southwark'));
  });

  test('a clearly heard top reading is answered as before', async () => {
    const r = await handleLexEvent(lexSpeech([['bikes at cheapside', 0.93], ['bikes at cheap side', 0.41]]), fixturePipeline().handleTurn);
    assert.equal(r.sessionState.dialogAction.type, 'Close');
    assert.match(r.messages[0].content, /Cheapside/);
  });
});

describe('combining readings', () => {
  const brain = defaultBrain();
  const ctx = (h: ReturnType<typeof harness>) => ({ index: h.deps.index()!, geocoder: h.deps.geocoder, location: null });

  test('agreement raises the confidence; a low recognizer confidence lowers it below asking', async () => {
    const h = harness();
    const uctx = { index: h.deps.index(), openOptions: [], inConversation: false };
    const one = await readNBest({ channel: 'voice', conversationId: 'a', text: 'bikes at percival street', confidence: 0.45 }, 'bikes at percival street', brain, uctx, ctx(h));
    const two = await readNBest(
      { channel: 'voice', conversationId: 'a', text: 'bikes at percival street', confidence: 0.45, alternatives: [{ text: 'bikes at percival st', confidence: 0.4 }] },
      'bikes at percival street',
      brain,
      uctx,
      ctx(h),
    );
    assert.ok(two.confidence > one.confidence, `${two.confidence} > ${one.confidence}`);
    assert.ok(one.confidence < ASK_BELOW && one.it?.kind === 'choose', 'alone, a weakly heard name is asked about');
    assert.ok(two.confidence >= ASK_BELOW && two.it?.kind === 'station', 'two readings agreeing are answered');
  });

  test('an intent heard among the readings is not drowned by a station reading with a weak match', async () => {
    const h = harness();
    const a = await h.ask('cancel', { channel: 'voice', voice: true, confidence: 0.9, alternatives: [{ text: 'can sell', confidence: 0.2 }] });
    assert.equal(a.intent, 'cancel');
  });
});

describe('Twilio Voice Confidence', () => {
  let s: TestServer;
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  async function say(callSid: string, speech: string, confidence: string): Promise<string> {
    const params = { CallSid: callSid, AccountSid: 'AC' + '1'.repeat(32), From: '+447700900201', To: '+447700900000', CallStatus: 'in-progress', Direction: 'inbound', SpeechResult: speech, Confidence: confidence };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + VOICE_ACTION, params);
    const res = await fetch(s.url + VOICE_ACTION, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
    assert.equal(res.status, 200);
    return JSON.stringify(parser.parse(await res.text()).Response);
  }

  test('a confident recognition is answered; the same words heard with low confidence are asked about', async () => {
    const sure = await say('CA' + 'c'.repeat(32), 'bikes at cheapside', '0.91');
    assert.match(sure, /Cheapside/);
    assert.doesNotMatch(sure, /Did you mean|Say the number|say one/i);
    const unsure = await say('CA' + 'd'.repeat(32), 'bikes at cheapside', '0.21');
    assert.match(unsure, /Cheapside/);
    assert.match(unsure, /Did you mean|Say the number|say one/i, unsure);
  });
});
