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
    // Each part summed its own coordinates: one pass over the parts, not over every station.
    const sums = new Map<string, { lat: number; lon: number; n: number }>();
    const systemsWithStations = new Set<string>();
    for (const p of index.parts) {
      if (p.stations.length > 0) systemsWithStations.add(p.systemId);
      if (p.withCoordinates === 0) continue;
      let sum = sums.get(p.systemId);
      if (!sum) sums.set(p.systemId, (sum = { lat: 0, lon: 0, n: 0 }));
      sum.lat += p.latSum;
      sum.lon += p.lonSum;
      sum.n += p.withCoordinates;
    }
    const bySystem = new Map<string, LatLon>();
    for (const [id, sum] of sums) bySystem.set(id, { lat: sum.lat / sum.n, lon: sum.lon / sum.n });
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
