/**
 * SMS segment arithmetic. A reply may take at most two segments: beyond that,
 * carriers split or drop messages and the person pays per part.
 *
 * GSM-7 (basic table plus the escape table, whose characters cost two septets)
 * fits 160 septets in one segment, 153 per segment once concatenated. Any character
 * outside GSM-7 switches the whole message to UCS-2: 70 UTF-16 units alone, 67 each
 * when concatenated.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
/**
 * Septets per UTF-16 unit below 0x400 (which covers GSM-7's Greek capitals): 1 for the basic
 * table, 2 for the escape table, 0 outside GSM-7. Every reply is measured against the SMS limit,
 * often several times while it is composed, so this is a table lookup per unit rather than a
 * Set lookup per code point. A constant, built once: nothing in it changes.
 */
const SEPTETS = (() => {
  const t = new Uint8Array(0x400);
  for (const ch of GSM_BASIC) t[ch.charCodeAt(0)] = 1;
  for (const ch of GSM_EXTENDED) if (ch.charCodeAt(0) < t.length) t[ch.charCodeAt(0)] = 2;
  return t;
})();
/** The escape table's one character above 0x3ff. */
const EURO = 0x20ac;

export const MAX_SEGMENTS = 2;

export interface SmsCost {
  encoding: 'gsm7' | 'ucs2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function smsCost(text: string): SmsCost {
  let septets = 0;
  let gsm = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const n = c < 0x400 ? SEPTETS[c] : c === EURO ? 2 : 0;
    if (n === 0) {
      gsm = false;
      break;
    }
    septets += n;
  }
  if (gsm) {
    return { encoding: 'gsm7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  const units = text.length;
  return { encoding: 'ucs2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** Number of SMS segments the text needs (an empty message still costs one). */
export function smsSegments(text: string): number {
  return Math.max(1, smsCost(text).segments);
}

export function fitsSms(text: string, maxSegments = MAX_SEGMENTS): boolean {
  return smsSegments(text) <= maxSegments;
}

/**
 * Last resort when dropping list items was not enough (a very long station name
 * in UCS-2, say): cut at a word boundary and mark the cut, never mid-word.
 */
export function trimToSms(text: string, maxSegments = MAX_SEGMENTS): string {
  if (fitsSms(text, maxSegments)) return text;
  const words = text.split(/(\s+)/);
  let lo = 0;
  let hi = words.length;
  // Binary search on the number of leading tokens that still fit with the marker.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsSms(words.slice(0, mid).join('').trimEnd() + '...', maxSegments)) lo = mid;
    else hi = mid - 1;
  }
  const kept = words.slice(0, lo).join('').trimEnd();
  if (kept.length > 0) return kept + '...';
  // A single enormous "word" (no spaces at all): keep whole code points only.
  let out = '';
  for (const ch of text) {
    if (!fitsSms(out + ch + '...', maxSegments)) break;
    out += ch;
  }
  return out + '...';
}
