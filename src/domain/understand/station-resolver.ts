import type { Station } from '../station.js';
import type { Derived, StationIndex } from '../station-index.js';
import { canonicalWords } from './name-words.js';
import { STATION_WORDS } from './lexicon.js';
import { NameVocabulary, UNKNOWN_WORD_WEIGHT } from './name-vocabulary.js';
import { verdictOf, type ResolveResult } from './verdict.js';
import { MAX_QUERY_WORDS, Scratch } from './resolver-scratch.js';
import { AREA, AREA_SAYS, OPTIONAL, collectEdges, countContent, findPieces, isLong, markCommon, markRareStations, sortOrder, wordFlags } from './spelling-match.js';
import { SOUND_ALONE_NAME_SIM, SOUND_FLOOR, candidate, combineEvidence, type Candidate } from './confidence.js';

export { verdictOf, type Candidate, type ResolveResult, type ResolveVerdict } from './verdict.js';

export interface ResolveOptions {
  systemId?: string;
  /** Little words said before the subject that sound may use (Understanding.lead). */
  lead?: string;
  /** The same after the subject (Understanding.tail). */
  tail?: string;
  /** The subject as said, fillers inside kept (Understanding.said): what sound hears. */
  said?: string;
}

/** The resolver of an index, derived from it (StationIndex.derive). */
export const RESOLVER: Derived<StationResolver> = {
  name: 'station resolver',
  build: (index, previous) => StationResolver.fromGroups(index.parts, previous),
};

function add(m: Map<string, Array<readonly Station[]>>, id: string, list: readonly Station[]): void {
  const lists = m.get(id);
  if (lists) lists.push(list);
  else m.set(id, [list]);
}

/**
 * The same ids with the same names, in order (both sorted by id): what lets a later
 * resolver share the core. Compared in place, not as a string of them all (5,000
 * stations: a 200 kB string made for every system at each swap, and kept).
 */
function sameNames(a: readonly Station[], b: readonly Station[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id || a[i].name !== b[i].name) return false;
  return true;
}

/** Share of all stations above which a name word is too common to find candidates by. */
const COMMON_SHARE = 0.05;
const COMMON_MIN = 100;
/** What a word beside a name said in full weighs when no name has anything like it. */
const STRAY_WEIGHT = 0.5;
/** A subject needs one word at least this informative (idf) for sound to be heard. */
const SOUND_MIN_WEIGHT = 2;

/**
 * Resolves what a person called a station to the stations it may mean, with a
 * calibrated confidence. Each system's names get their own part: built on first
 * use (or one per step of the warm-up), scoped questions search their system's
 * part only, and a new snapshot of one system rebuilds that system's part alone.
 * The expensive part (vocabulary, sound keys, trigrams) depends only on the names,
 * so a resolver for a new snapshot takes over the parts of the one it replaces
 * whose ids and names are the same: new counts cost one pass to compare them.
 */
export class StationResolver {
  private built: NameVocabulary | null = null;
  private builtFlags: Uint8Array[] | null = null;
  /** This resolver's scratch rows (see Scratch), made with its core: sized by its own stations. */
  private scratch: Scratch | null = null;
  /** This part's names being built in steps (buildSteps()), until built. */
  private building: Generator<void, NameVocabulary, void> | null = null;
  /** The replaced index's resolver over the same names: its core is this one's, built once for both. */
  private donor: StationResolver | null;
  private readonly stations: Station[];
  /** The list this part was made from (a snapshot's stations): the same list again is this part again. */
  private source: readonly Station[] | null = null;
  /** Several systems: one resolver per system, and this one only merges what they find. */
  private readonly parts: ReadonlyMap<string, StationResolver> | null;

  private constructor(stations: Station[], shared: StationResolver | null, parts: ReadonlyMap<string, StationResolver> | null = null) {
    this.stations = stations;
    this.donor = shared;
    this.parts = parts;
  }

  private get core(): NameVocabulary {
    return this.built ?? this.build();
  }

  private get flags(): Uint8Array[] {
    if (this.builtFlags === null) this.build();
    return this.builtFlags as unknown as Uint8Array[];
  }

  /** Builds what is not built yet, at once (the rest of a build in steps, if one is under way). */
  private build(): NameVocabulary {
    while (this.built === null) this.buildStep();
    return this.built;
  }

  /** One step of building this part's names (see NameVocabulary.steps); a donor's are built on, then taken. */
  private buildStep(): void {
    if (this.built !== null) return;
    const donor = this.donor;
    if (donor) {
      // The replaced index's part, its build still under way: one of its steps is this one's.
      if (donor.built === null) return donor.buildStep();
      this.donor = null;
      this.finish(donor.built, donor.flags);
      return;
    }
    this.building ??= NameVocabulary.steps(this.stations);
    const r = this.building.next();
    if (!r.done) return;
    this.building = null;
    this.finish(r.value, r.value.words.map(wordFlags));
  }

