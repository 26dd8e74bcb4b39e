import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentSms {
  accountSid: string;
  to: string;
  from: string | null;
  body: string;
  auth: string | null;
}

/**
 * A stand-in for Twilio's REST API on loopback: records every message created
 * through POST /2010-04-01/Accounts/{sid}/Messages.json and answers as Twilio
 * does; `fail(n, status)` makes the next n requests fail.
 */
export interface FakeTwilio {
  url: string;
  sent: SentSms[];
  requests: number;
  fail(n: number, status?: number): void;
  waitFor(n: number, timeoutMs?: number): Promise<SentSms[]>;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const sent: SentSms[] = [];
  let failures = 0;
  let failStatus = 500;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests++;
      const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(req.url ?? '');
      if (!m || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 20404, message: 'not found', status: 404 }));
        return;
      }
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ code: failStatus === 400 ? 21211 : 20500, message: 'fault injected', status: failStatus }));
        return;
      }
      const form = new URLSearchParams(body);
      sent.push({ accountSid: m[1], to: form.get('To') ?? '', from: form.get('From'), body: form.get('Body') ?? '', auth: req.headers.authorization ?? null });
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        JSON.stringify({ sid: `SM${String(sent.length).padStart(32, '0')}`, account_sid: m[1], to: form.get('To'), from: form.get('From'), body: form.get('Body'), status: 'queued', num_segments: '1', direction: 'outbound-api', date_created: new Date().toUTCString() }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    get requests() {
      return requests;
    },
    fail(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    async waitFor(n, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (sent.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return sent;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
