import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smsCost, smsSegments, trimToSms } from '../../src/dialog/sms.js';
import { numberToWords, toSpeech } from '../../src/dialog/speech.js';
import { compose } from '../../src/dialog/replies/compose.js';
import { countPhrase, distancePhrase, echo } from '../../src/dialog/replies/format.js';
import { clockPhrase, dataAge } from '../../src/dialog/replies/data-age.js';

test('smsSegments: GSM-7 160/153, escape characters count double, UCS-2 70/67', () => {
  assert.equal(smsSegments(''), 1);
  assert.equal(smsSegments('a'.repeat(160)), 1);
  assert.equal(smsSegments('a'.repeat(161)), 2);
  assert.equal(smsSegments('a'.repeat(306)), 2);
  assert.equal(smsSegments('a'.repeat(307)), 3);
  assert.equal(smsCost('€'.repeat(80)).units, 160, '€ is in the escape table: two septets');
  assert.equal(smsSegments('€'.repeat(81)), 2);
  assert.equal(smsCost('Café é à ñ £ Ø').encoding, 'gsm7');
  assert.equal(smsCost('ç').encoding, 'ucs2', 'lower-case ç is not in GSM-7');
  assert.equal(smsSegments('ç' + 'a'.repeat(69)), 1);
  assert.equal(smsSegments('ç' + 'a'.repeat(70)), 2);
  assert.equal(smsSegments('ç' + 'a'.repeat(133)), 2);
  assert.equal(smsSegments('ç' + 'a'.repeat(134)), 3);
  assert.equal(smsCost('🚲').units, 2, 'an emoji is two UTF-16 units');
});

test('trimToSms cuts at a word boundary and only when needed', () => {
  const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
  const t = trimToSms(words);
  assert.ok(smsSegments(t) <= 2);
  assert.ok(t.endsWith('...'));
  const body = t.slice(0, -3);
  assert.ok(words.startsWith(body) && words[body.length] === ' ', 'ends on a whole word');
  assert.equal(trimToSms('short'), 'short');
  const blob = '🚲'.repeat(200);
  const tb = trimToSms(blob);
  assert.ok(smsSegments(tb) <= 2);
  assert.ok(!/[\uD800-\uDBFF]\.\.\.$/.test(tb), 'no half surrogate pair');
});

test('compose drops optional sentences first, then whole items, and reports how many items it kept', () => {
  const items = Array.from({ length: 5 }, (_, i) => ({ full: `Station number ${i}, ${'x'.repeat(80)}`, short: `Station number ${i}` }));
  const c = compose({ head: 'Nearest bikes:', items, numbered: true, tail: ['Counts from 09:25.'], optional: ['A note that may go.'] });
  assert.ok(smsSegments(c.text) <= 2);
  assert.match(c.text, /Counts from 09:25\.$/, 'the required tail stays');
  assert.doesNotMatch(c.text, /A note that may go/);
  assert.equal((c.text.match(/\d\) /g) ?? []).length, c.kept);
  for (let i = 0; i < c.kept; i++) assert.match(c.text, new RegExp(`${i + 1}\\) Station number ${i}`));
  const small = compose({ head: 'Hi.', items: [{ full: 'a' }, { full: 'b' }], numbered: true, optional: ['Kept.'] });
  assert.equal(small.kept, 2);
  assert.equal(small.text, 'Hi.\n1) a.\n2) b.\nKept.');
});

test('small counts read as words, unknown counts give no phrase at all', () => {
  assert.equal(countPhrase(0, 'bike', 'bikes'), 'no bikes');
  assert.equal(countPhrase(1, 'space', 'spaces'), 'one space');
  assert.equal(countPhrase(7, 'bike', 'bikes'), 'seven bikes');
  assert.equal(countPhrase(12, 'bike', 'bikes'), '12 bikes');
  assert.equal(countPhrase(null, 'bike', 'bikes'), null);
  assert.equal(distancePhrase(4), '10 m');
  assert.equal(distancePhrase(247), '250 m');
  assert.equal(distancePhrase(1450), '1.4 km');
  assert.equal(distancePhrase(23_400), '23 km');
});

