/**
 * POST /mcp: MCP's Streamable HTTP transport, stateless. Each request gets its own
 * server and transport (both cheap), so any replica can answer any request; a
 * conversation that continues (picking an option) lives in the shared session
 * store under its conversationId, not in this process.
 */
import './route-config.js';
import type { FastifyPluginAsync } from 'fastify';
import type { McpDeps } from './mcp-server.js';
import { ERROR_BODY_SCHEMA } from './http-errors.js';
import { strictValidatorCompiler } from './strict-input.js';

const JSON_RPC = {
  type: 'object',
  description: 'A JSON-RPC 2.0 message (or batch) of the Model Context Protocol, e.g. initialize, tools/list, tools/call',
  required: ['jsonrpc'],
  additionalProperties: true,
  properties: { jsonrpc: { type: 'string', enum: ['2.0'] }, id: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] }, method: { type: 'string' }, params: { type: 'object', additionalProperties: true } },
} as const;

const NOT_ALLOWED = { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages to it.' }, id: null };

export const mcpHttpPlugin: FastifyPluginAsync<McpDeps> = async (app, deps) => {
  app.post(
    '/mcp',
    {
      config: { channel: 'mcp' },
      // The body as sent, like /api/chat's: Fastify's default compiler would coerce an id of
      // 1.5 into "1.5" (and its own Ajv, meta-schema and formats cost ~80 ms at every start).
      validatorCompiler: strictValidatorCompiler({ onFirstRequest: true }),
      schema: {
        summary: 'Model Context Protocol (Streamable HTTP) for AI assistants',
        description:
          'Tools: station_status, nearest, systems; with an alert webhook configured also create_alert, list_alerts, cancel_alert. Send `Accept: application/json, text/event-stream`. Stateless: no Mcp-Session-Id, and GET /mcp answers 405 (no server-initiated stream).',
        tags: ['mcp'],
        body: { anyOf: [JSON_RPC, { type: 'array', items: JSON_RPC }] },
        response: {
          200: { description: 'JSON-RPC response(s)', type: 'object', additionalProperties: true },
          202: { description: 'Accepted (the message was a notification or a response)', type: 'null' },
          400: ERROR_BODY_SCHEMA,
          406: { description: 'The Accept header does not allow application/json and text/event-stream', type: 'object', additionalProperties: true },
          413: ERROR_BODY_SCHEMA,
          503: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req, reply) => {
      // The MCP SDK (and the zod it brings) loads with the first MCP request, not with every server start.
      const { createMcpServer } = await import('./mcp-server.js');
      const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
      const server = createMcpServer(deps);
      // JSON responses rather than an SSE stream: every tool answers at once.
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      reply.hijack();
      reply.raw.on('close', () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(req.raw, reply.raw, req.body);
      } catch (e) {
        req.log.error({ err: e }, 'mcp request failed');
        if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
      }
    },
  );
  // Clients probe GET for a server-initiated stream; a stateless server has none, and 405 is the spec's way to say so.
  // Described under POST rather than as an operation of its own that never succeeds.
  app.get('/mcp', { config: { channel: 'mcp' }, schema: { hide: true } }, async (_req, reply) => reply.code(405).header('allow', 'POST').send(NOT_ALLOWED));
};
