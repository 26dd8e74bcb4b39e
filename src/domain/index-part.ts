import KDBush from 'kdbush';
import { isUsable, type Snapshot, type Station } from './station.js';

/**
 * One snapshot's stations with their spatial index and extent. Built once per
 * snapshot and shared by every StationIndex that holds that snapshot, so a new
 * snapshot of one system costs that system's build alone, however many cities
 * are loaded.
 */
export class IndexPart {
  readonly snapshot: Snapshot;
  readonly systemId: string;
  readonly stations: readonly Station[];
  /** Only usable stations (with coordinates) are in the kd-tree. */
  readonly located: readonly Station[];
  readonly tree: KDBush | null;
  /** Bounding box of the stations with coordinates, usable or not: [minLon, minLat, maxLon, maxLat]; null when none has any. */
  readonly box: [number, number, number, number] | null;
  /** Sums of the coordinates of the stations that have them, and how many (system centres). */
  readonly latSum: number;
  readonly lonSum: number;
  readonly withCoordinates: number;
  private byId: Map<string, Station> | null = null;

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.systemId = snapshot.systemId;
    const stations = snapshot.stations;
    this.stations = stations;
    const located: Station[] = [];
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    let latSum = 0;
    let lonSum = 0;
    let n = 0;
    for (const s of stations) {
      if (s.lat === null || s.lon === null) continue;
      n++;
      latSum += s.lat;
      lonSum += s.lon;
      if (s.lon < minLon) minLon = s.lon;
      if (s.lat < minLat) minLat = s.lat;
      if (s.lon > maxLon) maxLon = s.lon;
      if (s.lat > maxLat) maxLat = s.lat;
      if (isUsable(s)) located.push(s);
    }
    this.located = located;
    this.box = n > 0 ? [minLon, minLat, maxLon, maxLat] : null;
    this.latSum = latSum;
    this.lonSum = lonSum;
    this.withCoordinates = n;
    if (located.length > 0) {
      const tree = new KDBush(located.length);
      for (const s of located) tree.add(s.lon as number, s.lat as number);
      tree.finish();
      this.tree = tree;
    } else {
      this.tree = null;
    }
  }

  /** The station with this id, if it is in this snapshot (the id map is made on the first ask). */
  get(id: string): Station | undefined {
    if (this.byId === null) {
      const m = new Map<string, Station>();
      for (const s of this.stations) m.set(s.id, s);
      this.byId = m;
    }
    return this.byId.get(id);
  }
}
