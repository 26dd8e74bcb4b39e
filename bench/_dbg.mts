import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GbfsRoutes } from '../src/replay/gbfs-routes.js';
import { startReplayServer } from '../src/replay/replay-server.js';
import { loadConfig } from '../src/config.js';
import { buildCore } from '../src/app.js';
const routes = new GbfsRoutes({ folders: ['/work/shared/data/gbfs'] });
const replay = await startReplayServer({ source: '/work/shared/data/tfl/bikepoint-2022-08-01T08-25-10Z.json', routes: [routes] });
const dir = mkdtempSync(join(tmpdir(), 'dbg-'));
const path = join(dir, 'tfl.json');
writeFileSync(path, JSON.stringify({ systems: [{ id: 'tfl', kind: 'tfl', url: replay.url, name: 'Santander Cycles London', timezone: 'Europe/London' }] }));
const cfg = loadConfig({ argv: ['ask', '--config', path, '--tfl-url', replay.url, '--log-level', 'debug'], env: {} });
const t = Date.now();
try { const c = await buildCore(cfg, { mode: 'oneshot' }); console.log('ok', c.live.index()?.size, Date.now() - t); await c.close(); } catch (e) { console.log('ERR', (e as Error).message, Date.now() - t, (e as any).cause); }
await replay.close();
