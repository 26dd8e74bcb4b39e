/**
 * Questions that are not about one station — prices, a broken bike, what BikeBot can
 * do, another language — answered end to end and never with a station. GBFS prices and
 * contact come from a real feed served on loopback by the replay server; TfL's from the
 * systems config, as an operator would write it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StationIndex } from '../../src/domain/station-index.js';
import { ConditionalHttp } from '../../src/feeds/conditional-http.js';
import { GbfsSource } from '../../src/feeds/gbfs-source.js';
import { GbfsRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { parseSystemsConfig, toSystemInfo } from '../../src/systems/systems-config.js';
import { SnapshotStore } from '../../src/store/snapshot-store.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { smsSegments } from '../../src/dialog/sms.js';
import { T0, tinyDocs, writeSystemFolder } from '../gbfs/fixtures.js';
import { harness, indexOf, londonStations, LONDON, OBSERVED } from './fixtures.js';

function pricedDocs(): Record<string, unknown> {
  const docs = tinyDocs();
  const gbfs = docs.gbfs as { data: Record<string, { feeds: Array<{ name: string; url: string }> }> };
  for (const lang of Object.keys(gbfs.data)) gbfs.data[lang].feeds.push({ name: 'system_pricing_plans', url: `https://example.invalid/${lang}/system_pricing_plans.json` });
  const si = docs.system_information as { data: Record<string, unknown> };
  si.data = { ...si.data, phone_number: '+33 1 23 45 67 89', url: 'https://tiny.example.org', email: 'help@tiny.example.org', feed_contact_email: 'dev@tiny.example.org', purchase_url: 'https://tiny.example.org/passes' };
  docs.system_pricing_plans = {
    last_updated: T0,
    ttl: 3600,
    version: '2.3',
    data: {
      plans: [
        { plan_id: 'single', name: 'Single Ride', currency: 'EUR', price: 1, is_taxable: false, description: 'Unlock fee, then per minute', per_min_pricing: [{ start: 0, rate: 0.15, interval: 1 }] },
        { plan_id: 'day', name: 'Day Pass', currency: 'EUR', price: 5, is_taxable: false, description: 'Unlimited 45-minute rides for 24 hours' },
        // No currency: dropped, never completed with a guess.
        { plan_id: 'odd', name: 'Mystery', price: 2, is_taxable: false, description: '?' },
      ],
    },
  };
  return docs;
}

test('GBFS: system_pricing_plans and system_information reach the answer; the snapshot keeps them through the store', async () => {
  const dir = writeSystemFolder(pricedDocs());
  const routes = new GbfsRoutes({ folders: [dir.folder] });
  const server = await startReplayServer({ routes: [routes] });
  try {
    const system = { id: 'tiny', name: 'Tiny Town Bikes', timezone: 'Europe/Paris' };
    const source = new GbfsSource({ system, url: routes.entryUrl(server.url, 'tiny-town'), http: new ConditionalHttp({ userAgent: 'bikebot-test', timeoutMs: 5000 }) });
    const { snapshot } = await source.poll(AbortSignal.timeout(5000));
    assert.ok(snapshot?.service, 'the snapshot carries the service facts');
    assert.deepEqual(snapshot.service.pricing?.plans.map((p) => p.name), ['Single Ride', 'Day Pass']);
    assert.equal(snapshot.service.pricing?.source, 'feed');
    assert.equal(snapshot.service.pricing?.url, 'https://tiny.example.org/passes');
    assert.deepEqual(snapshot.service.contact, { phone: '+33 1 23 45 67 89', url: 'https://tiny.example.org', email: 'help@tiny.example.org', source: 'feed' });

    // A restart answers from the stored snapshot: prices and contact included.
    const store = new SnapshotStore(new MemoryKvStore({ sweepIntervalMs: 0 }));
    await store.save(snapshot);
    const [restored] = await store.loadAll();
    assert.deepEqual(restored.service, snapshot.service);

    const h = harness({ index: new StationIndex([restored], [system]) });
    const price = await h.ask('how much does it cost to hire a bike?');
    assert.equal(price.intent, 'prices');
    assert.deepEqual(price.stations, []);
    assert.match(price.reply, /Tiny Town Bikes prices, from its live feed: Single Ride €1 \+ €0\.15 per minute/);
    assert.match(price.reply, /Day Pass €5 \(Unlimited 45-minute rides for 24 hours\)/);
    assert.doesNotMatch(price.reply, /Mystery/);
    assert.ok(smsSegments(price.reply) <= 2, price.reply);

    const flat = await h.ask('my bike has a flat tyre');
    assert.equal(flat.intent, 'problem');
    assert.deepEqual(flat.stations, []);
    assert.match(flat.reply, /call \+33 1 23 45 67 89/);
    assert.match(flat.reply, /https:\/\/tiny\.example\.org/);
    assert.doesNotMatch(flat.reply, /dev@tiny/, 'the developers’ address is not for riders');
  } finally {
    await server.close();
    dir.cleanup();
  }
});

const TFL_CONFIG = {
  systems: [
    {
      id: 'tfl',
      kind: 'tfl',
      name: 'Santander Cycles',
      timezone: 'Europe/London',
      aliases: ['london'],
      pricing: { checked: '2026-11-30', url: 'https://example.org/prices', plans: [{ name: 'Single hire', price: 1.5, currency: 'GBP', description: 'up to 30 minutes' }] },
      contact: { phone: '0300 000 0000', url: 'https://example.org/contact' },
    },
  ],
};

test('TfL: prices and contact come from the config, with the day they were checked; voice leaves out web addresses', async () => {
  const cfg = parseSystemsConfig(TFL_CONFIG);
  const h = harness({ index: indexOf(londonStations(), [toSystemInfo(cfg.systems[0])]) });
  const price = await h.ask('how much is a day pass');
  assert.equal(price.intent, 'prices');
  assert.equal(price.reply, 'Santander Cycles prices (checked 30 Nov 2026): Single hire £1.50 (up to 30 minutes). More: https://example.org/prices');
  const stuck = await h.ask("the dock won't release my bike at waterloo station 3");
  assert.equal(stuck.intent, 'problem');
  assert.deepEqual(stuck.stations, [], 'never answered with a station');
  assert.match(stuck.reply, /call 0300 000 0000 or see https:\/\/example\.org\/contact/);
  const spoken = await h.ask('who do i call about a broken bike', { voice: true, channel: 'voice' });
  assert.doesNotMatch(spoken.reply, /https?:/);
  assert.match(spoken.reply, /call zero three zero zero, zero zero zero, zero zero zero zero/);
});

test('errands only the operator can run: what BikeBot cannot do, where to go and what it can do instead', async () => {
  const cfg = parseSystemsConfig(TFL_CONFIG);
  const h = harness({ index: indexOf(londonStations(), [toSystemInfo(cfg.systems[0])]) });
  const cases: Array<[string, RegExp]> = [
    ['update my card details please', /^I can't see or change accounts, cards or memberships: Santander Cycles can, in their app or on their website\./],
    ['how do I delete my account', /^I can't see or change accounts/],
    ['cancel my annual membership', /^I can't see or change accounts/],
    ['unlock bike 40213 for me please', /^I can't unlock, reserve or extend a hire: do that in Santander Cycles's app or at the docking station\./],
    ['I left my phone in the basket of a bike, has anyone handed it in?', /^I can't look for lost property: please ask Santander Cycles whether it was handed in\./],
  ];
  for (const [text, said] of cases) {
    const a = await h.ask(text);
    assert.equal(a.intent, 'unknown', text);
    assert.deepEqual(a.stations, [], text);
    assert.match(a.reply, said, text);
    assert.match(a.reply, /To reach them, call 0300 000 0000 or see https:\/\/example\.org\/contact\./, text);
    assert.match(a.reply, /I can tell you the bikes, e-bikes and free docks at a station or near a place, e\.g\. "bikes at /, text);
    assert.ok(smsSegments(a.reply) <= 2, a.reply);
  }
  // A fault stays a report to the operator, not an errand BikeBot declines.
  assert.equal((await h.ask("can't log into my account")).intent, 'problem');
  const spoken = await h.ask('update my card details', { voice: true, channel: 'voice' });
  assert.doesNotMatch(spoken.reply, /https?:/);
  assert.match(spoken.reply, /call zero three zero zero/);
  // No contact configured: nothing invented, the rest still said.
  const plain = harness({ index: indexOf(londonStations(), [LONDON]) });
  const a = await plain.ask('delete my account');
  assert.match(a.reply, /^I can't see or change accounts, cards or memberships: Santander Cycles can, in their app or on their website\. I can tell you/);
  assert.doesNotMatch(a.reply, /To reach them/);
});

test('no prices or contact configured: said plainly, nothing invented', async () => {
  const h = harness({ index: indexOf(londonStations(), [LONDON]) });
  const price = await h.ask('what are the prices');
  assert.equal(price.intent, 'prices');
  assert.doesNotMatch(price.reply, /£|\d/);
  assert.match(price.reply, /I don't have Santander Cycles's prices/);
  const broken = await h.ask('bike is broken');
  assert.equal(broken.intent, 'problem');
  assert.doesNotMatch(broken.reply, /\d/);
});

test('config: a price table needs the day it was checked', () => {
  const bad = structuredClone(TFL_CONFIG) as { systems: Array<{ pricing: Record<string, unknown> }> };
  delete bad.systems[0].pricing.checked;
  assert.throws(() => parseSystemsConfig(bad), /pricing\.checked/);
});

test('several cities and none named: asks which, then answers for the one named', async () => {
  const paris = { id: 'tiny', name: 'Tiny Town Bikes', timezone: 'Europe/Paris', aliases: ['paris'], service: { pricing: null, contact: { phone: '01 23', url: null, email: null, source: 'config' as const } } };
  const tiny = { feedId: 'tiny', systemId: 'tiny', fetchedAt: OBSERVED, asOf: OBSERVED, stations: [] };
  const index = new StationIndex([{ feedId: 'tfl', systemId: 'tfl', fetchedAt: OBSERVED, asOf: OBSERVED, stations: londonStations() }, tiny], [LONDON, paris]);
  const h = harness({ index });
  const which = await h.ask('my bike has a puncture');
  assert.equal(which.intent, 'problem');
  assert.match(which.reply, /Which city/);
  const named = await h.ask('my bike has a puncture in paris');
  assert.match(named.reply, /Only Tiny Town Bikes can fix a bike, a dock or a hire: call 01 23\./);
});

test('what BikeBot can do: two sentences and an example; other languages: English only, in English', async () => {
  const h = harness();
  const help = await h.ask('what kind of questions can you answer');
  assert.equal(help.intent, 'help');
  assert.equal(help.reply.split(/(?<=[.?!])\s+(?=[A-Z])/).length, 2, help.reply);
  assert.match(help.reply, /e\.g\. "bikes at /);
  for (const text of ['Wo kann ich hier ein Fahrrad ausleihen?', 'Wie spät ist es?', '¿Dónde está la estación más cercana?', 'Где велосипеды?', '東京の自転車']) {
    const a = await h.ask(text);
    assert.equal(a.intent, 'other_language', text);
    assert.match(a.reply, /^Sorry, I only understand English\./);
    assert.deepEqual(a.stations, []);
  }
  // A foreign question that still names a station is answered.
  const fr = await h.ask('bonjour, y a-t-il des vélos à waterloo station 3 ?');
  assert.equal(fr.stations[0]?.id, 'BikePoints_12');
});
