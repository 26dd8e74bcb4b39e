import './route-config.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

export interface WebStaticOptions {
  /** Folder holding index.html and its assets; default: the package's public/. */
  publicDir?: string;
  /** Map tile URL template ({z}/{x}/{y}); null or absent: the offline drawing only. */
  mapTiles?: string | null;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

/** What the page needs to know about the map, served as /web-config.json. */
export interface WebConfig {
  tiles: string | null;
  attribution: string;
}

/** The map library, served by us from node_modules: no CDN, one version, the one npm installed. */
const VENDOR: Record<string, { module: string; type: string }> = {
  'leaflet.js': { module: 'leaflet/dist/leaflet.js', type: 'text/javascript; charset=utf-8' },
  'leaflet.css': { module: 'leaflet/dist/leaflet.css', type: 'text/css; charset=utf-8' },
};

function readVendor(): Map<string, { body: Buffer; type: string }> {
  const require = createRequire(import.meta.url);
  const out = new Map<string, { body: Buffer; type: string }>();
  for (const [name, v] of Object.entries(VENDOR)) {
    try {
      out.set(name, { body: readFileSync(require.resolve(v.module)), type: v.type });
    } catch {
      // Without Leaflet installed the page falls back to its own drawing.
    }
  }
  return out;
}

/** The policy, opened to the tile server's origin only when tiles are configured. */
export function contentSecurityPolicy(tiles: string | null): string {
  // "https://{s}.tile.example.org/…" → "https://*.tile.example.org": every subdomain the template uses.
  const m = tiles ? /^(https?:\/\/)([^/]+)/.exec(tiles) : null;
  const tileOrigin = m ? ` ${m[1]}${m[2].replace('{s}', '*')}` : '';
  return `default-src 'self'; img-src 'self' data:${tileOrigin}; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;
}

/** Works from src/channels (tsx) and dist/channels (built): walk up to the folder holding public/. */
export function defaultPublicDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'public');
}

/**
 * Serves the web chat page. The files are few and small, so they are read once at
 * start-up and only those names are ever served: no path from a request reaches the
 * file system.
 */
export const webStaticPlugin: FastifyPluginAsync<WebStaticOptions> = async (app, opts) => {
  const dir = opts.publicDir ?? defaultPublicDir();
  const tiles = opts.mapTiles ?? null;
  const csp = contentSecurityPolicy(tiles);
  const config: WebConfig = { tiles, attribution: tiles && /openstreetmap\.org/.test(tiles) ? '© OpenStreetMap contributors' : tiles ? 'Map tiles: ' + (/^https?:\/\/([^/]+)/.exec(tiles)?.[1] ?? '') : '' };
  app.get('/web-config.json', { config: { channel: 'web' }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return config;
  });
  for (const [name, file] of readVendor()) {
    app.get(`/vendor/${name}`, { config: { channel: 'web' }, schema: { hide: true } }, async (_req, reply) => {
      reply.header('content-type', file.type);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'public, max-age=86400');
      return reply.send(file.body);
    });
  }
  const files = new Map<string, { body: Buffer; type: string }>();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type && /^[a-z0-9][a-z0-9._-]*$/i.test(name)) files.set(name, { body: readFileSync(join(dir, name)), type });
    }
  }
  for (const [name, file] of files) {
    const path = name === 'index.html' ? '/' : `/${name}`;
    const schema = { summary: name === 'index.html' ? 'The web chat page' : `Web chat asset ${name}`, tags: ['web'], response: { 200: { description: name, content: { [file.type.split(';')[0]]: { schema: { type: 'string' } } } } } };
    app.get(path, { config: { channel: 'web' }, schema }, async (_req, reply) => {
      reply.header('content-type', file.type);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', name === 'index.html' ? 'no-cache' : 'public, max-age=300');
      if (file.type.startsWith('text/html')) {
        reply.header('content-security-policy', csp);
        reply.header('referrer-policy', 'no-referrer');
      }
      return reply.send(file.body);
    });
  }
};
