import { test } from 'node:test';
import assert from 'node:assert/strict';
import { smsCost, smsSegments, trimToSms } from '../../src/dialog/sms.js';
import { numberToWords, toSpeech } from '../../src/dialog/speech.js';
import { compose } from '../../src/dialog/replies/compose.js';
import { countPhrase, distancePhrase, echo } from '../../src/dialog/replies/format.js';
import { dataAge, ZoneClocks } from '../../src/dialog/replies/data-age.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { examplesFor, isLondonSystem, LONDON_EXAMPLES, NEUTRAL_EXAMPLES } from '../../src/dialog/replies/examples.js';
import { errorReply, greetingReply, helpReply, notFoundReply, unknownReply, whereReply } from '../../src/dialog/replies/canned.js';
import { StationIndex } from '../../src/domain/station-index.js';
import type { Snapshot, SystemInfo } from '../../src/domain/station.js';
import { LONDON, londonStations, OBSERVED, station } from './fixtures.js';

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
  assert.equal(smsCost('ΔΦΓΛΩΠΨΣΘΞ{}[]~|^\\').units, 10 + 2 * 8, 'Greek capitals are basic, brackets escaped');
  assert.equal(smsCost('Ѐ').encoding, 'ucs2', 'a Cyrillic letter just past the table is not GSM-7');
});

test('smsCost agrees with the GSM 03.38 tables on any text (property)', async () => {
  const fc = (await import('fast-check')).default;
  const basic = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
  const escaped = new Set('^{}\\[~]|€\f');
  const reference = (text: string) => {
    let septets = 0;
    for (const ch of text) {
      if (basic.has(ch)) septets += 1;
      else if (escaped.has(ch)) septets += 2;
      else return { encoding: 'ucs2', units: text.length };
    }
    return { encoding: 'gsm7', units: septets };
  };
  const alphabet = [...basic, ...escaped, 'ç', 'Ѐ', '🚲', '’', '\u0394', 'ü', '\u00a0'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }), (chars) => {
      const text = chars.join('');
      const c = smsCost(text);
      assert.deepEqual({ encoding: c.encoding, units: c.units }, reference(text), JSON.stringify(text));
    }),
    { numRuns: 500 },
  );
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
  assert.equal(toSpeech('Waterloo Station 3, Waterloo: 12 bikes, 250 m away, 3 min walk.'), "Waterloo Station three, Waterloo: twelve bikes, two hundred and fifty metres away, three minutes' walk.");
  assert.equal(toSpeech('It takes 3 min, or 1 min by bike.'), 'It takes three minutes, or one minute by bike.');
  assert.equal(toSpeech('About 12 min. Then 250 m.'), 'About twelve minutes. Then two hundred and fifty metres.');
  assert.equal(toSpeech('Counts from 14:02.'), 'Counts from 14:02.');
  assert.equal(toSpeech('e.g. "docks near SE1 7PB"'), 'for example "docks near S E 1, 7 P B"');
  assert.equal(toSpeech('It is 1.4 km away.'), 'It is 1.4 kilometres away.');
  assert.equal(toSpeech('Which one?\n1) A.\n2) B.\nReply with a number.'), 'Which one? Option one: A. Option two: B. Say the number.');
  assert.equal(toSpeech('Holland Walk (four e-bikes) is open'), 'Holland Walk, four e bikes, is open');
});

test('clock and age: five-minute threshold, zone, stale flag, oldest wins', () => {
  const now = new Date('2022-08-01T13:10:00Z');
  const clocks = new ZoneClocks();
  assert.equal(clocks.phrase(new Date('2022-08-01T13:02:00Z'), now, 'Europe/London'), '14:02');
  assert.equal(clocks.phrase(new Date('2022-08-01T13:02:00Z'), now, 'Not/AZone'), '14:02', 'unknown zone falls back to London');
  assert.equal(clocks.phrase(new Date('2022-08-01T13:02:00Z'), now, 'America/Chicago'), '08:02');
  assert.equal(clocks.phrase(new Date('2022-08-01T13:02:00Z'), new Date('2022-08-02T09:00:00Z'), 'Europe/London'), '14:02 on 1 Aug', 'the remembered phrase follows a new day');
  assert.equal(clocks.phrase(new Date('2022-08-01T12:02:00Z'), now, 'Europe/London'), '13:02', 'and a new observation time');
  const fresh = dataAge(['2022-08-01T13:06:00Z'], now, 600_000, 'Europe/London', clocks);
  assert.deepEqual(fresh, { dataAsOf: '2022-08-01T13:06:00Z', stale: false, note: '' });
  const older = dataAge(['2022-08-01T13:06:00Z', '2022-08-01T13:02:00Z', null], now, 600_000, 'Europe/London', clocks);
  assert.deepEqual(older, { dataAsOf: '2022-08-01T13:02:00Z', stale: false, note: 'Counts from 14:02.' });
  const stale = dataAge(['2022-08-01T12:00:00Z'], now, 600_000, 'Europe/London', clocks);
  assert.equal(stale.stale, true);
  assert.equal(stale.note, 'Old data: counts from 13:00, may have changed.');
  assert.deepEqual(dataAge([null], now, 1, 'Europe/London', clocks), { dataAsOf: null, stale: false, note: '' });
});