  private finish(core: NameVocabulary, flags: Uint8Array[]): void {
    this.builtFlags = flags;
    this.scratch = new Scratch();
    this.built = core;
  }

  /** The core this resolver has or will have (itself standing for one not built yet): equal means shared. */
  private origin(): object {
    return this.built ?? this.donor?.origin() ?? this;
  }

  /**
   * A resolver over these stations; the parts of `previous` over the same ids and
   * names are shared, not rebuilt. Nothing is built until used (see buildSteps()).
   */
  static fromStations(stations: readonly Station[], previous?: StationResolver): StationResolver {
    return StationResolver.fromGroups([{ stations }], previous);
  }

  /**
   * A resolver over groups of stations (an index's parts: one snapshot each). A group
   * that is the very list a part of `previous` was made from is that part again, at no
   * cost; a new list for a system compares its ids and names with that system's part
   * before (one sort of that system's stations) and shares its core when they are the
   * same. Nothing is built until used (see buildSteps()).
   */
  static fromGroups(groups: ReadonlyArray<{ readonly stations: readonly Station[] }>, previous?: StationResolver): StationResolver {
    const before = previous?.parts ?? (previous ? new Map([[previous.stations[0]?.systemId ?? '', previous]]) : null);
    const bySystem = new Map<string, Array<readonly Station[]>>();
    for (const g of groups) {
      // A snapshot is one system's; a list of several (tests, scripts) is split by system.
      const first = g.stations[0]?.systemId;
      if (first === undefined) continue;
      // The list a part was made from is known to be one system's: not read again.
      if (before?.get(first)?.source === g.stations) {
        add(bySystem, first, g.stations);
        continue;
      }
      let single = true;
      for (const s of g.stations) if (s.systemId !== first) single = false;
      if (single) add(bySystem, first, g.stations);
      else {
        const split = new Map<string, Station[]>();
        for (const s of g.stations) {
          let list = split.get(s.systemId);
          if (!list) split.set(s.systemId, (list = []));
          list.push(s);
        }
        for (const [id, list] of split) add(bySystem, id, list);
      }
    }
    const parts = new Map<string, StationResolver>();
    for (const [id, lists] of bySystem) {
      const old = before?.get(id);
      if (lists.length === 1 && old && old.source === lists[0]) parts.set(id, old);
      else {
        const part = StationResolver.part(lists.length === 1 ? lists[0] : lists.flat(), old);
        if (lists.length === 1) part.source = lists[0];
        parts.set(id, part);
      }
    }
    if (parts.size === 1) return [...parts.values()][0];
    return new StationResolver([], null, parts);
  }

