import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { XMLValidator } from 'fast-xml-parser';
import { handleLexEvent, type LexV2Event } from '../../src/channels/lex-v2.js';
import { createLambdaHandler, createLazyLambdaHandlers } from '../../src/channels/lambda.js';
import { buildHttpApp } from '../../src/channels/http-app.js';
import { Metrics } from '../../src/channels/metrics.js';
import { fixturePipeline } from './fixtures/pipeline.js';

const fixture = (name: string): any => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('Amazon Lex V2 fulfilment', () => {
  test('a text question that needs a choice keeps the dialog open, and the answer closes it', async () => {
    const { handleTurn } = fixturePipeline();
    const event: LexV2Event = fixture('lex-v2-text-event.json');
    const r = await handleLexEvent(event, handleTurn);
    assert.deepEqual(r.sessionState.dialogAction, { type: 'ElicitSlot', slotToElicit: 'Station' }, 'the station slot is asked for again');
    assert.equal(r.sessionState.intent?.slots.Station, null);
    assert.equal(r.sessionState.intent?.state, 'InProgress');
    assert.equal(r.sessionState.intent?.name, 'StationStatus');
    assert.equal(r.messages[0].contentType, 'PlainText');
    assert.match(r.messages[0].content, /Waterloo Station 3, Waterloo/);
    assert.equal(r.sessionState.sessionAttributes.channel, 'web', 'session attributes are kept');
    assert.equal(JSON.parse(r.sessionState.sessionAttributes.bikebotOptions).length, 3);

    const next: LexV2Event = { ...event, inputTranscript: '2', sessionState: { ...event.sessionState, sessionAttributes: r.sessionState.sessionAttributes } };
    const r2 = await handleLexEvent(next, handleTurn);
    assert.equal(r2.sessionState.dialogAction.type, 'Close');
    assert.equal(r2.sessionState.intent?.state, 'Fulfilled');
    assert.match(r2.messages[0].content, /Waterloo Station 2, Waterloo/);
    assert.equal(r2.sessionState.sessionAttributes.bikebotOptions, undefined);
    assert.equal(r2.sessionState.sessionAttributes.bikebotDataAsOf, '2022-08-01T08:25:10.259Z');
  });

  test('speech input with only a slot filled gets valid SSML naming the station', async () => {
    const { handleTurn } = fixturePipeline();
    const r = await handleLexEvent(fixture('lex-v2-speech-event.json'), handleTurn);
    assert.equal(r.sessionState.dialogAction.type, 'Close');
    assert.equal(r.sessionState.intent?.state, 'Fulfilled');
    assert.equal(r.messages[0].contentType, 'SSML');
    const ssml = r.messages[0].content;
    assert.match(ssml, /^<speak>.*<\/speak>$/s);
    assert.equal(XMLValidator.validate(ssml), true, ssml);
    assert.match(ssml, /Cheapside/);
    assert.doesNotMatch(ssml, /\d+ m\b/, 'spoken units');
  });

  test('how to answer fits the input: typed gets "Reply with a number", spoken gets SSML saying "Say the number"', async () => {
    const text: LexV2Event = fixture('lex-v2-text-event.json');
    const typed = await handleLexEvent(text, fixturePipeline().handleTurn);
    assert.equal(typed.messages[0].contentType, 'PlainText');
    assert.match(typed.messages[0].content, /Reply with a number/);
    assert.doesNotMatch(typed.messages[0].content, /\bSay\b/);

    const spoken: LexV2Event = { ...fixture('lex-v2-speech-event.json'), inputTranscript: 'bikes at waterloo' };
    const r = await handleLexEvent(spoken, fixturePipeline().handleTurn);
    assert.equal(r.sessionState.dialogAction.type, 'ElicitSlot');
    assert.equal(r.messages[0].contentType, 'SSML');
    const ssml = r.messages[0].content;
    assert.equal(XMLValidator.validate(ssml), true, ssml);
    assert.match(ssml, /Say the number/);
    assert.match(ssml, /Which one did you mean: Waterloo Station one, seventeen bikes; Waterloo Station two, no bikes; or Waterloo Station three, twelve bikes\?/, 'a list is read as a sentence, in number order');
    assert.doesNotMatch(ssml, /Reply with|\d\)/);

    const keypad = await handleLexEvent({ ...spoken, inputMode: 'DTMF' }, fixturePipeline().handleTurn);
    assert.match(keypad.messages[0].content, /Say or press the number/);

    // A client that takes no SSML still hears the spoken form.
    const plain = await handleLexEvent({ ...spoken, requestAttributes: { 'x-amz-lex:accept-content-types': 'PlainText' } }, fixturePipeline().handleTurn);
    assert.equal(plain.messages[0].contentType, 'PlainText');
    assert.match(plain.messages[0].content, /^Which one.*Say the number or the name\.$/s);
    assert.doesNotMatch(plain.messages[0].content, /<speak>/);
  });

  test('the inbound message is marked voice for Speech and DTMF input, not for Text', async () => {
    const seen: Array<boolean | undefined> = [];
    const { handleTurn } = fixturePipeline();
    const spy: typeof handleTurn = (msg) => {
      seen.push(msg.voice);
      return handleTurn(msg);
    };
    const speech: LexV2Event = fixture('lex-v2-speech-event.json');
    await handleLexEvent(speech, spy);
    await handleLexEvent({ ...speech, inputMode: 'DTMF' }, spy);
    await handleLexEvent(fixture('lex-v2-text-event.json'), spy);
    assert.deepEqual(seen, [true, true, false]);
  });

  test('options the reply does not list are added with the instruction for the input', async () => {
    const answer = { intent: 'station_status', want: 'any', reply: 'Which one?', stations: [], options: [{ id: 'a', name: 'Soho Square, Soho' }, { id: 'b', name: 'St. James\'s Square, St. James\'s' }], place: null, dataAsOf: null, stale: false } as const;
    const canned = async () => ({ ...answer, options: [...answer.options], stations: [] });
    const typed = await handleLexEvent(fixture('lex-v2-text-event.json'), canned);
    assert.equal(typed.messages[0].content, "Which one?\n1) Soho Square, Soho.\n2) St. James's Square, St. James's.\nReply with a number.");
    const spoken = await handleLexEvent(fixture('lex-v2-speech-event.json'), canned);
    assert.match(spoken.messages[0].content, /Option two: Saint James&apos;s Square, Saint James&apos;s\. <break time="300ms"\/> Say the number or the name\.<\/speak>$/);
  });

  test('a failing pipeline closes the intent as Failed with an apology', async () => {
    const r = await handleLexEvent(fixture('lex-v2-text-event.json'), async () => {
      throw new Error('store down');
    });
    assert.equal(r.sessionState.dialogAction.type, 'Close');
    assert.equal(r.sessionState.intent?.state, 'Failed');
    assert.match(r.messages[0].content, /Sorry/);
  });
});

