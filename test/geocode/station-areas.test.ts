import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distanceM } from '../../src/domain/geo.js';
import { deriveStationAreas, StationAreaGeocoder } from '../../src/geocode/station-areas.js';
import { station } from './fixtures.js';

const stations = [
  station('1', 'Malet Street, Bloomsbury', 51.5215, -0.1305),
  station('2', 'Bedford Way , Bloomsbury', 51.5237, -0.1291),
  station('3', 'Great Russell Street, Bloomsbury', 51.5174, -0.1264),
  station('4', 'Russell Square  Station, Bloomsbury', 51.5231, -0.1244),
  // Filed under Bloomsbury but far away: must not drag the centre.
  station('5', 'Odd Place, Bloomsbury', 51.4700, -0.2000),
  station('6', 'Waterloo Station 1, Waterloo', 51.5040, -0.1134),
  station('7', 'Waterloo Station 2, Waterloo', 51.5037, -0.1132),
  station('8', 'Waterloo Station 3, Waterloo', 51.5032, -0.1137),
  station('9', 'London Zoo,  The Regent\'s Park', 51.5358, -0.1563),
  station('10', 'Clapham Road, Lingham Street, Stockwell', 51.4718, -0.1230),
  station('11', 'Church Street, Sands End', 51.4720, -0.1850),
  station('12', 'Church Street, Stepney', 51.5180, -0.0470),
  station('13', 'Wandsworth Rd, Isley Court, Wandsworth Road', 51.4692, -0.1414),
  station('14', 'No Coordinates, Nowhere', null, null),
  station('15', 'Clark St & Lake St', 41.886, -87.631),
];

test('areas are the part after the last comma, centred on their stations with outliers trimmed', () => {
  const areas = deriveStationAreas(stations);
  const bloomsbury = areas.find((a) => a.kind === 'area' && a.name === 'Bloomsbury');
  assert.ok(bloomsbury);
  assert.equal(bloomsbury.stationCount, 5);
  assert.ok(distanceM(bloomsbury.lat, bloomsbury.lon, 51.5214, -0.1276) < 150, `centre ${bloomsbury.lat},${bloomsbury.lon}`);
  assert.ok(areas.some((a) => a.kind === 'area' && a.name === 'Stockwell'));
  assert.ok(!areas.some((a) => a.name === 'Nowhere'), 'stations without coordinates place nothing');
});

test('street parts become places: numbered docks merge, middle parts count, namesakes far apart stay apart', () => {
  const areas = deriveStationAreas(stations);
  const wl = areas.filter((a) => a.name === 'Waterloo Station');
  assert.equal(wl.length, 1);
  assert.equal(wl[0].stationCount, 3);
  assert.ok(areas.some((a) => a.name === 'Lingham Street' && a.kind === 'street'));
  assert.equal(areas.filter((a) => a.name === 'Church Street').length, 2);
  assert.ok(areas.some((a) => a.name === 'London Zoo' && a.kind === 'landmark'));
  assert.ok(areas.some((a) => a.name === 'Clark St & Lake St'), 'names without an area still give a place');
});

test('lookup: an area by name is confident and approximate', () => {
  const g = StationAreaGeocoder.fromStations(stations);
  const p = g.lookupSync('bloomsbury')[0];
  assert.equal(p.name, 'Bloomsbury');
  assert.equal(p.kind, 'area');
  assert.equal(p.approximate, true);
  assert.equal(p.source, 'station-areas');
  assert.ok(p.confidence >= 0.9);
  assert.equal(g.lookupSync('sands end')[0].name, 'Sands End');
  assert.equal(g.lookupSync("the regents park")[0].name, "The Regent's Park");
});

test('lookup: a street part is a landmark but yields to an equal area match', () => {
  const g = StationAreaGeocoder.fromStations(stations);
  const zoo = g.lookupSync('london zoo')[0];
  assert.equal(zoo.name, 'London Zoo');
  assert.ok(zoo.confidence < 1 && zoo.confidence >= 0.8);
  assert.equal(g.lookupSync('waterloo')[0].kind, 'area');
  const church = g.lookupSync('church street');
  assert.ok(church[0].confidence < 0.6, 'two far-apart Church Streets are not confident');
});

test('lookup: unrelated words give nothing; an empty station list gives nothing', () => {
  const g = StationAreaGeocoder.fromStations(stations);
  assert.deepEqual(g.lookupSync('quantum flux capacitor'), []);
  assert.deepEqual(StationAreaGeocoder.fromStations([]).lookupSync('bloomsbury'), []);
});

test('an unknown place qualified by a known area falls back to the area, unsure', () => {
  const g = StationAreaGeocoder.fromStations(stations);
  const [p] = g.lookupSync('the dental museum bloomsbury');
  assert.equal(p.name, 'Bloomsbury');
  assert.equal(p.approximate, true);
  assert.ok(p.confidence < 0.6 && p.confidence > 0.3);
  assert.equal(g.lookupSync('sands end wibble')[0].name, 'Sands End');
});

test('station areas per system: a new list for one system rebuilds that system only, one per prepare step', async () => {
  const { buildGeocoder } = await import('../../src/geocode/build-geocoder.js');
  const london = stations.slice(0, 13);
  const chicago = [station('c1', 'Clark St & Lake St, The Loop', 41.886, -87.631), station('c2', 'State St & Lake St, The Loop', 41.8858, -87.6278)];
  let groups: Array<readonly typeof london[number][]> = [london, chicago];
  const g = buildGeocoder({ gazetteerPaths: [], builtinGazetteer: false, stations: () => groups.flat(), stationGroups: () => groups, live: [], urls: { tfl: '', postcodes: '', nominatim: '', photon: '' }, userAgent: 'BikeBot-test' });
  const loop = await g.lookup('the loop');
  assert.equal(loop[0]?.name, 'The Loop');
  assert.equal((await g.lookup('bloomsbury'))[0]?.name, 'Bloomsbury');
  // Both systems' next snapshots: new lists, one looked at per step.
  groups = [[...london], [...chicago]];
  assert.equal(g.prepare?.(), true, 'one system per step: another is left');
  assert.equal(g.prepare?.(), false, 'then nothing is left to do');
  // Chicago's next snapshot alone: London's list is the same one, and costs nothing.
  groups = [groups[0], [...chicago]];
  assert.equal(g.prepare?.(), false, 'one system to look at, in one step');
  // Chicago renamed: found once its step has run, London still there.
  groups = [london, [station('c1', 'Clark St & Lake St, River North', 41.886, -87.631)]];
  while (g.prepare?.() === true);
  assert.equal((await g.lookup('river north'))[0]?.name, 'River North');
  assert.equal((await g.lookup('bloomsbury'))[0]?.name, 'Bloomsbury');
  assert.equal((await g.lookup('the loop')).filter((p) => p.name === 'The Loop').length, 0, 'the old names are gone');
});
