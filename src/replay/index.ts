export { startReplayServer, type ReplayServer, type ReplayServerOptions, type ReplayStats } from './replay-server.js';
export { runReplayServerCommand, type ReplayCommandConfig, type GbfsRoutesFactory } from './replay-command.js';
export type { ReplayRoute, ReplayRequest, ReplayResponse, ReplayHandler } from './replay-route.js';
export { NO_FAULTS, seededRandom, type Faults } from './faults.js';
