import type { Answer } from '../domain/answer.js';
import type { StationIndex } from '../domain/station-index.js';

/** Twilio's limits for <Gather hints>. */
export const MAX_HINTS = 500;
export const MAX_HINT_CHARS = 100;

export interface HintContext {
  conversationId: string;
  /** The answer about to be spoken; null on the greeting of a new call. */
  answer: Answer | null;
}

/** Chooses the words speech recognition should expect next, from the conversation so far. */
export type VoiceHintSource = (ctx: HintContext) => string[] | Promise<string[]>;

/** Deduplicated (case-insensitively), trimmed, each within 100 characters, at most 500. */
export function limitHints(hints: Iterable<string>, max = MAX_HINTS): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of hints) {
    // Commas separate hints in the attribute, so a hint cannot contain one.
    const h = raw.replace(/[,\s]+/g, ' ').trim();
    const key = h.toLowerCase();
    if (!h || h.length > MAX_HINT_CHARS || seen.has(key)) continue;
    seen.add(key);
    out.push(h);
    if (out.length >= max) break;
  }
  return out;
}

/** TfL names are "Street, Area": the part before the comma is what people say for the station. */
export function splitStationName(name: string): { street: string; area: string | null } {
  const i = name.lastIndexOf(',');
  if (i < 0) return { street: name.trim(), area: null };
  return { street: name.slice(0, i).trim(), area: name.slice(i + 1).trim() || null };
}

const COMMAND_WORDS = ['bikes', 'e-bikes', 'docks', 'spaces', 'nearest', 'next one', 'goodbye', 'help'];

export interface IndexHintOptions {
  index: () => StationIndex | null;
  /** Area names to offer first (e.g. from a gazetteer); default: the areas in station names, busiest first. */
  areas?: () => readonly string[];
  /** Stations within this distance of the place being discussed also count as "in the area". */
  radiusM?: number;
}

/**
 * London alone has more stations than Twilio accepts hints, so the hints follow the
 * conversation: the options just offered, then area names, then the stations of the
 * area being discussed (same area suffix, or near the place or station last spoken of).
 */
export function createIndexHintSource(opts: IndexHintOptions): VoiceHintSource {
  let cachedFor: StationIndex | null = null;
  let cachedAreas: string[] = [];
  const areasOf = (index: StationIndex): string[] => {
    if (index !== cachedFor) {
      const counts = new Map<string, number>();
      for (const s of index.stations) {
        const area = splitStationName(s.name).area;
        if (area) counts.set(area, (counts.get(area) ?? 0) + 1);
      }
      cachedAreas = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([a]) => a);
      cachedFor = index;
    }
    return cachedAreas;
  };

  return ({ answer }) => {
    const index = opts.index();
    const areas = opts.areas ? [...opts.areas()] : index ? areasOf(index) : [];
    const first: string[] = [];
    const local: string[] = [];
    if (answer) {
      for (const o of answer.options) first.push(o.name, splitStationName(o.name).street);
      const focusAreas = new Set<string>();
      for (const s of [...answer.stations, ...answer.options]) {
        const a = splitStationName(s.name).area;
        if (a) focusAreas.add(a);
      }
      if (answer.place) focusAreas.add(answer.place.name);
      const centre = answer.place ?? answer.stations.find((s) => s.lat !== null && s.lon !== null) ?? null;
      if (index) {
        if (centre && centre.lat !== null && centre.lon !== null) {
          for (const n of index.nearest(centre.lat, centre.lon, { k: 80, maxDistanceM: opts.radiusM ?? 1500 })) local.push(splitStationName(n.station.name).street);
        }
        for (const s of index.stations) {
          const { street, area } = splitStationName(s.name);
          if (area && focusAreas.has(area)) local.push(street);
        }
      }
    }
    // Keep room for the local stations: areas may use at most 300 of the 500.
    return limitHints([...first, ...COMMAND_WORDS, ...areas.slice(0, 300), ...local]);
  };
}
