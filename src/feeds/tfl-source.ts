import { BikeBotError } from '../domain/errors.js';
import type { SystemInfo } from '../domain/station.js';
import { userAgent } from '../version.js';
import { ConditionalHttp, type ConditionalHttpOptions } from './conditional-http.js';
import type { FeedSource, PollResult } from './feed-source.js';
import { parseBikePointsReport, TFL_SYSTEM, type SkippedStation } from './tfl-parse.js';

export interface TflSourceOptions {
  /** API base without trailing slash, e.g. https://api.tfl.gov.uk or a replay server URL. */
  baseUrl: string;
  appKey?: string | null;
  /** BikeBot's version, for the User-Agent. */
  version: string;
  timeoutMs: number;
  /** Largest body read (default ConditionalHttp's 32 MiB). */
  maxBodyBytes?: number;
  feedId?: string;
  system?: SystemInfo;
  /** Share one client (and its validators) or observe requests; built from the options above when absent. */
  http?: ConditionalHttp;
  onRequest?: ConditionalHttpOptions['onRequest'];
  limiter?: ConditionalHttpOptions['limiter'];
  /** Told about stations skipped as malformed (the rest of the feed is still used). */
  onSkipped?: (skipped: SkippedStation[]) => void;
  now?: () => Date;
}

/** TfL Santander Cycles: one GET /BikePoint per round, conditional, parsed into a Snapshot. */
export class TflSource implements FeedSource {
  readonly feedId: string;
  readonly system: SystemInfo;
  readonly url: string;
  private readonly http: ConditionalHttp;
  private readonly now: () => Date;

  constructor(private readonly opts: TflSourceOptions) {
    this.feedId = opts.feedId ?? 'tfl';
    this.system = opts.system ?? { ...TFL_SYSTEM, aliases: [...TFL_SYSTEM.aliases] };
    const base = opts.baseUrl.replace(/\/+$/, '');
    this.url = `${base}/BikePoint` + (opts.appKey ? `?app_key=${encodeURIComponent(opts.appKey)}` : '');
    this.http = opts.http ?? new ConditionalHttp({ userAgent: userAgent(opts.version), timeoutMs: opts.timeoutMs, onRequest: opts.onRequest, limiter: opts.limiter, ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}) });
    this.now = opts.now ?? (() => new Date());
  }

  async poll(signal: AbortSignal): Promise<PollResult> {
    const res = await this.http.get(this.url, signal);
    const nextPollInMs = res.maxAgeS === null ? null : res.maxAgeS * 1000;
    if (res.status === 304) return { snapshot: null, nextPollInMs };
    try {
      let json: unknown;
      try {
        json = JSON.parse(res.body ?? '');
      } catch (e) {
        throw new BikeBotError('FEED_PARSE', `TfL BikePoint body is not JSON (${(res.body ?? '').length} bytes): ${(e as Error).message}`, { cause: e });
      }
      const { snapshot, skipped } = parseBikePointsReport(json, { systemId: this.system.id, feedId: this.feedId, fetchedAt: this.now() });
      if (skipped.length > 0) this.opts.onSkipped?.(skipped);
      return { snapshot, nextPollInMs };
    } catch (e) {
      // The validators belong to a body we could not use: without forgetting them the
      // next round would get a 304 and we would never see that data.
      this.http.forget(this.url);
      throw e;
    }
  }
}
