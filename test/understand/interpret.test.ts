import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpret } from '../../src/domain/understand/interpret.js';
import { understand } from '../../src/domain/understand/understand.js';
import type { Geocoder, Place } from '../../src/domain/place.js';
import { fixtureIndex, fixtureStations, st, TinyGeocoder } from './fixtures.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const index = fixtureIndex();
const places = () =>
  new TinyGeocoder([
    { name: 'Harbour', lat: 51.5045, lon: -0.1125, kind: 'station', confidence: 0.95 },
    { name: 'Fitzrovia', lat: 51.5195, lon: -0.137, kind: 'area', confidence: 0.9, approximate: true },
    { name: 'City Museum Annexe', lat: 51.53, lon: -0.12, kind: 'landmark', confidence: 0.9 },
    { name: 'Green Lawn', lat: 51.507, lon: -0.143, kind: 'station', confidence: 0.95 },
  ]);

async function run(text: string, geocoder: Geocoder = places()) {
  return interpret(understand(text), { index, geocoder });
}

test('a named docking station is a station, without asking the geocoders', async () => {
  const g = places();
  const it = await run('bikes at quill street', g);
  assert.equal(it.kind, 'station');
  assert.equal(it.kind === 'station' && it.station.id, 'F_1');
  assert.deepEqual(g.asked, [], 'no geocoder call for a clear name');
});

test('"X station" means the transit station unless a dock is literally named so', async () => {
  const tube = await run('harbour tube bikes');
  assert.equal(tube.kind, 'place');
  assert.equal(tube.kind === 'place' && tube.place.name, 'Harbour');
  const literal = await run('green lawn station is it full');
  assert.equal(literal.kind, 'station');
  assert.equal(literal.kind === 'station' && literal.station.id, 'F_16');
});

test('numbered siblings named in full become a choice', async () => {
  const it = await run('harbour station any space');
  assert.equal(it.kind, 'choose');
  assert.deepEqual(it.kind === 'choose' && it.candidates.map((s) => s.id).sort(), ['F_3', 'F_4']);
});

test('an area becomes a place to search around', async () => {
  const it = await run('fitzrovia docks');
  assert.equal(it.kind, 'place');
  assert.equal(it.kind === 'place' && it.place.kind, 'area');
});

test('a gazetteer name that explains more of the message wins over a partial dock name', async () => {
  const it = await run('city museum annexe bikes');
  assert.equal(it.kind, 'place');
});

test('nothing known: not found, never an invented station', async () => {
  const it = await run('any bikes at camden passage');
  assert.equal(it.kind, 'not_found');
});

test('coordinates need no lookup, and a failing geocoder does not break names', async () => {
  const c = await run('bikes near 51.52,-0.10');
  assert.equal(c.kind, 'place');
  assert.deepEqual(c.kind === 'place' && [c.place.lat, c.place.lon], [51.52, -0.1]);
  const broken: Geocoder = { name: 'down', lookup: async () => Promise.reject(new Error('boom')) };
  const it = await run('harbour tube bikes', broken);
  assert.notEqual(it.kind, 'place');
  const named = await run('quill street', broken);
  assert.equal(named.kind, 'station');
});

/** A gazetteer answering with fixed places, tagged with the geocoder that found them. */
function fixed(places: Array<Omit<Place, 'source'> & { source?: string }>): Geocoder & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'fixed',
    asked,
    async lookup(q: string) {
      asked.push(q);
      return places.filter((p) => p.name.toLowerCase().startsWith(q.toLowerCase())).map((p) => ({ source: 'gazetteer', ...p }));
    },
  } as Geocoder & { asked: string[] };
}

const bridgeIndex = fixtureIndex([...fixtureStations(), st('F_21', 'Albion Bridge Road, Riverside', 51.498, -0.108)]);
const bridgeRoad = (g: Geocoder, text = 'albion bridge bikes') => interpret(understand(text), { index: bridgeIndex, geocoder: g });
const ROAD = { name: 'Albion Bridge Road', lat: 51.498, lon: -0.108, kind: 'street', confidence: 0.84, source: 'station-areas' };

test('a phrase a dock name holds, less its street word, is checked with the gazetteer: the bridge, not Bridge Road', async () => {
  const g = fixed([{ name: 'Albion Bridge', lat: 51.5008, lon: -0.1218, kind: 'landmark', confidence: 1 }, ROAD]);
  const it = await bridgeRoad(g);
  assert.equal(it.kind, 'place');
  assert.equal(it.kind === 'place' && it.place.name, 'Albion Bridge');
  // The street named in full is the dock, with no lookup.
  const g2 = fixed([{ name: 'Albion Bridge', lat: 51.5008, lon: -0.1218, kind: 'landmark', confidence: 1 }]);
  const road = await bridgeRoad(g2, 'albion bridge rd bikes');
  assert.equal(road.kind === 'station' && road.station.id, 'F_21');
  assert.deepEqual(g2.asked, []);
});

test('the dock stays when the gazetteer is unsure, or only knows the dock\'s own street', async () => {
  const unsure = fixed([{ name: 'Albion Bridge Steps', lat: 51.5, lon: -0.12, kind: 'landmark', confidence: 0.82 }, ROAD]);
  const a = await bridgeRoad(unsure);
  assert.equal(a.kind === 'station' && a.station.id, 'F_21');
  assert.deepEqual(unsure.asked, ['albion bridge'], 'asked once');
  const own = fixed([{ ...ROAD, confidence: 1 }]);
  const b = await bridgeRoad(own);
  assert.equal(b.kind === 'station' && b.station.id, 'F_21');
  const none = await bridgeRoad(fixed([]));
  assert.equal(none.kind === 'station' && none.station.id, 'F_21');
});

