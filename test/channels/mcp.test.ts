/**
 * The MCP tools through the SDK's own client, over both transports: stdio
 * (`bikebot mcp` as an assistant spawns it) and Streamable HTTP (`serve`'s /mcp).
 * The client checks every structured result against the tool's output schema.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { loadConfig } from '../../src/config.js';
import { buildServedApp, type ServedApp } from '../../src/serve.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { place } from '../feeds/tfl-fixture.js';
import { spawnMcpClient } from '../helpers/mcp-client.js';

const OBSERVED = '2026-03-02T08:15:00.000Z';
const base = { TerminalName: '001', Installed: 'true', Locked: 'false', InstallDate: '', RemovalDate: '', Temporary: 'false' };
const station = (n: number, name: string, lat: number, lon: number, bikes: number, empty: number, docks: number) =>
  place({ id: `BikePoints_${n}`, name, lat, lon, modified: OBSERVED, props: { ...base, NbBikes: String(bikes), NbEmptyDocks: String(empty), NbDocks: String(docks), NbStandardBikes: String(bikes), NbEBikes: '0' } });
const SNAPSHOT = [
  station(1, 'River Street , Clerkenwell', 51.529163, -0.10997, 5, 31, 37),
  station(154, 'Waterloo Station 3, Waterloo', 51.503791, -0.112824, 0, 34, 36),
  station(361, 'Waterloo Station 2, Waterloo', 51.503186, -0.113864, 12, 40, 55),
  station(374, 'Waterloo Station 1, Waterloo', 51.504027, -0.113864, 28, 3, 31),
  station(2, 'Phillimore Gardens, Kensington', 51.499606, -0.197574, 10, 26, 37),
];

interface TurnOut {
  conversationId: string;
  observedAt: string | null;
  stale: boolean;
  answer: { intent: string; stations: Array<{ id: string; bikes: number | null; emptyDocks: number | null; asOf: string | null; distanceM: number | null }>; options: Array<{ id: string; name: string }>; reply: string };
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<TurnOut> {
  const r = await client.callTool({ name, arguments: args });
  assert.notEqual(r.isError, true, JSON.stringify(r.content));
  return r.structuredContent as unknown as TurnOut;
}

/** The same checks over either transport. */
async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  assert.deepEqual(names, ['nearest', 'station_status', 'systems']);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, 'object');
    assert.equal(t.outputSchema?.type, 'object', `${t.name} has an output schema`);
  }

  const r = await call(client, 'station_status', { name: 'river st clerkenwell', want: 'bikes' });
  assert.equal(r.answer.intent, 'station_status');
  assert.equal(r.answer.stations[0].id, 'BikePoints_1');
  assert.equal(r.answer.stations[0].bikes, 5);
  assert.equal(r.answer.stations[0].emptyDocks, 31);
  assert.equal(r.observedAt, OBSERVED, 'the observation time upstream, not the fetch time');
  assert.equal(r.answer.stations[0].asOf, OBSERVED);
  assert.equal(r.stale, true, 'counts from the past are said to be stale');

  // Ambiguous: options, then a pick by number in the same conversation.
  const amb = await call(client, 'station_status', { name: 'waterloo station' });
  assert.ok(amb.answer.options.length >= 3, amb.answer.reply);
  assert.equal(amb.answer.stations.length, 0);
  const pick = await call(client, 'station_status', { name: '2', conversationId: amb.conversationId });
  assert.equal(pick.answer.stations[0].id, amb.answer.options[1].id);
  assert.equal(pick.conversationId, amb.conversationId);

  const near = await call(client, 'nearest', { lat: 51.5036, lon: -0.1135, want: 'bikes' });
  assert.equal(near.answer.intent, 'nearest');
  assert.ok(near.answer.stations.length >= 1);
  assert.ok(near.answer.stations.every((s) => (s.bikes ?? 0) > 0), 'only stations with bikes');
  assert.ok(near.answer.stations[0].id === 'BikePoints_361' || near.answer.stations[0].id === 'BikePoints_374');
  assert.equal(near.observedAt, OBSERVED);

  const bad = await client.callTool({ name: 'nearest', arguments: { lat: 51.5 } });
  assert.equal(bad.isError, true);

  const sys = (await client.callTool({ name: 'systems', arguments: {} })).structuredContent as { systems: Array<{ id: string; stations: number; observedAt: string | null }> };
  assert.deepEqual(sys.systems.map((s) => [s.id, s.stations, s.observedAt]), [['tfl', 5, OBSERVED]]);
}

describe('MCP', () => {
  let dir: string;
  let snapshot: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bikebot-mcp-'));
    snapshot = join(dir, 'bikepoint.json');
    writeFileSync(snapshot, JSON.stringify(SNAPSHOT));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('stdio: `bikebot mcp --snapshot` answers the SDK client', async () => {
    const client = await spawnMcpClient(['--snapshot', snapshot, '--data-dir', join(dir, 'data')]);
    try {
      assert.equal(client.getServerVersion()?.name, 'bikebot');
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  describe('Streamable HTTP: serve exposes /mcp', () => {
    let served: ServedApp;
    let server: RunningServer;
    before(async () => {
      // Event-loop shedding off: a loaded CI machine lags the loop, and these tests are about answers, not overload.
      const cfg = loadConfig({ argv: ['serve', '--snapshot', snapshot, '--data-dir', join(dir, 'data'), '--log-level', 'silent', '--max-event-loop-delay', '0'], env: {} });
      served = await buildServedApp(cfg, { processMetrics: false });
      server = await startServer(served.app, { host: '127.0.0.1', port: 0 });
    });
    after(async () => {
      await server.close();
      await served.core.close();
    });

    test('the SDK client lists the tools and gets correct answers', async () => {
      const client = new Client({ name: 'bikebot-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      try {
        await exercise(client);
      } finally {
        await client.close();
      }
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /bikebot_http_requests_total\{channel="mcp",status="200"\} \d+/);
      assert.match(metrics, /bikebot_messages_total\{channel="mcp",intent="station_status"\} 3/);
    });

    test('many calls do not leak the overload guard (hijacked replies are counted out)', async () => {
      const client = new Client({ name: 'bikebot-test', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      try {
        // More calls than the default 64 requests in flight: each must be released when answered.
        for (let i = 0; i < 80; i++) await call(client, 'station_status', { name: 'phillimore gardens' });
      } finally {
        await client.close();
      }
    });

    test('GET /mcp is 405 (stateless: no server stream)', async () => {
      const res = await fetch(`${server.url}/mcp`, { headers: { accept: 'text/event-stream' } });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get('allow'), 'POST');
    });
  });
});
