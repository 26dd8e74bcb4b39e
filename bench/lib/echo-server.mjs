/**
 * The references for bench/http.ts: a bare Fastify server with no logger, no hooks and
 * no work. POST /echo parses the JSON body and sends it back; POST /answer parses it
 * and sends one fixed answer, a real /api/chat response given as --answer-file, so its
 * bytes on the wire are those of BikeBot's answers. Whatever BikeBot costs beyond
 * /answer is the work of making an answer; /answer beyond /echo, that of sending one.
 * Run as its own process, like the server it is compared with:
 *
 *   node bench/lib/echo-server.mjs <port> [answer.json]   (plain JavaScript: no transpiler in its start-up)
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const answer = process.argv[3] ? JSON.parse(readFileSync(process.argv[3], 'utf8')) : null;
const app = Fastify({ logger: false });
app.post('/echo', async (req) => req.body);
if (answer) app.post('/answer', async () => answer);
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
