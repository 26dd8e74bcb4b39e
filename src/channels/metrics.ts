import type { Counter, Histogram, Registry } from 'prom-client';

export interface FeedAge {
  feed: string;
  /** Seconds since the feed's counts were observed upstream; null before its first snapshot. */
  ageS: number | null;
}

export interface MetricsOptions {
  /** Age of every configured feed's loaded snapshot (observation time, not fetch time). */
  snapshotAges?: () => FeedAge[];
  /** Conversations currently remembered (may be async, e.g. a Redis SCAN count). */
  sessions?: () => number | null | Promise<number | null>;
  /** Redis mode: which feed leases this replica holds (1: it polls that feed for every replica). */
  leases?: () => Array<{ feedId: string; held: boolean }> | null;
  /** Node process metrics (CPU, memory, event loop lag, GC) under their standard names. Off in tests to keep output small. */
  processMetrics?: boolean;
}

/**
 * In-process work (a turn: understand → dialog → answer) takes tens of microseconds
 * to a few milliseconds; buckets start at 50 µs so the histogram can tell them apart.
 */
export const IN_PROCESS_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
/** HTTP, ours and upstream's: the network alone is milliseconds. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const DEFAULT_GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * How sure understanding was of what it answered: high ≥ 0.8, medium ≥ 0.5, low
 * below; `choice` when it asked the person to choose, `none` when nothing matched.
 */
export type ConfidenceBand = 'high' | 'medium' | 'low' | 'choice' | 'none';
export function confidenceBand(confidence: number): ConfidenceBand {
  return confidence >= 0.8 ? 'high' : confidence >= 0.5 ? 'medium' : 'low';
}

/** The prom-client side of Metrics, made once prom-client is loaded. */
interface Instruments {
  registry: Registry;
  requests: Counter<'channel' | 'status'>;
  latency: Histogram<'channel'>;
  upstream: Counter<'feed' | 'outcome'>;
  upstreamLatency: Histogram<'feed' | 'outcome'>;
  messages: Counter<'channel' | 'intent'>;
  turnLatency: Histogram<'channel'>;
  answers: Counter<'band'>;
  refused: Counter<'feed' | 'reason'>;
  shed: Counter<'channel' | 'reason'>;
}

