import type { Derived, StationIndex } from '../domain/station-index.js';
import { interpret } from '../domain/understand/interpret.js';
import { understand } from '../domain/understand/understand.js';
import { StationResolver } from '../domain/understand/station-resolver.js';
import { IntentModel } from '../domain/understand/intent-model.js';
import { INTENT_WEIGHTS } from '../domain/understand/intent-weights.js';
import type { Brain } from './turn-deps.js';

/** System names and aliases: derived once per index (the index is replaced, never mutated). */
const SYSTEM_NAMES: Derived<string[]> = {
  name: 'system names',
  build: (index) => index.systems.flatMap((s) => [s.name, ...(s.aliases ?? [])]).filter((n) => n.trim().length > 0),
};

export function systemNames(index: StationIndex | null): string[] {
  return index ? index.derive(SYSTEM_NAMES) : [];
}

/**
 * The real understanding, adapted to the dialog's Brain shape. The intent model is
 * decoded once per brain (a few ms) and shared by every turn of it; a server hands
 * the same one to its rehearsal.
 */
/** The words of the index's station names, asked of its resolver only when a run of words is parted. */
function nameWordsOf(index: StationIndex | null): { has(word: string): boolean } | undefined {
  return index ? { has: (w) => StationResolver.forIndex(index).isNameWord(w) } : undefined;
}

export function defaultBrain(model: IntentModel = new IntentModel(INTENT_WEIGHTS)): Brain {
  return {
    understand: (text, ctx) => understand(text, { optionsOpen: ctx.openOptions.length > 0, systemNames: systemNames(ctx.index), model, nameWords: nameWordsOf(ctx.index) }),
    interpret: (u, ctx) => interpret(u, { index: ctx.index, geocoder: ctx.geocoder }),
  };
}
