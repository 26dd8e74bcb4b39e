import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertService, type RuleBus } from '../../src/alerts/alert-service.js';
import { Outbox } from '../../src/alerts/outbox.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import type { AlertRule } from '../../src/domain/alerts/rule.js';
import type { Snapshot, Station } from '../../src/domain/station.js';

/**
 * Redis pub/sub delivers a message at most once: a replica whose subscriber
 * connection dropped for a moment never hears of what was published meanwhile.
 * Here the bus between two replicas on one store loses messages on purpose.
 */
function lossyBus() {
  const handlers = new Map<string, (m: string) => void>();
  const drop = new Set<string>();
  const busFor = (name: string): RuleBus => ({
    async publish(message) {
      for (const [who, h] of handlers) {
        if (drop.has(who)) drop.delete(who);
        else setImmediate(() => h(message));
      }
    },
    async subscribe(h) {
      handlers.set(name, h);
    },
  });
  return { busFor, dropNextFor: (name: string) => drop.add(name) };
}

function station(bikes: number): Station {
  return { id: 'sys:s1', systemId: 'sys', name: 'Station 1', lat: 51.5, lon: -0.1, terminalName: null, bikes, standardBikes: bikes, ebikes: null, emptyDocks: 10 - bikes, docks: 10, brokenDocks: 0, installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: `2024-05-01T14:0${bikes}:00.000Z` };
}
const snap = (i: number, bikes: number): Snapshot => ({ feedId: 'sys', systemId: 'sys', fetchedAt: `2024-05-01T14:${String(i).padStart(2, '0')}:00.000Z`, asOf: `2024-05-01T14:${String(i).padStart(2, '0')}:00.000Z`, stations: [station(bikes)] });
const draft = (n: number): Omit<AlertRule, 'id' | 'no'> => ({ owner: 'web:tok', stationId: 'sys:s1', stationName: 'Station 1', systemId: 'sys', timezone: 'Europe/London', condition: { kind: 'count', measure: 'bikes', op: 'atLeast', n }, recurring: true, schedule: null, createdAt: '2024-05-01T13:00:00Z', expiresAt: null, delivery: { channel: 'web', to: 'tok' } });
const settle = () => new Promise((r) => setImmediate(r));

async function replicas() {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  const bus = lossyBus();
  const make = async (name: string) => {
    const outbox = new Outbox({ kv, senders: {}, optOuts: { isOptedOut: async () => false } });
    await outbox.close(); // persisted, not sent
    const s = new AlertService({ kv, outbox, channels: new Set(['web']), bus: bus.busFor(name), now: () => new Date('2024-05-01T14:30:00Z') });
    await s.start();
    return s;
  };
  return { bus, follower: await make('follower'), holder: await make('holder') };
}

test('a rule change whose message the evaluating replica missed is read from the store within one snapshot interval', async () => {
  const { bus, follower, holder } = await replicas();
  bus.dropNextFor('holder');
  const rule = await follower.addRule(draft(2));
  await settle();
  assert.equal(holder.rules.get(rule.id), undefined, 'the message was lost');
  holder.prime(snap(0, 0));
  await holder.evaluate(snap(1, 0)); // the store's version is new to it: maybe still on its way
  await holder.evaluate(snap(2, 0)); // still unheard of a snapshot later: read the rules again
  assert.equal(holder.rules.get(rule.id)?.id, rule.id);
  const r = await holder.evaluate(snap(3, 3));
  assert.deepEqual(r.firings.map((f) => f.rule.id), [rule.id], 'and it fires');
  await Promise.all([follower.close(), holder.close()]);
});

test('a gap in the chain of rule changes (a message lost, the next one heard) is repaired at the next snapshot', async () => {
  const { bus, follower, holder } = await replicas();
  bus.dropNextFor('holder');
  const lost = await follower.addRule(draft(2));
  const heard = await follower.addRule(draft(3));
  await settle();
  assert.equal(holder.rules.get(lost.id), undefined);
  assert.equal(holder.rules.get(heard.id)?.id, heard.id);
  holder.prime(snap(0, 0));
  const r = await holder.evaluate(snap(1, 3));
  assert.deepEqual(r.firings.map((f) => f.rule.id).sort(), [lost.id, heard.id].sort(), 'both rules, at once');
  // Removals too: one lost, then nothing else said.
  bus.dropNextFor('holder');
  await follower.removeRule(heard.id);
  await settle();
  assert.equal(holder.rules.get(heard.id)?.id, heard.id, 'not heard');
  await holder.evaluate(snap(2, 0));
  await holder.evaluate(snap(3, 0));
  assert.equal(holder.rules.get(heard.id), undefined, 'removed from the store, so from the index');
  await Promise.all([follower.close(), holder.close()]);
});

test('messages heard in order need no reload', async () => {
  const { follower, holder } = await replicas();
  let reloads = 0;
  const load = holder.store.loadRules.bind(holder.store);
  holder.store.loadRules = async () => {
    reloads++;
    return load();
  };
  holder.prime(snap(0, 0));
  for (let i = 1; i <= 4; i++) {
    await follower.addRule(draft(i));
    await settle();
    await holder.evaluate(snap(i, 0));
  }
  await holder.evaluate(snap(5, 0));
  assert.equal(holder.rules.size, 4);
  assert.equal(reloads, 0);
  await Promise.all([follower.close(), holder.close()]);
});