test('echo bounds what is repeated back, on whole code points', () => {
  assert.equal(echo('  waterloo   station '), 'waterloo station');
  const e = echo('🚲'.repeat(50), 10);
  assert.equal(Array.from(e.replace(/\.\.\.$/, '')).length, 10);
  assert.ok(e.length < 30);
});

test('toSpeech: Saint before a name, Street after one; abbreviations, ampersands, e-bikes', () => {
  assert.equal(toSpeech("St. John's Wood Church, The Regent's Park"), "Saint John's Wood Church, The Regent's Park");
  assert.equal(toSpeech('St Pancras'), 'Saint Pancras');
  assert.equal(toSpeech('Drury St, Covent Garden'), 'Drury Street, Covent Garden');
  assert.equal(toSpeech('Wandsworth Rd, Isley Court'), 'Wandsworth Road, Isley Court');
  assert.equal(toSpeech('Elephant & Castle'), 'Elephant and Castle');
  assert.equal(toSpeech('Soho Sq'), 'Soho Square');
  assert.equal(toSpeech('four e-bikes here, one e-bike there'), 'four e bikes here, one e bike there');
});

test('toSpeech: numbers, units, lists and clock times', () => {
  assert.equal(numberToWords(0), 'zero');
  assert.equal(numberToWords(21), 'twenty-one');
  assert.equal(numberToWords(250), 'two hundred and fifty');
  assert.equal(numberToWords(1200), '1200');
  assert.equal(toSpeech('Waterloo Station 3, Waterloo: 12 bikes, 250 m away, 3 min walk.'), 'Waterloo Station three, Waterloo: twelve bikes, two hundred and fifty metres away, three minute walk.');
  assert.equal(toSpeech('Counts from 14:02.'), 'Counts from 14:02.');
  assert.equal(toSpeech('e.g. "docks near SE1 7PB"'), 'for example "docks near SE1 7PB"');
  assert.equal(toSpeech('It is 1.4 km away.'), 'It is 1.4 kilometres away.');
  assert.equal(toSpeech('Which one?\n1) A.\n2) B.\nReply with a number.'), 'Which one? Option one: A. Option two: B. Say a number.');
  assert.equal(toSpeech('Holland Walk (four e-bikes) is open'), 'Holland Walk, four e bikes, is open');
});

test('clock and age: five-minute threshold, zone, stale flag, oldest wins', () => {
  const now = new Date('2022-08-01T13:10:00Z');
  assert.equal(clockPhrase(new Date('2022-08-01T13:02:00Z'), now, 'Europe/London'), '14:02');
  assert.equal(clockPhrase(new Date('2022-08-01T13:02:00Z'), now, 'Not/AZone'), '14:02', 'unknown zone falls back to London');
  const fresh = dataAge(['2022-08-01T13:06:00Z'], now, 600_000, 'Europe/London');
  assert.deepEqual(fresh, { dataAsOf: '2022-08-01T13:06:00Z', stale: false, note: '' });
  const older = dataAge(['2022-08-01T13:06:00Z', '2022-08-01T13:02:00Z', null], now, 600_000, 'Europe/London');
  assert.deepEqual(older, { dataAsOf: '2022-08-01T13:02:00Z', stale: false, note: 'Counts from 14:02.' });
  const stale = dataAge(['2022-08-01T12:00:00Z'], now, 600_000, 'Europe/London');
  assert.equal(stale.stale, true);
  assert.equal(stale.note, 'Old data: counts from 13:00, may have changed.');
  assert.deepEqual(dataAge([null], now, 1, 'Europe/London'), { dataAsOf: null, stale: false, note: '' });
});
