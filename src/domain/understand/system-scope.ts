import type { Derived, StationIndex } from '../station-index.js';

/** The system a message names ("… new york"), and the centre of its stations. */

/** A system matched by id, name or alias (the understanding's systemHint is one of these); the dialog's too. */
export function systemIdFor(index: StationIndex, hint: string | null): string | undefined {
  if (!hint) return undefined;
  const h = hint.toLowerCase();
  const sys = index.systems.find((s) => s.id.toLowerCase() === h || s.name.toLowerCase() === h || (s.aliases ?? []).some((a) => a.toLowerCase() === h));
  return sys?.id;
}

type LatLon = { lat: number; lon: number };

/**
 * Centre of each system's stations, and of all when there is one system only (several
 * cities and none named: their middle is nowhere anyone means). One pass, per index.
 */
const CENTRES: Derived<{ bySystem: Map<string, LatLon>; all: LatLon | undefined }> = {
  name: 'system centres',
  build(index) {
    const sums = new Map<string, { lat: number; lon: number; n: number }>();
    for (const s of index.stations) {
      if (s.lat === null || s.lon === null) continue;
      let sum = sums.get(s.systemId);
      if (!sum) sums.set(s.systemId, (sum = { lat: 0, lon: 0, n: 0 }));
      sum.lat += s.lat;
      sum.lon += s.lon;
      sum.n++;
    }
    const bySystem = new Map<string, LatLon>();
    for (const [id, sum] of sums) bySystem.set(id, { lat: sum.lat / sum.n, lon: sum.lon / sum.n });
    const systemsWithStations = new Set(index.stations.map((s) => s.systemId));
    const all = systemsWithStations.size === 1 ? bySystem.get([...systemsWithStations][0]) : undefined;
    return { bySystem, all };
  },
};

/** Centre of the named system's stations (or of all): breaks ties between namesake places far apart. */
export function systemCentre(index: StationIndex, systemId: string | undefined): LatLon | undefined {
  const c = index.derive(CENTRES);
  return systemId === undefined ? c.all : c.bySystem.get(systemId);
}

/** Computes the centres interpret() may ask for, ahead of the first message. */
export function warmCentres(index: StationIndex): void {
  index.derive(CENTRES);
}
