/**
 * The two off-the-shelf baselines a developer might reach for: fuzzy search over
 * the station names with Fuse.js and MiniSearch, each with the plain settings its
 * documentation recommends, after one plain, library-agnostic query clean-up that
 * is applied identically to both. They never ask a question and have no notion of
 * intent or want: the top hit (if any) is the answer.
 *
 * What each baseline does, exactly (the benchmark prints the same):
 *   clean-up (both): lower-case; `? ! . , ; :` and quotes become spaces; the words in
 *     ASK_WORDS below (what the person wants — bikes, docks, e-bikes… — and the
 *     filler of a question — any, near, nearest, where, can, i, the…) are dropped;
 *     the remaining words are the query. Nothing place- or station-specific (no
 *     "station", "tube", "street", no abbreviations): a user writes that list in a
 *     minute without looking at the data.
 *   Fuse.js 7: `new Fuse(stations, { keys: ['name'], includeScore: true, ignoreLocation: true })`
 *     — the default threshold 0.6, bitap fuzzy search; `ignoreLocation` as its docs
 *     advise when the words may sit anywhere in the name (and as users commonly
 *     recommend, krisk/Fuse#753). The top result is the answer.
 *   MiniSearch 7: `new MiniSearch({ fields: ['name'], searchOptions: { fuzzy: 0.2, prefix: true } })`
 *     — the README's fuzzy (0.2 × term length edits) plus prefix search, terms
 *     combined with its default OR, BM25 ranking. The top result is the answer.
 *
 * Other configurations were measured (BASELINE_VARIANTS, printed by
 * bench/understanding under "Baseline configurations tried"); the kept ones are the
 * documented, plain settings — not the best-scoring combination on the dev set.
 */
import Fuse, { type IFuseOptions } from 'fuse.js';
import MiniSearch, { type SearchOptions } from 'minisearch';
import type { Answer, AnswerStation } from '../../src/domain/answer.js';
import type { Station } from '../../src/domain/station.js';

export type NameSearch = (utterance: string) => Station | null;

/** Words a user obviously strips from a bike-share ask before searching names: the want, and question filler. */
export const ASK_WORDS: ReadonlySet<string> = new Set([
  // what the person wants
  'bike', 'bikes', 'ebike', 'ebikes', 'e-bike', 'e-bikes', 'e', 'cycle', 'cycles', 'dock', 'docks', 'space', 'spaces', 'slot', 'slots',
  // the filler of a question
  'any', 'near', 'nearest', 'closest', 'nearby', 'where', 'how', 'many', 'is', 'are', 'there', 'can', 'i', 'im', "i'm", 'my', 'me',
  'to', 'the', 'a', 'at', 'in', 'for', 'of', 'left', 'free', 'available', 'somewhere', 'anywhere', 'please',
  'drop', 'off', 'leave', 'grab', 'get', 'hire', 'return', 'find', 'what', 'whats', "what's", 'about',
]);

/** The shared clean-up: lower-case, punctuation to spaces, ASK_WORDS dropped. */
export function cleanQuery(utterance: string): string {
  return utterance
    .toLowerCase()
    .replace(/[?!.,;:"“”]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !ASK_WORDS.has(w))
    .join(' ');
}

/** The words of a transit stop (not in the kept clean-up; measured as a variant). */
const TRANSIT_WORDS = new Set(['station', 'tube', 'overground', 'underground']);
function cleanQueryTransit(utterance: string): string {
  return cleanQuery(utterance)
    .split(' ')
    .filter((w) => !TRANSIT_WORDS.has(w))
    .join(' ');
}

/** Kept Fuse.js settings: name key, score, default threshold 0.6, ignoreLocation. */
export const FUSE_OPTIONS: IFuseOptions<Station> = { keys: ['name'], includeScore: true, ignoreLocation: true };
/** Kept MiniSearch settings: the README's fuzzy 0.2 + prefix, default OR. */
export const MINISEARCH_OPTIONS: SearchOptions = { fuzzy: 0.2, prefix: true };

export type Preprocess = 'none' | 'clean' | 'clean+transit';
const PRE: Record<Preprocess, (u: string) => string> = { none: (u) => u, clean: cleanQuery, 'clean+transit': cleanQueryTransit };

/** Fuse.js over the names; the message goes through `pre` (default: the kept clean-up) first. */
export function fuseSearch(stations: readonly Station[], options: IFuseOptions<Station> = FUSE_OPTIONS, pre: Preprocess = 'clean'): NameSearch {
  const fuse = new Fuse(stations as Station[], options);
  const prep = PRE[pre];
  return (u) => {
    const q = prep(u);
    return q ? (fuse.search(q, { limit: 1 })[0]?.item ?? null) : null;
  };
}

/** MiniSearch over the names; the message goes through `pre` (default: the kept clean-up) first. */
export function miniSearch(stations: readonly Station[], searchOptions: SearchOptions = MINISEARCH_OPTIONS, pre: Preprocess = 'clean'): NameSearch {
  const ms = new MiniSearch<{ id: string; name: string }>({ fields: ['name'], storeFields: ['id'], searchOptions });
  ms.addAll(stations.map((s) => ({ id: s.id, name: s.name })));
  const byId = new Map(stations.map((s) => [s.id, s]));
  const prep = PRE[pre];
  return (u) => {
    const q = prep(u);
    const hit = q ? ms.search(q)[0] : undefined;
    return hit ? (byId.get(String(hit.id)) ?? null) : null;
  };
}

/** The configurations measured, the kept two first; each label says exactly what it does. */
export function baselineVariants(stations: readonly Station[]): Array<{ label: string; kept: boolean; search: NameSearch }> {
  const fuseBase = { keys: ['name'], includeScore: true } satisfies IFuseOptions<Station>;
  return [
    { label: 'Fuse ignoreLocation, clean-up', kept: true, search: fuseSearch(stations) },
    { label: 'Mini fuzzy .2+prefix, clean-up', kept: true, search: miniSearch(stations) },
    { label: 'Fuse defaults, raw message', kept: false, search: fuseSearch(stations, fuseBase, 'none') },
    { label: 'Fuse defaults, clean-up', kept: false, search: fuseSearch(stations, fuseBase, 'clean') },
    { label: 'Fuse ignoreLocation, raw message', kept: false, search: fuseSearch(stations, FUSE_OPTIONS, 'none') },
    { label: 'Fuse ignoreLoc, clean+transit', kept: false, search: fuseSearch(stations, FUSE_OPTIONS, 'clean+transit') },
    { label: 'Fuse useTokenSearch, clean-up', kept: false, search: fuseSearch(stations, { ...fuseBase, useTokenSearch: true }, 'clean') },
    { label: 'Mini defaults, raw message', kept: false, search: miniSearch(stations, {}, 'none') },
    { label: 'Mini defaults, clean-up', kept: false, search: miniSearch(stations, {}, 'clean') },
    { label: 'Mini fuzzy .2+prefix, raw message', kept: false, search: miniSearch(stations, MINISEARCH_OPTIONS, 'none') },
    { label: 'Mini fuzzy .2 only, clean-up', kept: false, search: miniSearch(stations, { fuzzy: 0.2 }, 'clean') },
    { label: 'Mini fuzzy+prefix, clean+transit', kept: false, search: miniSearch(stations, MINISEARCH_OPTIONS, 'clean+transit') },
  ];
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
