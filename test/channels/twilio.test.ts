import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { messageOf, sms, twilioPost } from './fixtures/twilio-client.js';
import { AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from './fixtures/app.js';
import { SMS_TEXTS } from '../../src/channels/twilio-sms.js';
import { VOICE_ACTION, VOICE_TEXTS, silenceUrl } from '../../src/channels/twilio-voice.js';
import { createIndexHintSource } from '../../src/channels/voice-hints.js';
import { fixtureIndex } from './fixtures/pipeline.js';
import { harness, station } from '../dialog/fixtures.js';
import { smsCost, smsSegments } from '../../src/dialog/sms.js';
import type { Answer } from '../../src/domain/answer.js';
import type { Station } from '../../src/domain/station.js';

describe('Twilio SMS webhook', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });

  test('a signed text gets a TwiML <Message> naming the station', async () => {
    const r = await twilioPost(s.url, '/twilio/sms', sms('+447700900111', 'bikes at cheapside'));
    assert.equal(r.status, 200);
    assert.match(messageOf(r) ?? '', /Cheapside, Bank/);
  });

  test('options become a numbered list and the reply to "2" follows the same conversation', async () => {
    const from = '+447700900112';
    const first = await twilioPost(s.url, '/twilio/sms', sms(from, 'bikes at waterloo'));
    assert.match(messageOf(first) ?? '', /Waterloo Station 3, Waterloo/);
    const second = await twilioPost(s.url, '/twilio/sms', sms(from, '2'));
    assert.match(messageOf(second) ?? '', /Waterloo Station 2, Waterloo/);
    assert.doesNotMatch(messageOf(second) ?? '', /Which one/);
  });

  test('forged, unsigned and wrong-URL requests are refused with 403', async () => {
    const params = sms('+447700900113', 'bikes at waterloo');
    const forged = await twilioPost(s.url, '/twilio/sms', params, { token: 'not-our-token' });
    assert.equal(forged.status, 403);
    const unsigned = await twilioPost(s.url, '/twilio/sms', params, { signature: null });
    assert.equal(unsigned.status, 403);
    const elsewhere = await twilioPost(s.url, '/twilio/sms', params, { signedFor: 'https://evil.example.com/twilio/sms' });
    assert.equal(elsewhere.status, 403);
    // A valid signature for other parameters does not cover a changed body.
    const sig = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + '/twilio/sms', params);
    const tampered = await twilioPost(s.url, '/twilio/sms', { ...params, Body: 'something else' }, { signature: sig });
    assert.equal(tampered.status, 403);
  });

  test('STOP opts out and silences replies until START; HELP explains how to opt out', async () => {
    const from = '+447700900114';
    const help = await twilioPost(s.url, '/twilio/sms', sms(from, 'HELP'));
    assert.equal(messageOf(help), SMS_TEXTS.help);
    assert.match(messageOf(help) ?? '', /STOP/);
    const stop = await twilioPost(s.url, '/twilio/sms', sms(from, 'Stop'));
    assert.equal(messageOf(stop), SMS_TEXTS.stop);
    const silent = await twilioPost(s.url, '/twilio/sms', sms(from, 'bikes at waterloo'));
    assert.equal(silent.status, 200);
    assert.equal(messageOf(silent), undefined, 'no <Message> to an opted-out sender');
    const start = await twilioPost(s.url, '/twilio/sms', sms(from, 'START'));
    assert.equal(messageOf(start), SMS_TEXTS.start);
    const back = await twilioPost(s.url, '/twilio/sms', sms(from, 'bikes at cheapside'));
    assert.match(messageOf(back) ?? '', /Cheapside/);
  });

  test('per-sender rate limit: one polite warning, then silence; other senders unaffected', async () => {
    const from = '+447700900115';
    const replies: Array<string | undefined> = [];
    for (let i = 0; i < 7; i++) replies.push(messageOf(await twilioPost(s.url, '/twilio/sms', sms(from, 'bikes at cheapside'))));
    assert.ok(replies.slice(0, 5).every((m) => m && /Cheapside/.test(m)), 'five per minute are answered');
    assert.equal(replies[5], SMS_TEXTS.slowDown);
    assert.equal(replies[6], undefined);
    const other = await twilioPost(s.url, '/twilio/sms', sms('+447700900116', 'bikes at cheapside'));
    assert.match(messageOf(other) ?? '', /Cheapside/);
  });

  test('phone numbers and message text never reach the logs', () => {
    assert.ok(s.logs.lines.length > 0);
    assert.ok(!/447700900\d{3}/.test(s.logs.text), 'no phone number in logs');
    assert.ok(!s.logs.text.includes('cheapside'), 'no message text in logs');
  });
});