test('toSpeech: postcodes are said letter by letter and digit by digit, never glued into words', () => {
  assert.equal(toSpeech('SE1 7PB'), 'S E 1, 7 P B');
  assert.equal(toSpeech('Nearest spaces to SE1 7PB:'), 'Nearest spaces to S E 1, 7 P B:');
  assert.equal(toSpeech('I couldn\'t find "sw34sr".'), 'I couldn\'t find "S W 3, 4 S R".');
  assert.equal(toSpeech('EC1A 1BB'), 'E C 1 A, 1 B B');
  assert.equal(toSpeech('docks near W1J 0BD or NW10'), 'docks near W 1 J, 0 B D or N W 10');
  assert.equal(toSpeech('Liverpool Road (N1 Centre), Angel'), 'Liverpool Road, N 1 Centre, Angel');
  assert.doesNotMatch(toSpeech('SE1 7PB'), /SEone|sevenPB|[A-Za-z]\d|\d[A-Za-z]/);
});

test('toSpeech: "for example", Saint/Street in every position, regnal numbers, initialisms, dates, reply instructions', () => {
  assert.equal(toSpeech('Try a postcode, e.g. "bikes near Soho".'), 'Try a postcode, for example "bikes near Soho".');
  assert.equal(toSpeech('E.g. Soho'), 'For example Soho');
  assert.equal(toSpeech("Greenberry Street, St.John's Wood"), "Greenberry Street, Saint John's Wood");
  assert.equal(toSpeech('Drury Lane St'), 'Drury Lane Street');
  assert.equal(toSpeech('Bikes at Drury Lane St.'), 'Bikes at Drury Lane Street.');
  assert.equal(toSpeech('Liverpool St Station'), 'Liverpool Street Station');
  assert.equal(toSpeech('St. Mary & St. Michael Church, Stepney'), 'Saint Mary and Saint Michael Church, Stepney');
  assert.equal(toSpeech('Macclesfield Rd, St Lukes'), 'Macclesfield Road, Saint Lukes');
  assert.equal(toSpeech('Soho Square , Soho'), 'Soho Square, Soho');
  assert.equal(toSpeech('William IV Street, Strand'), 'William the Fourth Street, Strand');
  assert.equal(toSpeech('Charles II Street, West End'), 'Charles the Second Street, West End');
  assert.equal(toSpeech('Westferry DLR, Limehouse'), 'Westferry D L R, Limehouse');
  assert.equal(toSpeech('Old data: counts from 09:25 on 1 Aug, may have changed.'), 'Old data: counts from 09:25 on the first of August, may have changed.');
  assert.equal(toSpeech('Please reply with a number from 1 to 3.'), 'Please say a number from one to three.');
  assert.equal(toSpeech('Did you mean:\n1) Soho Square, Soho.\nReply 1 if so, or ask again.'), 'Did you mean: Option one: Soho Square, Soho. Say one if so, or ask again.');
  assert.equal(toSpeech('three e-bikes (e-bike count not published)'), 'three e bikes, e bike count not published');
  assert.equal(toSpeech('Somerset House, Strand: 6 spaces. 4 docks are out of order.'), 'Somerset House, Strand: six spaces. Four docks are out of order.');
});

/** TfL's own spellings, "St." and "Rd" and "&" and "(N1 Centre)" included. */
function tflNames(): string[] | null {
  const file = join(SHARED_DATA, 'tfl', 'stations.csv');
  if (!existsSync(file)) return null;
  const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const m = /^[^,]*,[^,]*,("(?:[^"]|"")*"|[^,]*)/.exec(row);
    return (m?.[1] ?? '').replace(/^"|"$/g, '').replace(/""/g, '"');
  });
}

