/**
 * The replay server is pluggable by route: TfL's routes live in tfl-routes.ts, GBFS adds
 * its own (gbfs-*.ts). The server applies faults, validators (ETag/Last-Modified),
 * conditional 304s, Cache-Control and counting to every route alike.
 */
export interface ReplayRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** How the client reached us (http://host:port), for feeds that link to their own files. */
  baseUrl: string;
  /** Replay time now (ms since the epoch): advances `speed` × real time. */
  replayNow: number;
  /** Replay milliseconds since the server started (or since the clock was last set). */
  elapsedMs: number;
}

export interface ReplayResponse {
  status: number;
  body: string;
  /** Default application/json; charset=utf-8. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Validator for a 200; the server hashes the body when absent. */
  etag?: string;
  /** Observation time of the data (ms), sent as Last-Modified and used for If-Modified-Since. */
  lastModified?: number;
  /** Cache-Control max-age; default the server's maxAgeS. */
  maxAgeS?: number;
}

export type ReplayHandler = (req: ReplayRequest) => ReplayResponse | Promise<ReplayResponse>;

export interface ReplayRoute {
  readonly name: string;
  /** The handler for this path, or null when the route does not serve it. */
  match(pathname: string): ReplayHandler | null;
}
