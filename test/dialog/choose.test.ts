import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, indexOf, londonStations, station } from './fixtures.js';
import type { Station } from '../../src/domain/station.js';
import { defaultBrain } from '../../src/dialog/brain.js';
import type { Brain } from '../../src/dialog/turn-deps.js';
import { smsSegments } from '../../src/dialog/sms.js';
import { MAX_OPTIONS } from '../../src/dialog/answers/common.js';

/**
 * How many candidates a choice lists: every close one, numbered, while the whole
 * question fits two SMS segments (at most MAX_OPTIONS); beyond that the person is
 * asked to narrow down by area, and no candidate is silently dropped.
 */

/** Nine docks called Waterloo in four areas, as London has (and then some). */
function waterloos() {
  const names = [
    'Waterloo Station 1, Waterloo', 'Waterloo Station 2, Waterloo', 'Waterloo Station 3, Waterloo', 'Waterloo Road, South Bank', 'Waterloo Bridge, South Bank',
    "Waterloo Place, St. James's", 'Waterloo East, Southwark', 'Waterloo Gardens, Bethnal Green', 'Waterloo Terrace, Islington',
  ];
  return names.map((n, i) => station(`BikePoints_${100 + i}`, n, 51.5 + i * 0.001, -0.11, 5, 5, 10));
}

/**
 * The real understanding, except that a name whose first word all the namesakes share
 * resolves to all of them as close candidates: what the resolver decides is close is
 * its own tests' business (test/understand); here, only how many are listed.
 */
function choosing(namesakes: Station[]): Brain {
  const real = defaultBrain();
  const first = namesakes[0].name.split(' ')[0].toLowerCase();
  return {
    understand: real.understand,
    interpret: async (u, ctx) => (u.subject === first || u.subject === `${first} ${namesakes[0].name.split(' ')[1].toLowerCase()}` ? { kind: 'choose', candidates: namesakes } : real.interpret(u, ctx)),
  };
}

/** The namesakes among other docks, so that "Waterloo" is as telling a word as it is in London. */
function among(namesakes: Station[]): Station[] {
  const others = londonStations().filter((s) => !/waterloo/i.test(s.name));
  const streets = ['Abbey', 'Baker', 'Cheyne', 'Doughty', 'Eccleston', 'Fleet', 'Gower', 'Hoxton', 'Ixworth', 'Jermyn', 'Kemble', 'Lupus', 'Marylebone', 'Neal', 'Orsett', 'Pall Mall', 'Quaker', 'Rupert', 'Sloane', 'Tooley'];
  const filler = streets.map((w, i) => station(`BikePoints_${300 + i}`, `${w} Street, Area ${i}`, 51.51 + i * 0.001, -0.12, 4, 4, 8));
  return [...others, ...filler, ...namesakes];
}

test(`a choice lists every close candidate, numbered, while it fits two segments (up to ${MAX_OPTIONS})`, async () => {
  const six = waterloos().slice(0, 6);
  const h = harness({ index: indexOf(among(six)), brain: choosing(six) });
  const a = await h.ask('bikes at waterloo');
  assert.deepEqual(new Set(a.options.map((o) => o.id)), new Set(six.map((s) => s.id)), a.reply);
  assert.equal((a.reply.match(/^\d\) /gm) ?? []).length, 6, a.reply);
  assert.ok(smsSegments(a.reply) <= 2, a.reply);
  // The sixth is as reachable as the first.
  const b = await h.ask('6');
  assert.equal(b.stations.length, 1, b.reply);
  assert.equal(b.stations[0].id, a.options[5].id);
});

test('more close candidates than one message can list: asks which area, drops none, and narrows on the reply', async () => {
  const nine = waterloos();
  const h = harness({ index: indexOf(among(nine)), brain: choosing(nine) });
  const a = await h.ask('bikes at waterloo');
  assert.ok(smsSegments(a.reply) <= 2, a.reply);
  assert.match(a.reply, /^There are 9 stations called Waterloo: which area\? /, a.reply);
  for (const area of ['Waterloo', 'South Bank', "St. James's", 'Southwark', 'Bethnal Green', 'Islington']) assert.ok(a.reply.includes(area), `${area}: ${a.reply}`);
  assert.equal(a.options.length, 0, 'nothing numbered to pick from');
  assert.equal(a.stations.length, 0);

  // "south bank" narrows the nine to the two there: now a numbered choice.
  const b = await h.ask('south bank');
  assert.deepEqual(b.options.map((o) => o.id).sort(), ['BikePoints_103', 'BikePoints_104'], b.reply);
  const c = await h.ask('2');
  assert.equal(c.stations[0]?.id, b.options[1].id, c.reply);
});

test('narrowing by area: the area that is also the name ("Waterloo") picks the docks in that area', async () => {
  const h = harness({ index: indexOf(among(waterloos())), brain: choosing(waterloos()) });
  await h.ask('bikes at waterloo');
  const a = await h.ask('waterloo');
  assert.deepEqual(a.options.map((o) => o.id), ['BikePoints_100', 'BikePoints_101', 'BikePoints_102'], a.reply);
});

test('narrowing by area: a name that fits one candidate picks it at once', async () => {
  const h = harness({ index: indexOf(among(waterloos())), brain: choosing(waterloos()) });
  await h.ask('bikes at waterloo');
  const a = await h.ask('waterloo place');
  assert.equal(a.stations[0]?.id, 'BikePoints_105', a.reply);
});

test('many candidates in one area: asks for the rest of the name rather than the area', async () => {
  const stations = Array.from({ length: 9 }, (_, i) => station(`BikePoints_${70 + i}`, `Kings Cross ${i + 1}, Kings Cross`, 51.53 + i * 0.0005, -0.123, 3, 3, 6));
  const h = harness({ index: indexOf(among(stations)), brain: choosing(stations) });
  const a = await h.ask('kings cross');
  assert.ok(smsSegments(a.reply) <= 2, a.reply);
  assert.match(a.reply, /9 stations/, a.reply);
  assert.doesNotMatch(a.reply, /which area|in Kings Cross/, a.reply);
  const b = await h.ask('kings cross 7');
  assert.equal(b.stations[0]?.id, 'BikePoints_76', b.reply);
});

test('eight short names fit: all eight listed', async () => {
  const stations = Array.from({ length: 8 }, (_, i) => station(`BikePoints_${80 + i}`, `Kings Cross ${i + 1}, Kings Cross`, 51.53 + i * 0.0005, -0.123, 3, 3, 6));
  const h = harness({ index: indexOf(among(stations)), brain: choosing(stations) });
  const a = await h.ask('kings cross');
  assert.equal(a.options.length, 8, a.reply);
  assert.ok(smsSegments(a.reply) <= 2, a.reply);
});
