import { readFileSync } from 'node:fs';
import { BikeBotError } from '../domain/errors.js';
import { INTENTS, type Intent } from '../domain/answer.js';
import type { Want } from '../domain/station.js';

export type EvalKind = 'name' | 'place' | 'intent' | 'edge';

/** One line of an evaluation set (the format of ../shared/eval/dev.jsonl). */
export interface EvalCase {
  id: string;
  kind: EvalKind;
  utterance: string;
  intent: Intent;
  want: Want;
  expect: {
    station_ids?: string[];
    ambiguous_among?: string[];
    place?: { lat: number; lon: number };
  };
  noise: string;
  note?: string;
}

const KINDS: readonly EvalKind[] = ['name', 'place', 'intent', 'edge'];
const WANTS: readonly Want[] = ['bikes', 'ebikes', 'docks', 'any'];

function fail(line: number, why: string): never {
  throw new BikeBotError('INVALID_INPUT', `eval set line ${line}: ${why}`);
}

/** Parses JSON Lines; blank lines are skipped, a malformed line is an error naming its number. */
export function parseEvalCases(text: string): EvalCase[] {
  const out: EvalCase[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      fail(i + 1, 'not JSON');
    }
    const o = v as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) fail(i + 1, 'not an object');
    if (typeof o.utterance !== 'string') fail(i + 1, 'utterance must be a string');
    if (!KINDS.includes(o.kind as EvalKind)) fail(i + 1, `kind must be one of ${KINDS.join(', ')}`);
    if (!INTENTS.includes(o.intent as Intent)) fail(i + 1, `unknown intent ${String(o.intent)}`);
    const want = (o.want ?? 'any') as Want;
    if (!WANTS.includes(want)) fail(i + 1, `unknown want ${String(o.want)}`);
    const expect = (typeof o.expect === 'object' && o.expect !== null ? o.expect : {}) as EvalCase['expect'];
    if (o.kind === 'place' && (typeof expect.place?.lat !== 'number' || typeof expect.place?.lon !== 'number')) fail(i + 1, 'a place case needs expect.place {lat, lon}');
    out.push({
      id: typeof o.id === 'string' ? o.id : `line-${i + 1}`,
      kind: o.kind as EvalKind,
      utterance: o.utterance as string,
      intent: o.intent as Intent,
      want,
      expect,
      noise: typeof o.noise === 'string' ? o.noise : 'none',
      ...(typeof o.note === 'string' ? { note: o.note } : {}),
    });
  });
  return out;
}

export function loadEvalCases(path: string): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BikeBotError('NOT_FOUND', `eval set not found: ${path}`, { cause: e });
  }
  return parseEvalCases(text);
}
