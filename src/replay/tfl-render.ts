/**
 * Renders stations in the exact shape of TfL's GET /BikePoint (data README §1.3): key
 * order, `$type` strings, category "Description" for every key, all values strings.
 * Clients are tested against this, so it must not drift from the real API.
 */
const PLACE_TYPE = 'Tfl.Api.Presentation.Entities.Place, Tfl.Api.Presentation.Entities';
const PROP_TYPE = 'Tfl.Api.Presentation.Entities.AdditionalProperties, Tfl.Api.Presentation.Entities';

/** A station's fixed facts, verbatim from stations.csv (TfL's own spelling, strings as sent). */
export interface TflStationInfo {
  id: string;
  terminalName: string;
  commonName: string;
  lat: number;
  lon: number;
  installed: string;
  locked: string;
  installDate: string;
  removalDate: string;
  temporary: string;
}

export interface TflCounts {
  bikes: number;
  emptyDocks: number;
  docks: number;
  /** Only today's API sends these; the 2022 data has none and none are invented. */
  standardBikes?: number;
  ebikes?: number;
}

function prop(key: string, value: string, modified: string) {
  return { $type: PROP_TYPE, category: 'Description', key, sourceSystemKey: 'BikePoints', value, modified };
}

/** One Place object, as TfL serialises it (compact JSON). */
export function renderBikePoint(info: TflStationInfo, counts: TflCounts, modifiedIso: string): string {
  const props = [
    prop('TerminalName', info.terminalName, modifiedIso),
    prop('Installed', info.installed, modifiedIso),
    prop('Locked', info.locked, modifiedIso),
    prop('InstallDate', info.installDate, modifiedIso),
    prop('RemovalDate', info.removalDate, modifiedIso),
    prop('Temporary', info.temporary, modifiedIso),
    prop('NbBikes', String(counts.bikes), modifiedIso),
    prop('NbEmptyDocks', String(counts.emptyDocks), modifiedIso),
    prop('NbDocks', String(counts.docks), modifiedIso),
  ];
  if (counts.standardBikes !== undefined) props.push(prop('NbStandardBikes', String(counts.standardBikes), modifiedIso));
  if (counts.ebikes !== undefined) props.push(prop('NbEBikes', String(counts.ebikes), modifiedIso));
  return JSON.stringify({
    $type: PLACE_TYPE,
    id: info.id,
    url: `/Place/${info.id}`,
    commonName: info.commonName,
    placeType: 'BikePoint',
    additionalProperties: props,
    children: [],
    childrenUrls: [],
    lat: info.lat,
    lon: info.lon,
  });
}

/** TfL's 404 for an unknown place id. */
export function renderNotFound(id: string, relativeUri: string, now: Date): string {
  return JSON.stringify({
    $type: 'Tfl.Api.Presentation.Entities.ApiError, Tfl.Api.Presentation.Entities',
    timestampUtc: now.toISOString(),
    exceptionType: 'EntityNotFoundException',
    httpStatusCode: 404,
    httpStatusCodeDescription: 'NotFound',
    relativeUri,
    message: `The following place id is not recognised: ${id}`,
  });
}
