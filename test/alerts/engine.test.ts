import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { naiveFirings, RuleIndex, changedStations, type Firing } from '../../src/domain/alerts/rule-index.js';
import { isActive, type AlertRule, type Condition } from '../../src/domain/alerts/rule.js';
import { LocalClocks } from '../../src/domain/alerts/local-clock.js';
import { outboxKey } from '../../src/alerts/alert-store.js';
import type { Station } from '../../src/domain/station.js';
import { Outbox } from '../../src/alerts/outbox.js';
import { decodeDelivery, encodeDelivery, firedDelivery, SendError, type DeliveryRecord } from '../../src/alerts/delivery.js';
import { alertText, conditionPhrase } from '../../src/domain/alerts/describe.js';
import { outboxKeyParts } from '../../src/alerts/alert-store.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';

const clocks = new LocalClocks();
const activeAt = (r: AlertRule, iso: string) => isActive(r, new Date(iso), clocks.memo(new Date(iso)));

function station(id: string, bikes: number | null, empty: number | null, extra: Partial<Station> = {}): Station {
  return { id, systemId: 'tfl', name: id, lat: 51.5, lon: -0.1, terminalName: null, bikes, standardBikes: bikes, ebikes: bikes === null ? null : Math.floor(bikes / 3), emptyDocks: empty, docks: 20, brokenDocks: 0, installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: '2022-07-27T09:00:00.000Z', ...extra };
}

function rule(i: number, stationId: string, condition: Condition, extra: Partial<AlertRule> = {}): AlertRule {
  return { id: `o#${i}`, owner: 'o', no: i, stationId, stationName: stationId, systemId: 'tfl', timezone: 'Europe/London', condition, recurring: true, schedule: null, createdAt: '2022-07-27T00:00:00Z', expiresAt: null, delivery: { channel: 'web', to: 'x' }, ...extra };
}

const condArb: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ kind: fc.constant('count' as const), measure: fc.constantFrom('bikes' as const, 'ebikes' as const, 'docks' as const), op: fc.constantFrom('atLeast' as const, 'below' as const), n: fc.integer({ min: 1, max: 12 }) }),
  fc.constant({ kind: 'closed' as const }),
  fc.constant({ kind: 'reopened' as const }),
);
const stArb = (id: string) =>
  fc.record({ bikes: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }), empty: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }), locked: fc.boolean(), renting: fc.boolean() }).map((x) => station(id, x.bikes, x.empty, { locked: x.locked && x.bikes === 3, renting: x.renting || x.bikes !== 4 }));

test('the station index fires exactly the rules a scan of all rules fires', () => {
  const ids = ['s0', 's1', 's2', 's3'];
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), condArb), { maxLength: 40 }), fc.tuple(...ids.map(stArb)), fc.tuple(...ids.map(stArb)), (rs, before, after) => {
      const rules = rs.map(([s, c], i) => rule(i, ids[s], c));
      const idx = new RuleIndex();
      for (const r of rules) idx.add(r);
      const prev = new Map(before.map((s) => [s.id, s]));
      const next = new Map(after.map((s) => [s.id, s]));
      const now = new Date('2022-07-27T09:00:00Z');
      const got: string[] = [];
      const out: Array<{ rule: AlertRule; station: Station }> = [];
      for (const [p, q] of changedStations(prev, after)) idx.firingAt(p, q, now, out, clocks.memo(now));
      for (const f of out) got.push(f.rule.id);
      const want = naiveFirings(rules, prev, next, now, clocks).map((f) => f.rule.id);
      assert.deepEqual(got.sort(), want.sort());
    }),
    { numRuns: 300 },
  );
});

test('fires on the transition only, and removed rules never fire', () => {
  const idx = new RuleIndex();
  idx.add(rule(1, 'a', { kind: 'count', measure: 'docks', op: 'atLeast', n: 1 }));
  idx.add(rule(2, 'a', { kind: 'count', measure: 'bikes', op: 'below', n: 3 }));
  const now = new Date('2022-07-27T09:00:00Z');
  const out: Firing[] = [];
  idx.firingAt(station('a', 5, 0), station('a', 4, 1), now, out, clocks.memo(now));
  assert.deepEqual(out.map((f) => f.rule.id), ['o#1']);
  out.length = 0;
  idx.firingAt(station('a', 4, 1), station('a', 3, 2), now, out, clocks.memo(now));
  assert.equal(out.length, 0, 'already above: no new transition');
  idx.firingAt(station('a', 3, 2), station('a', 2, 3), now, out, clocks.memo(now));
  assert.deepEqual(out.map((f) => f.rule.id), ['o#2']);
  idx.remove('o#2');
  out.length = 0;
  idx.firingAt(station('a', 5, 0), station('a', 0, 5), now, out, clocks.memo(now));
  assert.deepEqual(out.map((f) => f.rule.id), ['o#1']);
});

