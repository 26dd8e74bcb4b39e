/**
 * The MCP alert tools through the SDK's own client: over Streamable HTTP, an alert
 * made by create_alert is posted once to the signed webhook when the replay server's
 * counts change, with the feed's observation time; over stdio (`bikebot mcp`), an
 * ambiguous station gives options whose ids make the alert, and cancel_alert removes it.
 * Without a webhook the alert tools are not offered (see mcp.test.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { verifyWebhookSignature } from '../../src/alerts/webhook-sender.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { startAlertStack, startHook, TIMES as T, until, WEBHOOK_SECRET, type AlertStack, type Hook } from '../alerts/helpers.js';
import { place } from '../feeds/tfl-fixture.js';
import { spawnMcpClient } from '../helpers/mcp-client.js';

const SUBSCRIBER = 'assistant-user-0123456789';

interface AlertOut {
  number: number;
  stationId: string;
  stationName: string;
  condition: string;
  summary: string;
  recurring: boolean;
  schedule: { days: string[]; from: string; to: string; words: string } | null;
  expiresAt: string | null;
}
interface ChangeOut {
  subscriber: string;
  reply: string;
  created: AlertOut | null;
  cancelled: number[];
  options: Array<{ id: string; name: string }>;
  observedAt: string | null;
  alerts: AlertOut[];
}

async function call<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const r = await client.callTool({ name, arguments: args });
  assert.notEqual(r.isError, true, JSON.stringify(r.content));
  return r.structuredContent as T;
}

describe('MCP alert tools over Streamable HTTP', () => {
  let s: AlertStack;
  before(async () => {
    s = await startAlertStack();
  });
  after(async () => {
    await s.close();
  });

  test('create_alert → the count change is posted once to the signed webhook, with the feed time', async () => {
    const client = new Client({ name: 'bikebot-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${s.base}/mcp`)));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, ['cancel_alert', 'create_alert', 'list_alerts', 'nearest', 'station_status', 'systems']);

      // Phillimore Gardens has 5 bikes at t0, 6 at t1 and 30 at t2.
      const made = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: 'phillimore gardens', when: 'bikes', atLeast: 20 });
      assert.match(made.reply, /^OK: I'll notify you when there are 20 bikes or more at Phillimore Gardens, Kensington until \d\d:\d\d \(alert 1\)\./);
      assert.equal(made.created?.number, 1);
      assert.equal(made.created?.stationId, 'BikePoints_2');
      assert.equal(made.created?.recurring, false);
      assert.ok(made.created?.expiresAt, 'one-shot alerts expire');
      assert.equal(made.observedAt, T[0].toISOString(), 'the counts it was set against, as observed upstream');

      const second = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: 'River Street Clerkenwell', when: 'docks', below: 3, days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '10:00' });
      assert.equal(second.created?.number, 2);
      assert.equal(second.created?.recurring, true, 'days and hours make it recurring');
      assert.deepEqual(second.created?.schedule, { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '10:00', words: 'on weekdays 07:00–10:00' });
      assert.equal(second.created?.condition, 'it drops below 3 free docks');

      const listed = await call<{ alerts: AlertOut[] }>(client, 'list_alerts', { subscriber: SUBSCRIBER });
      assert.deepEqual(listed.alerts.map((a) => [a.number, a.stationId]), [[1, 'BikePoints_2'], [2, 'BikePoints_1']]);
      // Another subscriber sees none of them.
      assert.deepEqual((await call<{ alerts: AlertOut[] }>(client, 'list_alerts', { subscriber: 'someone-else-0123456789' })).alerts, []);

      const gone = await call<ChangeOut>(client, 'cancel_alert', { subscriber: SUBSCRIBER, number: 2 });
      assert.deepEqual(gone.cancelled, [2]);
      assert.deepEqual(gone.alerts.map((a) => a.number), [1]);

      await s.pollAt(T[1]);
      assert.equal(s.hook.received.length, 0, '6 bikes is not 20');
      await s.pollAt(T[2]);
      await until(() => s.hook.received.length >= 1);
      const h = s.hook.received[0];
      assert.ok(verifyWebhookSignature(WEBHOOK_SECRET, String(h.headers['x-bikebot-timestamp']), h.body, String(h.headers['x-bikebot-signature'])));
      const body = JSON.parse(h.body) as { to: string; stationId: string; bikes: number; observedAt: string; ruleNo: number };
      assert.equal(body.to, `mcp:${SUBSCRIBER}`);
      assert.equal(body.stationId, 'BikePoints_2');
      assert.equal(body.bikes, 30);
      assert.equal(body.ruleNo, 1);
      assert.equal(body.observedAt, T[2].toISOString(), 'the feed time, not ours');

      // Replaying the change sends nothing more; the one-shot alert is done.
      await s.pollAt(T[1]);
      await s.pollAt(T[2]);
      assert.equal(s.hook.received.length, 1);
      assert.deepEqual((await call<{ alerts: AlertOut[] }>(client, 'list_alerts', { subscriber: SUBSCRIBER })).alerts, []);
    } finally {
      await client.close();
    }
  });

  test('arguments that describe no alert are refused as tool errors', async () => {
    const client = new Client({ name: 'bikebot-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${s.base}/mcp`)));
    try {
      const both = await client.callTool({ name: 'create_alert', arguments: { subscriber: SUBSCRIBER, station: 'phillimore gardens', when: 'bikes', atLeast: 2, below: 5 } });
      assert.equal(both.isError, true);
      const closes = await client.callTool({ name: 'create_alert', arguments: { subscriber: SUBSCRIBER, station: 'phillimore gardens', when: 'closes', atLeast: 2 } });
      assert.equal(closes.isError, true);
      const short = await client.callTool({ name: 'list_alerts', arguments: { subscriber: 'short' } });
      assert.equal(short.isError, true, 'a guessable subscriber id is refused');
      const neither = await client.callTool({ name: 'cancel_alert', arguments: { subscriber: SUBSCRIBER } });
      assert.equal(neither.isError, true);
      const unknown = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: 'zzyzx qwerty plaza', when: 'docks' });
      assert.equal(unknown.created, null);
      assert.match(unknown.reply, /couldn't find a station/);
    } finally {
      await client.close();
    }
  });
});

describe('MCP alert tools over stdio', () => {
  const OBSERVED = '2026-03-02T08:15:00.000Z';
  const props = (bikes: number, empty: number, docks: number) => ({ TerminalName: '001', Installed: 'true', Locked: 'false', InstallDate: '', RemovalDate: '', Temporary: 'false', NbBikes: String(bikes), NbEmptyDocks: String(empty), NbDocks: String(docks), NbStandardBikes: String(bikes), NbEBikes: '0' });
  const SNAPSHOT = [
    place({ id: 'BikePoints_154', name: 'Waterloo Station 3, Waterloo', lat: 51.503791, lon: -0.112824, modified: OBSERVED, props: props(0, 34, 36) }),
    place({ id: 'BikePoints_361', name: 'Waterloo Station 2, Waterloo', lat: 51.503186, lon: -0.113864, modified: OBSERVED, props: props(12, 40, 55) }),
    place({ id: 'BikePoints_374', name: 'Waterloo Station 1, Waterloo', lat: 51.504027, lon: -0.113864, modified: OBSERVED, props: props(28, 3, 31) }),
  ];
  let dir: string;
  let hook: Hook;
  let replay: ReplayServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bikebot-mcp-alerts-'));
    writeFileSync(join(dir, 'bikepoint.json'), JSON.stringify(SNAPSHOT));
    hook = await startHook();
    // Alerts need the durable store, which live data has and a --snapshot file does not.
    replay = await startReplayServer({ source: join(dir, 'bikepoint.json') });
  });
  after(async () => {
    await Promise.all([hook.close(), replay.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an ambiguous station gives options; an option id makes the alert; cancel all removes it', async () => {
    const client = await spawnMcpClient(['--tfl-url', replay.url, '--data-dir', join(dir, 'data'), '--alert-webhook-url', hook.url, '--alert-webhook-secret', WEBHOOK_SECRET]);
    try {
      const amb = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: 'waterloo station', when: 'docks' });
      assert.equal(amb.created, null);
      assert.ok(amb.options.length >= 2, amb.reply);
      assert.ok(amb.options.every((o) => /^BikePoints_/.test(o.id)));
      const pick = amb.options.find((o) => o.id === 'BikePoints_374');
      assert.ok(pick, 'Waterloo Station 1 is among the options');

      const made = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: pick.id, when: 'docks', atLeast: 5, recurring: true });
      assert.equal(made.created?.stationId, 'BikePoints_374');
      assert.equal(made.created?.recurring, true);
      assert.equal(made.observedAt, OBSERVED);
      assert.match(made.reply, /I keep your alerts and saved stations/, 'the privacy notice, said once');

      const again = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: 'waterloo station 3', when: 'bikes' });
      assert.equal(again.created?.number, 2);
      assert.doesNotMatch(again.reply, /I keep/, 'the notice is given once');
      const all = await call<ChangeOut>(client, 'cancel_alert', { subscriber: SUBSCRIBER, all: true });
      assert.deepEqual(all.cancelled, [1, 2]);
      assert.deepEqual(all.alerts, []);

      // Forgotten: the numbering and the notice start again, as for someone new.
      const forgot = await call<ChangeOut>(client, 'cancel_alert', { subscriber: SUBSCRIBER, forget: true });
      assert.match(forgot.reply, /deleted everything/);
      const fresh = await call<ChangeOut>(client, 'create_alert', { subscriber: SUBSCRIBER, station: 'BikePoints_154', when: 'bikes' });
      assert.equal(fresh.created?.number, 1);
      assert.match(fresh.reply, /I keep your alerts/);
    } finally {
      await client.close();
    }
  });
});
