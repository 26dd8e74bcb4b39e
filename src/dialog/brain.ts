import type { StationIndex } from '../domain/station-index.js';
import { interpret } from '../domain/understand/interpret.js';
import { understand } from '../domain/understand/understand.js';
import type { Brain } from './turn-deps.js';

/** System names and aliases, computed once per index (the index is replaced, never mutated). */
const namesCache = new WeakMap<StationIndex, string[]>();

export function systemNames(index: StationIndex | null): string[] {
  if (!index) return [];
  let names = namesCache.get(index);
  if (!names) {
    names = index.systems.flatMap((s) => [s.name, ...(s.aliases ?? [])]).filter((n) => n.trim().length > 0);
    namesCache.set(index, names);
  }
  return names;
}

/** The real understanding, adapted to the dialog's Brain shape. */
export function defaultBrain(): Brain {
  return {
    understand: (text, ctx) => understand(text, { optionsOpen: ctx.openOptions.length > 0, systemNames: systemNames(ctx.index) }),
    interpret: (u, ctx) => interpret(u, { index: ctx.index, geocoder: ctx.geocoder }),
  };
}
