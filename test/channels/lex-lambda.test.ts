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
    assert.equal(r.sessionState.dialogAction.type, 'ElicitIntent');
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
    assert.match(body.conversationId, /^[A-Za-z0-9_-]{22}$/);
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
