import { StationIndex } from '../../src/domain/station-index.js';
import type { Station } from '../../src/domain/station.js';
import type { Geocoder, Place } from '../../src/domain/place.js';

export const OBSERVED = '2022-08-01T08:25:10.259Z';

export function st(id: string, name: string, lat: number, lon: number, bikes = 5, empty = 5, extra: Partial<Station> = {}): Station {
  return {
    id, systemId: 'tfl', name, lat, lon, terminalName: null, bikes, standardBikes: null, ebikes: null, emptyDocks: empty, docks: bikes + empty, brokenDocks: 0,
    installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: OBSERVED, ...extra,
  };
}

/**
 * Invented but realistic names in the TfL form "<street/landmark>, <area>", chosen
 * to exercise rare vs common words, siblings, numbers and sound-alike spellings.
 */
export function fixtureStations(): Station[] {
  const rows: Array<[string, string, number, number]> = [
    ['F_1', 'Quill Street, Clerkenwell', 51.5290, -0.1100],
    ['F_2', 'Marsh Lane, Clerkenwell', 51.5270, -0.1060],
    ['F_3', 'Harbour Station 1, Harbour', 51.5040, -0.1130],
    ['F_4', 'Harbour Station 2, Harbour', 51.5036, -0.1136],
    ['F_5', 'Harbour Road, South Quay', 51.5052, -0.1108],
    ['F_6', "St. Agnes's Court, Fitzrovia", 51.5200, -0.1380],
    ['F_7', 'Gascoigne Terrace, Bow Common', 51.5250, -0.0300],
    ['F_8', 'Bellflower Road (North), Kensington', 51.4990, -0.1900],
    ['F_9', 'Bellflower Road (Central), South Kensington', 51.4960, -0.1880],
    ['F_10', 'Knightsmead Square, Belgravia', 51.4980, -0.1550],
    ['F_11', 'Orchard Place, Fitzrovia', 51.5190, -0.1360],
    ['F_12', 'Pottery Lane, Fitzrovia', 51.5210, -0.1390],
    ['F_13', 'Kelsall Street, Fitzrovia', 51.5180, -0.1350],
    ['F_14', 'Ambrose Gardens, Clerkenwell', 51.5280, -0.1080],
    ['F_15', 'City Museum, Bloomsbury', 51.5190, -0.1270],
    ['F_16', 'Green Lawn Station, Mayfair', 51.5060, -0.1420],
    ['F_17', 'Dunmore Walk, Harbour', 51.5030, -0.1120],
    ['F_18', 'Juniper Crescent, Queen Elizabeth Olympic Park', 51.5430, -0.0130],
    ['F_19', 'Mill Street, Bow Common', 51.5240, -0.0310],
    ['F_20', 'Pelham Row, Bayswater', 51.5120, -0.1850],
  ];
  return rows.map(([id, name, lat, lon]) => st(id, name, lat, lon));
}

export function fixtureIndex(stations: Station[] = fixtureStations()): StationIndex {
  return new StationIndex([{ feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations }], [{ id: 'tfl', name: 'Santander Cycles', timezone: 'Europe/London', aliases: ['london'] }]);
}

/** A gazetteer of a few places, matched on whole normalised names: enough to test decisions, not geocoding. */
export class TinyGeocoder implements Geocoder {
  readonly name = 'tiny';
  readonly asked: string[] = [];
  constructor(private readonly places: Array<Omit<Place, 'source'>>) {}
  async lookup(query: string): Promise<Place[]> {
    this.asked.push(query);
    const q = query.toLowerCase().replace(/\b(station|tube)\b/g, '').replace(/\s+/g, ' ').trim();
    return this.places.filter((p) => p.name.toLowerCase() === q).map((p) => ({ ...p, source: this.name }));
  }
}
