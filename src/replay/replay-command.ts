import type { Config } from '../config.js';
import { BikeBotError } from '../domain/errors.js';
import type { ReplayRoute } from './replay-route.js';
import { startReplayServer, type ReplayServer } from './replay-server.js';

export type ReplayCommandConfig = Config['replay'] & { host: string; port: number };

/** Builds the GBFS routes for `--gbfs` folders; supplied by the GBFS replay module. */
export type GbfsRoutesFactory = (folders: string[]) => ReplayRoute[] | Promise<ReplayRoute[]>;

/** `bikebot replay-server`: start serving and say where. The caller closes it on SIGINT/SIGTERM. */
export async function runReplayServerCommand(cfg: ReplayCommandConfig, log: (line: string) => void, gbfsRoutes?: GbfsRoutesFactory): Promise<ReplayServer> {
  if (!cfg.from && cfg.gbfs.length === 0) {
    throw new BikeBotError('CONFIG_INVALID', 'replay-server needs --from <BikePoint JSON file | tfl folder> and/or --gbfs <folder>');
  }
  if (cfg.gbfs.length > 0 && !gbfsRoutes) throw new BikeBotError('CONFIG_INVALID', '--gbfs is not supported by this build of the replay server');
  const routes = cfg.gbfs.length > 0 && gbfsRoutes ? await gbfsRoutes(cfg.gbfs) : [];
  const server = await startReplayServer({
    host: cfg.host,
    port: cfg.port,
    source: cfg.from,
    routes,
    speed: cfg.speed,
    startAt: cfg.startAt,
    maxAgeS: cfg.maxAgeS,
    faults: {
      errorRate: cfg.errorRate,
      latencyMs: cfg.latencyMs,
      timeoutRate: cfg.timeoutRate,
      truncateRate: cfg.truncateRate,
      malformedRate: cfg.malformedRate,
      rateLimitRate: cfg.rateLimitRate,
      retryAfterS: cfg.retryAfterS,
    },
  });
  const t = server.replayTime().toISOString();
  log(`replay server listening on ${server.url} (replay time ${t}, speed ×${cfg.speed}, max-age ${cfg.maxAgeS} s)`);
  if (cfg.from) log(`  TfL: ${server.url}/BikePoint  — use --tfl-url ${server.url}`);
  log(`  control: GET ${server.url}/__replay/stats, POST ${server.url}/__replay/faults`);
  return server;
}