describe('Twilio Voice webhook', () => {
  let s: TestServer;
  before(async () => {
    const index = fixtureIndex();
    s = await startTestServer({ voiceHints: createIndexHintSource({ index: () => index }) });
  });
  after(async () => {
    await s.close();
  });
  const call = { CallSid: 'CA' + 'a'.repeat(32), AccountSid: 'AC' + '1'.repeat(32), From: '+447700900200', To: '+447700900000', CallStatus: 'in-progress', Direction: 'inbound' };

  test('a new call is greeted inside a speech-and-keypad <Gather> with hints, and silence leads to one reprompt', async () => {
    const r = await twilioPost(s.url, '/twilio/voice', call);
    assert.equal(r.status, 200);
    const g = r.xml.Response.Gather;
    assert.equal(g['@input'], 'speech dtmf');
    assert.equal(g['@action'], VOICE_ACTION);
    assert.equal(g['@speechTimeout'], 'auto');
    const hints = String(g['@hints']).split(', ');
    assert.ok(hints.includes('Waterloo') && hints.includes('Bank'), `area hints: ${g['@hints']}`);
    assert.ok(hints.length <= 500 && hints.every((h) => h.length <= 100));
    assert.match(JSON.stringify(g.Say), /BikeBot/);
    assert.equal(r.xml.Response.Redirect['#text'], silenceUrl(1), 'falls through to the reprompt when nothing is said');
    assert.equal(r.xml.Response.Hangup, undefined, 'one silence does not end the call');
  });

  test('a spoken follow-up is answered for speech, naming the station, with local hints', async () => {
    const r = await twilioPost(s.url, VOICE_ACTION, { ...call, SpeechResult: 'bikes at cheapside', Confidence: '0.92' });
    assert.equal(r.status, 200);
    const g = r.xml.Response.Gather;
    const said = JSON.stringify(g.Say);
    assert.match(said, /Cheapside/);
    assert.doesNotMatch(said, /\d+ m\b/, 'units are spoken, not abbreviated');
    assert.ok(String(g['@hints']).includes('Cheapside'), 'stations of the area being discussed are hinted');
  });

  test('choosing by voice continues the same call', async () => {
    const callB = { ...call, CallSid: 'CA' + 'b'.repeat(32) };
    const first = await twilioPost(s.url, VOICE_ACTION, { ...callB, SpeechResult: 'bikes at waterloo' });
    const asked = JSON.stringify(first.xml.Response.Gather.Say);
    assert.match(asked, /Waterloo Station/);
    assert.match(asked, /Say the number/, 'a caller is told to say the number');
    assert.doesNotMatch(asked, /Reply with|\d\)/, 'not to text it');
    const hints = String(first.xml.Response.Gather['@hints']);
    assert.ok(hints.includes('Waterloo Station 3'), 'the options are hinted');
    const second = await twilioPost(s.url, VOICE_ACTION, { ...callB, SpeechResult: 'the second one' });
    assert.match(JSON.stringify(second.xml.Response.Gather.Say), /Waterloo Station (2|two)/);
  });

  test('a second silence: a polite goodbye and <Hangup/>', async () => {
    const r = await twilioPost(s.url, silenceUrl(2), call);
    assert.equal(r.status, 200);
    assert.equal(r.xml.Response.Gather, undefined);
    assert.equal(r.xml.Response.Say['#text'] ?? r.xml.Response.Say, VOICE_TEXTS.goodbye);
    assert.equal(r.xml.Response.Hangup, '');
  });

  test('forged voice requests are refused with 403', async () => {
    const r = await twilioPost(s.url, '/twilio/voice', call, { token: 'wrong' });
    assert.equal(r.status, 403);
  });
});

