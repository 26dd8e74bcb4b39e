/** Tiny hand-written TfL BikePoint objects for unit tests (the real shape, few stations). */
const PROP_TYPE = 'Tfl.Api.Presentation.Entities.AdditionalProperties, Tfl.Api.Presentation.Entities';

export interface FixturePlace {
  id: string;
  name: string;
  lat?: unknown;
  lon?: unknown;
  /** key → value, or [value, modified]. */
  props: Record<string, string | [string, string]>;
  modified?: string;
}

export function place(p: FixturePlace): Record<string, unknown> {
  const modified = p.modified ?? '2025-09-12T14:36:21.533Z';
  const o: Record<string, unknown> = {
    $type: 'Tfl.Api.Presentation.Entities.Place, Tfl.Api.Presentation.Entities',
    id: p.id,
    url: `/Place/${p.id}`,
    commonName: p.name,
    placeType: 'BikePoint',
    additionalProperties: Object.entries(p.props).map(([key, v]) => ({
      $type: PROP_TYPE,
      category: 'Description',
      key,
      sourceSystemKey: 'BikePoints',
      value: Array.isArray(v) ? v[0] : v,
      modified: Array.isArray(v) ? v[1] : modified,
    })),
    children: [],
    childrenUrls: [],
  };
  if ('lat' in p) o.lat = p.lat;
  if ('lon' in p) o.lon = p.lon;
  return o;
}

const base = { TerminalName: '001023', Installed: 'true', Locked: 'false', InstallDate: '1278947280000', RemovalDate: '', Temporary: 'false' };

/** Four stations covering the quirks, plus one malformed entry. */
export function fixtureBikePoints(): unknown[] {
  return [
    // Today's shape, with NbStandardBikes/NbEBikes; " , " in the name; one broken dock.
    place({ id: 'BikePoints_1', name: 'River Street , Clerkenwell', lat: 51.529163, lon: -0.10997, props: { ...base, NbBikes: '5', NbEmptyDocks: '31', NbDocks: '37', NbStandardBikes: '1', NbEBikes: '4' } }),
    // 2022 shape: no NbStandardBikes/NbEBikes; double spaces; count times differ per key.
    place({
      id: 'BikePoints_2',
      name: 'Kennington Road  , Vauxhall',
      lat: 51.49,
      lon: -0.11,
      props: { ...base, TerminalName: ['000002', '2026-01-01T00:00:00Z'], NbBikes: ['3', '2022-08-01T08:25:10.259Z'], NbEmptyDocks: ['10', '2022-08-01T08:30:00.000Z'], NbDocks: ['13', '2022-08-01T08:20:00.000Z'] },
    }),
    // No coordinates; locked.
    place({ id: 'BikePoints_3', name: 'London Zoo,  The Regent\'s Park', props: { ...base, Locked: 'true', NbBikes: '0', NbEmptyDocks: '0', NbDocks: '0' } }),
    // Malformed: no additionalProperties.
    { id: 'BikePoints_4', commonName: 'Broken, Nowhere' },
    // Not installed, temporary, bikes + empty > docks (must clamp broken to 0), junk count.
    place({ id: 'BikePoints_5', name: 'Aston Street, Stepney', lat: '51.516', lon: '-0.04', props: { ...base, Installed: 'false', Temporary: 'true', NbBikes: '9', NbEmptyDocks: '9', NbDocks: '10', NbEBikes: 'n/a' } }),
  ];
}