test('toSpeech on every real TfL station name: no digit glued to a letter, no abbreviation left, same on a second pass', { skip: skipWithoutShared('data/tfl/stations.csv') }, () => {
  const names = tflNames()!;
  assert.ok(names.length > 700);
  const leftover = /\b(St|Rd|Sq|Ave?|Gdns|Ln|Pl|Pk|Cres|Terr?|Emb|Stn|Mt|Gt|Upr|Lwr|Bldgs?|Hosp|Ctre|Jct|Nr|DLR|II|IV)\b|&|\be-bikes?\b|[A-Za-z]\d|\d[A-Za-z]|\s,|\S\(|\)|\//;
  const bad: string[] = [];
  for (const name of names) {
    for (const text of [name, `Nearest bikes to ${name}:\n1) ${name}: three bikes, 250 m away, 3 min walk.\nCounts from 09:25 on 1 Aug.`]) {
      const said = toSpeech(text);
      if (leftover.test(said)) bad.push(`${JSON.stringify(text)} -> ${JSON.stringify(said)}`);
      if (toSpeech(said) !== said) bad.push(`not stable: ${JSON.stringify(said)} -> ${JSON.stringify(toSpeech(said))}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('toSpeech is stable on its own output (channels speak replies the dialog already spoke)', () => {
  const samples = [
    'Nearest spaces to SE1 7PB:\n1) Waterloo Station 3, Waterloo: 20 spaces, 250 m away, 3 min walk.\n2) St. John\'s Wood Church, The Regent\'s Park: one space, 1.2 km away, 15 min walk.\nOld data: counts from 09:25 on 1 Aug, may have changed.',
    'Which one did you mean?\n1) Waterloo Station 1, Waterloo.\n2) Waterloo Station 2, Waterloo.\nReply with a number.',
    'I couldn\'t find "ec1a1bb". Try a station name, a street, a place or a postcode, e.g. "bikes near SE1 7PB".',
    'Please reply with a number from 1 to 3.',
  ];
  for (const s of samples) {
    const once = toSpeech(s);
    assert.equal(toSpeech(once), once, once);
  }
});

/** Real Divvy (Chicago) stations from the 2025-01-29 feed; a sign-post dock name among them. */
function chicagoIndex(withLondon: boolean): StationIndex {
  const rows: Array<[string, string, number, number]> = [
    ['a3aa0bb7', 'Broadway & Berwyn Ave', 41.978361, -87.659789],
    ['1955905507044284968', 'Nordica Ave & Medill Ave', 41.92227, -87.80202],
    ['1969236968943731106', 'Menard Ave & Lawrence Ave', 41.96788, -87.77274],
    ['a3acdae2', 'Wentworth Ave & 63rd St', 41.78007963264, -87.6297463052],
    ['1981488728284770592', 'Nagle Ave & Belmont Ave', 41.93852, -87.78735],
  ];
  const chicago = rows.map(([id, name, lat, lon]) => station(`divvy:${id}`, name, lat, lon, 3, 4, 7, { systemId: 'divvy' }));
  const snaps: Snapshot[] = [{ feedId: 'divvy', systemId: 'divvy', fetchedAt: OBSERVED, asOf: OBSERVED, stations: chicago }];
  const systems: SystemInfo[] = [{ id: 'divvy', name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] }];
  if (withLondon) {
    snaps.unshift({ feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations: londonStations() });
    systems.unshift(LONDON);
  }
  return new StationIndex(snaps, systems);
}

test('examples come from the system in question: London postcodes only where London data is loaded', () => {
  const chicagoOnly = chicagoIndex(false);
  const names = chicagoOnly.stations.map((s) => s.name);
  const ex = examplesFor(chicagoOnly, null);
  assert.equal(ex.postcodes, false);
  assert.ok(ex.station !== null && names.includes(ex.station), `a real Divvy station: ${ex.station}`);
  assert.ok(ex.place !== null && names.includes(ex.place));
  assert.doesNotMatch(`${ex.station} ${ex.place}`, /\d/, 'numbered streets make poor examples');
  assert.deepEqual(examplesFor(chicagoOnly, 'divvy'), ex, 'the same, asked by id');

  const both = chicagoIndex(true);
  assert.equal(examplesFor(both, 'tfl'), LONDON_EXAMPLES);
  assert.equal(examplesFor(both, null), LONDON_EXAMPLES, 'no system given: London, as its data is loaded');
  assert.deepEqual(examplesFor(both, 'divvy'), ex, 'a Chicago conversation gets Chicago examples');
  assert.equal(examplesFor(null, null), NEUTRAL_EXAMPLES);
  assert.equal(isLondonSystem(both, 'tfl'), true);
  assert.equal(isLondonSystem(new StationIndex([], [{ id: 'santander', name: 'Santander Cycles', timezone: 'Europe/London', aliases: ['london'] }]), 'santander'), true);
  assert.equal(isLondonSystem(both, 'divvy'), false);
});

test('the "not found" reply gives a London postcode in London and a real local station elsewhere', () => {
  assert.equal(notFoundReply('zanzibar quay'), 'I couldn\'t find "zanzibar quay". Try a station name, a street, a place or a postcode, e.g. "bikes near SE1 7PB".');
  const ex = examplesFor(chicagoIndex(false), 'divvy');
  const chicago = notFoundReply('zanzibar quay', ex);
  assert.doesNotMatch(chicago, /SE1 7PB|postcode|Waterloo|Euston/);
  assert.ok(chicago.includes(`"bikes at ${ex.station}"`), chicago);
  const none = notFoundReply('zanzibar quay', NEUTRAL_EXAMPLES);
  assert.equal(none, 'I couldn\'t find "zanzibar quay". Try a station name, a street or a place.');
  for (const e of [LONDON_EXAMPLES, ex, NEUTRAL_EXAMPLES]) {
    for (const r of [helpReply(e), greetingReply(e), unknownReply('zzz', e), errorReply(e), whereReply('spaces', e), notFoundReply('x'.repeat(30), e)]) {
      assert.ok(smsSegments(r) === 1, `one segment: ${r}`);
      if (e !== LONDON_EXAMPLES) assert.doesNotMatch(r, /SE1 7PB|W1J 0BD|Waterloo|Euston|Hyde Park|Soho|British Museum/, r);
    }
  }
});

test('examples from real GBFS data: plain, one-segment names of that system', { skip: skipWithoutShared('data/gbfs/divvy-chicago/station_information.json', 'data/gbfs/bixi-montreal/station_information.json') }, () => {
  for (const [folder, systemId] of [['divvy-chicago', 'divvy'], ['bixi-montreal', 'bixi']]) {
    const info = JSON.parse(readFileSync(join(SHARED_DATA, 'gbfs', folder, 'station_information.json'), 'utf8'));
    const stations = (info.data.stations as Array<{ station_id: string; name: string; lat: number; lon: number }>).map((s) => station(`${systemId}:${s.station_id}`, s.name, s.lat, s.lon, 1, 1, 2, { systemId }));
    const index = new StationIndex([{ feedId: systemId, systemId, fetchedAt: OBSERVED, asOf: OBSERVED, stations }], [{ id: systemId, name: systemId, timezone: 'America/Chicago' }]);
    const ex = examplesFor(index, systemId);
    assert.ok(ex.station && stations.some((s) => s.name.startsWith(ex.station!)), `${systemId}: ${ex.station}`);
    const reply = notFoundReply('somewhere', ex);
    assert.equal(smsCost(reply).encoding, 'gsm7', reply);
    assert.doesNotMatch(reply, /SE1 7PB/);
  }
});

test('compose: a choice among names too long for two segments shortens them from the middle, keeping the tail whole', () => {
  const items = [1, 2, 3].map((i) => ({ full: `Métro Côte-des-Neiges Aquatic Centre Gate ${i}, Parc olympique`, short: `Métro Côte-des-Neiges Aquatic Centre Gate ${i}` }));
  const c = compose({ head: 'Which one did you mean?', items, numbered: true, minItems: 2, tail: ['Reply with a number.'] });
  assert.equal(c.kept, 2);
  assert.ok(smsSegments(c.text) <= 2, c.text);
  assert.match(c.text, /^Which one did you mean\?\n1\) Métro .*\.\.\. Gate 1\.\n2\) Métro .*\.\.\. Gate 2\.\nReply with a number\.$/);
  // A list that carries counts is never shortened inside an item: the count is the answer.
  const counts = compose({ head: 'Nearest bikes:', items: [{ full: `${'Métro Côte-des-Neiges '.repeat(8)}: five bikes, 250 m away.` }], numbered: false });
  assert.doesNotMatch(counts.text, / \.\.\. /);
});
