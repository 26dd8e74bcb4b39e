import type { Station } from '../../src/domain/station.js';
import type { GazetteerEntry } from '../../src/geocode/gazetteer.js';

export function station(id: string, name: string, lat: number | null, lon: number | null): Station {
  return {
    id,
    systemId: 'test',
    name,
    lat,
    lon,
    terminalName: null,
    bikes: 3,
    standardBikes: null,
    ebikes: null,
    emptyDocks: 5,
    docks: 8,
    brokenDocks: 0,
    installed: true,
    locked: false,
    temporary: false,
    renting: true,
    returning: true,
    asOf: null,
  };
}

export function entry(name: string, kind: string, lat: number, lon: number, extra: Partial<GazetteerEntry> = {}): GazetteerEntry {
  return { name, kind, kinds: kind.toLowerCase().split(';'), lat, lon, aliases: [], file: 'fixture.csv', ...extra };
}

/** A small gazetteer with the hard cases: namesakes, partial names, kinds, odd apostrophes. */
export const GAZ: GazetteerEntry[] = [
  entry('Bethnal Green', 'overground;national-rail', 51.523917, -0.059568),
  entry('Bethnal Green', 'tube', 51.527222, -0.055506),
  entry('Barbican', 'tube', 51.520215, -0.097722),
  entry('Barbican Centre', 'theatre', 51.520196, -0.093731),
  entry('Borough', 'tube', 51.501199, -0.094299),
  entry('Waterloo', 'tube;national-rail', 51.503299, -0.11478),
  entry('London Waterloo East', 'national-rail', 51.504076, -0.108898),
  entry('Great Portland Street', 'tube', 51.523778, -0.143934),
  entry("St. Paul's", 'tube', 51.514936, -0.097567),
  entry('The Old Vic', 'theatre', 51.50245, -0.110627),
  entry('Young Vic', 'theatre', 51.503, -0.1089),
  entry("Regent's Park", 'park', 51.530847, -0.154383),
  entry('The Green', 'park', 51.5, -0.3),
  entry('The Green', 'park', 51.45, -0.1),
  entry('The Green', 'park', 51.6, -0.2),
  entry('Natural History Museum', 'museum', 51.496715, -0.176367),
  entry('British Museum', 'museum', 51.51897, -0.126486),
  entry('British Library', 'museum', 51.529985, -0.127),
  entry('Dr Johnson\u02bcs House', 'museum', 51.515, -0.1085),
  entry('Shakespeare\u2019s Globe Theatre', 'museum', 51.5081, -0.0972),
  entry('Lincoln\u2019s Inn Fields', 'park', 51.5159, -0.1175, { aliases: ['Fickets Field'] }),
  entry('Totteridge & Whetstone', 'tube', 51.630, -0.179),
  entry('Putney', 'shopping', 51.462873, -0.215589),
];
