/**
 * The only module that reads process.env or argv. Every option has a flag and a
 * BIKEBOT_* variable (flags win), is validated once at start-up, and the rest of the
 * program receives a plain, typed Config object.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BikeBotError } from './domain/errors.js';

type Kind = 'string' | 'number' | 'boolean' | 'list';
interface OptionSpec {
  kind: Kind;
  env?: string;
  describe: string;
}

/** Flag name → spec. Env name defaults to BIKEBOT_<FLAG_IN_UPPER_SNAKE>. */
export const OPTIONS = {
  'data-dir': { kind: 'string', describe: 'where the database lives (default: $XDG_DATA_HOME/bikebot)' },
  config: { kind: 'string', describe: 'systems config file (JSON or YAML); default: TfL only' },
  'tfl-url': { kind: 'string', describe: 'TfL API base URL (default https://api.tfl.gov.uk)' },
  'tfl-app-key': { kind: 'string', describe: 'TfL app_key (optional)' },
  snapshot: { kind: 'string', describe: 'answer from a saved BikePoint JSON file instead of polling' },
  'poll-interval': { kind: 'number', describe: 'seconds between polls of a feed (default 60, at least 30)' },
  'poll-interval-ms': { kind: 'number', describe: 'FOR TESTS AND REHEARSALS ONLY: poll interval in ms against a replay server, overriding --poll-interval and its 30 s floor (at least 100); the back-off ceiling becomes 10 intervals' },
  'redis-prefix': { kind: 'string', describe: 'key prefix in Redis, so deployments (or test runs) can share one Redis (default "bikebot:")' },
  'request-timeout': { kind: 'number', describe: 'upstream request timeout in seconds (default 15)' },
  'stale-after': { kind: 'number', describe: 'seconds after which counts are called stale (default 900)' },
  'session-ttl': { kind: 'number', describe: 'seconds a conversation is remembered (default 900)' },
  'feed-max-bytes': { kind: 'number', describe: 'largest upstream feed body read, bytes (default 33554432 = 32 MiB)' },
  'max-per-host': { kind: 'number', describe: 'upstream requests in flight to any one host at most, over all systems polled (default 4)' },
  'suspect-station-loss': { kind: 'number', describe: 'refuse a snapshot that loses more than this share of known stations (default 0.1)' },
  'suspect-bad-counts': { kind: 'number', describe: 'refuse a snapshot whose counts are missing or implausible at more than this share of stations (default 0.5)' },
  'degraded-after': { kind: 'number', describe: '/readyz says degraded when the data is older than this many seconds (default: --stale-after)' },
  'not-ready-after': { kind: 'number', describe: '/readyz says not_ready (503) when the data is older than this many seconds (default 10800)' },
  'max-event-loop-delay': { kind: 'number', describe: 'shed requests with 503 when the event loop lags more than this many ms (default 1000; 0 = off)' },
  'max-queue-delay': { kind: 'number', describe: 'shed requests with 503 that the event loop reaches more than this many ms after it began a busy turn of requests (default 10; 0 = off)' },
  'max-queue-delay-impatient': { kind: 'number', describe: 'the same bound for a client that asked again on its connection before its Retry-After was up, and for every client asking again on its connection while more of those are held than requests are in progress (default 1; at most --max-queue-delay)' },
  'max-in-flight': { kind: 'number', describe: 'shed requests with 503 beyond this many in progress (default 64)' },
  'trust-proxy': { kind: 'boolean', describe: 'behind a load balancer: take the client address from X-Forwarded-For (for per-client limits)' },
  'chat-rate-limit': { kind: 'number', describe: 'chat API requests per minute per client address (default 60; 0 = off)' },
  gazetteer: { kind: 'list', describe: 'gazetteer CSV file or folder (repeatable; env comma-separated)' },
  geocoders: { kind: 'string', describe: 'live geocoders to use, comma-separated: tfl,postcodes,nominatim,photon, or "none" (default none)' },
  'geocoder-tfl-url': { kind: 'string', describe: 'TfL StopPoint search base URL (default: the TfL URL)' },
  'geocoder-postcodes-url': { kind: 'string', describe: 'postcodes.io base URL (default https://api.postcodes.io)' },
  'geocoder-nominatim-url': { kind: 'string', describe: 'Nominatim base URL (default https://nominatim.openstreetmap.org)' },
  'geocoder-photon-url': { kind: 'string', describe: 'Photon base URL (default https://photon.komoot.io)' },
  host: { kind: 'string', describe: 'address to listen on (serve default "::", dual-stack; replay-server 127.0.0.1)' },
  port: { kind: 'number', describe: 'port to listen on (serve default 8080; replay-server 8081)' },
  'public-url': { kind: 'string', describe: 'public base URL of this server, used to check Twilio signatures' },
  'twilio-auth-token': { kind: 'string', describe: 'Twilio auth token (enables the SMS and Voice webhooks)' },
  'twilio-voice': { kind: 'string', describe: 'voice for <Say> on calls, e.g. Polly.Amy-Neural or Google.en-GB-Neural2-A (default: Twilio\'s own)' },
  'twilio-language': { kind: 'string', describe: 'BCP-47 language of calls, for speech recognition and <Say> (default en-GB)' },
  'server-secret': { kind: 'string', describe: 'secret (16+ chars) that keys phone-number hashes (the SMS opt-out list) and signs chat conversation ids; default: generated once and kept in the store' },
  'map-tiles': { kind: 'string', describe: 'web map tile URL template ({z}/{x}/{y}), or "none" for the offline drawing (default OpenStreetMap)' },
  'twilio-account-sid': { kind: 'string', describe: 'Twilio account SID (AC…): with --twilio-auth-token and --twilio-from, alerts go out by SMS' },
  'twilio-from': { kind: 'string', describe: 'number (E.164) or Messaging Service SID (MG…) alert texts are sent from' },
  'twilio-api-url': { kind: 'string', describe: 'Twilio REST API base URL (default https://api.twilio.com)' },
  'alert-webhook-url': { kind: 'string', describe: 'URL that alerts set through the HTTP API are POSTed to (JSON, HMAC-signed)' },
  'alert-webhook-secret': { kind: 'string', describe: 'shared secret for the alert webhook signature (required with --alert-webhook-url)' },
  'alert-daily-limit': { kind: 'number', describe: 'most alerts sent to one person per day (default 10)' },
  'alert-quiet-hours': { kind: 'string', describe: 'local hours recurring alerts are held back, e.g. 22:00-07:00 (default), or "none"' },
  'redis-url': { kind: 'string', describe: 'Redis URL for shared sessions and snapshots across processes' },
  'log-level': { kind: 'string', describe: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  json: { kind: 'boolean', describe: 'ask: print the answer object as JSON' },
  split: { kind: 'string', describe: 'eval: which half of the set, split by station: tune|held-out|all (default all)' },
  plot: { kind: 'string', describe: 'eval: write the reliability diagram (confidence → share right) as SVG to this file' },
  batch: { kind: 'boolean', describe: 'ask: one message per stdin line, one JSON answer per line' },
  help: { kind: 'boolean', describe: 'show help' },
  'gbfs-schemas': { kind: 'string', describe: 'folder with the official GBFS JSON Schemas (v1.0, v2.3, v3.0) every GBFS document is checked against (default: the ones shipped in data/gbfs-schemas; "none" turns the check off)' },
  'catalogue-url': { kind: 'string', describe: 'systems update: where to fetch the GBFS systems catalogue (default MobilityData\'s systems.csv on GitHub)' },
  // rehearse
  replicas: { kind: 'number', describe: 'rehearse: how many replicas to start (default: the scenario\'s)' },
  out: { kind: 'string', describe: 'rehearse: where to write the HTML report (default rehearse-report.html)' },
  questions: { kind: 'string', describe: 'rehearse: questions to ask, a .jsonl with "utterance" or one per line (default ../shared/eval/dev.jsonl, else the bundled list)' },
  // replay-server
  from: { kind: 'string', describe: 'replay-server: BikePoint JSON file, or a folder with stations.csv + occupancy/*.csv, or a GBFS folder' },
  gbfs: { kind: 'list', describe: 'replay-server: GBFS system folders to serve too (repeatable)' },
  speed: { kind: 'number', describe: 'replay-server: how many times faster than real time the snapshots advance (default 1)' },
  'start-at': { kind: 'string', describe: 'replay-server: replay time to start at (ISO), default the first snapshot' },
  'max-age': { kind: 'number', describe: 'replay-server: Cache-Control max-age to send, seconds (default 30)' },
  'error-rate': { kind: 'number', describe: 'replay-server: share of requests answered 500 (0..1)' },
  'latency-ms': { kind: 'number', describe: 'replay-server: added latency per request' },
  'timeout-rate': { kind: 'number', describe: 'replay-server: share of requests never answered' },
  'truncate-rate': { kind: 'number', describe: 'replay-server: share of bodies cut short' },
  'malformed-rate': { kind: 'number', describe: 'replay-server: share of bodies that are not JSON' },
  'rate-limit-rate': { kind: 'number', describe: 'replay-server: share of requests answered 429' },
  'retry-after': { kind: 'number', describe: 'replay-server: Retry-After seconds sent with 429 (default 30)' },
} as const satisfies Record<string, OptionSpec>;

type Flag = keyof typeof OPTIONS;

function envName(flag: string): string {
  return 'BIKEBOT_' + flag.toUpperCase().replace(/-/g, '_');
}

const num = (min: number, max: number) => z.number().finite().min(min).max(max);
const url = z.string().url();

const ConfigSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  dataDir: z.string().min(1),
  configFile: z.string().nullable(),
  tflUrl: url,
  tflAppKey: z.string().nullable(),
  snapshotFile: z.string().nullable(),
  pollIntervalS: num(30, 86_400),
  /** Test/rehearsal-only override of the poll interval (no 30 s floor); null in production. */
  pollIntervalMs: num(100, 86_400_000).nullable(),
  requestTimeoutS: num(1, 300),
  staleAfterS: num(30, 86_400 * 7),
  sessionTtlS: num(10, 86_400 * 7),
  feedMaxBytes: num(1024, 1024 ** 3),
  maxPerHost: z.number().int().min(1).max(64),
  suspectStationLoss: num(0, 1),
  suspectBadCounts: num(0, 1),
  degradedAfterS: num(1, 86_400 * 365),
  notReadyAfterS: num(1, 86_400 * 365 * 10),
  maxEventLoopDelayMs: num(0, 60_000),
  maxQueueDelayMs: num(0, 60_000),
  maxQueueDelayImpatientMs: num(0, 60_000),
  maxInFlight: z.number().int().min(1).max(100_000),
  chatRateLimit: z.number().int().min(0).max(1_000_000),
  trustProxy: z.boolean(),
  gazetteer: z.array(z.string().min(1)),
  geocoders: z.array(z.enum(['tfl', 'postcodes', 'nominatim', 'photon'])),
  geocoderUrls: z.object({ tfl: url, postcodes: url, nominatim: url, photon: url }),
  /** null: the command's own default (serve: "::" and 8080; replay-server: 127.0.0.1 and 8081). */
  host: z.string().min(1).nullable(),
  port: z.number().int().min(0).max(65535).nullable(),
  publicUrl: url.nullable(),
  twilioAuthToken: z.string().nullable(),
  /** null: Twilio's default voice. */
  twilioVoice: z.string().regex(/^[A-Za-z0-9._-]+$/).nullable(),
  twilioLanguage: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  /** null: generate one and keep it in the store, so the opt-out list survives restarts and token rotation. */
  serverSecret: z.string().min(16).nullable(),
  /** null: the offline drawing only. */
  mapTiles: z.string().regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'a tile URL template with {z}, {x} and {y}').nullable(),
  twilioAccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits').nullable(),
  twilioFrom: z.string().min(3).nullable(),
  twilioApiUrl: url,
  alertWebhookUrl: url.nullable(),
  alertWebhookSecret: z.string().min(16, 'must be at least 16 characters').nullable(),
  alertDailyLimit: z.number().int().min(1).max(1000),
  alertQuietHours: z.object({ fromMin: z.number().int().min(0).max(1440), toMin: z.number().int().min(0).max(1440) }).nullable(),
  redisUrl: z.string().nullable(),
  redisPrefix: z.string().min(1).max(100),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  json: z.boolean(),
  evalSplit: z.enum(['tune', 'held-out', 'all']),
  plotFile: z.string().nullable(),
  batch: z.boolean(),
  help: z.boolean(),
  gbfsSchemas: z.string().nullable(),
  catalogueUrl: url,
  rehearse: z.object({
    replicas: z.number().int().min(1).max(8).nullable(),
    out: z.string().min(1),
    questions: z.string().nullable(),
  }),
  replay: z.object({
    from: z.string().nullable(),
    gbfs: z.array(z.string()),
    speed: num(0.001, 1_000_000),
    startAt: z.string().nullable(),
    maxAgeS: num(0, 86_400),
    errorRate: num(0, 1),
    latencyMs: num(0, 600_000),
    timeoutRate: num(0, 1),
    truncateRate: num(0, 1),
    malformedRate: num(0, 1),
    rateLimitRate: num(0, 1),
    retryAfterS: num(0, 86_400),
  }),
});

