import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConversationIds, createConversationIds } from '../../src/channels/conversation-ids.js';

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

test('issued conversation ids: in time order as strings, and only the issuer\'s (time included) pass', () => {
  let t = Date.parse('2026-12-02T10:00:00Z');
  const ids = new ConversationIds('a server secret of some length', { now: () => t });
  const issued: string[] = [];
  for (let i = 0; i < 300; i++) {
    // Several within one millisecond, then time moves on (as under load).
    if (i % 3 === 0) t += 1 + (i % 7);
    issued.push(ids.issue());
  }
  // Sessions are stored under these ids: later ids sort after earlier ones (SQLite appends).
  for (let i = 1; i < issued.length; i++) assert.ok(issued[i - 1].slice(0, 12) <= issued[i].slice(0, 12));
  assert.deepEqual([...issued].sort().map((id) => id.slice(0, 12)), issued.map((id) => id.slice(0, 12)));
  assert.equal(new Set(issued).size, issued.length);
  const id = issued[10];
  assert.match(id, /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/);
  assert.ok(parseInt(id.slice(0, 12), 16) > Date.parse('2026-12-02T10:00:00Z'), 'the issue time, in ms');
  const passes = (x: string | undefined): boolean => ids.isIssued(x);
  assert.ok(passes(id));
  // Another secret, a changed time, a changed random part, a cut id: none pass.
  const other = new ConversationIds('another server secret, as long');
  assert.ok(!issued.some((x) => other.isIssued(x)));
  const later = (parseInt(id.slice(0, 12), 16) + 1).toString(16).padStart(12, '0');
  assert.ok(!passes(later + id.slice(12)));
  assert.ok(!passes(id.slice(0, 12) + (id[12] === 'A' ? 'B' : 'A') + id.slice(13)));
  assert.ok(!passes(id.slice(0, 43)));
  assert.ok(!passes(id.slice(12)), 'the old format (no time) is not ours any more');
  assert.ok(!passes(undefined) && !passes(''));
});
