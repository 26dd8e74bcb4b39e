/**
 * A scripted phone call through the signed Twilio Voice webhook: TwiML in (the
 * form Twilio posts), TwiML out, parsed as XML, following the <Gather> action and
 * the <Redirect> Twilio would follow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './fixtures/app.js';
import { callParams, sayText, twilioPost, type Posted } from './fixtures/twilio-client.js';
import { DTMF_PHRASINGS, familyStations, FAMILY_QUESTION, SPEECH_PHRASINGS } from './fixtures/choice-phrasings.js';
import { harness, station } from '../dialog/fixtures.js';
import { speakable, VOICE_ACTION, VOICE_TEXTS, silenceUrl } from '../../src/channels/twilio-voice.js';
import { readChoice } from '../../src/dialog/choice.js';

let calls = 0;
const newCall = (): string => 'CA' + String(++calls).padStart(32, '0');

/** What the caller hears: every <Say>, inside a <Gather> or not, in order. */
function heard(p: Posted): string {
  const r = p.xml.Response;
  const says = [r.Gather?.Say, r.Say].filter((x) => x !== undefined).flatMap((x) => (Array.isArray(x) ? x : [x]));
  return says.map(sayText).join(' ');
}

describe('Voice: a call that sounds like a person', () => {
  let s: TestServer;
  before(async () => {
    const stations = [...familyStations(), station('BikePoints_9', 'Lambeth & Vauxhall <Gate>, Lambeth', 51.49, -0.12, 4, 4, 10)];
    const h = harness({ stations });
    s = await startTestServer({
      handleTurn: h.handle,
      twilio: { authToken: 'test-auth-token-0123456789abcdef', publicUrl: 'https://bikebot.example.org', voice: 'Polly.Amy-Neural', language: 'en-GB' },
    });
  });
  after(async () => {
    await s.close();
  });
  const post = (path: string, sid: string, extra: Record<string, string> = {}) => twilioPost(s.url, path, callParams(sid, extra));

  test('greeting → silence → one reprompt → silence → a polite goodbye', async () => {
    const sid = newCall();
    const greet = await post('/twilio/voice', sid);
    const g = greet.xml.Response.Gather;
    assert.equal(g['@input'], 'speech dtmf', 'speech and keypad');
    assert.equal(g['@action'], VOICE_ACTION);
    assert.equal(g.Say['@voice'], 'Polly.Amy-Neural', 'the configured voice');
    assert.equal(g.Say['@language'], 'en-GB');
    assert.equal(sayText(g.Say), VOICE_TEXTS.greeting);
    assert.equal(greet.xml.Response.Hangup, undefined);
    // Twilio follows the <Redirect> when the caller says nothing.
    const redirect = greet.xml.Response.Redirect;
    assert.equal(redirect['@method'], 'POST');
    const reprompt = await post(redirect['#text'], sid);
    assert.match(heard(reprompt), /^Sorry, I didn't catch that\. Which station/);
    assert.ok(reprompt.xml.Response.Gather, 'the reprompt listens again');
    assert.equal(reprompt.xml.Response.Hangup, undefined, 'one silence does not end the call');
    const bye = await post(reprompt.xml.Response.Redirect['#text'], sid);
    assert.equal(heard(bye), VOICE_TEXTS.goodbye);
    assert.equal(bye.xml.Response.Hangup, '');
    assert.equal(bye.xml.Response.Say['@voice'], 'Polly.Amy-Neural');
  });

  test('speech after a reprompt carries on as normal', async () => {
    const sid = newCall();
    await post(silenceUrl(1), sid);
    const r = await post(VOICE_ACTION, sid, { SpeechResult: 'bikes at cheapside' });
    assert.match(heard(r), /^Cheapside, Bank: six bikes/);
    assert.equal(r.xml.Response.Redirect['#text'], silenceUrl(1), 'the silence count starts again');
  });

  test('options are read as a sentence in number order; one key chooses', async () => {
    const sid = newCall();
    const r = await post(VOICE_ACTION, sid, { SpeechResult: FAMILY_QUESTION });
    const said = heard(r);
    assert.match(said, /^Which one did you mean: Waterloo Station one, two bikes; Waterloo Station two, four bikes; .* or Waterloo Station five, ten bikes\? Say the number or the name\.$/);
    assert.doesNotMatch(said, /Option one|\d\)/, 'not read as a numbered form');
    assert.equal(r.xml.Response.Gather['@numDigits'], '1', 'a single key is a whole answer');
    const k = await post(VOICE_ACTION, sid, { Digits: '4' });
    assert.match(heard(k), /^Waterloo Station four, Waterloo: eight bikes/);
  });

  test(`${SPEECH_PHRASINGS.length} spoken answers and ${DTMF_PHRASINGS.length} keys each choose the station meant`, async () => {
    assert.ok(SPEECH_PHRASINGS.length >= 50);
    const wrong: string[] = [];
    const words = ['one', 'two', 'three', 'four', 'five'];
    for (const [field, list] of [['SpeechResult', SPEECH_PHRASINGS], ['Digits', DTMF_PHRASINGS]] as const) {
      for (const [said, k] of list) {
        const sid = newCall();
        await post(VOICE_ACTION, sid, { SpeechResult: FAMILY_QUESTION });
        const got = heard(await post(VOICE_ACTION, sid, { [field]: said }));
        if (!got.startsWith(`Waterloo Station ${words[k - 1]}, Waterloo: `)) wrong.push(`${field} ${JSON.stringify(said)} → ${got.slice(0, 60)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test('nearest lists are read as sentences with walking minutes', async () => {
    const r = await post(VOICE_ACTION, newCall(), { SpeechResult: 'bikes near cheapside' });
    const said = heard(r);
    assert.match(said, /^(The nearest|Cheapside)/);
    assert.doesNotMatch(said, /Option one|\d\)|\n/);
  });

  test('text is SSML-safe: markup characters in a station name are not read or parsed', async () => {
    const r = await post(VOICE_ACTION, newCall(), { SpeechResult: 'bikes at lambeth and vauxhall gate' });
    assert.match(r.text, /<Say[^>]*>[^<]*Lambeth and Vauxhall Gate/, r.text);
    assert.doesNotMatch(heard(r), /[<>&]/);
    assert.equal(speakable('A & B <break time="9s"/> {x}'), 'A and B break time="9s"/ x');
  });

  test('"new" starts again without hanging up; "thanks" ends the call politely', async () => {
    const sid = newCall();
    await post(VOICE_ACTION, sid, { SpeechResult: FAMILY_QUESTION });
    const fresh = await post(VOICE_ACTION, sid, { SpeechResult: 'new' });
    assert.equal(fresh.xml.Response.Hangup, undefined);
    assert.ok(fresh.xml.Response.Gather);
    const bye = await post(VOICE_ACTION, sid, { SpeechResult: 'thanks' });
    assert.equal(bye.xml.Response.Hangup, '');
    assert.match(heard(bye), /Goodbye/);
  });
});

describe('Voice: honest counts and coverage, said', () => {
  let s: TestServer;
  before(async () => {
    const h = harness();
    s = await startTestServer({ handleTurn: h.handle });
  });
  after(async () => {
    await s.close();
  });

  test('e-bikes with no split in the feed are said to be bike counts', async () => {
    const r = await twilioPost(s.url, VOICE_ACTION, callParams(newCall(), { SpeechResult: 'any e-bikes near angel' }));
    assert.match(heard(r), /^The nearest with bikes to Angel station are .* E bike counts are not published here, so these are bike counts\.$/);
  });

  test('a place outside every system names the nearest system', async () => {
    const r = await twilioPost(s.url, VOICE_ACTION, callParams(newCall(), { SpeechResult: 'bikes near 53.48, -2.24' }));
    assert.match(heard(r), /outside the areas I cover; the nearest I know is Santander Cycles, London, .* kilometres away\.$/);
  });
});

describe('readChoice', () => {
  const options = [1, 2, 3].map((k) => ({ name: `Waterloo Station ${k}, Waterloo` }));
  test('homophones count only on calls, and "to" inside a request is not a two', () => {
    assert.deepEqual(readChoice('to', options, { voice: true }), { kind: 'option', index: 1 });
    assert.equal(readChoice('to', options, { voice: false }), null);
    assert.equal(readChoice('take me to cheapside', options, { voice: true }), null);
    assert.equal(readChoice('bikes at cheapside', options, { voice: false }), null);
    assert.equal(readChoice('the Soho one', options, { voice: false }), null);
  });
  test('a name number beats the position when the names are a numbered family not starting at 1', () => {
    const gates = [{ name: 'Olympic Park Gate 2' }, { name: 'Olympic Park Gate 5' }];
    assert.deepEqual(readChoice('gate 5', gates, { voice: false }), { kind: 'option', index: 1 });
    assert.deepEqual(readChoice('5', gates, { voice: false }), { kind: 'option', index: 1 });
    assert.deepEqual(readChoice('the second one', gates, { voice: false }), { kind: 'option', index: 1 });
    assert.deepEqual(readChoice('7', gates, { voice: false }), { kind: 'out_of_range', said: 7 });
  });
});
