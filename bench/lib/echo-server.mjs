/**
 * The reference for bench/http.ts: a bare Fastify server that parses a JSON body
 * and sends it back, with no logger, no hooks and no work. Whatever BikeBot costs
 * beyond this is ours. Run as its own process, like the server it is compared with:
 *
 *   node bench/lib/echo-server.mjs <port>   (plain JavaScript: no transpiler in its start-up)
 */
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.post('/echo', async (req) => req.body);
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
