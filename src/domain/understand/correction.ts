import type { Understanding } from '../understanding.js';

/**
 * A person correcting themselves in one message: "Is there a bike at ${station}? I mean New Cavendish
 * Street, sorry", "bikes at waterloo, sorry I meant Waterloo Station 3". The question is the first
 * part's; the place is the one said after "I mean", up to the next stop or comma. Pure.
 */

/**
 * "I mean(t)" after a stop, a comma or a little word of apology, and before what is meant (never "what
 * am I meant to type", "I mean to go", "not what I meant").
 */
const CORRECTION = /(^|[.,;:!?]\s*|\b(?:sorry|no|oops|oh|er|erm|um|or|sorry,)\s+)i\s+(?:mean|meant)(?:\s+to\s+say)?\s*[,:]?\s+(?!to\b|it\b|that\b|this\b)([^.,;!?\n]{3,80})/i;

export interface Correction {
  /** The message before the correction: the question asked. */
  question: string;
  /** What was meant instead: a station or place, or a want ("docks"). */
  meant: string;
}

export function correctionOf(raw: string): Correction | null {
  if (raw.length > 400) return null;
  const m = CORRECTION.exec(raw);
  if (!m || m.index === undefined) return null;
  const question = raw.slice(0, m.index + m[1].length).replace(/\b(?:sorry|no|oops|oh|er|erm|um|or)[\s,]*$/i, '').trim();
  if (!/[a-z]{2}/i.test(question)) return null;
  return { question, meant: m[2].trim() };
}

/**
 * "bikes at ${station}? I mean New Cavendish Street": the question asked, about what was meant instead —
 * a station or place ("… I mean Waterloo Station 3"), or another want ("bikes at X, sorry I meant docks").
 * Null when the first part asked for no station or what follows "I mean" names none: then the message is read whole.
 */
export function correctedReading(asked: Understanding, meant: Understanding): Understanding | null {
  const stations = (u: Understanding) => u.intent === 'station_status' || u.intent === 'nearest';
  if (!stations(asked)) return null;
  if (meant.subject !== null && stations(meant) && !meant.foreign) {
    return { ...meant, intent: meant.near || (asked.near && asked.subject === null && meant.intent === 'nearest') ? 'nearest' : meant.intent, want: meant.want !== 'any' ? meant.want : asked.want, explicit: asked.explicit === true || meant.explicit === true, followUp: asked.followUp?.kind === 'choose_name' ? { kind: 'choose_name', text: meant.subject } : null };
  }
  if (meant.followUp?.kind === 'want' && asked.subject !== null) return { ...asked, want: meant.followUp.want };
  return null;
}
