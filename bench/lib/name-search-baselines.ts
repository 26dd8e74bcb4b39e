/**
 * The two off-the-shelf baselines a developer might reach for: fuzzy search over
 * the station names with Fuse.js and MiniSearch, each with the settings its
 * README recommends for this kind of search. They never ask a question and have
 * no notion of intent: the top hit (if any) is the answer.
 */
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import type { Answer, AnswerStation } from '../../src/domain/answer.js';
import type { Station } from '../../src/domain/station.js';

export type NameSearch = (utterance: string) => Station | null;

/** plain: Fuse's defaults (threshold 0.6, location 0, distance 100); tuned: ignoreLocation, as its docs advise for text anywhere in a field. */
export function fuseSearch(stations: readonly Station[], variant: 'plain' | 'tuned' = 'plain'): NameSearch {
  const fuse = new Fuse(stations as Station[], variant === 'plain' ? { keys: ['name'], includeScore: true } : { keys: ['name'], includeScore: true, ignoreLocation: true, threshold: 0.4 });
  return (q) => fuse.search(q, { limit: 1 })[0]?.item ?? null;
}

/** plain: MiniSearch's defaults (exact terms, OR); tuned: fuzzy 0.2 + prefix, the README's example for search-as-you-type. */
export function miniSearch(stations: readonly Station[], variant: 'plain' | 'tuned' = 'plain'): NameSearch {
  const ms = new MiniSearch<{ id: string; name: string }>({ fields: ['name'], storeFields: ['id'], ...(variant === 'tuned' ? { searchOptions: { fuzzy: 0.2, prefix: true } } : {}) });
  ms.addAll(stations.map((s) => ({ id: s.id, name: s.name })));
  const byId = new Map(stations.map((s) => [s.id, s]));
  return (q) => {
    const hit = ms.search(q)[0];
    return hit ? (byId.get(String(hit.id)) ?? null) : null;
  };
}

function answerStation(s: Station): AnswerStation {
  return { id: s.id, name: s.name, lat: s.lat, lon: s.lon, bikes: s.bikes, standardBikes: s.standardBikes, ebikes: s.ebikes, emptyDocks: s.emptyDocks, docks: s.docks, brokenDocks: s.brokenDocks, distanceM: null, asOf: s.asOf };
}

/** What a bot built on nothing but the search would answer. */
export function baselineAnswer(search: NameSearch, utterance: string): Answer {
  let hit: Station | null = null;
  try {
    hit = search(utterance);
  } catch {
    hit = null;
  }
  return {
    intent: hit ? 'station_status' : 'unknown',
    want: 'any',
    reply: hit ? hit.name : 'no match',
    stations: hit ? [answerStation(hit)] : [],
    options: [],
    place: null,
    dataAsOf: hit?.asOf ?? null,
    stale: false,
  };
}
