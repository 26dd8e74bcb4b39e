import { test } from 'node:test';
import assert from 'node:assert/strict';
import { understand } from '../../src/domain/understand/understand.js';
import { candidate, confidenceFeatures, confidenceOf } from '../../src/domain/understand/confidence.js';
import { verdictOf } from '../../src/domain/understand/verdict.js';
import type { Station } from '../../src/domain/station.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

/**
 * What issue 9's second round added to make understanding generalise: words trimmed
 * off a subject still heard by sound, word-level intent evidence, a confidence read
 * from six features, and places that merely repeat a dock's own name.
 */

test('words trimmed before and after the subject are handed to sound as lead and tail', () => {
  const wood = understand('docks at would street');
  assert.equal(wood.subject, 'street');
  assert.equal(wood.lead, 'would');
  const ormonde = understand('arm and get bikes');
  assert.equal(ormonde.subject, 'arm');
  assert.equal(ormonde.tail, 'and get');
  // The carrier of the question is never part of a name.
  assert.equal(understand('any bikes at waterloo please').tail ?? '', '');
  // A social opening word may be the start of a name as heard, never its subject.
  const torrens = understand('ta runs street');
  assert.equal(torrens.subject, 'runs street');
  assert.equal(torrens.lead, 'ta');
});

test('"close" after a name word is the street, not nearness', () => {
  const street = understand('docks at abyssinia close');
  assert.equal(street.subject, 'abyssinia close');
  assert.equal(street.intent, 'station_status');
  assert.equal(street.near, false);
  for (const near of ['bikes close to abyssinia close', 'any bikes close by', 'anything close']) assert.equal(understand(near).near, true, near);
});

test('a mistyped street word still marks the word before it as a name word', () => {
  // The slip in the street word is mended too (normalise.ts typoOf).
  assert.equal(understand('any bikes at dock srreet').subject, 'dock street');
  assert.equal(understand('any bikes at dock street').subject, 'dock street');
  assert.equal(understand('any bikes at the dock').subject, null);
});

test('intents from word-level evidence: padding, states before things, what was done to my bike', () => {
  const cases: Array<[string, string]> = [
    ['what do you actually do', 'help'], ['what kinds of questions do you answer', 'help'], ['give me a hand', 'help'],
    ['stuck bike at the dock', 'problem'], ['dead ebike at the dock', 'problem'], ['lost my bike', 'problem'], ['the dock ate my bike', 'problem'],
    ['someone nicked my bike', 'problem'], ['i got a penalty charge', 'problem'],
    ["that's all", 'cancel'], ["i'm done", 'cancel'],
    ["what's the best coffee shop near me", 'unknown'], ["i'm bored", 'unknown'], ["it's raining", 'unknown'],
  ];
  for (const [text, intent] of cases) assert.equal(understand(text).intent, intent, text);
  // Counting broken things, parking one's bike, and asking for a station stay station questions.
  assert.equal(understand('how many broken docks at waterloo').intent, 'station_status');
  assert.equal(understand('where can i return my bike').intent, 'nearest');
  assert.notEqual(understand('i parked my bike at soho square').intent, 'problem');
});

test('other languages: letters English never writes, and help asked for in another language', () => {
  // Foreign, so that the dialog answers in English that only English is read (unless a station is named outright).
  for (const text of ['hur många cyklar finns det', 'wie viel kostet das fahrrad']) assert.equal(understand(text).foreign, true, text);
  assert.equal(understand('hola necesito ayuda').intent, 'other_language');
  // A station named in an English question with an accent stays a station question.
  assert.equal(understand('bikes at café royal street').intent, 'station_status');
});

test('a question dressed as SQL is read; SQL alone is not a question', () => {
  const dressed = understand('SELECT docks FROM clifton road');
  assert.equal(dressed.intent, 'station_status');
  assert.equal(dressed.want, 'docks');
  assert.equal(dressed.subject, 'clifton road');
  for (const text of ['SELECT * FROM bikes WHERE 1=1', '1; SELECT * FROM users']) assert.equal(understand(text).intent, 'unknown', text);
});