describe('Twilio behind a proxy without a configured public URL', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ twilio: { authToken: AUTH_TOKEN, publicUrl: null } });
  });
  after(async () => {
    await s.close();
  });

  test('X-Forwarded-Proto/Host rebuild the URL Twilio signed', async () => {
    const params = sms('+447700900300', 'bikes at cheapside');
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bikes.example.net' };
    const ok = await twilioPost(s.url, '/twilio/sms', params, { signedFor: 'https://bikes.example.net/twilio/sms', headers });
    assert.equal(ok.status, 200);
    assert.match(messageOf(ok) ?? '', /Cheapside/);
    const wrongHost = await twilioPost(s.url, '/twilio/sms', params, { signedFor: 'https://bikes.example.net/twilio/sms', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'other.example.net' } });
    assert.equal(wrongHost.status, 403);
  });
});

/** Seven stations whose names alone fill most of a segment, so a choice among them cannot list them all in full. */
function longNamedStations(accent: boolean): Station[] {
  const area = accent ? 'Parc olympique, Côte-des-Neiges–Notre-Dame-de-Grâce' : 'Queen Elizabeth Olympic Park, Stratford International Quarter';
  return Array.from({ length: 7 }, (_, i) =>
    station(`BikePoints_${900 + i}`, `${accent ? 'Métro Côte-des-Neiges Aquatic Centre Gate' : 'Queen Elizabeth Olympic Park Aquatics Centre Gate'} ${i + 1}, ${area}`, 51.54 + i * 0.0004, -0.012, 5 + i, 6, 14),
  );
}

describe('Twilio SMS: never more than two segments, end to end', () => {
  for (const accent of [false, true]) {
    test(`signed request → TwiML <Message>: a long choice among long ${accent ? 'UCS-2 ' : ''}names fits two segments, whole options, and the follow-up too`, async () => {
      const h = harness({ stations: longNamedStations(accent) });
      const s = await startTestServer({ handleTurn: h.handle });
      try {
        const from = accent ? '+447700900401' : '+447700900400';
        const first = await twilioPost(s.url, '/twilio/sms', sms(from, accent ? 'bikes at metro cote des neiges aquatic centre gate' : 'bikes at queen elizabeth olympic park aquatics centre gate'));
        const body = messageOf(first) ?? '';
        assert.ok(smsSegments(body) <= 2, `${smsSegments(body)} segments (${smsCost(body).encoding}): ${body}`);
        assert.equal(smsCost(body).encoding, accent ? 'ucs2' : 'gsm7');
        assert.match(body, /Reply with a number\.$/, 'the instruction survives');
        assert.doesNotMatch(body, /\.\.\.\n|\.\.\.$/, 'nothing was cut mid-list');
        const lines = body.split('\n').filter((l) => /^\d[.)] /.test(l));
        assert.ok(lines.length >= 2, `a choice of at least two: ${body}`);
        lines.forEach((l, i) => assert.match(l, new RegExp(` Gate ${i + 1}\\b`), `option ${i + 1} is still told apart: ${l}`));
        assert.deepEqual(lines.map((l) => l.slice(0, 2)), lines.map((_, i) => `${i + 1}${lines[0][1]}`), 'numbered once, in order');

        const second = await twilioPost(s.url, '/twilio/sms', sms(from, '2'));
        const answer = messageOf(second) ?? '';
        assert.ok(smsSegments(answer) <= 2, answer);
        assert.match(answer, / Gate 2, /);
      } finally {
        await s.close();
      }
    });
  }

  test('options the reply does not name are listed as many as fit, with the instruction, never cut', async () => {
    const names = Array.from({ length: 5 }, (_, i) => `Queen Elizabeth Olympic Park Aquatics Centre Gate ${i + 1}, Queen Elizabeth Olympic Park Stratford International Quarter`);
    const canned: Answer = { intent: 'station_status', want: 'bikes', reply: 'Which one?', stations: [], options: names.map((name, i) => ({ id: String(i), name })), place: null, dataAsOf: null, stale: false };
    const s = await startTestServer({ handleTurn: async () => structuredClone(canned) });
    try {
      const r = await twilioPost(s.url, '/twilio/sms', sms('+447700900402', 'which'));
      const body = messageOf(r) ?? '';
      assert.ok(smsSegments(body) <= 2, `${smsSegments(body)} segments: ${body}`);
      assert.match(body, /^Which one\?\n1\. Queen Elizabeth Olympic Park Aquatics Centre Gate 1/);
      assert.match(body, /\nReply with a number\.$/);
      assert.doesNotMatch(body, /\.\.\./);
    } finally {
      await s.close();
    }
  });
});
