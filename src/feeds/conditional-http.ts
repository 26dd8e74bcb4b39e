import { BikeBotError, isBikeBotError } from '../domain/errors.js';
import type { HostLimiter } from './host-limiter.js';

/** TfL's whole BikePoint list is ~2 MB; a body many times that is not a feed we can use. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface HttpResult {
  /** 200 with a body, or 304 (body null) when the validators still match. */
  status: 200 | 304;
  body: string | null;
  /** Cache-Control max-age in seconds, when sent. */
  maxAgeS: number | null;
  /** The response's Date header, or our clock when absent. */
  date: Date;
}

export interface ConditionalHttpOptions {
  userAgent: string;
  timeoutMs: number;
  /** Bodies larger than this are abandoned unread (FEED_HTTP); default 32 MiB. */
  maxBodyBytes?: number;
  /** Extra headers on every request (e.g. app keys are query params, so rarely needed). */
  headers?: Record<string, string>;
  /** Shared by every source of a process: at most so many requests in flight per host. */
  limiter?: HostLimiter;
  /** Called once per upstream request with its outcome, for metrics and for tests that count requests. */
  onRequest?: (info: { url: string; outcome: 'ok' | 'not_modified' | 'http_error' | 'network_error' | 'timeout' | 'rate_limited' | 'too_large'; status?: number; ms: number }) => void;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, Math.ceil((t - now) / 1000));
}

export function parseMaxAge(cacheControl: string | null): number | null {
  if (!cacheControl) return null;
  if (/\bno-(store|cache)\b/i.test(cacheControl)) return 0;
  const m = /\bmax-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return m ? Number(m[1]) : null;
}

/**
 * GET with conditional requests: remembers each URL's ETag and Last-Modified and
 * sends If-None-Match / If-Modified-Since, so an unchanged feed costs upstream a 304.
 */
export class ConditionalHttp {
  private readonly validators = new Map<string, { etag: string | null; lastModified: string | null }>();

  constructor(private readonly opts: ConditionalHttpOptions) {}

  private readBody(res: Response, url: string): Promise<string> {
    return readLimited(res, this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, redact(url));
  }

  /** Forget validators (e.g. after a body we could not parse, so the next fetch is a full one). */
  forget(url: string): void {
    this.validators.delete(url);
  }

  async get(url: string, signal?: AbortSignal): Promise<HttpResult> {
    const started = Date.now();
    const report = (outcome: Parameters<NonNullable<ConditionalHttpOptions['onRequest']>>[0]['outcome'], status?: number) =>
      this.opts.onRequest?.({ url, outcome, status, ms: Date.now() - started });
    const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, accept: 'application/json', ...this.opts.headers };
    const v = this.validators.get(url);
    if (v?.etag) headers['if-none-match'] = v.etag;
    if (v?.lastModified) headers['if-modified-since'] = v.lastModified;

    // The timeout runs from when the request goes out, not from when it joined its host's queue.
    const sent: { timeout: AbortSignal | null } = { timeout: null };
    const request = async (): Promise<[Response, string]> => {
      const timeout = (sent.timeout = AbortSignal.timeout(this.opts.timeoutMs));
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      const r = await fetchOnce(url, headers, combined);
      return [r, r.status === 304 ? '' : await this.readBody(r, url)];
    };
    let res: Response;
    let body: string;
    try {
      [res, body] = this.opts.limiter ? await this.opts.limiter.run(url, request, signal) : await request();
    } catch (e) {
      if (isBikeBotError(e, 'FEED_HTTP')) {
        report('too_large', 200);
        throw e;
      }
      if (sent.timeout?.aborted) {
        report('timeout');
        throw new BikeBotError('FEED_TIMEOUT', `No answer from ${redact(url)} within ${this.opts.timeoutMs} ms`, { cause: e });
      }
      report('network_error');
      throw new BikeBotError('FEED_NETWORK', `Could not reach ${redact(url)}: ${(e as Error).message}`, { cause: e });
    }
    const dateHeader = res.headers.get('date');
    const date = dateHeader && !Number.isNaN(Date.parse(dateHeader)) ? new Date(dateHeader) : new Date();
    const maxAgeS = parseMaxAge(res.headers.get('cache-control'));
    if (res.status === 304) {
      report('not_modified', 304);
      return { status: 304, body: null, maxAgeS, date };
    }
    if (res.status === 429 || res.status === 503) {
      const retryAfterS = parseRetryAfter(res.headers.get('retry-after')) ?? undefined;
      report('rate_limited', res.status);
      throw new BikeBotError('FEED_RATE_LIMITED', `${redact(url)} answered ${res.status}`, { status: res.status, retryAfterS });
    }
    if (res.status !== 200) {
      report('http_error', res.status);
      throw new BikeBotError('FEED_HTTP', `${redact(url)} answered ${res.status}`, { status: res.status });
    }
    this.validators.set(url, { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') });
    report('ok', 200);
    return { status: 200, body, maxAgeS, date };
  }
}

/**
 * Reads at most maxBodyBytes, stopping (and closing the connection) as soon as a
 * declared or actual length passes it, so a runaway upstream cannot fill our memory.
 */
async function readLimited(res: Response, max: number, what: string): Promise<string> {
  const tooLarge = () => new BikeBotError('FEED_HTTP', `${what} sent a body over the ${max}-byte limit; ignored`, { status: res.status });
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/**
 * A kept-alive socket the server closed while idle fails the next request with ECONNRESET
 * before any byte of the answer arrives. That is not the server refusing us, so a GET is
 * sent once more on a fresh connection — it costs upstream nothing it did not already agree to.
 */
async function fetchOnce(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (e) {
    if (signal.aborted || !isStaleSocket(e)) throw e;
    return await fetch(url, { headers, signal, redirect: 'follow' });
  }
}

function isStaleSocket(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } })?.cause?.code;
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}

/** Never log credentials passed as query parameters (TfL app_key). */
export function redact(url: string): string {
  return url.replace(/([?&](app_key|app_id|key|token)=)[^&]*/gi, '$1***');
}
