/**
 * One error class for the whole program, with a closed list of codes so that
 * channels, logs and metrics can react to a code rather than to message text.
 * Upstream refusals (FEED_HTTP: the server answered, but not with data) are kept
 * apart from network failures (FEED_NETWORK: no answer at all).
 */
export const ERROR_CODES = [
  'FEED_HTTP',
  'FEED_NETWORK',
  'FEED_TIMEOUT',
  'FEED_PARSE',
  'FEED_RATE_LIMITED',
  /** A feed answered with data that fails the sanity check (stations lost, counts missing); the last good snapshot stays. */
  'FEED_SUSPECT',
  'STORE_CORRUPT',
  'STORE_FOREIGN',
  'STORE_UNAVAILABLE',
  'CONFIG_INVALID',
  'INVALID_INPUT',
  'NOT_FOUND',
  'GEOCODER_HTTP',
  'GEOCODER_NETWORK',
  'OVERLOADED',
  /** One client sent more than its share (per-client limit); Retry-After says when to come back. */
  'RATE_LIMITED',
  'UNAUTHORIZED',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class BikeBotError extends Error {
  readonly code: ErrorCode;
  /** HTTP status from upstream, when there was one. */
  readonly status?: number;
  /** Seconds the upstream asked us to wait (Retry-After). */
  readonly retryAfterS?: number;

  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; status?: number; retryAfterS?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BikeBotError';
    this.code = code;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.retryAfterS !== undefined) this.retryAfterS = opts.retryAfterS;
  }
}

export function isBikeBotError(e: unknown, code?: ErrorCode): e is BikeBotError {
  return e instanceof BikeBotError && (code === undefined || e.code === code);
}
