import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { buildServedApp, type ServedApp } from '../../src/serve.js';
import { makeTflFolder } from '../replay/replay-fixture.js';
import { deletePrefix, skipWithoutRedis, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { startFakeTwilio } from './fake-twilio.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, textBot, TIMES as T, until } from './helpers.js';

/**
 * Replicas on one real Redis hand the feed lease (and with it alert evaluation) to
 * each other. The new holder must diff its first snapshot against the last one the
 * old holder stored and evaluated — not against nothing (a change in between would
 * be missed) nor an older one (a change already told would be told again) — and a
 * rule set on any replica must reach whichever evaluates.
 */
const skip = await skipWithoutRedis('alert handover tests');
const prefix = uniquePrefix('alerts-handover');
after(() => deletePrefix(prefix));
const PHONE = '+447700900789';
const STATION = 'BikePoints_2';

test('a new lease holder misses no transition and repeats none; rules set on a follower reach the holder', { skip, timeout: 120_000 }, async () => {
  const folder = makeTflFolder();
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-alerts-handover-'));
  // max-age 0: each poll asks again, so a change of replay time shows at the next poll.
  const replay = await startReplayServer({ source: folder.dir, startAt: T[0], maxAgeS: 0 });
  const fake = await startFakeTwilio();
  const apps: ServedApp[] = [];
  const open = async (name: string) => {
    const cfg = loadConfig({
      argv: ['serve', '--tfl-url', replay.url, '--redis-url', TEST_REDIS_URL, '--redis-prefix', prefix, '--data-dir', join(dir, name), '--log-level', 'silent', '--poll-interval-ms', '500', '--public-url', PUBLIC_URL,
        '--twilio-auth-token', AUTH_TOKEN, '--twilio-account-sid', ACCOUNT_SID, '--twilio-from', '+447700900000', '--twilio-api-url', fake.url, '--alert-quiet-hours', 'none',
      // Not a test of shedding: a loaded machine's event-loop lag must not turn texts away.
      '--max-event-loop-delay', '0'],
      env: {},
    });
    const app = await buildServedApp(cfg, { processMetrics: false });
    apps.push(app);
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    return { app, core: app.core, base: `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}` };
  };
  const closeApp = async (app: ServedApp) => {
    await app.app.close();
    await app.core.close();
  };
  const bikes = (core: ServedApp['core']) => core.live.index()?.get(STATION)?.bikes;
  try {
    // B is built before any snapshot exists, so it restores none: all it knows, it learns following A.
    const a = await open('a');
    const b = await open('b');
    a.core.start();
    await until(() => a.core.leases!.isHolder('tfl') && bikes(a.core) === 5);
    b.core.start();
    await until(() => bikes(b.core) === 5, 15_000);
    assert.equal(b.core.leases!.isHolder('tfl'), false);

    // The rule is set through the follower; A, which evaluates, must have it.
    assert.match(await textBot(b.base, PHONE, 'text me whenever there are 20 bikes at Phillimore Gardens'), /^OK: I'll text you each time when there are 20 bikes or more at Phillimore Gardens/);
    await until(() => a.core.alerts!.service.rules.size === 1);

    // 6 bikes at t1: nothing to say; B follows the stored snapshot.
    replay.setReplayTime(T[1]);
    await until(() => bikes(a.core) === 6 && bikes(b.core) === 6, 15_000);
    // C is built now, restoring t1's snapshot: its "before" would stay t1 unless it follows.
    const c = await open('c');

    // A stops polling, t2 comes (30 bikes), and A leaves: B's first poll as holder reads t2.
    await a.core.pollers[0].stop();
    replay.setReplayTime(T[2]);
    await closeApp(a.app);
    apps.splice(apps.indexOf(a.app), 1);
    await until(() => b.core.leases!.isHolder('tfl') && bikes(b.core) === 30, 15_000);
    await b.core.alerts!.service.settled();
    await fake.waitFor(1);
    assert.equal(fake.sent.length, 1, 'the change from 6 to 30 bikes, over the handover, is told once');
    assert.equal(fake.sent[0].to, PHONE);
    assert.equal(fake.sent[0].body, 'BikeBot alert: 30 bikes at Phillimore Gardens, Kensington (as of 10:00).');
    // C joins as a follower (started only now, so that B, not C, took over from A).
    c.core.start();

    // B hands over to C, which followed B's snapshots: nothing changed since, nothing is sent again.
    await until(() => bikes(c.core) === 30, 15_000);
    await b.core.pollers[0].stop();
    await closeApp(b.app);
    apps.splice(apps.indexOf(b.app), 1);
    await until(() => c.core.leases!.isHolder('tfl') && c.core.pollers[0].status.lastSuccessAt !== null, 15_000);
    await c.core.pollers[0].pollNow();
    await c.core.alerts!.service.settled();
    assert.equal(fake.sent.length, 1, 'nothing is repeated after the second handover');
    assert.equal(c.core.alerts!.service.rules.size, 1, 'the recurring rule lives on');
  } finally {
    await Promise.all(apps.map(closeApp));
    await Promise.all([replay.close(), fake.close()]);
    folder.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
