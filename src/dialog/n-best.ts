import type { InboundMessage } from '../domain/message.js';
import type { Station } from '../domain/station.js';
import type { Interpretation, Understanding } from '../domain/understanding.js';
import type { Brain, InterpretContext, UnderstandContext } from './turn-deps.js';

/**
 * N-best from the phone channels. A speech recognizer hears "tooley street" as "to lee
 * street" and says how sure it is; Lex V2 also hands over its other readings. Every
 * reading is understood and resolved, and they are combined:
 *
 * - each reading's outcome (this station, this place, this intent) is scored as the
 *   resolver's confidence in it times the chance that one of the readings behind it is
 *   what was said, 1 − Π(1 − recognizer confidence): readings that agree raise it;
 * - the outcome with the best score wins, read from its likeliest reading;
 * - a station read with a combined confidence under ASK_BELOW is put as a question
 *   ("Did you mean …?", with the other readings' stations as further options), never
 *   given as the answer: a wrong confident station is worse than a question.
 *
 * Typed text has neither confidence nor alternatives and never comes here.
 */

/** Readings looked at: recognizers rank the rest too low to matter, and each costs a lookup. */
export const MAX_READINGS = 5;
/** A station whose combined confidence is below this is asked about, not answered. */
export const ASK_BELOW = 0.5;
/** A reading whose recognizer gave no confidence: ranked, each less likely than the one before. */
const UNSTATED_TOP = 0.8;
const UNSTATED_DECAY = 0.7;

export interface Reading {
  text: string;
  /** The recognizer's confidence, or the rank-based stand-in when it gave none. */
  heard: number;
  u: Understanding;
  it: Interpretation | null;
  /** How sure the understanding is of what this reading says (resolver or geocoder confidence; 1 for a clear intent). */
  sure: number;
  /** What the reading comes to: readings with the same key agree. */
  key: string;
}

export interface NBestPick {
  text: string;
  u: Understanding;
  /** The interpretation to answer with (null: the reading names nothing to look up). */
  it: Interpretation | null;
  /** Combined confidence of the outcome, 0..1. */
  confidence: number;
  readings: Reading[];
}

/** The message carries something to combine: a recognizer confidence or other readings. */
export function hasNBest(msg: InboundMessage): boolean {
  return (Array.isArray(msg.alternatives) && msg.alternatives.length > 0) || typeof msg.confidence === 'number';
}

function readingsOf(msg: InboundMessage, text: string): Array<{ text: string; heard: number }> {
  const out: Array<{ text: string; heard: number }> = [];
  const seen = new Set<string>();
  const add = (t: unknown, c: unknown) => {
    if (typeof t !== 'string' || out.length >= MAX_READINGS) return;
    const said = t.trim().slice(0, 500);
    const key = said.toLowerCase().replace(/\s+/g, ' ');
    if (said === '' || seen.has(key)) return;
    seen.add(key);
    const stated = typeof c === 'number' && Number.isFinite(c) && c >= 0 && c <= 1 ? c : null;
    out.push({ text: said, heard: stated ?? UNSTATED_TOP * UNSTATED_DECAY ** out.length });
  };
  add(text, msg.confidence);
  for (const a of Array.isArray(msg.alternatives) ? msg.alternatives : []) add(a?.text, a?.confidence);
  return out;
}

function sureOf(u: Understanding, it: Interpretation | null): { sure: number; key: string } {
  if (it) {
    switch (it.kind) {
      case 'station':
        return { sure: it.confidence, key: `station:${it.station.id}` };
      case 'place':
        return { sure: it.place.confidence, key: `place:${it.place.lat.toFixed(3)},${it.place.lon.toFixed(3)}` };
      case 'choose':
        // Offering the right ones is half an answer.
        return { sure: 0.5, key: `choose:${it.candidates.map((s) => s.id).sort().join(',')}` };
      case 'not_found':
        return { sure: 0.05, key: 'not_found' };
    }
  }
  if (u.intent === 'unknown') return { sure: 0.1, key: 'intent:unknown' };
  // "bikes near me", "help", "how much is it": clear without a lookup.
  return { sure: 0.9, key: `intent:${u.intent}:${u.want}` };
}

/**
 * Understands every reading and picks what they come to together. `ictx` null (no data
 * yet) compares the readings on their words alone.
 */
export async function readNBest(msg: InboundMessage, text: string, brain: Brain, uctx: UnderstandContext, ictx: InterpretContext | null): Promise<NBestPick> {
  const readings: Reading[] = [];
  for (const r of readingsOf(msg, text)) {
    const u = brain.understand(r.text, uctx);
    const lookup = ictx !== null && u.followUp === null && (u.subject !== null || u.coordinates !== null) && (u.intent === 'station_status' || u.intent === 'nearest');
    const it = lookup ? await brain.interpret(u, ictx) : null;
    readings.push({ text: r.text, heard: r.heard, u, it, ...sureOf(u, it) });
  }
  if (readings.length === 0) {
    const u = brain.understand(text, uctx);
    return { text, u, it: null, confidence: 0, readings };
  }

  // Each outcome: its best reading, and the chance that some reading behind it was what was said.
  const groups = new Map<string, { best: Reading; sure: number; missAll: number; order: number }>();
  readings.forEach((r, i) => {
    const g = groups.get(r.key);
    if (!g) groups.set(r.key, { best: r, sure: r.sure, missAll: 1 - r.heard, order: i });
    else {
      g.missAll *= 1 - r.heard;
      g.sure = Math.max(g.sure, r.sure);
      if (r.heard * r.sure > g.best.heard * g.best.sure) g.best = r;
    }
  });
  const ranked = [...groups.values()].map((g) => ({ ...g, score: g.sure * (1 - g.missAll) })).sort((a, b) => b.score - a.score || a.order - b.order);
  const win = ranked[0];
  let it = win.best.it;
  if (it?.kind === 'station' && win.score < ASK_BELOW) {
    // Not sure enough of what was heard: ask, offering what the other readings named too.
    const offered: Station[] = [it.station];
    for (const g of ranked.slice(1)) {
      const other = g.best.it;
      const s = other?.kind === 'station' ? other.station : other?.kind === 'choose' ? other.candidates[0] : null;
      if (s && !offered.some((o) => o.id === s.id) && offered.length < 3) offered.push(s);
    }
    it = { kind: 'choose', candidates: offered };
  }
  return { text: win.best.text, u: win.best.u, it, confidence: win.score, readings };
}

/** The brain, with the pick's interpretation pinned: the dialog answers what the readings agreed on. */
export function pinned(brain: Brain, pick: NBestPick): Brain {
  const it = pick.it;
  if (it === null) return brain;
  return {
    understand: (text, ctx) => brain.understand(text, ctx),
    interpret: (u, ctx) => (u === pick.u ? Promise.resolve(it) : brain.interpret(u, ctx)),
  };
}
