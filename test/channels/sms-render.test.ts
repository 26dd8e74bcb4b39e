import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SenderRateLimit } from '../../src/channels/sender-rate-limit.js';
import { renderSms } from '../../src/channels/twilio-sms.js';
import { smsSegments } from '../../src/dialog/sms.js';
import { senderKey } from '../../src/channels/twilio-common.js';
import type { Answer } from '../../src/domain/answer.js';

const answer = (reply: string, options: string[] = []): Answer => ({ intent: 'station_status', want: 'bikes', reply, stations: [], options: options.map((name, i) => ({ id: String(i), name })), place: null, dataAsOf: null, stale: false });

test('the rate limit window resets after a minute and is per sender', () => {
  let now = 0;
  const rl = new SenderRateLimit(2, () => now);
  assert.deepEqual(['a', 'a', 'a', 'a', 'b'].map((k) => rl.take(k)), ['ok', 'ok', 'warn', 'drop', 'ok']);
  now = 59_999;
  assert.equal(rl.take('a'), 'drop');
  now = 60_000;
  assert.equal(rl.take('a'), 'ok');
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
