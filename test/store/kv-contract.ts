/**
 * The one behaviour every KvStore must have. Each implementation's test file calls
 * kvContract with a harness; the tests here must pass unchanged for all of them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBikeBotError } from '../../src/domain/errors.js';
import type { KvStore } from '../../src/store/kv-store.js';

export interface KvHarness {
  name: string;
  /** A new, empty store. */
  open(): Promise<KvStore>;
  /** Let ms pass as the store sees it: a fake clock tick, or a real sleep. */
  advance(ms: number): Promise<void>;
  /** A TTL short enough to wait out in a test. */
  shortTtlMs: number;
  /** Reason to skip the whole suite (e.g. Redis unreachable), or false. */
  skip?: string | false;
  after?(): Promise<void>;
}

const rejectsWith = (code: string) => (e: unknown) => isBikeBotError(e) && e.code === code;

/** About 1 MB of text that is not one repeated byte, with multi-byte characters spread in. */
function bigValue(): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const p = `${i.toString(36)}:é🚲${'xyz'.repeat(i % 7)}|`;
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

export function kvContract(h: KvHarness): void {
  // The timeout turns a hung store (e.g. a stuck connection) into a failure, not a stuck run.
  describe(`KvStore contract: ${h.name}`, { skip: h.skip || false, timeout: 30_000 }, () => {
    if (h.after) {
      const after = h.after;
      test.after(async () => after());
    }
    const withStore = async (fn: (kv: KvStore) => Promise<void>) => {
      const kv = await h.open();
      try {
        await fn(kv);
      } finally {
        await kv.close();
      }
    };
    const T = h.shortTtlMs;

    test('get, set, delete', () =>
      withStore(async (kv) => {
        assert.equal(await kv.get('session:a'), null);
        await kv.set('session:a', 'one');
        assert.equal(await kv.get('session:a'), 'one');
        assert.equal(await kv.get('session:b'), null, 'another key is unaffected');
        await kv.delete('session:a');
        assert.equal(await kv.get('session:a'), null);
        await kv.delete('never-set'); // deleting a missing key is not an error
        assert.equal(await kv.get(''), null);
        await kv.set('', 'empty key works');
        assert.equal(await kv.get(''), 'empty key works');
        await kv.set('empty-value', '');
        assert.equal(await kv.get('empty-value'), '', 'empty string is a value, not absence');
      }));

    test('overwrite replaces value and TTL', () =>
      withStore(async (kv) => {
        await kv.set('k', 'v1');
        await kv.set('k', 'v2');
        assert.equal(await kv.get('k'), 'v2');
        await kv.set('k', 'v3', T);
        await kv.set('k', 'v4'); // no TTL now: kept until deleted
        await h.advance(T * 3);
        assert.equal(await kv.get('k'), 'v4');
        await kv.set('k', 'v5', T);
        await h.advance(T * 3);
        assert.equal(await kv.get('k'), null, 'a TTL set on overwrite applies');
      }));

    test('TTL: expired keys vanish from get and keys, others stay', () =>
      withStore(async (kv) => {
        const started = Date.now();
        await kv.set('t:short', 'a', T);
        await kv.set('t:long', 'b', 60_000);
        await kv.set('t:forever', 'c');
        const shortNow = await kv.get('t:short');
        const listed = await kv.keys('t:');
        // Only meaningful if the machine did not stall past the TTL (real clocks, busy CI).
        if (Date.now() - started < T * 0.8) {
          assert.equal(shortNow, 'a', 'present before its TTL');
          assert.deepEqual(listed, ['t:forever', 't:long', 't:short']);
        }
        await h.advance(T * 3);
        assert.equal(await kv.get('t:short'), null);
        assert.equal(await kv.get('t:long'), 'b');
        assert.equal(await kv.get('t:forever'), 'c');
        assert.deepEqual(await kv.keys('t:'), ['t:forever', 't:long']);
      }));

    test('invalid TTLs are refused', () =>
      withStore(async (kv) => {
        for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
          await assert.rejects(kv.set('x', 'y', bad), rejectsWith('INVALID_INPUT'), `ttl ${bad}`);
          await assert.rejects(kv.setIfAbsent('x', 'y', bad), rejectsWith('INVALID_INPUT'), `ttl ${bad}`);
        }
        assert.equal(await kv.get('x'), null, 'nothing was written');
      }));

    test('setIfAbsent: only the first caller wins, until delete or expiry', () =>
      withStore(async (kv) => {
        assert.equal(await kv.setIfAbsent('lease', 'first', 60_000), true);
        assert.equal(await kv.setIfAbsent('lease', 'second', 60_000), false);
        assert.equal(await kv.get('lease'), 'first', 'the loser does not overwrite');
        await kv.delete('lease');
        assert.equal(await kv.setIfAbsent('lease', 'third', T), true);
        assert.equal(await kv.get('lease'), 'third');
        await h.advance(T * 3);
        assert.equal(await kv.setIfAbsent('lease', 'fourth', 60_000), true, 'an expired lease can be taken');
        assert.equal(await kv.get('lease'), 'fourth');
        await h.advance(T * 3);
        assert.equal(await kv.get('lease'), 'fourth', 'the new lease has its own, longer TTL');
        await kv.set('plain', 'kept');
        assert.equal(await kv.setIfAbsent('plain', 'nope', 60_000), false, 'a key without TTL counts as present');
        assert.equal(await kv.get('plain'), 'kept');
      }));

    test('setIfAbsentMany claims each absent key once, in order, and leaves present ones alone', () =>
      withStore(async (kv) => {
        await kv.set('m:b', 'kept');
        assert.deepEqual(await kv.setIfAbsentMany([{ key: 'm:a', value: '1' }, { key: 'm:b', value: '2' }, { key: 'm:c', value: '3' }], 60_000), [true, false, true]);
        assert.deepEqual(await Promise.all(['m:a', 'm:b', 'm:c'].map((k) => kv.get(k))), ['1', 'kept', '3']);
        assert.deepEqual(await kv.setIfAbsentMany([{ key: 'm:a', value: 'x' }, { key: 'm:d', value: '4' }], T), [false, true]);
        assert.deepEqual(await kv.setIfAbsentMany([], 60_000), []);
        await h.advance(T * 3);
        assert.equal(await kv.get('m:d'), null, 'with their TTL');
        assert.deepEqual(await kv.setIfAbsentMany([{ key: 'm:d', value: '5' }, { key: 'm:a', value: 'y' }], 60_000), [true, false], 'an expired key is absent, swept or not');
        assert.equal(await kv.get('m:d'), '5');
      }));

    test('setIfAbsentMany deletes alsoDelete in the same write, claims or not', () =>
      withStore(async (kv) => {
        await Promise.all([kv.set('r:1', 'rule one'), kv.set('r:2', 'rule two'), kv.set('r:3', 'rule three'), kv.set('o:b', 'kept')]);
        assert.deepEqual(await kv.setIfAbsentMany([{ key: 'o:a', value: '1' }, { key: 'o:b', value: '2' }], 60_000, ['r:1', 'r:3', 'r:absent']), [true, false]);
        assert.deepEqual(await Promise.all(['r:1', 'r:2', 'r:3', 'o:a', 'o:b'].map((k) => kv.get(k))), [null, 'rule two', null, '1', 'kept']);
        assert.deepEqual(await kv.setIfAbsentMany([], 60_000, ['r:2']), [], 'deletes alone');
        assert.equal(await kv.get('r:2'), null);
        assert.deepEqual(await kv.keys('r:'), []);
      }));

    test('setIfAbsentMany answers in the order asked, whatever the key order', () =>
      withStore(async (kv) => {
        await kv.set('s:m', 'there');
        const keys = ['s:z', 's:a', 's:m', 's:b', 's:a', 's:y'];
        assert.deepEqual(await kv.setIfAbsentMany(keys.map((key, i) => ({ key, value: String(i) })), 60_000), [true, true, false, true, false, true]);
        assert.deepEqual(await Promise.all(['s:z', 's:a', 's:m', 's:b', 's:y'].map((k) => kv.get(k))), ['0', '1', 'there', '3', '5'], 'the first of two equal keys wins');
        // More keys than one write takes at once (Redis: chunks of 1,000), every 7th already there.
        const many = Array.from({ length: 2500 }, (_, i) => ({ key: `s:n${(i * 7919) % 2500}`, value: `v${i}` }));
        await Promise.all(many.filter((_, i) => i % 7 === 0).map((e) => kv.set(e.key, 'old')));
        const got = await kv.setIfAbsentMany(many, 60_000, ['s:z']);
        assert.deepEqual(got, many.map((_, i) => i % 7 !== 0));
        assert.deepEqual([await kv.get(many[2498].key), await kv.get(many[2499].key)], ['v2498', 'old']);
        assert.equal(await kv.get('s:z'), null, 'deleted with the last chunk');
      }));

    test('setIfAbsent under concurrent callers has exactly one winner', () =>
      withStore(async (kv) => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => kv.setIfAbsent('race', `c${i}`, 60_000)));
        assert.equal(results.filter(Boolean).length, 1);
        const winner = results.indexOf(true);
        assert.equal(await kv.get('race'), `c${winner}`);
      }));

    test('keys(prefix) lists exactly the keys with that prefix, sorted', () =>
      withStore(async (kv) => {
        for (const k of ['session:b', 'session:a', 'session', 'sessions:x', 'snapshot:tfl', 'a*[x]?', 'a*b', '100%_', '100x']) await kv.set(k, '1');
        assert.deepEqual(await kv.keys('session:'), ['session:a', 'session:b']);
        assert.deepEqual(await kv.keys('session'), ['session', 'session:a', 'session:b', 'sessions:x']);
        assert.deepEqual(await kv.keys('a*['), ['a*[x]?'], 'glob characters are literal');
        assert.deepEqual(await kv.keys('100%'), ['100%_'], 'SQL LIKE characters are literal');
        assert.deepEqual(await kv.keys('nothing:'), []);
        assert.equal((await kv.keys('')).length, 9);
        await kv.delete('session:a');
        assert.deepEqual(await kv.keys('session:'), ['session:b']);
      }));

    test('unicode keys and values, and a 1 MB value, round-trip exactly', () =>
      withStore(async (kv) => {
        const key = 'session:Straße 🚲 東京 «x» ?*';
        const value = 'Gare du Nord — 5 vélos, 3 places 🚲🚏 «ok» \u{1F600} \t\n"quoted" \\ back';
        await kv.set(key, value);
        assert.equal(await kv.get(key), value);
        assert.deepEqual(await kv.keys('session:Straße'), [key]);
        const big = bigValue();
        await kv.set('big', big);
        const back = await kv.get('big');
        assert.equal(back?.length, big.length);
        assert.ok(back === big, '1 MB value differs after the round trip');
      }));

    test('count(namespace), where a store keeps one, follows keys as they come and go', () =>
      withStore(async (kv) => {
        if (!kv.count) return;
        assert.equal(kv.count('session:'), 0);
        // Many writes in one tick, as concurrent turns make them.
        await Promise.all([kv.set('session:a', '1', 60_000), kv.set('session:b', '2'), kv.set('session:a', '3'), kv.set('other:x', 'y')]);
        assert.equal(kv.count('session:'), 2, 'a key written twice counts once');
        assert.equal(kv.count('other:'), 1);
        await kv.set('session:b', 'again');
        assert.equal(kv.count('session:'), 2, 'an overwrite is not a new key');
        await kv.delete('session:a');
        await kv.delete('session:never');
        assert.equal(kv.count('session:'), 1);
        assert.equal(await kv.setIfAbsent('lease:x', 'me', 60_000), true);
        assert.equal(await kv.setIfAbsent('lease:x', 'you', 60_000), false);
        assert.equal(kv.count('lease:'), 1);
        assert.equal(kv.count('session:'), (await kv.keys('session:')).length);
      }));

    test('close: later calls fail with STORE_UNAVAILABLE; closing twice is fine', async () => {
      const kv = await h.open();
      await kv.set('k', 'v');
      await kv.close();
      await kv.close();
      await assert.rejects(kv.get('k'), rejectsWith('STORE_UNAVAILABLE'));
      await assert.rejects(kv.set('k', 'v'), rejectsWith('STORE_UNAVAILABLE'));
      await assert.rejects(kv.keys(''), rejectsWith('STORE_UNAVAILABLE'));
      await assert.rejects(kv.setIfAbsent('k', 'v', 1000), rejectsWith('STORE_UNAVAILABLE'));
    });
  });
}
