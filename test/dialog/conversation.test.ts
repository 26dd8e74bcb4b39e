import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, indexOf, londonStations, NOW, station } from './fixtures.js';
import type { Brain } from '../../src/dialog/turn-deps.js';
import { defaultBrain } from '../../src/dialog/brain.js';
import { sessionKey } from '../../src/dialog/session.js';

const WATERLOO = ['BikePoints_10', 'BikePoints_11', 'BikePoints_12'];

test('an ambiguous name asks to choose; "3" picks the third option', async () => {
  const h = harness();
  const a = await h.ask('waterloo');
  assert.equal(a.intent, 'station_status');
  assert.deepEqual(a.options.map((o) => o.id).sort(), [...WATERLOO].sort());
  assert.equal(a.stations.length, 0, 'no station is answered while asking');
  assert.match(a.reply, /1\) .*\n2\) .*\n3\) /);
  const third = a.options[2];
  const b = await h.ask('3');
  assert.equal(b.options.length, 0);
  assert.equal(b.stations[0].id, third.id);
  assert.match(b.reply, new RegExp(third.name.split(',')[0]));
});

test('"the second one" picks by ordinal, and the choice closes the options', async () => {
  const h = harness();
  const a = await h.ask('waterloo');
  const b = await h.ask('the second one');
  assert.equal(b.stations[0].id, a.options[1].id);
  // Options are closed now: "2" again has no list of options, but the answer's own stations.
  const c = await h.ask('2');
  assert.equal(c.options.length, 0);
});

test('"Waterloo 3" picks by name among open options; numbers must agree', async () => {
  const h = harness();
  await h.ask('waterloo');
  const b = await h.ask('Waterloo 3');
  assert.equal(b.intent, 'station_status');
  assert.equal(b.stations[0].id, 'BikePoints_12');
  assert.match(b.reply, /^Waterloo Station 3, Waterloo: 12 bikes, 20 spaces\./);
});

test('a number outside the options asks again with the same options', async () => {
  const h = harness();
  const a = await h.ask('waterloo');
  const b = await h.ask('7');
  assert.match(b.reply, /number from 1 to 3/);
  assert.deepEqual(b.options, a.options);
  const c = await h.ask('1');
  assert.equal(c.stations[0].id, a.options[0].id);
});

test('"and docks?" and "what about e-bikes?" re-answer the last station for the new want', async () => {
  const h = harness();
  const a = await h.ask('waterloo station 3 bikes');
  assert.equal(a.stations[0].id, 'BikePoints_12');
  const b = await h.ask('and docks?');
  assert.equal(b.want, 'docks');
  assert.equal(b.stations[0].id, 'BikePoints_12');
  assert.match(b.reply, /^Waterloo Station 3, Waterloo: 20 spaces/);
  assert.match(b.reply, /3 docks are out of order/);
  const c = await h.ask('what about e-bikes?');
  assert.equal(c.want, 'ebikes');
  assert.equal(c.stations[0].id, 'BikePoints_12');
  assert.match(c.reply, /e-bike count not published/, 'the fixture has no e-bike counts: said, not invented');
  assert.equal(c.stations[0].ebikes, null);
});

test('"and docks?" after a nearest list re-runs the search around the same place', async () => {
  const h = harness();
  const a = await h.ask('bikes near angel');
  assert.equal(a.intent, 'nearest');
  assert.equal(a.place?.name, 'Angel station');
  const b = await h.ask('and docks?');
  assert.equal(b.intent, 'nearest');
  assert.equal(b.place?.name, 'Angel station');
  assert.ok(b.stations.length > 0);
  for (const s of b.stations) assert.ok((s.emptyDocks ?? 0) > 0, `${s.id} has empty docks`);
});

test('"next one?" gives the next nearest not yet shown, and keeps going', async () => {
  const h = harness();
  const a = await h.ask('docks near angel');
  const shown = new Set(a.stations.map((s) => s.id));
  assert.equal(shown.size, 3);
  const b = await h.ask('next one?');
  assert.equal(b.intent, 'nearest');
  assert.equal(b.stations.length, 1);
  assert.ok(!shown.has(b.stations[0].id), 'not one already shown');
  assert.ok((b.stations[0].emptyDocks ?? 0) > 0, 'still follows the want');
  assert.ok(b.stations[0].distanceM! >= Math.max(...a.stations.map((s) => s.distanceM!)), 'farther than those shown');
  const c = await h.ask('any other?');
  assert.ok(c.stations.length === 0 || (c.stations[0].id !== b.stations[0].id && !shown.has(c.stations[0].id)));
});

