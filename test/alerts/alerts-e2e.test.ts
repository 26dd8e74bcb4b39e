import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { buildServedApp, type ServedApp } from '../../src/serve.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { verifyWebhookSignature } from '../../src/alerts/webhook-sender.js';
import { FIXTURE_TIMES, makeTflFolder } from '../replay/replay-fixture.js';
import { startFakeTwilio } from './fake-twilio.js';
import { ACCOUNT_SID, AUTH_TOKEN, chat, openSse, PUBLIC_URL, startHook, textBot, until, WEBHOOK_SECRET } from './helpers.js';

const T = FIXTURE_TIMES.map((t) => new Date(t + 'Z'));
const PHONE = '+447700900123';
const DEVICE = 'device-token-abcdefghijklmnop';
const API_CLIENT = 'integration-0123456789abcd';

async function pollAt(served: ServedApp, replay: { setReplayTime(d: Date): void }, at: Date): Promise<void> {
  replay.setReplayTime(at);
  await served.core.pollers[0].pollNow();
  // Evaluation is queued behind the snapshot; wait for it and for the outbox to drain.
  await served.core.alerts!.service.settled();
}

test('a count change at the replay server sends exactly one SMS, one web event and one signed webhook, with the feed time', async () => {
  const folder = makeTflFolder();
  const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-alerts-'));
  const replay = await startReplayServer({ source: folder.dir, startAt: T[0] });
  const fake = await startFakeTwilio();
  const hook = await startHook();
  const cfg = loadConfig({
    argv: ['serve', '--tfl-url', replay.url, '--data-dir', dataDir, '--log-level', 'silent', '--poll-interval', '30', '--public-url', PUBLIC_URL,
      '--twilio-auth-token', AUTH_TOKEN, '--twilio-account-sid', ACCOUNT_SID, '--twilio-from', '+447700900000', '--twilio-api-url', fake.url,
      '--alert-webhook-url', hook.url, '--alert-webhook-secret', WEBHOOK_SECRET, '--alert-quiet-hours', 'none'],
    env: {},
  });
  const served = await buildServedApp(cfg, { processMetrics: false });
  await served.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(served.app.server.address() as AddressInfo).port}`;
  try {
    await served.core.pollers[0].pollNow();
    // Phillimore Gardens has 5 bikes at t0, 6 at t1 and 30 at t2.
    const sms = await textBot(base, PHONE, 'text me when there are 20 bikes at Phillimore Gardens');
    assert.match(sms, /^OK: I'll text you when there are 20 bikes or more at Phillimore Gardens, Kensington until \d\d:\d\d \(alert 1\)\. I keep your number/);
    const web = await chat(base, 'tell me when there are 20 bikes at Phillimore Gardens', DEVICE, true);
    assert.equal(web.intent, 'alert');
    assert.match(web.reply, /^OK: I'll tell you when there are 20 bikes or more at Phillimore Gardens/);
    const api = await chat(base, 'notify me when there are 20 bikes at Phillimore Gardens', API_CLIENT, false);
    assert.match(api.reply, /^OK: I'll notify you/);
    const stream = await openSse(`${base}/api/alerts/stream?device=${DEVICE}`);

    await pollAt(served, replay, T[1]);
    assert.equal(fake.sent.length, 0, '6 bikes is not 20');
    await pollAt(served, replay, T[2]);
    await fake.waitFor(1);
    await until(() => stream.events.length >= 1 && hook.received.length >= 1);

    assert.equal(fake.sent.length, 1);
    const m = fake.sent[0];
    assert.equal(m.to, PHONE);
    assert.equal(m.from, '+447700900000');
    assert.equal(m.accountSid, ACCOUNT_SID);
    // 09:00 UTC in July is 10:00 in London: the feed's observation time, not ours.
    assert.equal(m.body, 'BikeBot alert: 30 bikes at Phillimore Gardens, Kensington (as of 10:00). This alert is done.');

    const ev = JSON.parse(stream.events[0].data) as { observedAt: string; stationId: string; bikes: number; text: string };
    assert.equal(stream.events[0].event, 'alert');
    assert.equal(ev.observedAt, T[2].toISOString());
    assert.equal(ev.stationId, 'BikePoints_2');
    assert.equal(ev.bikes, 30);

    const h = hook.received[0];
    assert.ok(verifyWebhookSignature(WEBHOOK_SECRET, String(h.headers['x-bikebot-timestamp']), h.body, String(h.headers['x-bikebot-signature'])), 'signed with the shared secret');
    assert.ok(!verifyWebhookSignature('another-secret-0123456789', String(h.headers['x-bikebot-timestamp']), h.body, String(h.headers['x-bikebot-signature'])));
    const body = JSON.parse(h.body) as { observedAt: string; to: string; deliveryId: string };
    assert.equal(body.observedAt, T[2].toISOString());
    assert.equal(body.to, `api:${API_CLIENT}`);
    assert.equal(h.headers['x-bikebot-delivery'], body.deliveryId);

    // The same change again (t1 → t2 replayed): the rules were one-shot and are gone, nothing more is sent.
    await pollAt(served, replay, T[1]);
    await pollAt(served, replay, T[2]);
    await served.core.alerts!.service.settled();
    assert.equal(fake.sent.length, 1);
    assert.equal(stream.events.length, 1);
    assert.equal(hook.received.length, 1);
    assert.match(await textBot(base, PHONE, 'my alerts'), /no alerts/);
    stream.close();
  } finally {
    await served.app.close();
    await served.core.close();
    await Promise.all([replay.close(), fake.close(), hook.close()]);
    folder.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
