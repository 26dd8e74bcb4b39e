import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export const ACCOUNT_SID = 'AC' + '0123456789abcdef'.repeat(2);
export const AUTH_TOKEN = 'alerts-test-auth-token-0123456789';
export const PUBLIC_URL = 'https://bikebot.example.org';
export const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';

/** POST a signed Twilio SMS webhook, as Twilio would; returns the TwiML reply text. */
export async function textBot(baseUrl: string, from: string, body: string): Promise<string> {
  const params = { From: from, To: '+447700900000', Body: body, MessageSid: 'SM' + '0'.repeat(32), AccountSid: ACCOUNT_SID };
  const sig = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + '/twilio/sms', params);
  const res = await fetch(`${baseUrl}/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig }, body: new URLSearchParams(params).toString() });
  const xml = await res.text();
  if (res.status !== 200) throw new Error(`sms webhook ${res.status}: ${xml}`);
  return (/<Message>([\s\S]*?)<\/Message>/.exec(xml)?.[1] ?? '').replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

export async function chat(baseUrl: string, text: string, deviceToken: string, web: boolean): Promise<{ reply: string; intent: string }> {
  const res = await fetch(`${baseUrl}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...(web ? { 'x-bikebot-client': 'web' } : {}) }, body: JSON.stringify({ text, deviceToken }) });
  const j = (await res.json()) as { answer: { reply: string; intent: string } };
  if (res.status !== 200) throw new Error(`chat ${res.status}: ${JSON.stringify(j)}`);
  return j.answer;
}

export interface Hook {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** An integration's webhook receiver on loopback. */
export async function startHook(): Promise<Hook> {
  const received: Hook['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

export interface SseReader {
  events: Array<{ event: string; data: string }>;
  close(): void;
}

/** A browser's EventSource, reduced to what the test needs. */
export function openSse(url: string): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const events: SseReader['events'] = [];
    const req = request(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`sse ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (event && data) events.push({ event, data });
        }
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    req.end();
  });
}

export async function until(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { buildServedApp, type ServedApp } from '../../src/serve.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { FIXTURE_TIMES, makeTflFolder } from '../replay/replay-fixture.js';
import { startFakeTwilio, type FakeTwilio } from './fake-twilio.js';

export const TIMES = FIXTURE_TIMES.map((t) => new Date(t + 'Z'));

export interface AlertStack {
  base: string;
  served: ServedApp;
  replay: ReplayServer;
  fake: FakeTwilio;
  hook: Hook;
  dataDir: string;
  pollAt(at: Date): Promise<void>;
  close(): Promise<void>;
}

/** serve over the replay server's fixture folder, with the Twilio stand-in and a webhook receiver. */
export async function startAlertStack(extraArgs: string[] = []): Promise<AlertStack> {
  const folder = makeTflFolder();
  const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-alerts-'));
  const replay = await startReplayServer({ source: folder.dir, startAt: TIMES[0] });
  const fake = await startFakeTwilio();
  const hook = await startHook();
  const cfg = loadConfig({
    argv: ['serve', '--tfl-url', replay.url, '--data-dir', dataDir, '--log-level', 'silent', '--poll-interval', '30', '--public-url', PUBLIC_URL,
      '--twilio-auth-token', AUTH_TOKEN, '--twilio-account-sid', ACCOUNT_SID, '--twilio-from', '+447700900000', '--twilio-api-url', fake.url,
      '--alert-webhook-url', hook.url, '--alert-webhook-secret', WEBHOOK_SECRET, '--alert-quiet-hours', 'none',
      // Not a test of shedding: a loaded machine's event-loop lag, or a request read late in a
      // turn slowed by it (the MCP client sends its requests together), must not turn one away.
      '--max-event-loop-delay', '0', '--max-queue-delay', '0', ...extraArgs],
    env: {},
  });
  const served = await buildServedApp(cfg, { processMetrics: false });
  await served.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(served.app.server.address() as AddressInfo).port}`;
  await served.core.pollers[0].pollNow();
  return {
    base, served, replay, fake, hook, dataDir,
    async pollAt(at) {
      replay.setReplayTime(at);
      await served.core.pollers[0].pollNow();
      await served.core.alerts!.service.settled();
    },
    async close() {
      await served.app.close();
      await served.core.close();
      await Promise.all([replay.close(), fake.close(), hook.close()]);
      folder.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