test('"next one?" after a named station means the next nearest to it', async () => {
  const h = harness();
  await h.ask('river street bikes');
  const b = await h.ask('next one?');
  assert.equal(b.stations.length, 1);
  assert.notEqual(b.stations[0].id, 'BikePoints_1');
  assert.notEqual(b.stations[0].id, 'BikePoints_5', 'the alternative already given is not repeated');
  assert.ok((b.stations[0].bikes ?? 0) > 0);
});

test('cancel clears the session: "2" afterwards refers to nothing', async () => {
  const h = harness();
  await h.ask('waterloo');
  assert.notEqual(await h.store.get(sessionKey('test:alice')), null);
  const c = await h.ask('cancel');
  assert.equal(c.intent, 'cancel');
  assert.equal(await h.store.get(sessionKey('test:alice')), null);
  const d = await h.ask('2');
  assert.equal(d.stations.length, 0);
  assert.equal(d.intent, 'unknown');
});

test('an expired session behaves like a new conversation (fake clock)', async () => {
  const h = harness({ sessionTtlMs: 60_000 });
  await h.ask('waterloo');
  h.clock.ms += 59_000;
  const b = await h.ask('1');
  assert.equal(b.stations[0].id, 'BikePoints_10', 'still inside the TTL');
  await h.ask('waterloo');
  h.clock.ms += 61_000;
  const c = await h.ask('1');
  assert.equal(c.stations.length, 0);
  assert.equal(c.options.length, 0);
  assert.equal(c.intent, 'unknown');
});

test('a store that keeps keys past their TTL cannot resurrect a session', async () => {
  const h = harness({ sessionTtlMs: 60_000 });
  const forever = { get: (k: string) => h.store.get(k), set: (k: string, v: string) => h.store.set(k, v), delete: (k: string) => h.store.delete(k) };
  const h2 = harness({ sessionTtlMs: 60_000 });
  h2.deps.sessions = forever;
  const { createTurnHandler } = await import('../../src/dialog/handle-turn.js');
  const handle = createTurnHandler({ ...h2.deps, now: () => new Date(h.clock.ms) });
  await handle({ channel: 'sms', conversationId: 'x', text: 'waterloo' });
  h.clock.ms += 120_000;
  const b = await handle({ channel: 'sms', conversationId: 'x', text: '1' });
  assert.equal(b.stations.length, 0);
});

test('an unrelated new question starts fresh, even with options open', async () => {
  const h = harness();
  await h.ask('waterloo');
  const b = await h.ask('bikes near angel');
  assert.equal(b.intent, 'nearest');
  assert.equal(b.options.length, 0);
  const c = await h.ask('2');
  assert.equal(c.stations[0].id, b.stations[1].id, '"2" now picks from the list just shown');
});

test('conversations do not share sessions', async () => {
  const h = harness();
  await h.ask('waterloo');
  const other = await h.handle({ channel: 'sms', conversationId: 'sms:+447700900000', text: '2' });
  assert.equal(other.stations.length, 0);
  const mine = await h.ask('2');
  assert.equal(mine.stations.length, 1);
});

