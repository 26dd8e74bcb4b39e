import { test } from 'node:test';
import assert from 'node:assert/strict';
import { understand } from '../../src/domain/understand/understand.js';
import { normaliseText } from '../../src/domain/understand/normalise.js';

test('normalises case, accents, apostrophes, HTML, tabs and emoji', () => {
  assert.equal(normaliseText("St. John's  WOOD\tRd 🚲"), 'st johns wood rd bike');
  assert.equal(normaliseText('<b>Fahrräder</b> &amp; docks'), 'fahrrader and docks');
  assert.equal(normaliseText('51.52,-0.10'), '51.52 -0.10');
  assert.equal(normaliseText('e-bikes?'), 'e bikes');
});

test('classifies social intents, including slang and other languages', () => {
  const cases: Array<[string, string]> = [
    ['hello', 'greeting'], ['yo', 'greeting'], ['hiya!', 'greeting'], ['good morning', 'greeting'], ['bonjour', 'greeting'],
    ['thx', 'thanks'], ['cheers mate', 'thanks'], ['merci beaucoup', 'thanks'], ['vielen dank', 'thanks'], ['appreciate it', 'thanks'],
    ['cancel', 'cancel'], ['never mind', 'cancel'], ['forget it', 'cancel'], ['quit', 'cancel'],
    ['help', 'help'], ['menu', 'help'], ['what can you do?', 'help'], ['how does this work', 'help'],
    ['call me an uber', 'unknown'], ['set an alarm for 7am', 'unknown'], ['recommend a restaurant in soho', 'unknown'],
    ['1; DROP TABLE users', 'unknown'], ['', 'unknown'], ['🤷', 'unknown'], ['<script>alert(1)</script>', 'unknown'], ['999', 'unknown'],
  ];
  for (const [text, intent] of cases) assert.equal(understand(text).intent, intent, text);
});

test('classifies the want from how people say it', () => {
  const cases: Array<[string, string]> = [
    ['any bikes at quill street', 'bikes'], ['bicycles near bow', 'bikes'], ['gibt es fahrräder an der quill street', 'bikes'],
    ['e-bikes at quill street', 'ebikes'], ['e bikes quill street', 'ebikes'], ['electric bikes near harbour', 'ebikes'],
    ['space at quill street', 'docks'], ['where can i drop off', 'docks'], ['can i return to quill street', 'docks'],
    ['somewhere to leave my bike in chelsea', 'docks'], ['is quill street full', 'docks'], ['free docks at harbour road', 'docks'],
    ['quill street', 'any'], ['nearest dock to SE1 7PB', 'any'],
  ];
  for (const [text, want] of cases) assert.equal(understand(text).want, want, text);
});

test('extracts the subject without filler and want words, keeping name words', () => {
  const cases: Array<[string, string | null]> = [
    ['any bikes left at Quill Street?', 'quill street'],
    ['can i return to ambrose gardens please', 'ambrose gardens'],
    ['city museum docking station spaces', 'city museum'],
    ['Dock Street any bikes', 'dock street'],
    ['green lawn station is it full', 'green lawn station'],
    ['museum of the home hoxton bikes', 'museum of the home hoxton'],
    ['bikes', null],
  ];
  for (const [text, subject] of cases) assert.equal(understand(text).subject, subject, text);
});

test('detects nearness, coordinates and a place question', () => {
  const a = understand('nearest bikes to harbour tube');
  assert.equal(a.intent, 'nearest');
  assert.equal(a.near, true);
  assert.equal(a.subject, 'harbour tube');
  const b = understand('bikes near 51.52,-0.10');
  assert.deepEqual(b.coordinates, { lat: 51.52, lon: -0.1 });
  assert.equal(b.intent, 'nearest');
  assert.equal(understand('51.5 -200').coordinates, null, 'invalid longitude is no coordinate');
  assert.equal(understand("I'm at Harbour station").want, 'bikes', 'someone standing somewhere wants a bike');
  assert.equal(understand('any bikes in it right now at quill street').near, false, '"bikes in it" is no place');
});

