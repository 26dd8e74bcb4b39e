import { distanceM } from '../domain/geo.js';
import type { Station } from '../domain/station.js';

/** Grid cell size in degrees (about 1.1 km north–south, 0.7–0.8 km east–west in mid latitudes). */
const CELL = 0.01;
const REGION = 0.5;

/**
 * Where the docking stations are, as a coarse grid: "how far is this place from
 * the nearest dock?" in a few cell probes, so a place far outside the network
 * (another city's namesake, a DLR station 12 km east) can be told from one inside.
 */
export class ServiceArea {
  private readonly cells = new Map<string, Array<{ lat: number; lon: number }>>();
  /** Half-degree cells holding a station: "is this even the same city?" */
  private readonly regions = new Set<string>();
  readonly size: number;
  /** A union of several systems' areas (see union()): each keeps its own grid. */
  private readonly parts: readonly ServiceArea[] | null = null;
  private minLat = Infinity;
  private maxLat = -Infinity;
  private minLon = Infinity;
  private maxLon = -Infinity;

  constructor(points: ReadonlyArray<{ lat: number | null; lon: number | null }>, parts: readonly ServiceArea[] | null = null) {
    if (parts) {
      this.parts = parts;
      this.size = parts.reduce((a, p) => a + p.size, 0);
      return;
    }
    let n = 0;
    for (const p of points) {
      if (p.lat === null || p.lon === null || !Number.isFinite(p.lat) || !Number.isFinite(p.lon)) continue;
      const key = `${Math.floor(p.lat / CELL)}:${Math.floor(p.lon / CELL)}`;
      let c = this.cells.get(key);
      if (!c) this.cells.set(key, (c = []));
      c.push({ lat: p.lat, lon: p.lon });
      this.regions.add(`${Math.floor(p.lat / REGION)}:${Math.floor(p.lon / REGION)}`);
      if (p.lat < this.minLat) this.minLat = p.lat;
      if (p.lat > this.maxLat) this.maxLat = p.lat;
      if (p.lon < this.minLon) this.minLon = p.lon;
      if (p.lon > this.maxLon) this.maxLon = p.lon;
      n++;
    }
    this.size = n;
  }

  static fromStations(stations: readonly Station[]): ServiceArea {
    return new ServiceArea(stations);
  }

  /**
   * Several systems' areas as one, each grid kept as built: a new snapshot of one
   * system rebuilds that system's grid alone, and a question probes the grids
   * whose stations come within reach.
   */
  static union(areas: readonly ServiceArea[]): ServiceArea {
    const some = areas.filter((a) => a.size > 0);
    if (some.length === 1) return some[0];
    return new ServiceArea([], some);
  }

  /**
   * Whether the point is in (or beside) a region with stations, about 30–100 km around
   * them: a London landmark is not in Chicago's. True when there are no stations.
   */
  inRegion(lat: number, lon: number): boolean {
    if (this.size === 0) return true;
    if (this.parts) return this.parts.some((p) => p.inRegion(lat, lon));
    const ci = Math.floor(lat / REGION);
    const cj = Math.floor(lon / REGION);
    for (let i = ci - 1; i <= ci + 1; i++) for (let j = cj - 1; j <= cj + 1; j++) if (this.regions.has(`${i}:${j}`)) return true;
    return false;
  }

  /**
   * Distance in metres to the nearest station, when one is within `maxM`;
   * Infinity when none is; null when there are no stations at all (nothing to judge by).
   */
  nearestWithin(lat: number, lon: number, maxM: number): number | null {
    if (this.size === 0) return null;
    if (this.parts) {
      let best = Infinity;
      for (const p of this.parts) {
        if (!p.within(lat, lon, maxM)) continue;
        const d = p.nearestWithin(lat, lon, maxM) as number;
        if (d < best) best = d;
      }
      return best;
    }
    const dLat = Math.ceil(maxM / 111_000 / CELL);
    const cos = Math.max(0.05, Math.cos((lat * Math.PI) / 180));
    const dLon = Math.ceil(maxM / (111_000 * cos) / CELL);
    const ci = Math.floor(lat / CELL);
    const cj = Math.floor(lon / CELL);
    let best = Infinity;
    for (let i = ci - dLat; i <= ci + dLat; i++) {
      for (let j = cj - dLon; j <= cj + dLon; j++) {
        const c = this.cells.get(`${i}:${j}`);
        if (!c) continue;
        for (const p of c) {
          const d = distanceM(lat, lon, p.lat, p.lon);
          if (d < best) best = d;
        }
      }
    }
    return best <= maxM ? best : Infinity;
  }

  /** Whether the stations' box comes within the reach of nearestWithin's probes (a cheap test before them). */
  private within(lat: number, lon: number, maxM: number): boolean {
    // As far as nearestWithin probes, and two cells more.
    const dLat = maxM / 111_000 + 2 * CELL;
    const dLon = maxM / (111_000 * Math.max(0.05, Math.cos((lat * Math.PI) / 180))) + 2 * CELL;
    return lat >= this.minLat - dLat && lat <= this.maxLat + dLat && lon >= this.minLon - dLon && lon <= this.maxLon + dLon;
  }
}
