import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { buildServedApp, type ServedApp as Served } from '../../src/serve.js';
import { startReplayServer, type ReplayServer } from '../../src/replay/replay-server.js';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { FIXTURE_TIMES, makeTflFolder } from '../replay/replay-fixture.js';
import { startFakeTwilio, type FakeTwilio } from './fake-twilio.js';
import { ACCOUNT_SID, AUTH_TOKEN } from './helpers.js';

const T = FIXTURE_TIMES.map((t) => new Date(t + 'Z'));

/** Starts the crash child on a fresh store, lets it set its rule, moves the counts, and kills it where it stopped. */
async function crashAt(stopAt: 'send' | 'enqueue', run: (restart: () => Promise<Served>, fake: FakeTwilio, replay: ReplayServer) => Promise<void>): Promise<void> {
  const folder = makeTflFolder();
  const dataDir = mkdtempSync(join(tmpdir(), 'bikebot-alerts-crash-'));
  const replay = await startReplayServer({ source: folder.dir, startAt: T[0] });
  const fake = await startFakeTwilio();
  const args = ['--tfl-url', replay.url, '--data-dir', dataDir, '--log-level', 'silent', '--poll-interval', '30', '--twilio-auth-token', AUTH_TOKEN, '--twilio-account-sid', ACCOUNT_SID, '--twilio-from', '+447700900000', '--twilio-api-url', fake.url, '--alert-quiet-hours', 'none'];
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/alerts/crash-child.ts'), stopAt, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const seen = (word: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(word) ? resolve() : undefined);
        child.stdout.on('data', (c: Buffer) => ((out += c.toString()), check()));
        child.on('exit', (code) => reject(new Error(`child exited ${code} before ${word}: ${out}`)));
        check();
      });
    await seen('READY alert');
    replay.setReplayTime(T[2]);
    child.stdin.write('poll\n');
    await seen('STOPPED');
    // Whatever the child would write meanwhile (a batched write commits on the next turn) is written.
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => child.on('exit', (_c, sig) => r(sig)));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.equal(fake.sent.length, 0, 'nothing was sent before the crash');
    let served: Served | null = null;
    try {
      await run(async () => (served = await buildServedApp(loadConfig({ argv: ['serve', ...args], env: {} }), { processMetrics: false })), fake, replay);
    } finally {
      if (served) {
        await (served as Served).app.close();
        await (served as Served).core.close();
      }
    }
  } finally {
    await Promise.all([replay.close(), fake.close()]);
    folder.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('kill -9 between persisting an alert and sending it: after restart it is sent once, not twice, not zero times', () =>
  crashAt('send', async (restart, fake, replay) => {
    // Restart on the same store: the pending delivery is resumed and sent once.
    const served = await restart();
    await fake.waitFor(1);
    await served.core.alerts!.service.settled();
    assert.equal(fake.sent.length, 1);
    assert.equal(fake.sent[0].to, '+447700900555');
    assert.match(fake.sent[0].body, /30 bikes at Phillimore Gardens, Kensington \(as of 10:00\)/);
    // The same snapshot again, and the same change replayed: the dedupe key holds.
    await served.core.pollers[0].pollNow();
    replay.setReplayTime(T[1]);
    await served.core.pollers[0].pollNow();
    await served.core.alerts!.service.settled();
    replay.setReplayTime(T[2]);
    await served.core.pollers[0].pollNow();
    await served.core.alerts!.service.settled();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fake.sent.length, 1, 'sent once, not twice');
    assert.equal(served.core.alerts!.service.rulesOf('sms:crash-test-owner').length, 1, 'the recurring rule is still there');
  }));

test('kill -9 after a snapshot is evaluated and before its alerts are persisted: the stored snapshot is not ahead, so after restart the change is sent once', () =>
  crashAt('enqueue', async (restart, fake) => {
    // The snapshot of the change was not stored before its alerts were: the restart's
    // "before" is the one evaluated last, and its first poll finds the change again.
    const served = await restart();
    await served.core.pollers[0].pollNow();
    await served.core.alerts!.service.settled();
    await fake.waitFor(1);
    assert.match(fake.sent[0].body, /30 bikes at Phillimore Gardens, Kensington \(as of 10:00\)/);
    await served.core.pollers[0].pollNow();
    await served.core.alerts!.service.settled();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fake.sent.length, 1, 'sent once, not twice');
  }));