  private static part(stations: readonly Station[], previous: StationResolver | undefined): StationResolver {
    const sorted = [...stations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const same = previous && previous.parts === null && sameNames(previous.stations, sorted) ? previous : null;
    return new StationResolver(sorted, same);
  }

  /** The index's resolver: built once per index (see RESOLVER), sharing the parts of the index it replaced when it can. */
  static forIndex(index: StationIndex): StationResolver {
    return index.derive(RESOLVER);
  }

  /**
   * Steps that build every system's names not built yet, a few hundred names a step
   * (10–30 ms at most on a 5,000-station system): a server runs them one per turn
   * of the event loop. A question meanwhile builds what it needs at once. Steps
   * listed and not run are one per system to build (`[...buildSteps()].length`).
   */
  *buildSteps(): Generator<() => void, void, void> {
    const all = this.parts ? [...this.parts.values()] : [this];
    for (const p of all) {
      // A part whose donor has its names built costs nothing: it takes them when first used.
      if (p.origin() instanceof NameVocabulary) continue;
      let ran = true;
      while (p.built === null && ran) {
        ran = false;
        yield () => {
          ran = true;
          p.buildStep();
        };
      }
    }
  }

  /** Whether a word is one of the station names' (words run together part into these first: understand.ts nameWords). */
  isNameWord(w: string): boolean {
    if (this.parts) {
      for (const p of this.parts.values()) if (p.isNameWord(w)) return true;
      return false;
    }
    return this.core.isWord(w);
  }

  get size(): number {
    if (!this.parts) return this.stations.length;
    let n = 0;
    for (const p of this.parts.values()) n += p.stations.length;
    return n;
  }

  /** Forgets the per-word lookup memo (shared by resolvers of the same names): for benchmarks that time uncached work. */
  clearMemo(): void {
    if (this.parts) for (const p of this.parts.values()) p.clearMemo();
    else this.built?.clearMemo();
  }

  /** True when every system's names were built once for both (the expensive part was done once). */
  sharesCoreWith(other: StationResolver): boolean {
    if (this.parts || other.parts) {
      if (!this.parts || !other.parts || this.parts.size !== other.parts.size) return false;
      for (const [id, p] of this.parts) {
        const q = other.parts.get(id);
        if (!q || !p.sharesCoreWith(q)) return false;
      }
      return true;
    }
    return this.origin() === other.origin();
  }

  /** Candidates from every system's part (or the one asked for), strongest first. */
  private fromParts(parts: ReadonlyMap<string, StationResolver>, subject: string, opts: ResolveOptions): Candidate[] {
    if (opts.systemId !== undefined) return parts.get(opts.systemId)?.candidates(subject, opts) ?? [];
    const out: Candidate[] = [];
    for (const p of parts.values()) for (const c of p.candidates(subject, opts)) out.push(c);
    // Stable: equal strengths keep the order of the systems.
    return out.map((c, i) => [c, i] as const).sort((a, b) => b[0].raw - a[0].raw || b[0].recall - a[0].recall || a[1] - b[1]).map(([c]) => c);
  }

  /**
   * Scored candidates, best first (no verdict): for interpret() and diagnostics.
   * Each step is its own small function over the scratch rows: V8 optimises them
   * one by one as they get hot, rather than swapping one long function into
   * optimised code in the middle of a loop (on-stack replacement), which made the
   * first few hundred messages of a process slow.
   */
  candidates(subject: string, opts: ResolveOptions = {}): Candidate[] {
    if (this.parts) return this.fromParts(this.parts, subject, opts);
    const words = canonicalWords(subject);
    const q0 = Math.max(0, words.length - MAX_QUERY_WORDS);
    const q = q0 === 0 ? words : words.slice(q0);
    if (q.length === 0) return [];
    const core = this.core;
    const x = this.scratch as Scratch;
    for (let i = 0; i < q.length; i++) {
      x.qWeight[i] = core.queryWeight(q[i]);
      // A word like some name word (a typo of one, or a recogniser's piece of one: "fann shaw street") is never stray.
      x.qStray[i] = (x.qWeight[i] === UNKNOWN_WORD_WEIGHT && core.lookup(q[i]).length === 0) || STATION_WORDS.has(q[i]) ? 1 : 0;
    }
    const nFound = findPieces(x, core, q);
    // Words in hundreds of names ("and", "avenue", "street") cannot make a station worth
    // naming on their own: when the subject also shares a rarer word with some names,
    // only those names are scored, and the common words count towards them alone.
    // This keeps a message's cost proportional to the names it could mean, not to the
    // number of stations loaded.
    const rare = markCommon(x, core, nFound, Math.max(COMMON_MIN, Math.ceil(this.stations.length * COMMON_SHARE)));
    const mark = rare ? markRareStations(x, core, nFound) : 0;
    x.stations(this.stations.length);
    const nTouched = collectEdges(x, core, nFound, rare, mark);
    const n = this.scoreAll(x, nTouched, q, isLong(q), opts.systemId);
    sortOrder(x, n);
    const spelled = this.emit(x, n);
    // A full name as it stands needs no second witness.
    const top = spelled[0];
    if (top && top.precision >= 0.999 && top.recall >= 0.999 && (spelled.length < 2 || spelled[1].raw < 0.9)) return spelled;
    // Only common name words said ("street", "road"): sound would find any name made of similar sounds.
    let informative = false;
    for (let i = 0; i < q.length; i++) if (x.qWeight[i] >= SOUND_MIN_WEIGHT) informative = true;
    // A word trimmed off may be what the name was heard as ("would street" for Wood Street).
    const lead = opts.lead ? canonicalWords(opts.lead) : [];
    const tail = opts.tail ? canonicalWords(opts.tail) : [];
    if (!informative) informative = lead.some((w) => core.queryWeight(w) >= SOUND_MIN_WEIGHT && w.length >= 3) || tail.some((w) => core.queryWeight(w) >= SOUND_MIN_WEIGHT && w.length >= 3);
    if (!informative) return spelled;
    const sid = opts.systemId;
    const heard = opts.said ? canonicalWords(opts.said) : q;
    // Hits at or under the floor have no strength (combineEvidence skips them): not aligned to the end.
    // A name spelling did not find is listed by sound alone only when strong: its weaker alignments stop early too.
    const spelledMark = core.nextMark();
    const { order, touched, spelledAt } = x;
    for (let k = 0; k < n; k++) {
      core.marks[touched[order[k]]] = spelledMark;
      spelledAt[touched[order[k]]] = k;
    }
    const hits = core.sound.match(heard, sid === undefined ? undefined : (s) => this.stations[s].systemId === sid, lead, tail, SOUND_FLOOR, { marks: core.marks, mark: spelledMark, minNameSim: SOUND_ALONE_NAME_SIM });
    const marks = core.marks;
    return combineEvidence(spelled, hits, this.stations, (slot) => (marks[slot] === spelledMark ? spelledAt[slot] : -1));
  }

  /** Scores every touched station (of the system asked for); returns how many, their slots in scratch.order. */
  private scoreAll(x: Scratch, nTouched: number, q: readonly string[], long: boolean, systemId: string | undefined): number {
    const { touched, order } = x;
    let n = 0;
    for (let t = 0; t < nTouched; t++) {
      const si = touched[t];
      if (systemId !== undefined && this.stations[si].systemId !== systemId) continue;
      this.score(x, si, t, q, long);
      order[n++] = t;
    }
    return n;
  }

  private emit(x: Scratch, n: number): Candidate[] {
    const { order, touched, recall, precision, raw, area } = x;
    const out: Candidate[] = [];
    for (let k = 0; k < n; k++) {
      const t = order[k];
      out.push(candidate(this.stations[touched[t]], recall[t], precision[t], raw[t], area[t] === 1));
    }
    return out;
  }

  /** Scores station si (touched slot t) from its edges into the scratch score rows. */
  private score(x: Scratch, si: number, t: number, q: readonly string[], long: boolean): void {
    const words = this.core.words[si];
    const weights = this.core.wordWeight[si];
    const flags = this.flags[si];
    const nw = words.length;
    const qn = q.length;
    // The station's edges, strongest first (stable: equal gains keep the order they were made in).
    let m = 0;
    for (let e = x.head[si]; e >= 0; e = x.eNext[e]) m++;
    x.edgeList(m);
    const eo = x.edgeOrder;
    const gain = x.eGain;
    m = 0;
    for (let e = x.head[si]; e >= 0; e = x.eNext[e]) {
      const g = gain[e];
      let k = m++;
      while (k > 0 && gain[eo[k - 1]] < g) {
        eo[k] = eo[k - 1];
        k--;
      }
      eo[k] = e;
    }
    x.nameWords(nw);
    const qSim = x.qSim;
    const nSim = x.nSim;
    qSim.fill(0, 0, qn);
    nSim.fill(0, 0, nw);
    const { eQs, eQe, eNs, eNe, eSim } = x;
    for (let k = 0; k < m; k++) {
      const e = eo[k];
      const qs = eQs[e];
      const qe = eQe[e];
      const ns = eNs[e];
      const ne = eNe[e];
      let free = true;
      for (let i = qs; i <= qe && free; i++) if (qSim[i] > 0) free = false;
      for (let i = ns; i <= ne && free; i++) if (nSim[i] > 0) free = false;
      if (!free) continue;
      const sim = eSim[e];
      for (let i = qs; i <= qe; i++) qSim[i] = sim;
      for (let i = ns; i <= ne; i++) nSim[i] = sim;
    }
    let den = 0;
    let num = 0;
    let areaMatched = false;
    for (let i = 0; i < nw; i++) {
      const f = flags[i];
      if (f & AREA) {
        if (nSim[i] > 0 && f & AREA_SAYS) areaMatched = true;
        continue;
      }
      if (nSim[i] > 0) {
        den += weights[i];
        num += nSim[i] * weights[i];
      } else if (!(f & OPTIONAL)) den += weights[i];
    }
    const recall = den > 0 ? Math.min(1, num / den) : 0;
    let lo = -1;
    let hi = -1;
    for (let i = 0; i < qn; i++) if (qSim[i] > 0) (lo = lo < 0 ? i : lo), (hi = i);
    let said = 0;
    let explained = 0;
    const qWeight = x.qWeight;
    for (let i = 0; i < qn; i++) {
      let w = qWeight[i];
      if (qSim[i] === 0 && (i < lo || i > hi)) {
        if (long) continue;
        // The whole name said, and beside it a word no name has anything like ("is chapel place rammed",
        // "live numbers for grosvenor square"): the question's word, not a sign of another name.
        if (recall >= 0.999 && x.qStray[i] === 1) w = STRAY_WEIGHT;
        // Words far from the match are less likely to be part of the name.
        const d = i < lo ? countContent(q, i, lo) : countContent(q, hi + 1, i + 1);
        w *= Math.pow(0.6, Math.max(0, d - 1));
      }
      said += w;
      explained += w * qSim[i];
    }
    const precision = said > 0 ? explained / said : 0;
    let raw = Math.pow(precision, 1.5) * (0.35 + 0.65 * recall);
    if (long && recall < 0.95) raw *= 0.6;
    x.raw[t] = raw;
    x.recall[t] = recall;
    x.precision[t] = precision;
    x.area[t] = areaMatched ? 1 : 0;
  }

  resolve(subject: string, opts: ResolveOptions = {}): ResolveResult {
    return verdictOf(this.candidates(subject, opts), subject);
  }
}