test('a delivery is stored as facts and read back with the text the rule and station make, the same after a rewrite', () => {
  const texts = clocks.hhmmMemo();
  const cases: Array<[AlertRule, Station]> = [
    [rule(1, 'a', { kind: 'count', measure: 'docks', op: 'atLeast', n: 3 }, { delivery: { channel: 'sms', to: '+447700900001' } }), station('a', 2, 4)],
    [rule(2, 'a', { kind: 'count', measure: 'ebikes', op: 'below', n: 1 }, { recurring: false }), station('a', 0, 9)],
    [rule(3, 'a', { kind: 'closed' }, { recurring: false }), station('a', 1, 2, { name: 'Waterloo "3"', closure: { until: '2022-07-27T17:00:00.000Z', note: 'Street works.', since: null } })],
    [rule(4, 'a', { kind: 'closed' }), station('a', 1, 2, { locked: true, asOf: null })],
    [rule(5, 'a', { kind: 'reopened' }, { schedule: { days: [1], fromMin: 0, toMin: 60 } }), station('a', 1, 2, { renting: false })],
  ];
  for (const [r, s] of cases) {
    const n = firedDelivery({ rule: r, station: s }, Date.parse('2022-07-27T09:01:00Z'), '2022-07-27T09:00:30.000Z');
    const parts = outboxKeyParts(n.key)!;
    assert.deepEqual(parts, { owner: r.owner, id: n.id, observedAt: n.observedAt });
    const d = decodeDelivery(parts, n.value, texts)!;
    assert.equal(d.text, alertText(r, { ...s, asOf: n.observedAt }, texts));
    assert.equal(d.payload.text, d.text);
    assert.equal(d.payload.condition, conditionPhrase(r.condition));
    assert.deepEqual([d.to, d.channel, d.state, d.attempts, d.createdAt, d.quietApplies], [r.delivery.to, r.delivery.channel, 'pending', 0, '2022-07-27T09:01:00.000Z', r.recurring && r.schedule === null]);
    assert.deepEqual([d.payload.ruleId, d.payload.stationId, d.payload.stationName, d.payload.bikes, d.payload.emptyDocks, d.payload.observedAt], [r.id, s.id, s.name, s.bikes, s.emptyDocks, s.asOf ?? '2022-07-27T09:00:30.000Z']);
    assert.equal(encodeDelivery(d), n.value, 'written back as it was read');
    const retried = decodeDelivery(parts, encodeDelivery({ ...d, attempts: 2, nextAttemptAt: 5, state: 'failed', reason: 'x' }), texts)!;
    assert.deepEqual(retried, { ...d, attempts: 2, nextAttemptAt: 5, state: 'failed', reason: 'x' });
  }
  const closed = decodeDelivery({ owner: 'o', id: 'x', observedAt: '2022-07-27T15:00:00.000Z' }, firedDelivery({ rule: cases[2][0], station: cases[2][1] }, 0, null).value, texts)!;
  assert.equal(closed.text, 'BikeBot alert: Waterloo "3" has closed until 18:00 (Street works) (as of 16:00). This alert is done.');
  assert.equal(closed.payload.closed, true);
});

test('a delivery stored with its text (format 2, before facts) is still read and sent as it was', () => {
  const raw = JSON.stringify([2, 'sms', '+447700900001', 'BikeBot alert: 3 free docks at a (as of 10:00).', 'Europe/London', 1, 'pending', null, 0, 7, '2022-07-27T09:01:00.000Z', 4, 'a', 'A', "there's a free dock", 1, 0, 3, 0]);
  const d = decodeDelivery({ owner: 'o', id: 'x', observedAt: '2022-07-27T09:00:00.000Z' }, raw, clocks.hhmmMemo())!;
  assert.equal(d.text, 'BikeBot alert: 3 free docks at a (as of 10:00).');
  assert.deepEqual([d.payload.ruleId, d.payload.condition, d.nextAttemptAt, d.quietApplies], ['o#4', "there's a free dock", 7, true]);
  assert.equal(encodeDelivery(d), raw);
});

