import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhookSignature } from '../../src/alerts/webhook-sender.js';
import { ACCOUNT_SID, chat, openSse, startAlertStack, textBot, TIMES as T, until, WEBHOOK_SECRET } from './helpers.js';

const PHONE = '+447700900123';
const DEVICE = 'device-token-abcdefghijklmnop';
const API_CLIENT = 'integration-0123456789abcd';

test('a count change at the replay server sends exactly one SMS, one web event and one signed webhook, with the feed time', async () => {
  const s = await startAlertStack();
  const { base, fake, hook } = s;
  try {
    // Phillimore Gardens has 5 bikes at t0, 6 at t1 and 30 at t2.
    const sms = await textBot(base, PHONE, 'text me when there are 20 bikes at Phillimore Gardens');
    assert.match(sms, /^OK: I'll text you when there are 20 bikes or more at Phillimore Gardens, Kensington until \d\d:\d\d \(alert 1\)\. I keep your number/);
    const web = await chat(base, 'tell me when there are 20 bikes at Phillimore Gardens', DEVICE, true);
    assert.equal(web.intent, 'alert');
    assert.match(web.reply, /^OK: I'll tell you when there are 20 bikes or more at Phillimore Gardens/);
    const api = await chat(base, 'notify me when there are 20 bikes at Phillimore Gardens', API_CLIENT, false);
    assert.match(api.reply, /^OK: I'll notify you/);
    const stream = await openSse(`${base}/api/alerts/stream?device=${DEVICE}`);

    await s.pollAt(T[1]);
    assert.equal(fake.sent.length, 0, '6 bikes is not 20');
    await s.pollAt(T[2]);
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
    await s.pollAt(T[1]);
    await s.pollAt(T[2]);
    assert.equal(fake.sent.length, 1);
    assert.equal(stream.events.length, 1);
    assert.equal(hook.received.length, 1);
    assert.match(await textBot(base, PHONE, 'my alerts'), /no alerts/);
    stream.close();
  } finally {
    await s.close();
  }
});

test('Twilio faults are retried with back-off; the text arrives once', async () => {
  const s = await startAlertStack();
  try {
    assert.match(await textBot(s.base, PHONE, 'text me when there are 20 bikes at Phillimore Gardens'), /^OK/);
    s.fake.fail(1, 503);
    await s.pollAt(T[1]);
    await s.pollAt(T[2]);
    // First attempt refused (503), second after ~2 s of back-off.
    await s.fake.waitFor(1, 15_000);
    assert.equal(s.fake.sent.length, 1);
    assert.ok(s.fake.requests >= 2, 'it was tried again');
  } finally {
    await s.close();
  }
});
