import type { Geocoder } from '../domain/place.js';
import type { Derived, StationIndex } from '../domain/station-index.js';
import type { Interpretation, Understanding } from '../domain/understanding.js';
import type { Brain } from './turn-deps.js';

/** Texts remembered per index: two generations of this many (a few MB at most). */
export const MEMO_TEXTS = 2_000;

/**
 * Texts as they were last understood: a generation fills, becomes the old one when
 * full, and the one before it goes. A text found in the old generation moves to the
 * new one, so what is asked often stays and the bound is twice `max`.
 */
class Generations<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.set(key, o);
    return o;
  }

  set(key: string, value: V): void {
    if (this.young.size >= this.max) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

/** One index's memory: what each text was understood as, and what that referred to. */
class IndexMemo {
  readonly understood: Generations<Understanding>;
  /** By the understanding object itself: it lives as long as the text's entry (or a turn holding it). */
  readonly referred = new WeakMap<Understanding, { geocoder: Geocoder; it: Interpretation }>();

  constructor(max: number) {
    this.understood = new Generations(max);
  }
}

export interface BrainMemoOptions {
  /**
   * Whether what a subject refers to may be remembered too. Only when every geocoder is
   * local (the station names and the gazetteer, fixed for the index): a live geocoder's
   * answer (or its failure) is its own and is asked each time.
   */
  interpret: boolean;
  /** Texts per generation and index (default MEMO_TEXTS). */
  max?: number;
}

/**
 * The same brain, remembering its work per station index. Understanding a message
 * depends on its text, on whether options are open and on the index's names and system
 * names; what the subject refers to, on that understanding, the index and the geocoder.
 * None of it depends on the time, the counts' freshness or the conversation beyond
 * that, so a text asked again under the same index is understood and resolved as before
 * without the work (the sound alignment, the resolver's candidates): the answer itself
 * (counts, their age, the clock phrases, the session) is still made for each turn from
 * the index and the clock of that turn. A new snapshot is a new index, and with it an
 * empty memory: the stations an interpretation names are always the current index's.
 * Nothing is shared between brains: each makes its own key for the index's derivations.
 */
export function memoisedBrain(inner: Brain, opts: BrainMemoOptions): Brain {
  const max = opts.max ?? MEMO_TEXTS;
  // Built fresh for every index: nothing carries over from the one it replaced.
  const MEMO: Derived<IndexMemo> = { name: 'understanding memo', build: () => new IndexMemo(max) };
  const memoOf = (index: StationIndex | null): IndexMemo | null => (index ? index.derive(MEMO) : null);
  return {
    understand(text, ctx) {
      const memo = memoOf(ctx.index);
      if (!memo) return inner.understand(text, ctx);
      // Open options change how "2" or "Waterloo 3" is read; nothing else of the conversation does.
      const key = (ctx.openOptions.length > 0 ? '1' : '0') + text;
      const known = memo.understood.get(key);
      if (known) return known;
      const u = inner.understand(text, ctx);
      memo.understood.set(key, u);
      return u;
    },
    async interpret(u, ctx) {
      const memo = opts.interpret ? memoOf(ctx.index) : null;
      if (!memo) return inner.interpret(u, ctx);
      const known = memo.referred.get(u);
      if (known && known.geocoder === ctx.geocoder) return known.it;
      const it = await inner.interpret(u, ctx);
      memo.referred.set(u, { geocoder: ctx.geocoder, it });
      return it;
    },
  };
}
