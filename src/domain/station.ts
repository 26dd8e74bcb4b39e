import type { SystemService } from './system-service.js';

/**
 * A docking station as every part of BikeBot sees it, whatever feed it came from.
 * Counts are null when the feed does not say; they are never invented.
 */
export interface Station {
  /** Globally unique: TfL keeps its own ids (`BikePoints_1`); GBFS ids are `<systemId>:<station_id>`. */
  id: string;
  systemId: string;
  /** Display name, tidied (no " , ", no double spaces). */
  name: string;
  /** Null when the feed gives no usable coordinates: such a station is never offered as a place to go. */
  lat: number | null;
  lon: number | null;
  terminalName: string | null;
  bikes: number | null;
  standardBikes: number | null;
  ebikes: number | null;
  emptyDocks: number | null;
  docks: number | null;
  /** docks − bikes − emptyDocks, never negative; null when any of those is unknown. */
  brokenDocks: number | null;
  installed: boolean;
  locked: boolean;
  temporary: boolean;
  /** GBFS is_renting / is_returning; TfL: installed && !locked. */
  renting: boolean;
  returning: boolean;
  /** When these counts were observed upstream (TfL `modified`, GBFS `last_reported`), ISO 8601. */
  asOf: string | null;
  /** A closure the operator announced (GBFS system_alerts), in force now; absent or null: none. */
  closure?: StationClosure | null;
}

export interface StationClosure {
  /** ISO end of the closure when the operator gave one. */
  until: string | null;
  /** The operator's own short words ("Closed for street works"). */
  note: string | null;
  /**
   * When the operator says it came into force (its current period's start), else
   * when it last updated the alert; null when it said neither. A closure alert is
   * dated by it when the station's counts are older (or have no time at all).
   */
  since: string | null;
}

/** Everything one feed said in one successful fetch. */
export interface Snapshot {
  feedId: string;
  systemId: string;
  /** When we received it (ISO). Not the observation time. */
  fetchedAt: string;
  /** Newest observation among its stations (ISO), or the feed's own last_updated. */
  asOf: string | null;
  stations: Station[];
  /** Prices and operator contact as the feed published them (GBFS); absent when it publishes none. */
  service?: SystemService;
}

/** A bike-share system (a city's scheme) as configured. */
export interface SystemInfo {
  id: string;
  name: string;
  /** IANA time zone used to show times to people of that system. */
  timezone: string;
  /** Words people use for it: city names, scheme names. */
  aliases?: readonly string[];
  /** Prices and operator contact from the systems config (TfL's API has neither), with the day they were checked. */
  service?: SystemService;
}

export type Want = 'bikes' | 'ebikes' | 'docks' | 'any';

export function brokenDocks(docks: number | null, bikes: number | null, emptyDocks: number | null): number | null {
  if (docks === null || bikes === null || emptyDocks === null) return null;
  return Math.max(0, docks - bikes - emptyDocks);
}

/** Can a person be sent here at all (to look, hire or return)? */
export function isUsable(s: Station): boolean {
  return s.lat !== null && s.lon !== null && s.installed && !s.locked && !s.closure;
}

/** Can this station serve what the person wants right now? Broken docks never count as space. */
export function canServe(s: Station, want: Want): boolean {
  if (!isUsable(s)) return false;
  switch (want) {
    case 'bikes':
      return s.renting && (s.bikes ?? 0) > 0;
    case 'ebikes':
      return s.renting && (s.ebikes ?? 0) > 0;
    case 'docks':
      return s.returning && (s.emptyDocks ?? 0) > 0;
    case 'any':
      return true;
  }
}