test('schedules: days and hours in the rule time zone; windows past midnight belong to the day they start', () => {
  const r = rule(1, 'a', { kind: 'closed' }, { schedule: { days: [1, 2, 3, 4, 5], fromMin: 7 * 60, toMin: 9 * 60 } });
  assert.equal(activeAt(r, '2022-07-27T06:30:00Z'), true, 'Wed 07:30 BST');
  assert.equal(activeAt(r, '2022-07-27T08:30:00Z'), false, 'Wed 09:30 BST');
  assert.equal(activeAt(r, '2022-07-30T06:30:00Z'), false, 'Saturday');
  const night = rule(2, 'a', { kind: 'closed' }, { schedule: { days: [5], fromMin: 22 * 60, toMin: 2 * 60 } });
  assert.equal(activeAt(night, '2022-07-29T23:30:00Z'), true, 'Sat 00:30 BST is Friday night');
  assert.equal(activeAt(night, '2022-07-30T22:30:00Z'), false, 'Sat 23:30');
  assert.equal(activeAt(rule(3, 'a', { kind: 'closed' }, { expiresAt: '2022-07-27T09:00:00Z' }), '2022-07-27T09:00:00Z'), false, 'expired');
});

function record(id: string, extra: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return { v: 1, id, owner: 'sms:abc', channel: 'sms', to: '+447700900001', text: 'hi', payload: {} as DeliveryRecord['payload'], timezone: 'Europe/London', quietApplies: false, state: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: '2022-07-27T09:00:00Z', ...extra };
}

test('outbox: dedupe, retry with back-off, refusals not retried, daily limit, quiet hours, opt-out', async () => {
  const kv = new MemoryKvStore();
  let clock = Date.parse('2022-07-27T12:00:00Z');
  const sent: string[] = [];
  let failNext = 0;
  let refuse = false;
  let optedOut = false;
  const ob = new Outbox({
    kv,
    now: () => clock,
    random: () => 0.5,
    optOuts: { isOptedOut: async () => optedOut },
    policy: { dailyLimit: 3, quietHours: { fromMin: 22 * 60, toMin: 7 * 60 }, baseBackoffMs: 1000 },
    senders: {
      sms: {
        async send(d) {
          if (refuse) throw new SendError('twilio 400 21211', false);
          if (failNext > 0) {
            failNext--;
            throw new SendError('twilio 500', true);
          }
          sent.push(d.id);
        },
      },
    },
  });
  const stored = async (id: string) => decodeDelivery({ owner: 'sms:abc', id, observedAt: null }, await kv.get(outboxKey(record(id))), clocks.hhmmMemo()) as DeliveryRecord;
  const drain = async () => {
    ob.kick();
    await ob.idle();
  };
  assert.equal(await ob.enqueue(record('a')), true);
  assert.equal(await ob.enqueue(record('a')), false, 'the same dedupe key is refused');
  failNext = 2;
  await drain();
  assert.deepEqual(sent, []);
  const a = await stored('a');
  assert.equal(a.attempts, 1);
  assert.equal(a.nextAttemptAt, clock + 1000, 'first back-off');
  clock += 1000;
  await drain();
  assert.equal((await stored('a')).nextAttemptAt, clock + 2000, 'doubles');
  clock += 2000;
  await drain();
  assert.deepEqual(sent, ['a']);
  assert.equal((await stored('a')).state, 'sent');

  refuse = true;
  await ob.enqueue(record('b'));
  await drain();
  assert.equal((await stored('b')).state, 'failed', 'a refusal is not retried');
  refuse = false;

  for (const id of ['c', 'd', 'e']) await ob.enqueue(record(id));
  await drain();
  assert.deepEqual(sent, ['a', 'c', 'd'], 'three a day');
  assert.equal((await stored('e')).reason, 'daily_limit');

  clock = Date.parse('2022-07-28T22:30:00Z'); // 23:30 in London, a new day
  await ob.enqueue(record('f', { quietApplies: true }));
  await ob.enqueue(record('g'));
  await drain();
  assert.deepEqual(sent.slice(3), ['g'], 'quiet hours hold back recurring alerts without hours of their own');
  optedOut = true;
  await ob.enqueue(record('h'));
  await drain();
  assert.equal((await stored('h')).reason, 'opted_out');
  await ob.close();
});
