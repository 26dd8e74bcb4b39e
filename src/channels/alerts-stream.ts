import './route-config.js';
import type { FastifyPluginAsync } from 'fastify';
import type { SseHub } from '../alerts/sse-hub.js';
import { strictValidatorCompiler } from './strict-input.js';

export interface AlertsStreamOptions {
  hub: SseHub;
  /** Comment frames keep idle proxies from closing the stream (default 25 s). */
  heartbeatMs?: number;
}

/**
 * GET /api/alerts/stream?device=<token>: server-sent events for one browser while
 * its page is open. The device token is 128 random bits kept in the page's
 * localStorage, so it is its own capability, like a conversation id.
 */
export const alertsStreamPlugin: FastifyPluginAsync<AlertsStreamOptions> = async (app, opts) => {
  const beat = setInterval(() => opts.hub.heartbeat(), opts.heartbeatMs ?? 25_000);
  beat.unref();
  const open = new Set<() => void>();
  // Streams never finish on their own: end them so a graceful close does not wait forever.
  app.addHook('preClose', async () => {
    clearInterval(beat);
    for (const end of open) end();
  });
  app.get<{ Querystring: { device: string } }>(
    '/api/alerts/stream',
    {
      // Long-lived: not counted against the in-flight limit of ordinary requests.
      config: { channel: 'ops' },
      // Ours, not Fastify's default: a string needs no coercion, and the default compiler
      // (its own Ajv, meta-schema and formats) would be built for this one route at start-up.
      validatorCompiler: strictValidatorCompiler({ onFirstRequest: true }),
      schema: {
        summary: 'Alerts for one device, as server-sent events (event: alert, data: JSON)',
        tags: ['chat'],
        querystring: { type: 'object', required: ['device'], properties: { device: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,64}$' } } },
        produces: ['text/event-stream'],
      },
    },
    async (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      // The server's idle timeout is for ordinary requests; heartbeats keep this one alive.
      req.raw.socket.setTimeout(0);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 5000\n: connected\n\n');
      const remove = opts.hub.add(req.query.device, { write: (chunk) => void res.write(chunk) });
      const end = () => res.end();
      open.add(end);
      const done = () => {
        remove();
        open.delete(end);
      };
      req.raw.on('close', done);
      res.on('close', done);
    },
  );
};