test('recognises follow-ups', () => {
  assert.deepEqual(understand('2', { optionsOpen: true }).followUp, { kind: 'choose', index: 1 });
  assert.deepEqual(understand('the second one', { optionsOpen: true }).followUp, { kind: 'choose', index: 1 });
  assert.deepEqual(understand('number 3 please', { optionsOpen: true }).followUp, { kind: 'choose', index: 2 });
  assert.deepEqual(understand('what about e-bikes?').followUp, { kind: 'want', want: 'ebikes' });
  assert.deepEqual(understand('and docks?').followUp, { kind: 'want', want: 'docks' });
  assert.deepEqual(understand('next one?').followUp, { kind: 'next' });
  assert.deepEqual(understand('harbour 2', { optionsOpen: true }).followUp, { kind: 'choose_name', text: 'harbour 2' });
  assert.equal(understand('999', { optionsOpen: true }).followUp, null, 'no list is that long');
});

test('a request after a social opening wins', () => {
  const u = understand('cancel. actually bikes at quill street');
  assert.equal(u.intent, 'station_status');
  assert.equal(u.subject, 'quill street');
  const g = understand('hallo gibt es fahrräder an der quill street');
  assert.equal(g.intent, 'station_status');
  assert.equal(g.want, 'bikes');
  assert.equal(g.subject, 'quill street');
});

test('a bare name is a station question, marked as not explicit', () => {
  const u = understand('quill street');
  assert.equal(u.intent, 'station_status');
  assert.equal(u.explicit, false);
  assert.equal(understand('bikes at quill street').explicit, true);
});

test('a system named at the end becomes a hint, a museum of london stays a museum', () => {
  const names = ['Divvy', 'chicago', 'london'];
  const a = understand('bikes near union station in chicago', { systemNames: names });
  assert.equal(a.systemHint, 'chicago');
  assert.equal(a.subject, 'union station');
  const b = understand('bikes at museum of london', { systemNames: names });
  assert.equal(b.subject, 'museum of london');
});

test('a 10 kB message is cut and handled fast', () => {
  const long = 'please tell me about the bikes at quill street '.repeat(250);
  assert.ok(long.length > 10_000);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) understand(long);
  const perCall = (performance.now() - t0) / 20;
  // A guard against runaway regexes, not a benchmark (the machine is shared): the
  // measured cost is about 0.2 ms, see bench/understanding.ts.
  assert.ok(perCall < 25, `understand took ${perCall.toFixed(3)} ms on 10 kB`);
  assert.equal(understand(long).intent, 'station_status');
});

test('spells out abbreviations no station name uses: gt, compass letters, kings x', () => {
  assert.equal(understand('gt percy st clerkenwell bikes').subject, 'great percy st clerkenwell');
  assert.equal(understand('st marks rd n kensington bikes').subject, 'st marks rd north kensington');
  assert.equal(understand('old brompton rd s kensington docks').subject, 'old brompton rd south kensington');
  assert.equal(understand('st chads st kings x bikes').subject, 'st chads st kings cross');
  assert.equal(understand('queens gate n bikes').subject, 'queens gate north');
  const e = understand('e bikes at n audley st');
  assert.equal(e.want, 'ebikes');
  assert.equal(e.subject, 'north audley st');
  // A letter that is not before a word, nor after a street word, stays.
  assert.equal(understand('bikes at plot s').subject, 'plot s');
});

test('questions in other languages keep only the name; a cancel opening drops its "that"', () => {
  const fr = understand('bonjour, y a-t-il des vélos à cromer street ?');
  assert.equal(fr.intent, 'station_status');
  assert.equal(fr.want, 'bikes');
  assert.equal(fr.subject, 'cromer street');
  assert.equal(understand('ci sono biciclette a cromer street').subject, 'cromer street');
  assert.equal(understand('never mind that. docks at doddington grove?').subject, 'doddington grove');
  assert.equal(understand('bonsoir').intent, 'greeting');
  assert.equal(understand('anything in ec2a').subject, 'ec2a');
});
