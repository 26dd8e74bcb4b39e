/** A bare HTTP server on loopback serving documents by path, for GBFS feeds and catalogues whose URLs must point back at it. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Path → document (JSON, or a string sent as text), built once the server knows its own URL. */
export type Docs = (base: string) => Record<string, unknown>;

export async function gbfsServer(docs: Docs): Promise<{ url: string; hits: string[]; close: () => Promise<void>; server: Server }> {
  const hits: string[] = [];
  let files: Record<string, unknown> = {};
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    hits.push(path);
    const doc = files[path];
    if (doc === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (typeof doc === 'string') res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(doc);
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  files = docs(url);
  return { url, hits, server, close: () => new Promise((r) => server.close(() => r())) };
}
