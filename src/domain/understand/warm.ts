import type { StationIndex } from '../station-index.js';
import type { Station, Want } from '../station.js';
import { warmCentres } from './system-scope.js';
import { StationResolver, verdictOf } from './station-resolver.js';
import { understand } from './understand.js';
import type { IntentModel } from './intent-model.js';

/**
 * Sample asks: the first time in a process, enough for V8 to optimise the matching
 * code (~100 ms with London's stations, once); afterwards a few per new set of
 * names, to fill the word memo.
 */
export const FIRST_REHEARSALS = 120;
export const NEW_NAMES_REHEARSALS = 12;
/**
 * Up to this many stations loaded, a rehearsal also asks unscoped (every system's
 * names searched, as for a message naming no city). Beyond, it asks within the
 * station's system only: an unscoped ask costs in proportion to every station
 * loaded (0.4–2.7 s a step at 200,000 stations in 40 systems), and a step holds the
 * event loop, /healthz included, for all of it.
 */
export const UNSCOPED_REHEARSAL_MAX = 10_000;

/**
 * Builds, for this index, what depends only on the station list (each system's
 * vocabulary, sound keys, trigram and word indexes; system centres), so that the
 * first message after a snapshot swaps in costs what every other does. Building
 * twice for the same index does nothing the second time.
 */
export function prepareUnderstanding(index: StationIndex): StationResolver {
  const resolver = StationResolver.forIndex(index);
  for (const step of resolver.buildSteps()) step();
  warmCentres(index);
  return resolver;
}

/**
 * Prepares the index, then makes sample asks from its own names (exact and
 * misspelt) through understand() and the resolver, so that a fresh process has
 * compiled the matching code before its first real message. All at once: for
 * eval and benchmarks; a server runs rehearsalSteps() in slices instead.
 */
export function warmUnderstanding(index: StationIndex, rehearsals = FIRST_REHEARSALS, model?: IntentModel): void {
  for (const step of rehearsalSteps(index, rehearsals, model)) step();
}

/**
 * The rehearsal as steps of a few asks each: a server runs one per turn of the
 * event loop, after the first answer is possible, so requests arriving meanwhile
 * wait for one step at most. The first step prepares the index. With the brain's
 * intent model, the asks are understood as messages are (the model's arbitration
 * compiled too).
 */
export function* rehearsalSteps(index: StationIndex, count: number, model?: IntentModel): Generator<() => void> {
  // Each system's names not built yet, one step each (many cities: none blocks for long).
  yield* StationResolver.forIndex(index).buildSteps();
  let resolver: StationResolver | null = null;
  yield () => {
    resolver = prepareUnderstanding(index);
  };
  const stations = index.stations;
  if (stations.length === 0 || count <= 0) return;
  const step = Math.max(1, Math.floor(stations.length / count));
  for (let i = 0, n = 0; i < stations.length && n < count; i += step, n++) {
    const s = stations[i];
    const k = n;
    yield () => rehearseOne(index, resolver ?? prepareUnderstanding(index), s, k, model);
  }
}

/**
 * The ways people put a name, in turn: as it stands, misspelt, with words the name
 * does not have around it, rambling, run together. Every branch of the matching
 * code runs before V8 optimises it: a branch first taken afterwards throws the
 * optimised code away and has it compiled again, on a background thread that the
 * messages then share their two cores with.
 */
const ASKS: Array<(name: string) => string> = [
  (name) => `bikes at ${name}`,
  (name) => `any docks near ${misspelt(name)}`,
  (name) => `is there a bike at ${street(name)} please mate`,
  (name) => `how many docks free at old ${street(name).toLowerCase()} right now`,
  (name) => `so im standing outside ${name} after a long day at work and my phone is dying can i get a bike to ride home`,
  (name) => `e-bikes at ${runTogether(name)}`,
  (name) => `can i drop off near ${name}`,
  // As a speech recogniser writes a name: its longest word in two pieces, a word before
  // that may be part of it, the area said after the street with no comma.
  (name) => `is there space at to ${heard(name)}`,
  (name) => `docks at ${heard(name)} too`,
  // A greeting before the question, and a question in another language that names a station.
  (name) => `hello there, any bikes at ${name}?`,
  (name) => `y a-t-il des vélos à ${street(name)}`,
];
/** Messages that are not about a station: a greeting, thanks, prices, a problem, help, another language, cancel (none from an evaluation set). */
const SERVICE_ASKS: readonly string[] = ['hi there bot', 'ta very much for that', 'whats the cost of a day of riding', 'the dock is jammed and will not release my bike', 'what sorts of questions work here', 'wie viel kostet das leihen', 'scrap that one'];
const WANTS: Want[] = ['bikes', 'docks', 'ebikes', 'any'];

function rehearseOne(index: StationIndex, resolver: StationResolver, s: Station, n: number, model: IntentModel | undefined): void {
  // Every way of asking through understand() (cheap), the resolver for two of them: the
  // word-list code runs once a message and needs as many runs as the matcher to be compiled.
  const other = 1 + (n % (ASKS.length - 1));
  for (let k = 0; k < ASKS.length; k++) {
    const u = understand(ASKS[k](s.name), { model });
    if (u.subject && (k === 0 || k === other)) {
      // As interpret() asks: the words trimmed around the subject go to the sound witness.
      if (resolver.size <= UNSCOPED_REHEARSAL_MAX) verdictOf(resolver.candidates(u.subject, { lead: u.lead, tail: u.tail, said: u.said }), u.subject);
      verdictOf(resolver.candidates(u.subject, { systemId: s.systemId, lead: u.lead, tail: u.tail, said: u.said }), u.subject);
    }
  }
  for (const text of SERVICE_ASKS) understand(text, { model });
  // The nearest-station search every place question ends in, for every want.
  if (s.lat !== null && s.lon !== null) {
    for (const want of WANTS) index.nearest(s.lat, s.lon, { k: 5, want });
    // "next one?" skips the stations shown; a named city narrows to its system.
    index.nearest(s.lat, s.lon, { k: 3, want: 'bikes', exclude: new Set([s.id]), systemId: s.systemId });
  }
}

/** The part of a name before its area ("River Street, Clerkenwell" → "River Street"). */
function street(name: string): string {
  const comma = name.lastIndexOf(',');
  return comma > 0 ? name.slice(0, comma) : name;
}

/** The name as a recogniser may hear it: the street's longest word cut in two, the area after it. */
function heard(name: string): string {
  const comma = name.lastIndexOf(',');
  const words = street(name).split(' ');
  let k = 0;
  for (let i = 1; i < words.length; i++) if (words[i].length > words[k].length) k = i;
  const w = words[k];
  if (w.length >= 5) words[k] = `${w.slice(0, w.length >> 1)} ${w.slice(w.length >> 1)}`;
  return comma > 0 ? `${words.join(' ')} ${name.slice(comma + 1).trim()}` : words.join(' ');
}

/** Two words of the name run together, as a speech recogniser or a hurried thumb does. */
function runTogether(name: string): string {
  const i = name.indexOf(' ');
  return i > 0 ? name.slice(0, i) + name.slice(i + 1) : name;
}

/** The name with one letter of its longest word dropped: a typo, to exercise fuzzy matching. */
function misspelt(name: string): string {
  const words = name.split(' ');
  let k = 0;
  for (let i = 1; i < words.length; i++) if (words[i].length > words[k].length) k = i;
  const w = words[k];
  if (w.length >= 5) words[k] = w.slice(0, 2) + w.slice(3);
  return words.join(' ');
}
