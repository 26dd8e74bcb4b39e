import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsOptions {
  /** Age in seconds of the oldest loaded snapshot's observations; null before any snapshot. */
  snapshotAgeS?: () => number | null;
  /** Conversations currently remembered (may be async, e.g. a Redis SCAN count). */
  sessions?: () => number | null | Promise<number | null>;
  /** Node process metrics (CPU, heap, event loop lag). Off in tests to keep output small. */
  processMetrics?: boolean;
}

/**
 * One prom-client Registry per instance rather than the global one, so that two
 * apps in one process (tests, the Lambda entry) never fight over metric names.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'channel' | 'status'>;
  private readonly latency: Histogram<'channel'>;
  private readonly upstream: Counter<'feed' | 'outcome'>;
  private readonly turns: Counter<'channel' | 'intent'>;
  private readonly refused: Counter<'feed' | 'reason'>;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'bikebot_requests_total',
      help: 'Requests answered, by channel and HTTP status',
      labelNames: ['channel', 'status'],
      registers,
    });
    this.latency = new Histogram({
      name: 'bikebot_request_duration_seconds',
      help: 'Time to answer a request, by channel',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.upstream = new Counter({
      name: 'bikebot_upstream_requests_total',
      help: 'Requests made to upstream feeds, by feed and outcome (ok, not_modified, http_error, network_error, timeout, …)',
      labelNames: ['feed', 'outcome'],
      registers,
    });
    this.turns = new Counter({
      name: 'bikebot_turns_total',
      help: 'Conversation turns handled, by channel and understood intent',
      labelNames: ['channel', 'intent'],
      registers,
    });
    this.refused = new Counter({
      name: 'bikebot_feed_snapshots_refused_total',
      help: 'Snapshots refused as suspect (FEED_SUSPECT) so that the last good one stays, by feed and reason (empty, stations_lost, counts_bad)',
      labelNames: ['feed', 'reason'],
      registers,
    });
    const ageFn = opts.snapshotAgeS;
    new Gauge({
      name: 'bikebot_snapshot_age_seconds',
      help: 'Age of the oldest loaded snapshot observations (absent before the first snapshot)',
      registers,
      collect() {
        const age = ageFn?.();
        if (age === null || age === undefined) this.reset();
        else this.set(age);
      },
    });
    const sessionsFn = opts.sessions;
    new Gauge({
      name: 'bikebot_sessions',
      help: 'Conversations currently remembered',
      registers,
      async collect() {
        const n = sessionsFn ? await sessionsFn() : null;
        if (n === null || n === undefined) this.reset();
        else this.set(n);
      },
    });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'bikebot_' });
  }

  observeRequest(channel: string, status: number, seconds: number): void {
    this.requests.inc({ channel, status: String(status) });
    this.latency.observe({ channel }, seconds);
  }

  recordTurn(channel: string, intent: string): void {
    this.turns.inc({ channel, intent });
  }

  recordRefusedSnapshot(feedId: string, reason: string): void {
    this.refused.inc({ feed: feedId, reason });
  }

  recordUpstream(feedId: string, outcome: string): void {
    this.upstream.inc({ feed: feedId, outcome });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
