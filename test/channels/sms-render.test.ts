import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SenderRateLimit } from '../../src/channels/sender-rate-limit.js';
import { renderSms } from '../../src/channels/twilio-sms.js';
import { smsSegments } from '../../src/dialog/sms.js';
import { senderKey } from '../../src/channels/twilio-common.js';
import type { Answer } from '../../src/domain/answer.js';

const answer = (reply: string, options: string[] = []): Answer => ({ intent: 'station_status', want: 'bikes', reply, stations: [], options: options.map((name, i) => ({ id: String(i), name })), place: null, dataAsOf: null, stale: false });

test('the rate limit window resets after a minute and is per sender', async () => {
  let now = 0;
  const rl = new SenderRateLimit(2, () => now);
  const verdicts = [];
  for (const k of ['a', 'a', 'a', 'a', 'b']) verdicts.push(await rl.take(k));
  assert.deepEqual(verdicts, ['ok', 'ok', 'warn', 'drop', 'ok']);
  now = 59_999;
  assert.equal(await rl.take('a'), 'drop');
  now = 60_000;
  assert.equal(await rl.take('a'), 'ok');
});

test('with a shared counter the limit is counted there; when it fails, locally', async () => {
  const counts = new Map<string, number>();
  let up = true;
  const shared = {
    countInWindow: async (name: string) => {
      if (!up) throw new Error('down');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return { count: counts.get(name)!, resetInMs: 60_000 };
    },
  };
  // Two replicas' limiters over one counter: together they allow the limit once.
  const a = new SenderRateLimit(2, Date.now, shared);
  const b = new SenderRateLimit(2, Date.now, shared);
  assert.deepEqual([await a.take('s'), await b.take('s'), await a.take('s'), await b.take('s')], ['ok', 'ok', 'warn', 'drop']);
  assert.deepEqual([...counts.keys()], ['ratelimit:sms:s']);
  up = false;
  assert.equal(await a.take('t'), 'ok', 'the counter is down: this replica counts alone and answers');
});

test('SMS lists options the reply does not already name, within two segments', () => {
  assert.equal(renderSms(answer('Which one? 1) Foo Street, A 2) Bar Road, B', ['Foo Street, A', 'Bar Road, B'])), 'Which one? 1) Foo Street, A 2) Bar Road, B');
  assert.equal(renderSms(answer('Which one?', ['Foo Street, A', 'Bar Road, B'])), 'Which one?\n1. Foo Street, A\n2. Bar Road, B\nReply with a number.');
  const long = renderSms(answer('Cheapside, Bank: six bikes. '.repeat(40)));
  assert.ok(smsSegments(long) <= 2, `${smsSegments(long)} segments`);
});

test('sender keys are stable, keyed, and reveal nothing of the number', () => {
  const k = senderKey('secret', '+44 7700 900123');
  assert.equal(k, senderKey('secret', '+447700900123'), 'formatting does not split a conversation');
  assert.notEqual(k, senderKey('other-secret', '+447700900123'));
  assert.doesNotMatch(k, /7700|900123/);
  assert.match(k, /^[A-Za-z0-9_-]{22}$/);
});
