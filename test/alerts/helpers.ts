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
