import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { GbfsRoutes } from '../../src/replay/gbfs-routes.js';
import { startReplayServer } from '../../src/replay/replay-server.js';
import { buildServedApp } from '../../src/serve.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { startFakeTwilio } from './fake-twilio.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, textBot, until } from './helpers.js';

/**
 * GBFS system_alerts end to end: the replay server serves Divvy's real captured feed
 * (../shared/data/gbfs/divvy-chicago, copied to a temporary folder, never into the
 * repository) with a system_alerts.json beside it — written here, since no captured
 * feed publishes one. Closing a station is what an operator does: rewrite that file.
 */
const DIVVY = join(SHARED_DATA, 'gbfs', 'divvy-chicago');
const skip = skipWithoutShared('data/gbfs/divvy-chicago/station_information.json', 'data/gbfs/divvy-chicago/gbfs.json');
const PHONE = '+447700900456';

/** Real stations: the one that closes, and its nearest neighbour. */
function realStations(): { id: string; name: string } {
  const info = JSON.parse(readFileSync(join(DIVVY, 'station_information.json'), 'utf8')) as { data: { stations: Array<{ station_id: string; name: string }> } };
  const s = info.data.stations.find((x) => x.name === 'Nordica Ave & Medill Ave') ?? info.data.stations[0];
  return { id: s.station_id, name: s.name };
}

function systemAlerts(alerts: unknown[]): string {
  // ttl 0: read again on every poll, like station_status.
  return JSON.stringify({ last_updated: Math.floor(Date.now() / 1000), ttl: 0, version: '2.3', data: { alerts } });
}

test('a GBFS system_alerts closure is said in answers and fires "tell me if my station closes"', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-gbfs-closure-'));
  const folder = join(dir, 'divvy-chicago');
  cpSync(DIVVY, folder, { recursive: true });
  // The captured discovery, listing system_alerts as a feed that publishes it would.
  const gbfs = JSON.parse(readFileSync(join(folder, 'gbfs.json'), 'utf8')) as { data: { en: { feeds: Array<{ name: string; url: string }> } } };
  gbfs.data.en.feeds.push({ name: 'system_alerts', url: 'https://example.invalid/system_alerts.json' });
  writeFileSync(join(folder, 'gbfs.json'), JSON.stringify(gbfs));
  writeFileSync(join(folder, 'system_alerts.json'), systemAlerts([]));

  const routes = new GbfsRoutes({ folders: [folder] });
  const replay = await startReplayServer({ routes: [routes] });
  const fake = await startFakeTwilio();
  const config = join(dir, 'bikebot.json');
  writeFileSync(config, JSON.stringify({ systems: [{ id: 'divvy', kind: 'gbfs', url: routes.entryUrl(replay.url, 'divvy-chicago'), name: 'Divvy', timezone: 'America/Chicago', aliases: ['chicago'] }] }));
  const cfg = loadConfig({
    argv: ['serve', '--config', config, '--data-dir', join(dir, 'data'), '--log-level', 'silent', '--poll-interval-ms', '100', '--public-url', PUBLIC_URL,
      '--twilio-auth-token', AUTH_TOKEN, '--twilio-account-sid', ACCOUNT_SID, '--twilio-from', '+447700900000', '--twilio-api-url', fake.url, '--alert-quiet-hours', 'none',
      // Not a test of shedding: a loaded machine's event-loop lag must not turn texts away.
      '--max-event-loop-delay', '0'],
    env: {},
  });
  const served = await buildServedApp(cfg, { processMetrics: false });
  try {
    await served.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(served.app.server.address() as AddressInfo).port}`;
    const poller = served.core.pollers[0];
    await poller.pollNow();
    const w = realStations();

    assert.match(await textBot(base, PHONE, `home is ${w.name}`), new RegExp(`^Saved ${w.name}.* as home\\.`));
    assert.match(await textBot(base, PHONE, 'tell me if my station closes'), new RegExp(`^OK: I'll text you when it closes at ${w.name} until \\d\\d:\\d\\d \\(alert 1\\)\\.`));
    assert.doesNotMatch(await textBot(base, PHONE, `bikes at ${w.name}`), /closed/);

    // The operator closes the station for street works, from an hour ago for three hours.
    const end = new Date(Date.now() + 3 * 3600_000);
    writeFileSync(join(folder, 'system_alerts.json'), systemAlerts([
      { alert_id: 'works-1', type: 'STATION_CLOSURE', station_ids: [w.id], times: [{ start: Math.floor(Date.now() / 1000) - 3600, end: Math.floor(end.getTime() / 1000) }], last_updated: Math.floor(Date.now() / 1000), summary: 'Closed for street works.' },
    ]));
    // system_alerts is due again after the 100 ms floor: poll until the new copy is read.
    await until(() => {
      void poller.pollNow();
      return served.core.live.index()?.get(`divvy:${w.id}`)?.closure != null;
    });
    await served.core.alerts!.service.settled();
    await fake.waitFor(1);

    const until_ = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Chicago', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(end);
    assert.equal(fake.sent.length, 1);
    assert.equal(fake.sent[0].to, PHONE);
    assert.match(fake.sent[0].body, new RegExp(`^BikeBot alert: ${w.name} has closed until ${until_} \\(Closed for street works\\) \\(as of \\d\\d:\\d\\d\\)\\. This alert is done\\.$`));

    const answer = await textBot(base, PHONE, `bikes at ${w.name}`);
    assert.match(answer, new RegExp(`^${w.name} is closed until ${until_} \\(Closed for street works\\)\\. .+ is \\d+ m away, \\d+ min walk, with`));
    // The one-shot rule is done: another poll sends nothing more.
    await poller.pollNow();
    await served.core.alerts!.service.settled();
    assert.equal(fake.sent.length, 1);
  } finally {
    await served.app.close();
    await served.core.close();
    await Promise.all([replay.close(), fake.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
});