export type Config = z.infer<typeof ConfigSchema>;

/** The poll interval in ms: the test/rehearsal override when given, else --poll-interval. */
export function pollIntervalMs(cfg: Pick<Config, 'pollIntervalS' | 'pollIntervalMs'>): number {
  return cfg.pollIntervalMs ?? cfg.pollIntervalS * 1000;
}

export interface ConfigSources {
  argv: string[];
  env: Record<string, string | undefined>;
}

/** "a, b,,c" → ["a", "b", "c"]. */
function commaList(text: string): string[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Parse argv (without node and script) and env into a validated Config, or throw CONFIG_INVALID. */
export function loadConfig(src: ConfigSources = { argv: process.argv.slice(2), env: process.env }): Config {
  const parseOptions: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const [flag, spec] of Object.entries(OPTIONS)) {
    parseOptions[flag] = spec.kind === 'boolean' ? { type: 'boolean' } : spec.kind === 'list' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: src.argv, options: parseOptions, allowPositionals: true, strict: true });
  } catch (e) {
    throw new BikeBotError('CONFIG_INVALID', (e as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const problems: string[] = [];

  const raw = (flag: Flag): string | boolean | string[] | undefined => {
    if (values[flag] !== undefined) return values[flag];
    const e = src.env[envName(flag)];
    if (e === undefined || e === '') return undefined;
    const spec: OptionSpec = OPTIONS[flag];
    if (spec.kind === 'boolean') return /^(1|true|yes|on)$/i.test(e);
    if (spec.kind === 'list') return commaList(e);
    return e;
  };
  const str = (flag: Flag): string | null => {
    const v = raw(flag);
    return typeof v === 'string' ? v : null;
  };
  const number = (flag: Flag, dflt: number): number => {
    const v = raw(flag);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
      problems.push(`--${flag} / ${envName(flag)}: "${String(v)}" is not a number`);
      return dflt;
    }
    return n;
  };
  const bool = (flag: Flag): boolean => raw(flag) === true;
  const list = (flag: Flag): string[] => {
    const v = raw(flag);
    return Array.isArray(v) ? v.flatMap(commaList) : [];
  };

  /** A base URL without its trailing slashes, so paths can be appended. */
  const baseUrl = (flag: Flag, dflt: string): string => (str(flag) ?? dflt).replace(/\/+$/, '');

  const xdg = src.env.XDG_DATA_HOME && src.env.XDG_DATA_HOME.startsWith('/') ? src.env.XDG_DATA_HOME : join(src.env.HOME ?? homedir(), '.local', 'share');
  const tflUrl = baseUrl('tfl-url', 'https://api.tfl.gov.uk');
  const geocodersRaw = str('geocoders');
  const geocoders = !geocodersRaw || geocodersRaw === 'none' ? [] : commaList(geocodersRaw);
  const [command = 'help', ...args] = parsed.positionals;

  const candidate = {
    command,
    args,
    dataDir: str('data-dir') ?? join(xdg, 'bikebot'),
    configFile: str('config'),
    tflUrl,
    tflAppKey: str('tfl-app-key'),
    snapshotFile: str('snapshot'),
    pollIntervalS: number('poll-interval', 60),
    pollIntervalMs: raw('poll-interval-ms') === undefined ? null : number('poll-interval-ms', 0),
    requestTimeoutS: number('request-timeout', 15),
    staleAfterS: number('stale-after', 900),
    sessionTtlS: number('session-ttl', 900),
    feedMaxBytes: number('feed-max-bytes', 32 * 1024 * 1024),
    maxPerHost: number('max-per-host', 4),
    suspectStationLoss: number('suspect-station-loss', 0.1),
    suspectBadCounts: number('suspect-bad-counts', 0.5),
    degradedAfterS: number('degraded-after', number('stale-after', 900)),
    notReadyAfterS: number('not-ready-after', 10_800),
    maxEventLoopDelayMs: number('max-event-loop-delay', 1000),
    maxQueueDelayMs: number('max-queue-delay', 10),
    maxQueueDelayImpatientMs: number('max-queue-delay-impatient', 1),
    maxInFlight: number('max-in-flight', 64),
    chatRateLimit: number('chat-rate-limit', 60),
    trustProxy: bool('trust-proxy'),
    gazetteer: list('gazetteer'),
    geocoders,
    geocoderUrls: {
      tfl: baseUrl('geocoder-tfl-url', tflUrl),
      postcodes: baseUrl('geocoder-postcodes-url', 'https://api.postcodes.io'),
      nominatim: baseUrl('geocoder-nominatim-url', 'https://nominatim.openstreetmap.org'),
      photon: baseUrl('geocoder-photon-url', 'https://photon.komoot.io'),
    },
    host: str('host'),
    port: raw('port') === undefined ? null : number('port', 0),
    publicUrl: str('public-url'),
    twilioAuthToken: str('twilio-auth-token'),
    twilioVoice: str('twilio-voice'),
    twilioLanguage: str('twilio-language') ?? 'en-GB',
    serverSecret: str('server-secret'),
    mapTiles: str('map-tiles') === 'none' ? null : (str('map-tiles') ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    twilioAccountSid: str('twilio-account-sid'),
    twilioFrom: str('twilio-from'),
    twilioApiUrl: baseUrl('twilio-api-url', 'https://api.twilio.com'),
    alertWebhookUrl: str('alert-webhook-url'),
    alertWebhookSecret: str('alert-webhook-secret'),
    alertDailyLimit: number('alert-daily-limit', 10),
    alertQuietHours: quietHours(str('alert-quiet-hours') ?? '22:00-07:00', problems),
    redisUrl: str('redis-url'),
    redisPrefix: str('redis-prefix') ?? 'bikebot:',
    logLevel: str('log-level') ?? 'info',
    json: bool('json'),
    evalSplit: (str('split') ?? 'all') as 'tune' | 'held-out' | 'all',
    plotFile: str('plot'),
    batch: bool('batch'),
    help: bool('help'),
    gbfsSchemas: str('gbfs-schemas'),
    catalogueUrl: str('catalogue-url') ?? 'https://raw.githubusercontent.com/MobilityData/gbfs/master/systems.csv',
    rehearse: {
      replicas: raw('replicas') === undefined ? null : number('replicas', 2),
      out: str('out') ?? 'rehearse-report.html',
      questions: str('questions'),
    },
    replay: {
      from: str('from'),
      gbfs: list('gbfs'),
      speed: number('speed', 1),
      startAt: str('start-at'),
      maxAgeS: number('max-age', 30),
      errorRate: number('error-rate', 0),
      latencyMs: number('latency-ms', 0),
      timeoutRate: number('timeout-rate', 0),
      truncateRate: number('truncate-rate', 0),
      malformedRate: number('malformed-rate', 0),
      rateLimitRate: number('rate-limit-rate', 0),
      retryAfterS: number('retry-after', 30),
    },
  };
  const result = ConfigSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${describePath(issue.path)}: ${issue.message}`);
  }
  if (result.success && result.data.alertWebhookUrl && !result.data.alertWebhookSecret) problems.push('--alert-webhook-url needs --alert-webhook-secret / BIKEBOT_ALERT_WEBHOOK_SECRET (alerts are signed)');
  if (problems.length > 0) throw new BikeBotError('CONFIG_INVALID', 'Invalid configuration:\n  ' + problems.join('\n  '));
  return result.data as Config;
}

/** "22:00-07:00", "22-7" → local minutes; "none" → null. */
function quietHours(text: string, problems: string[]): { fromMin: number; toMin: number } | null {
  if (/^(none|off|no)$/i.test(text.trim())) return null;
  const m = /^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$/.exec(text);
  const toMin = (h: string, mm: string | undefined) => Number(h) * 60 + Number(mm ?? 0);
  if (!m || Number(m[1]) > 24 || Number(m[3]) > 24 || Number(m[2] ?? 0) > 59 || Number(m[4] ?? 0) > 59) {
    problems.push(`--alert-quiet-hours / BIKEBOT_ALERT_QUIET_HOURS: "${text}" is not like 22:00-07:00 or "none"`);
    return null;
  }
  return { fromMin: toMin(m[1], m[2]), toMin: toMin(m[3], m[4]) };
}

const PATH_TO_FLAG: Record<string, string> = {
  pollIntervalS: 'poll-interval',
  pollIntervalMs: 'poll-interval-ms',
  requestTimeoutS: 'request-timeout',
  staleAfterS: 'stale-after',
  sessionTtlS: 'session-ttl',
  tflUrl: 'tfl-url',
  publicUrl: 'public-url',
  logLevel: 'log-level',
  evalSplit: 'split',
  plotFile: 'plot',
  maxQueueDelayMs: 'max-queue-delay',
  maxQueueDelayImpatientMs: 'max-queue-delay-impatient',
};

function describePath(path: (string | number)[]): string {
  const key = String(path[path.length - 1]);
  const flag = PATH_TO_FLAG[key] ?? key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  return `--${flag} / ${envName(flag)}`;
}

export function optionsHelp(): string {
  return Object.entries(OPTIONS)
    .map(([flag, spec]) => `  --${flag.padEnd(24)} ${spec.describe}  [${envName(flag)}]`)
    .join('\n');
}

/** For hosts that pass no argv (AWS Lambda): the command is given, options come from BIKEBOT_* variables. */
export function loadConfigFromEnv(command: string): Config {
  return loadConfig({ argv: [command], env: process.env });
}
