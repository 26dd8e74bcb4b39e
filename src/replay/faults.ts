import { BikeBotError } from '../domain/errors.js';

/** Fault switches: rates are shares of requests in 0..1, drawn independently per request. */
export interface Faults {
  /** Answered 500. */
  errorRate: number;
  /** Added before every answer (including the faulty ones). */
  latencyMs: number;
  /** Never answered: the client's own timeout must fire. */
  timeoutRate: number;
  /** 200 with the body cut in half (Content-Length matching the cut body). */
  truncateRate: number;
  /** 200 with an HTML error page instead of JSON. */
  malformedRate: number;
  /** Answered 429 with Retry-After. */
  rateLimitRate: number;
  retryAfterS: number;
  /**
   * Share of stations (0..1) left out of every station list served — a damaged but
   * valid feed. The body then changes, so no 304 can hide it.
   */
  stationLoss: number;
}

export const NO_FAULTS: Readonly<Faults> = { errorRate: 0, latencyMs: 0, timeoutRate: 0, truncateRate: 0, malformedRate: 0, rateLimitRate: 0, retryAfterS: 30, stationLoss: 0 };

const RATES = ['errorRate', 'timeoutRate', 'truncateRate', 'malformedRate', 'rateLimitRate', 'stationLoss'] as const;

/** Merge a change into the current faults, refusing values a caller cannot have meant. */
export function mergeFaults(current: Faults, change: unknown): Faults {
  if (change === null || typeof change !== 'object' || Array.isArray(change)) throw new BikeBotError('INVALID_INPUT', 'faults must be a JSON object');
  const next = { ...current };
  for (const [k, v] of Object.entries(change as Record<string, unknown>)) {
    if (!(k in NO_FAULTS)) throw new BikeBotError('INVALID_INPUT', `unknown fault "${k}" (known: ${Object.keys(NO_FAULTS).join(', ')})`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BikeBotError('INVALID_INPUT', `fault ${k} must be a number ≥ 0`);
    if ((RATES as readonly string[]).includes(k) && v > 1) throw new BikeBotError('INVALID_INPUT', `fault ${k} is a share of requests, 0..1`);
    next[k as keyof Faults] = v;
  }
  return next;
}

/** mulberry32: small, fast and seedable, so a fault sequence can be replayed exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}


/** Request-level faults, in the order a real outage would show them; null: answer normally. */
export function drawRequestFault(f: Faults, random: () => number): 'timeout' | 'rate_limit' | 'error' | null {
  if (f.timeoutRate > 0 && random() < f.timeoutRate) return 'timeout';
  if (f.rateLimitRate > 0 && random() < f.rateLimitRate) return 'rate_limit';
  if (f.errorRate > 0 && random() < f.errorRate) return 'error';
  return null;
}

/** Body-level faults, only for a 200 that carries a body. */
export function drawBodyFault(f: Faults, random: () => number): 'malformed' | 'truncate' | null {
  if (f.malformedRate > 0 && random() < f.malformedRate) return 'malformed';
  if (f.truncateRate > 0 && random() < f.truncateRate) return 'truncate';
  return null;
}

export const MALFORMED_BODY = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server returned an invalid response.</p></body></html>';

/**
 * The body with the last `share` of its stations removed: a TfL BikePoint array, or a
 * GBFS file with data.stations. Any other body is returned unchanged.
 */
export function dropStations(body: string, share: number): string {
  if (share <= 0) return body;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return body;
  }
  const keep = <T>(list: T[]): T[] => list.slice(0, Math.floor(list.length * (1 - Math.min(1, share))));
  if (Array.isArray(json)) return JSON.stringify(keep(json));
  const data = (json as { data?: { stations?: unknown } } | null)?.data;
  if (data && Array.isArray(data.stations)) {
    data.stations = keep(data.stations);
    return JSON.stringify(json);
  }
  return body;
}
