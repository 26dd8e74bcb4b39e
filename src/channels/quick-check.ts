/**
 * A JSON Schema check that can only say "certainly valid", for the strict compiler
 * (strict-input.ts) to try before Ajv. Loading Ajv and compiling the chat body's schema
 * was ~0.1 s of CPU in every restart (at load 6), before the first answer, for bodies
 * that are nearly always valid. So a body this check accepts is accepted without Ajv,
 * and any other body — invalid, or using what this check does not read — goes to Ajv,
 * which gives the verdict and the errors exactly as before. The check mirrors Ajv's
 * semantics (strict off, no coercion, unicode lengths, `u` patterns) for the few
 * keywords our request schemas use; a schema with any other keyword gets no quick check
 * (null) and is Ajv's alone. test/channels/quick-check.test.ts compares it with Ajv.
 */

type Check = (data: unknown) => boolean;

/** Keywords that say nothing about validity (useDefaults is off, so `default` too). */
const ANNOTATIONS = new Set(['description', 'summary', 'title', 'examples', 'example', '$comment', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const READ = new Set(['type', 'properties', 'required', 'additionalProperties', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum']);

/** Characters as Ajv counts them (its ucs2length): a surrogate pair is one. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) {
    const c = s.charCodeAt(i++);
    if (c >= 0xd800 && c <= 0xdbff && i < s.length && (s.charCodeAt(i) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

/** A check accepting only what Ajv accepts against `schema`, or null when the schema uses more than it reads. */
export function quickCheck(schema: unknown): Check | null {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return null;
  const s = schema as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!READ.has(k) && !ANNOTATIONS.has(k)) return null;
  const checks: Check[] = [];
  switch (s.type) {
    case 'object': {
      checks.push((d) => d !== null && typeof d === 'object' && !Array.isArray(d));
      const props = s.properties ?? {};
      if (props === null || typeof props !== 'object' || Array.isArray(props)) return null;
      const each: Array<[string, Check]> = [];
      for (const [name, sub] of Object.entries(props)) {
        const c = quickCheck(sub);
        if (!c) return null;
        each.push([name, c]);
      }
      const required = s.required ?? [];
      if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) return null;
      // Own and defined: Ajv asks only `!== undefined`, so this is at least as strict.
      for (const r of required as string[]) checks.push((d) => Object.prototype.hasOwnProperty.call(d, r) && (d as Record<string, unknown>)[r] !== undefined);
      // As Ajv: every named property the object has (inherited ones too) must pass.
      checks.push((d) => each.every(([name, c]) => (d as Record<string, unknown>)[name] === undefined || c((d as Record<string, unknown>)[name])));
      if (s.additionalProperties === false) {
        const known = new Set(Object.keys(props));
        checks.push((d) => {
          for (const k in d as object) if (!known.has(k)) return false;
          return true;
        });
      } else if (s.additionalProperties !== undefined && s.additionalProperties !== true) return null;
      break;
    }
    case 'string': {
      checks.push((d) => typeof d === 'string');
      const { minLength, maxLength, pattern } = s;
      if (minLength !== undefined || maxLength !== undefined) {
        if ((minLength !== undefined && typeof minLength !== 'number') || (maxLength !== undefined && typeof maxLength !== 'number')) return null;
        checks.push((d) => {
          const n = codePoints(d as string);
          return (minLength === undefined || n >= minLength) && (maxLength === undefined || n <= maxLength);
        });
      }
      if (pattern !== undefined) {
        if (typeof pattern !== 'string') return null;
        const re = new RegExp(pattern, 'u');
        checks.push((d) => re.test(d as string));
      }
      break;
    }
    case 'number':
    case 'integer': {
      checks.push(s.type === 'number' ? (d) => typeof d === 'number' && Number.isFinite(d) : (d) => Number.isInteger(d));
      const { minimum, maximum } = s;
      if ((minimum !== undefined && typeof minimum !== 'number') || (maximum !== undefined && typeof maximum !== 'number')) return null;
      if (minimum !== undefined) checks.push((d) => (d as number) >= minimum);
      if (maximum !== undefined) checks.push((d) => (d as number) <= maximum);
      break;
    }
    case 'boolean':
      checks.push((d) => typeof d === 'boolean');
      break;
    default:
      return null;
  }
  // Keywords that belong to another type than the one checked: not read, so no quick check.
  const typeOf: Record<string, string[]> = { properties: ['object'], required: ['object'], additionalProperties: ['object'], minLength: ['string'], maxLength: ['string'], pattern: ['string'], minimum: ['number', 'integer'], maximum: ['number', 'integer'] };
  for (const [k, types] of Object.entries(typeOf)) if (s[k] !== undefined && !types.includes(s.type as string)) return null;
  return (d) => checks.every((c) => c(d));
}
