import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConversationIds } from '../../src/channels/conversation-ids.js';

test('conversation ids: 128 bits each, base64url, never repeated across pool refills', () => {
  const next = createConversationIds();
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const id = next();
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 16);
    seen.add(id);
  }
  assert.equal(seen.size, 5000);
  // Bits are spread evenly (a stuck or zeroed pool would not be): each of the 128 bit
  // positions is set in roughly half of 5,000 ids.
  const ones = new Array(128).fill(0);
  for (const id of seen) {
    const b = Buffer.from(id, 'base64url');
    for (let bit = 0; bit < 128; bit++) if (b[bit >> 3] & (1 << (bit & 7))) ones[bit]++;
  }
  for (const n of ones) assert.ok(n > 2200 && n < 2800, `bit set in ${n} of 5000 ids`);
});

test('conversation ids: two sources draw independently', () => {
  const a = createConversationIds();
  const b = createConversationIds();
  assert.notEqual(a(), b());
});