test('help, greeting and thanks teach by example and keep the conversation', async () => {
  const h = harness();
  await h.ask('waterloo');
  for (const [text, intent] of [['help', 'help'], ['hello', 'greeting'], ['thanks', 'thanks']] as const) {
    const a = await h.ask(text);
    assert.equal(a.intent, intent);
    assert.equal(a.stations.length, 0);
    assert.equal(a.options.length, 0);
  }
  assert.match((await h.ask('help')).reply, /e\.g\. "/);
  const b = await h.ask('3');
  assert.equal(b.stations[0].id, 'BikePoints_12', 'the options survived the small talk');
});

test('a failing understanding or store becomes a polite unknown answer, never a throw', async () => {
  const boom: Brain = {
    understand: () => {
      throw new Error('boom');
    },
    interpret: () => Promise.reject(new Error('boom')),
  };
  const h = harness({ brain: boom });
  const a = await h.ask('bikes at waterloo');
  assert.equal(a.intent, 'unknown');
  assert.match(a.reply, /Sorry/);
  assert.equal(h.errors.length, 1);

  const h2 = harness({ brain: defaultBrain() });
  h2.deps.sessions = { get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')), delete: () => Promise.reject(new Error('down')) };
  const { createTurnHandler } = await import('../../src/dialog/handle-turn.js');
  const b = await createTurnHandler(h2.deps)({ channel: 'api', conversationId: 'c', text: 'waterloo station 3' });
  assert.equal(b.stations[0].id, 'BikePoints_12', 'a fresh question is still answered without the session store');
  assert.equal(h2.errors.length, 2, 'load and save failures are reported');
});

test('before any data arrives the bot says so', async () => {
  const h = harness({ index: null });
  const a = await h.ask('bikes at waterloo station 3');
  assert.match(a.reply, /still fetching station data/);
  assert.equal(a.stations.length, 0);
});

test('with no data and the feed unreachable, the bot says so and when it tries next', async () => {
  const h = harness({ index: null, dataOutlook: () => ({ unreachable: true, nextTryAt: new Date(NOW + 4 * 60_000) }) });
  const a = await h.ask('bikes at waterloo station 3');
  assert.match(a.reply, /can't reach the live station feed/);
  assert.match(a.reply, /try again in about 4 minutes/);
  assert.doesNotMatch(a.reply, /in a minute/);
  const soon = harness({ index: null, dataOutlook: () => ({ unreachable: false, nextTryAt: new Date(NOW + 2000) }) });
  assert.match((await soon.ask('bikes at waterloo')).reply, /still fetching station data for the first time\. The next try is in a few seconds\./);
});

test('a shared location answers "nearest bikes" with distances from the person', async () => {
  const h = harness({ index: indexOf([...londonStations(), station('BikePoints_30', 'Close By, Clerkenwell', 51.5291, -0.1101, 4, 1, 5)]) });
  const a = await h.ask('nearest bikes', { location: { lat: 51.5292, lon: -0.11 } });
  assert.equal(a.intent, 'nearest');
  assert.equal(a.stations[0].id, 'BikePoints_30', 'River Street itself has no bikes');
  assert.ok(a.stations[0].distanceM! < 20);
  assert.match(a.reply, /to you/);
});

test('a one-option confirmation is taken by "yes" or "1", and only a bare yes counts', async () => {
  const real = defaultBrain();
  const confirm: Brain = {
    understand: real.understand,
    interpret: async (u, ctx) => (u.subject?.includes('mosk') ? { kind: 'choose', candidates: [ctx.index.get('BikePoints_20')!] } : real.interpret(u, ctx)),
  };
  const h = harness({ brain: confirm });
  const a = await h.ask('regents park mosk bikes');
  assert.deepEqual(a.options.map((o) => o.id), ['BikePoints_20']);
  assert.match(a.reply, /^Did you mean:\n1\) St\. John's Wood Church/);
  const b = await h.ask('yes');
  assert.equal(b.stations[0].id, 'BikePoints_20');
  assert.equal(b.want, 'bikes', 'the want of the question carries over to the choice');
  await h.ask('regents park mosk bikes');
  const c = await h.ask('ok bikes near angel');
  assert.equal(c.intent, 'nearest', 'a new question that starts with "ok" is not a yes');
});

test('a follow-up with nothing to follow asks where, rather than guessing', async () => {
  const h = harness();
  const a = await h.ask('what about e-bikes?');
  assert.equal(a.stations.length, 0);
  assert.equal(a.want, 'ebikes');
  assert.match(a.reply, /^Where are you\?/);
  const b = await h.ask('next one?');
  assert.equal(b.stations.length, 0);
});

test('a conversation is stored only when there is something to remember', async () => {
  const h = harness();
  await h.ask('hello');
  await h.ask('bikes at zzzqqq xylophone');
  assert.deepEqual(await h.store.keys('session:'), [], 'a greeting and an unknown name leave nothing to follow up');
  await h.ask('waterloo');
  assert.equal(h.store.count('session:'), 1, 'options offered: the choice must be remembered');
  const other = harness({ conversationId: 'test:bob' });
  await other.ask('waterloo station 3 bikes');
  assert.equal((await other.store.keys('session:')).length, 1, 'a station to follow up is remembered');
  const b = await other.ask('and docks?');
  assert.equal(b.want, 'docks');
});

test('a message that starts a conversation (newConversation) reads no session, and is remembered for the next', async () => {
  const h = harness({ conversationId: 'chat:new' });
  // Something stored under the same key is not read: the channel says the id is brand new.
  await h.store.set(sessionKey('chat:new'), 'not a session', 60_000);
  let reads = 0;
  const get = h.store.get.bind(h.store);
  h.store.get = async (key: string) => {
    reads++;
    return get(key);
  };
  const a = await h.ask('waterloo', { newConversation: true });
  assert.equal(reads, 0, 'no session read for a new conversation');
  assert.equal(a.options.length, 3);
  assert.equal(h.errors.length, 0);
  const b = await h.ask('3');
  assert.equal(reads, 1);
  assert.equal(b.stations[0].id, a.options[2].id, 'the choice was stored and is followed up');
});
