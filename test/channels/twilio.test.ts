import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AUTH_TOKEN, PUBLIC_URL, startTestServer, type TestServer } from './fixtures/app.js';
import { SMS_TEXTS } from '../../src/channels/twilio-sms.js';
import { VOICE_ACTION, VOICE_TEXTS } from '../../src/channels/twilio-voice.js';
import { createIndexHintSource } from '../../src/channels/voice-hints.js';
import { fixtureIndex } from './fixtures/pipeline.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });

interface Posted {
  status: number;
  text: string;
  xml: any;
}

/** Posts a form the way Twilio does, signed for `signedFor` (the URL Twilio believes it called). */
async function twilioPost(base: string, path: string, params: Record<string, string>, opts: { signedFor?: string; token?: string; signature?: string | null; headers?: Record<string, string> } = {}): Promise<Posted> {
  const signedFor = opts.signedFor ?? PUBLIC_URL + path;
  const signature = opts.signature === undefined ? twilio.getExpectedTwilioSignature(opts.token ?? AUTH_TOKEN, signedFor, params) : opts.signature;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers ?? {}) };
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const res = await fetch(base + path, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  const text = await res.text();
  const isXml = (res.headers.get('content-type') ?? '').includes('xml');
  if (isXml) assert.equal(XMLValidator.validate(text), true, `TwiML parses as XML: ${text}`);
  return { status: res.status, text, xml: isXml ? parser.parse(text) : null };
}

const sms = (from: string, body: string) => ({ MessageSid: 'SM' + Math.random().toString(16).slice(2).padEnd(32, '0'), AccountSid: 'AC' + '1'.repeat(32), From: from, To: '+447700900000', Body: body, NumMedia: '0' });
const messageOf = (p: Posted): string | undefined => {
  const m = p.xml?.Response?.Message;
  return m === undefined ? undefined : typeof m === 'string' ? m : String(m['#text'] ?? m);
};

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

  test('a new call is greeted inside a speech <Gather> with hints, and silence says goodbye', async () => {
    const r = await twilioPost(s.url, '/twilio/voice', call);
    assert.equal(r.status, 200);
    const g = r.xml.Response.Gather;
    assert.equal(g['@input'], 'speech');
    assert.equal(g['@action'], VOICE_ACTION);
    assert.equal(g['@speechTimeout'], 'auto');
    const hints = String(g['@hints']).split(', ');
    assert.ok(hints.includes('Waterloo') && hints.includes('Bank'), `area hints: ${g['@hints']}`);
    assert.ok(hints.length <= 500 && hints.every((h) => h.length <= 100));
    assert.match(JSON.stringify(g.Say), /BikeBot/);
    assert.match(JSON.stringify(r.xml.Response.Say), /goodbye/i, 'falls through to a goodbye when nothing is said');
    assert.equal(r.xml.Response.Hangup, '');
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
    assert.match(JSON.stringify(first.xml.Response.Gather.Say), /Waterloo Station/);
    const hints = String(first.xml.Response.Gather['@hints']);
    assert.ok(hints.includes('Waterloo Station 3'), 'the options are hinted');
    const second = await twilioPost(s.url, VOICE_ACTION, { ...callB, SpeechResult: 'the second one' });
    assert.match(JSON.stringify(second.xml.Response.Gather.Say), /Waterloo Station (2|two)/);
  });

  test('silence on a follow-up: a polite goodbye and <Hangup/>', async () => {
    const r = await twilioPost(s.url, VOICE_ACTION, call);
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