function instruments(prom: typeof import('prom-client'), opts: MetricsOptions): Instruments {
  const registry = new prom.Registry();
  const registers = [registry];
  const requests = new prom.Counter({
    name: 'bikebot_http_requests_total',
    help: 'HTTP requests answered, by channel and status code',
    labelNames: ['channel', 'status'],
    registers,
  });
  const latency = new prom.Histogram({
    name: 'bikebot_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by channel',
    labelNames: ['channel'],
    buckets: HTTP_BUCKETS,
    registers,
  });
  const upstream = new prom.Counter({
    name: 'bikebot_upstream_requests_total',
    help: 'Requests made to upstream feeds, by feed and result (ok, not_modified, http_error, network_error, timeout, rate_limited)',
    labelNames: ['feed', 'outcome'],
    registers,
  });
  const upstreamLatency = new prom.Histogram({
    name: 'bikebot_upstream_request_duration_seconds',
    help: 'Time of one upstream feed request, by feed and result',
    labelNames: ['feed', 'outcome'],
    buckets: HTTP_BUCKETS,
    registers,
  });
  const messages = new prom.Counter({
    name: 'bikebot_messages_total',
    help: 'Messages answered, by channel and understood intent',
    labelNames: ['channel', 'intent'],
    registers,
  });
  const shed = new prom.Counter({
    name: 'bikebot_requests_shed_total',
    help: 'Requests refused to protect latency (503 + Retry-After, or busy TwiML), by channel and reason (queue_delay, in_flight, event_loop_delay)',
    labelNames: ['channel', 'reason'],
    registers,
  });
  const refused = new prom.Counter({
    name: 'bikebot_feed_snapshots_refused_total',
    help: 'Snapshots refused as suspect (FEED_SUSPECT) so that the last good one stays, by feed and reason (empty, stations_lost, counts_bad)',
    labelNames: ['feed', 'reason'],
    registers,
  });
  const turnLatency = new prom.Histogram({
    name: 'bikebot_turn_duration_seconds',
    help: 'In-process time to understand and answer one message, by channel',
    labelNames: ['channel'],
    buckets: IN_PROCESS_BUCKETS,
    registers,
  });
  const answers = new prom.Counter({
    name: 'bikebot_answers_total',
    help: 'Questions about a station or place, by confidence band of what was understood (high, medium, low, choice, none)',
    labelNames: ['band'],
    registers,
  });
  const agesFn = opts.snapshotAges;
  new prom.Gauge({
    name: 'bikebot_snapshot_age_seconds',
    help: "Age of each feed's loaded counts, from the time they were observed upstream (absent before a feed's first snapshot)",
    labelNames: ['feed'],
    registers,
    collect() {
      this.reset();
      for (const f of agesFn?.() ?? []) if (f.ageS !== null) this.set({ feed: f.feed }, f.ageS);
    },
  });
  const sessionsFn = opts.sessions;
  new prom.Gauge({
    name: 'bikebot_sessions',
    help: 'Conversations currently remembered',
    registers,
    async collect() {
      const n = sessionsFn ? await sessionsFn() : null;
      if (n === null || n === undefined) this.reset();
      else this.set(n);
    },
  });
  const leasesFn = opts.leases;
  new prom.Gauge({
    name: 'bikebot_feed_lease_held',
    help: 'Redis mode: 1 when this replica holds the feed lease and so polls the feed for every replica',
    labelNames: ['feed'],
    registers,
    collect() {
      this.reset();
      for (const l of leasesFn?.() ?? []) this.set({ feed: l.feedId }, l.held ? 1 : 0);
    },
  });
  // Standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …) so
  // stock dashboards and alerts work unchanged.
  if (opts.processMetrics) {
    prom.collectDefaultMetrics({ register: registry });
    // prom-client also exports three gauges named *_total, which break the
    // counter-only rule promtool checks; the same counts stay available by type
    // in nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
    for (const name of DEFAULT_GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
  }
  return { registry, requests, latency, upstream, upstreamLatency, messages, turnLatency, answers, refused, shed };
}

/** Past this many observations waiting for prom-client, it is loaded rather than let them pile up. */
const MAX_EARLY = 10_000;
/** Prometheus' text exposition format, as prom-client's Registry says it (checked by a test). */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * One prom-client Registry per instance rather than the global one, so that two
 * apps in one process (tests, the Lambda entry) never fight over metric names.
 * Names follow Prometheus' conventions and pass `promtool check metrics`: counters
 * and only counters end in `_total`, units are base units in the name.
 *
 * prom-client (and the OpenTelemetry API it loads) took ~0.1 s of CPU at every start,
 * before the first answer. It is loaded by load(): on the first scrape, when the
 * server calls it after start-up, or once MAX_EARLY observations wait; until then
 * observations are kept in order and replayed into the registry when it exists.
 */
export class Metrics {
  private live: Instruments | null = null;
  private loading: Promise<Instruments> | null = null;
  private early: Array<(i: Instruments) => void> = [];

  constructor(private readonly opts: MetricsOptions = {}) {}

  /** Loads prom-client and makes the registry, once; what was observed before is replayed into it. */
  async load(): Promise<void> {
    await this.instruments();
  }

  private instruments(): Promise<Instruments> {
    this.loading ??= import('prom-client').then((prom) => {
      const live = instruments(prom, this.opts);
      for (const observe of this.early) observe(live);
      this.early = [];
      this.live = live;
      return live;
    });
    return this.loading;
  }

  private later(observe: (i: Instruments) => void): void {
    this.early.push(observe);
    if (this.early.length >= MAX_EARLY) void this.load();
  }

  observeRequest(channel: string, status: number, seconds: number): void {
    const i = this.live;
    if (i === null) return this.later((j) => this.observeRequestIn(j, channel, status, seconds));
    this.observeRequestIn(i, channel, status, seconds);
  }

  private observeRequestIn(i: Instruments, channel: string, status: number, seconds: number): void {
    i.requests.inc({ channel, status: String(status) });
    i.latency.observe({ channel }, seconds);
  }

  /** One message answered on a channel, with the intent understanding gave it. */
  recordTurn(channel: string, intent: string): void {
    if (this.live) this.live.messages.inc({ channel, intent });
    else this.later((i) => i.messages.inc({ channel, intent }));
  }

  recordShed(channel: string, reason: string): void {
    if (this.live) this.live.shed.inc({ channel, reason });
    else this.later((i) => i.shed.inc({ channel, reason }));
  }

  recordRefusedSnapshot(feedId: string, reason: string): void {
    if (this.live) this.live.refused.inc({ feed: feedId, reason });
    else this.later((i) => i.refused.inc({ feed: feedId, reason }));
  }

  observeTurn(channel: string, seconds: number): void {
    if (this.live) this.live.turnLatency.observe({ channel }, seconds);
    else this.later((i) => i.turnLatency.observe({ channel }, seconds));
  }

  recordAnswer(band: ConfidenceBand): void {
    if (this.live) this.live.answers.inc({ band });
    else this.later((i) => i.answers.inc({ band }));
  }

  recordUpstream(feedId: string, outcome: string, seconds?: number): void {
    const observe = (i: Instruments) => {
      i.upstream.inc({ feed: feedId, outcome });
      if (seconds !== undefined) i.upstreamLatency.observe({ feed: feedId, outcome }, seconds);
    };
    if (this.live) observe(this.live);
    else this.later(observe);
  }

  get contentType(): string {
    return METRICS_CONTENT_TYPE;
  }

  async render(): Promise<string> {
    return (await this.instruments()).registry.metrics();
  }
}
