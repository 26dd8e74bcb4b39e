import { BikeBotError } from '../domain/errors.js';

export interface HttpJsonOptions {
  timeoutMs: number;
  headers: Record<string, string>;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Statuses that are answers, not failures (postcodes.io's 404 = no such postcode). */
  okStatuses?: readonly number[];
}

/**
 * GET a JSON document for a geocoder. The server not answering (refused, reset,
 * timed out) is GEOCODER_NETWORK; answering without usable JSON is GEOCODER_HTTP.
 */
export async function getJson(url: string, opts: HttpJsonOptions): Promise<{ status: number; body: unknown }> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { headers: { accept: 'application/json', ...opts.headers }, signal, redirect: 'follow' });
  } catch (e) {
    const why = timeout.aborted ? `timed out after ${opts.timeoutMs} ms` : opts.signal?.aborted ? 'aborted' : 'unreachable';
    throw new BikeBotError('GEOCODER_NETWORK', `${hostOf(url)}: ${why}`, { cause: e });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new BikeBotError('GEOCODER_NETWORK', `${hostOf(url)}: body cut off`, { cause: e });
  }
  if (!res.ok && !(opts.okStatuses ?? []).includes(res.status)) {
    const ra = Number(res.headers.get('retry-after'));
    throw new BikeBotError('GEOCODER_HTTP', `${hostOf(url)}: HTTP ${res.status}`, { status: res.status, ...(Number.isFinite(ra) && ra > 0 ? { retryAfterS: ra } : {}) });
  }
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch (e) {
    throw new BikeBotError('GEOCODER_HTTP', `${hostOf(url)}: HTTP ${res.status} with a body that is not JSON`, { status: res.status, cause: e });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