describe('AWS Lambda entry points', () => {
  test('an API Gateway HTTP API event reaches the same Fastify app', async () => {
    const { handleTurn } = fixturePipeline();
    const app = await buildHttpApp({ handleTurn, logger: { level: 'silent' }, metrics: new Metrics(), readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 10, feeds: [] }) });
    const handler = createLambdaHandler(app);
    const res = await handler(fixture('apigw-v2-chat-event.json'), {});
    assert.equal(res.statusCode, 200);
    const body = JSON.parse(res.body);
    assert.match(body.conversationId, /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/);
    assert.equal(body.answer.stations[0].name, 'Cheapside, Bank');
    await app.close();
  });

  test('lazy handlers build once and share the pipeline between HTTP and Lex', async () => {
    let builds = 0;
    const handlers = createLazyLambdaHandlers(async () => {
      builds++;
      const { handleTurn } = fixturePipeline();
      const app = await buildHttpApp({ handleTurn, logger: { level: 'silent' }, metrics: new Metrics(), readiness: () => ({ ready: true, snapshotAgeS: 1, stations: 10, feeds: [] }) });
      return { app, handleTurn };
    });
    const [lex, http] = await Promise.all([handlers.lex(fixture('lex-v2-speech-event.json')), handlers.http(fixture('apigw-v2-chat-event.json'), {})]);
    assert.match(lex.messages[0].content, /Cheapside/);
    assert.equal(http.statusCode, 200);
    await handlers.lex(fixture('lex-v2-text-event.json'));
    assert.equal(builds, 1);
  });
});