const S = (id: string): Station => ({ id, name: id, systemId: 'tfl' }) as Station;

test('confidence features: leads plain, in log-odds and by each witness', () => {
  const a = candidate(S('a'), 1, 1, 0.95, false, 0.9, 0.95);
  const b = candidate(S('b'), 1, 1, 0.9, false, 0.5, 0.9);
  const [raw, lead, agree, logLead, spellingLead, soundLead] = confidenceFeatures([a, b]);
  assert.equal(raw, 0.95);
  assert.ok(Math.abs(lead - 0.05) < 1e-9);
  assert.equal(agree, 1);
  // 0.95 against 0.9 is a wider gap in log-odds than 0.55 against 0.5.
  const [, , , midLogLead] = confidenceFeatures([candidate(S('c'), 1, 1, 0.55, false), candidate(S('d'), 1, 1, 0.5, false)]);
  assert.ok(logLead > midLogLead);
  assert.ok(Math.abs(spellingLead - 0.4) < 1e-9);
  assert.ok(Math.abs(soundLead - 0.05) < 1e-9);
  // A wider log-odds lead at the same plain lead means more confidence.
  const high = confidenceOf([candidate(S('n'), 1, 1, 0.99, false, 0.99, 0.9), candidate(S('c'), 1, 1, 0.9, false, 0.9, 0.9)]);
  const mid = confidenceOf([candidate(S('n'), 1, 1, 0.59, false, 0.59, 0.5), candidate(S('c'), 1, 1, 0.5, false, 0.5, 0.5)]);
  assert.ok(high > mid);
});

test('verdict: a spelt-out distinctive word is answered; a weak leader is not offered as a choice', () => {
  // "orsett" for Orsett Terrace: spelt exactly, most of the name's weight, nothing else near.
  const spelt = verdictOf([candidate(S('orsett'), 0.61, 1, 0.77, false, 0.75, 0.33)]);
  assert.equal(spelt.verdict, 'confident');
  // The same recall reached by sound alone is asked about.
  const heard = verdictOf([candidate(S('orsett'), 0.61, 1, 0.77, false, 0.2, 0.77)]);
  assert.notEqual(heard.verdict, 'confident');
  // A leader under 0.3 strength is no name said: suggestions at most, never a question.
  const weak = verdictOf([candidate(S('x'), 0.4, 0.5, 0.23, false), candidate(S('y'), 0.4, 0.5, 0.18, false)]);
  assert.equal(weak.verdict, 'none');
});

const skip = skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london');

test('London: names heard in the words around them, and places that are the dock itself', { skip }, async () => {
  const { buildPipeline } = await import('../../bench/lib/understanding-harness.js');
  const p = buildPipeline(SHARED_DATA);
  let n = 0;
  const ask = async (text: string) => p.handleTurn({ channel: 'eval', conversationId: `g${n++}`, text });
  const expect: Array<[string, string]> = [
    ['docks at would street', 'Wood Street, Guildhall'],
    ['ta runs street', 'Torrens Street, Angel'],
    ['any bikes at orsett', 'Orsett Terrace, Bayswater'],
    ['dock srreet bikes', 'Dock Street, Wapping'],
    ['docks at abyssinia close', 'Abyssinia Close, Clapham Junction'],
    // The gazetteer's Maida Vale and University of Westminster are the docks of those names.
    ['is there space at madia vale', 'Maida Vale, Maida Vale'],
    ['any bikes at weatminster university', 'Westminster University, Marylebone'],
  ];
  for (const [text, name] of expect) {
    const a = await ask(text);
    assert.equal(a.options.length, 0, `${text}: asked ${a.options.map((o) => o.name).join('; ')}`);
    assert.equal(a.stations[0]?.name, name, text);
  }
  // A weak reading of a question about something else is neither answered nor offered.
  const unsure = await ask('is the central line running');
  assert.equal(unsure.options.length, 0);
  assert.equal(unsure.stations.length, 0);
});
