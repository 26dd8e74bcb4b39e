import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { startAlertStack, TIMES as T, until, type AlertStack } from '../alerts/helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found; browser tests skipped (apt-get install chromium)`;
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

let browser: Browser;
let stack: AlertStack;
before(async () => {
  if (skip) return;
  stack = await startAlertStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

test('an alert set in the web chat appears on the open page when the replay server changes the counts', { skip }, async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(stack.base + '/');
    const box = page.getByLabel('Your question');
    // Phillimore Gardens has 5 bikes at t0, 6 at t1 and 30 at t2.
    await box.fill('tell me when there are 20 bikes at Phillimore Gardens');
    await box.press('Enter');
    const confirm = page.locator('.msg.bot').nth(1);
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /OK: I'll tell you when there are 20 bikes or more at Phillimore Gardens, Kensington until \d\d:\d\d \(alert 1\)\./);

    // The page opened its stream with the token it keeps in localStorage.
    const device = await page.evaluate(() => localStorage.getItem('bikebot.deviceToken'));
    assert.match(device ?? '', /^[A-Za-z0-9_-]{16,64}$/);
    const sse = stack.served.core.alerts!.sse;
    await until(() => sse.connected(device as string) === 1);
    assert.equal(await page.locator('.msg.alert').count(), 0);

    await stack.pollAt(T[1]);
    assert.equal(await page.locator('.msg.alert').count(), 0, '6 bikes is not 20');
    await stack.pollAt(T[2]);
    const alert = page.locator('.msg.bot.alert');
    await alert.waitFor();
    // 09:00 UTC in July is 10:00 in London: the feed's observation time, not ours.
    assert.equal(await alert.innerText(), 'BikeBot alert: 30 bikes at Phillimore Gardens, Kensington (as of 10:00). This alert is done.');
    assert.match((await alert.getAttribute('data-alert')) ?? '', /^[A-Za-z0-9_-]{24}$/, 'the delivery id travels with it');
    assert.equal(stack.fake.sent.length, 0, 'the web alert went to the page only');

    // A reload listens again from the start (the page remembers it has alerts), and the
    // one-shot alert, already delivered, is not repeated.
    await page.reload();
    await until(() => sse.connected(device as string) === 1);
    await stack.pollAt(T[1]);
    await stack.pollAt(T[2]);
    assert.equal(await page.locator('.msg.alert').count(), 0);
    assert.deepEqual(errors, [], 'no script errors');
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${t.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
});
