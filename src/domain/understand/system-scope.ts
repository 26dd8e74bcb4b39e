import type { StationIndex } from '../station-index.js';

/** The system a message names ("… new york"), and the centre of its stations. */

/** A system matched by id, name or alias (the understanding's systemHint is one of these); the dialog's too. */
export function systemIdFor(index: StationIndex, hint: string | null): string | undefined {
  if (!hint) return undefined;
  const h = hint.toLowerCase();
  const sys = index.systems.find((s) => s.id.toLowerCase() === h || s.name.toLowerCase() === h || (s.aliases ?? []).some((a) => a.toLowerCase() === h));
  return sys?.id;
}

/** Centre of the named system's stations (or of all): breaks ties between namesake places far apart. */
const centres = new WeakMap<StationIndex, Map<string, { lat: number; lon: number } | undefined>>();

export function systemCentre(index: StationIndex, systemId: string | undefined): { lat: number; lon: number } | undefined {
  let memo = centres.get(index);
  if (!memo) centres.set(index, (memo = new Map()));
  const key = systemId ?? '*';
  if (!memo.has(key)) memo.set(key, computeCentre(index, systemId));
  return memo.get(key);
}

/** Computes the centres interpret() may ask for, ahead of the first message. */
export function warmCentres(index: StationIndex): void {
  systemCentre(index, undefined);
  for (const s of index.systems) systemCentre(index, s.id);
}

function computeCentre(index: StationIndex, systemId: string | undefined): { lat: number; lon: number } | undefined {
  // Several cities and none named: their middle is nowhere anyone means.
  if (systemId === undefined && new Set(index.stations.map((s) => s.systemId)).size > 1) return undefined;
  let lat = 0;
  let lon = 0;
  let n = 0;
  for (const s of index.stations) {
    if ((systemId !== undefined && s.systemId !== systemId) || s.lat === null || s.lon === null) continue;
    lat += s.lat;
    lon += s.lon;
    n++;
  }
  return n ? { lat: lat / n, lon: lon / n } : undefined;
}