test('a surer gazetteer place beats the dock\'s street by a margin, short of an exact name', async () => {
  const it = await bridgeRoad(fixed([{ name: 'Albion Bridge Lodge', lat: 51.5, lon: -0.12, kind: 'landmark', confidence: 0.94 }, ROAD]));
  assert.equal(it.kind, 'place');
});

/** Interprets a subject said in a bikes question against the real London snapshot and gazetteer. */
async function londonSubjects(): Promise<(subject: string) => ReturnType<typeof interpret>> {
  const { loadTflIndex, localGeocoder } = await import('../../bench/lib/understanding-harness.js');
  const london = loadTflIndex(SHARED_DATA);
  const geocoder = localGeocoder(SHARED_DATA, london);
  return (subject) => interpret({ ...understand('bikes'), intent: 'station_status', want: 'bikes', subject, explicit: true }, { index: london, geocoder });
}

test('words before an "at" that no name holds: the station after it is answered when the whole found none or one', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london') }, async () => {
  const said = await londonSubjects();
  for (const [subject, name] of [
    ['lol ok at roscoe street', "Roscoe Street, St. Luke's"],
    ['signal is bad at newgate street', "Newgate Street, St. Paul's"],
  ] as const) {
    const it = await said(subject);
    assert.equal(it.kind === 'station' ? it.station.name : it.kind, name, subject);
  }
  // A place found for the whole stands: the museum is not traded for the station after "at".
  const museum = await said('museum at south kensington');
  assert.equal(museum.kind, 'place');
});

test('"X station" with no transit station X known is the docking station X; a transit station stays the place', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london') }, async () => {
  const said = await londonSubjects();
  const tooley = await said('tooley street station');
  assert.equal(tooley.kind === 'station' ? tooley.station.name : tooley.kind, 'Tooley Street, Bermondsey');
  const sail = await said('sail street station');
  assert.equal(sail.kind === 'station' ? sail.station.name : sail.kind, 'Sail Street, Vauxhall');
  const euston = await said('euston station');
  assert.equal(euston.kind, 'place');
  assert.equal(euston.kind === 'place' && euston.place.kind, 'station');
});

test('a word heard only faintly as a place is no place to search around', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london') }, async () => {
  const said = await londonSubjects();
  // "sing" sounds a little like King's Cross (0.47): too faint to answer about King's Cross.
  assert.notEqual((await said('sing')).kind, 'place');
  // A place named outright still is one.
  const angel = await said('angel');
  assert.equal(angel.kind === 'place' && angel.place.name, 'Angel');
});


test('an area found for a misspelt street named in it is no answer: the street in it is asked about', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london') }, async () => {
  const said = await londonSubjects();
  // "Finsbury" explains one word of four; the street said with it was the question (it was answered as the area).
  const street = await said('thre at st jhon street finsbury');
  assert.equal(street.kind === 'station' ? street.station.name : street.kind, 'St. John Street, Finsbury');
  // A street word itself misspelt ("plce"): two words the area does not hold are still a street asked about.
  const bury = await said('burry plce holborn');
  assert.equal(bury.kind === 'place', false);
  const alone = await said('st jhon street finsbury');
  assert.notEqual(alone.kind, 'place');
  // The area said alone is still the area.
  assert.notEqual((await said('shoreditch')).kind, 'not_found');
});

test('a place the gazetteer has by exactly the words said beats docks the words only resemble; a dock whose street holds them keeps them', async () => {
  const sure = (name: string, confidence = 1) => new TinyGeocoder([{ name, lat: 51.53, lon: -0.11, kind: 'station', confidence }]);
  // No dock's street is "Mile Street" or "Pelham Road" (Mill Street and Pelham Row only resemble them): the stations of those names.
  for (const [text, name] of [
    ['nearest bikes to mile street', 'Mile Street'],
    ['nearest bikes to pelham road', 'Pelham Road'],
  ] as const) {
    const it = await run(text, sure(name));
    assert.equal(it.kind === 'place' ? it.place.name : it.kind, name, text);
  }
  // A dock whose street part says every word keeps them, whatever the gazetteer has.
  const own = await run('nearest bikes to mill street', sure('Mill Street'));
  assert.equal(own.kind === 'station' && own.station.id, 'F_19');
  // A place the gazetteer is less than sure of is no witness against the dock.
  const unsure = await run('nearest bikes to mile street', sure('Mile Street', 0.9));
  assert.equal(unsure.kind === 'station' && unsure.station.id, 'F_19');
});

test('London: exact places over lookalike docks (Cannon Street, Westminster Abbey, St James\'s Park tube); the docks named so stay docks', { skip: skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london') }, async () => {
  const said = await londonSubjects();
  for (const [subject, name] of [
    ['cannon street', 'Cannon Street'],
    ['westminster abbey', 'Westminster Abbey'],
    ['st jamess park tube', "St. James's Park"],
  ] as const) {
    const it = await said(subject);
    assert.equal(it.kind === 'place' ? it.place.name : it.kind, name, subject);
  }
  for (const [subject, name] of [
    ['westferry dlr', 'Westferry DLR, Limehouse'],
    ['canton street', 'Canton Street, Poplar'],
    ['abbey orchard street', 'Abbey Orchard Street, Westminster'],
  ] as const) {
    const it = await said(subject);
    assert.equal(it.kind === 'station' ? it.station.name : it.kind, name, subject);
  }
});
