import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { startTestServer, type TestServer } from '../channels/fixtures/app.js';
import { fixturePipeline, NOW, OBSERVED } from '../channels/fixtures/pipeline.js';
import { REAL_GAZETTEER, REAL_NOW, REAL_SNAPSHOT, realPipeline } from '../channels/fixtures/real-pipeline.js';
import { skipWithoutShared } from '../helpers/shared-data.js';
import { harness, station } from '../dialog/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found; browser tests skipped (apt-get install chromium)`;
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

const VIEWPORTS: Array<{ name: string; options: BrowserContextOptions }> = [
  // A browser in UTC: the page must show London's clock for London's counts, and say so.
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 }, timezoneId: 'UTC' } },
  { name: 'phone', options: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, timezoneId: 'UTC' } },
];

/** Cheapside, Bank is about 20 m from here. */
const NEAR_CHEAPSIDE = { latitude: 51.5139, longitude: -0.0921 };

describe('web chat in Chromium', { skip }, () => {
  let browser: Browser;
  let server: TestServer;
  /** The same pipeline two hours on: the counts are old and must be flagged. */
  let staleServer: TestServer;
  before(async () => {
    server = await startTestServer();
    staleServer = await startTestServer({}, '127.0.0.1', fixturePipeline({ now: NOW + 2 * 3600_000 }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await staleServer?.close();
  });

  /** A fresh context per test; screenshots on failure go to test-artifacts/ for CI. */
  async function withPage(t: TestContext, viewport: (typeof VIEWPORTS)[number], extra: BrowserContextOptions, fn: (page: Page) => Promise<void>, on: { url: string; clockMs?: number } = server): Promise<void> {
    const context = await browser.newContext({ ...viewport.options, ...extra });
    const page = await context.newPage();
    // The page says how old the counts are by the browser's clock: set it to the server's.
    await page.clock.setFixedTime(on.clockMs ?? NOW);
    page.setDefaultTimeout(10_000);
    const foreign: string[] = [];
    page.on('request', (req) => {
      const u = new URL(req.url());
      if (u.origin !== new URL(on.url).origin && u.protocol !== 'data:') foreign.push(req.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(on.url + '/');
      await fn(page);
      assert.deepEqual(foreign, [], 'the page makes no requests to other origins');
      assert.deepEqual(errors, [], 'no script errors');
    } catch (err) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, `${t.name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await context.close();
    }
  }

  async function noHorizontalScroll(page: Page): Promise<void> {
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(scroll <= client, `page is ${scroll}px wide in a ${client}px viewport`);
  }

  for (const vp of VIEWPORTS) {
    test(`${vp.name}: ask by typing, then choose an option by tapping`, async (t) => {
      await withPage(t, vp, {}, async (page) => {
        const box = page.getByLabel('Your question');
        await box.fill('bikes at waterloo');
        await box.press('Enter');
        // nth(0) is the introduction; the first reply stays nth(1) as more arrive.
        const options = page.locator('.msg.bot').nth(1).locator('button.option');
        await options.first().waitFor();
        assert.equal(await options.count(), 3);
        assert.match(await page.locator('[role="log"]').innerText(), /Which one/);
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'question', 'focus returns to the question box');
        const id = await page.evaluate(() => sessionStorage.getItem('bikebot.conversationId'));
        assert.match(id ?? '', /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/, 'an id the server issued');
        await noHorizontalScroll(page);

        const second = options.filter({ hasText: 'Waterloo Station 2' });
        if (vp.options.hasTouch) await second.tap();
        else await second.click();
        const card = page.locator('.msg.bot').nth(2).locator('.card').first();
        await card.waitFor();
        assert.match(await card.locator('h2').innerText(), /Waterloo Station 2, Waterloo/);
        const counts = await card.locator('.counts').innerText();
        assert.match(counts, /bikes\s*0/);
        assert.match(counts, /spaces\s*52/);
        assert.equal(await options.first().isDisabled(), true, 'a used choice cannot be sent twice');
        assert.ok((await page.locator('.msg.bot').nth(2).locator('svg.map circle').count()) >= 1, 'the SVG map shows the station');
        assert.equal(await page.evaluate(() => sessionStorage.getItem('bikebot.conversationId')), id, 'same conversation');
        await noHorizontalScroll(page);
      });
    });

    test(`${vp.name}: "use my location" asks for the nearest bikes`, async (t) => {
      await withPage(t, vp, { permissions: ['geolocation'], geolocation: NEAR_CHEAPSIDE }, async (page) => {
        await page.getByRole('button', { name: /use my location/i }).click();
        const reply = page.locator('.msg.bot').last();
        await reply.locator('.card').first().waitFor();
        assert.match(await reply.locator('.card h2').first().innerText(), /Cheapside, Bank/);
        assert.match(await reply.locator('.card .meta').first().innerText(), /\d+ m away/);
        assert.match(await reply.locator('.card .meta').first().innerText(), /\d+ min walk · counts from \d\d:\d\d/);
        assert.equal(await reply.locator('svg.map circle.you').count(), 1, 'your position is on the map');
        assert.match(await page.locator('.msg.user').last().innerText(), /my location/i);
        await noHorizontalScroll(page);
      });
    });
  }

  /** Every part of a station card is there, readable, and inside a phone-wide screen. */
  async function assertFullCard(page: Page, card: ReturnType<Page['locator']>, want: { distance: boolean; age: RegExp }): Promise<void> {
    const labels = await card.locator('.counts dt').allInnerTexts();
    assert.ok(['bikes,e-bikes,spaces', 'classic bikes,e-bikes,spaces'].includes(labels.join(',')), labels.join(','));
    for (const v of await card.locator('.counts dd').allInnerTexts()) assert.match(v, /^(\d+|unknown)$/);
    const meta = await card.locator('.meta').innerText();
    if (want.distance) assert.match(meta, /\d+ m away|\d+\.\d km away/);
    assert.match(meta, want.age);
    const width = page.viewportSize()!.width;
    for (const part of [card.locator('h2'), card.locator('.counts dt'), card.locator('.counts dd'), card.locator('.meta')]) {
      for (const box of await part.evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, clipped: e.scrollWidth > e.clientWidth + 1, shown: r.width > 0 && r.height > 0 };
      }))) {
        assert.ok(box.shown && box.left >= 0 && box.right <= width && !box.clipped, `card part inside ${width}px and not clipped: ${JSON.stringify(box)}`);
      }
    }
  }

  test('phone, 360 px: station cards show bikes, e-bikes, spaces, distance and the data age', async (t) => {
    await withPage(t, VIEWPORTS[1], { permissions: ['geolocation'], geolocation: NEAR_CHEAPSIDE }, async (page) => {
      await page.getByRole('button', { name: /use my location/i }).click();
      const reply = page.locator('.msg.bot').last();
      await reply.locator('.card').first().waitFor();
      const cards = reply.locator('.card');
      assert.ok((await cards.count()) >= 2);
      for (let i = 0; i < (await cards.count()); i++) await assertFullCard(page, cards.nth(i), { distance: true, age: /\d+ min walk · counts from 09:25 London time, 2 min ago/ });
      assert.deepEqual(await cards.first().locator('.counts dd').allInnerTexts(), ['4', '2', '14'], 'Cheapside: four classic bikes and two e-bikes (six in all, never counted twice), 14 spaces');
      assert.equal(await reply.locator('.meta.stale').count(), 0, 'fresh counts are not flagged');
      await noHorizontalScroll(page);
    });
  });

  test('phone, 360 px: old counts are flagged on every card, in words and in colour', async (t) => {
    await withPage(
      t,
      VIEWPORTS[1],
      {},
      async (page) => {
        const box = page.getByLabel('Your question');
        await box.fill('bikes at cheapside');
        await box.press('Enter');
        const reply = page.locator('.msg.bot').nth(1);
        const card = reply.locator('.card').first();
        await card.waitFor();
        assert.match(await reply.locator('p').first().innerText(), /Old data: counts from 09:25/);
        await assertFullCard(page, card, { distance: false, age: /counts from 09:25 London time, 2 h ago/ });
        const flag = card.locator('.meta.stale');
        assert.equal(await flag.count(), 1, 'the card carries the stale flag');
        assert.match(await flag.innerText(), /may be out of date/);
        const look = await flag.evaluate((e) => {
          const normal = document.createElement('p');
          normal.className = 'meta';
          e.parentElement!.append(normal);
          const out = { stale: getComputedStyle(e).color, normal: getComputedStyle(normal).color, weight: Number(getComputedStyle(e).fontWeight) };
          normal.remove();
          return out;
        });
        assert.notEqual(look.stale, look.normal, 'stale counts stand out in colour');
        assert.ok(look.weight >= 600, 'and in weight');
        await noHorizontalScroll(page);
      },
      { url: staleServer.url, clockMs: NOW + 2 * 3600_000 },
    );
  });

  test('phone: a choice whose names were shortened to fit an SMS is shown once, as buttons', async (t) => {
    const long = Array.from({ length: 5 }, (_, i) =>
      station(`BikePoints_${900 + i}`, `Queen Elizabeth Olympic Park Aquatics Centre Gate ${i + 1}, Queen Elizabeth Olympic Park, Stratford International Quarter`, 51.54 + i * 0.0004, -0.012, 5 + i, 6, 14),
    );
    const h = harness({ stations: long });
    const longServer = await startTestServer({ handleTurn: h.handle });
    try {
      await withPage(
        t,
        VIEWPORTS[1],
        {},
        async (page) => {
          const box = page.getByLabel('Your question');
          await box.fill('bikes at queen elizabeth olympic park aquatics centre gate');
          await box.press('Enter');
          const reply = page.locator('.msg.bot').nth(1);
          await reply.locator('button.option').first().waitFor();
          const buttons = await reply.locator('button.option').count();
          assert.ok(buttons >= 2);
          const text = await reply.locator('p').first().innerText();
          assert.match(text, /Which one/);
          assert.doesNotMatch(text, /^\s*\d+\)/m, `the numbered list is not repeated above the buttons: ${text}`);
          await noHorizontalScroll(page);
        },
        { url: longServer.url },
      );
    } finally {
      await longServer.close();
    }
  });

  /**
   * A real server with room for one request at a time, that one held open by another
   * client: the page's question is refused by the overload guard (503 + Retry-After 2).
   */
  async function busyServer(): Promise<{ server: TestServer; hold: () => Promise<void>; release: () => void; held: () => Promise<unknown> }> {
    const pipeline = fixturePipeline();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let posts = 0;
    const server = await startTestServer(
      {
        maxConcurrent: 1,
        handleTurn: async (msg) => {
          posts++;
          if (posts === 1) await gate;
          return pipeline.handleTurn(msg);
        },
      },
      '127.0.0.1',
      pipeline,
    );
    let held: Promise<unknown> = Promise.resolve();
    // Taken once the page has loaded: the page's own files are not what this is about.
    const hold = async () => {
      held = fetch(server.url + '/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"bikes at cheapside"}' });
      while (posts === 0) await new Promise((r) => setTimeout(r, 5));
    };
    return { server, hold, release, held: () => held };
  }

  test('busy server: the page says it is retrying, waits the Retry-After, asks once more and shows the answer', async (t) => {
    const busy = await busyServer();
    try {
      await withPage(
        t,
        VIEWPORTS[1],
        {},
        async (page) => {
          const statuses: number[] = [];
          page.on('response', (r) => {
            if (new URL(r.url()).pathname === '/api/chat') statuses.push(r.status());
          });
          await busy.hold();
          const box = page.getByLabel('Your question');
          await box.fill('bikes at cheapside');
          await box.press('Enter');
          await page.getByRole('status').filter({ hasText: /BikeBot is busy, retrying in [12] s/ }).waitFor();
          assert.equal(await page.locator('.msg.bot.error').count(), 0, 'no error while it waits');
          busy.release();
          await busy.held();
          const card = page.locator('.msg.bot').nth(1).locator('.card').first();
          await card.waitFor();
          assert.match(await card.locator('h2').innerText(), /Cheapside, Bank/);
          assert.deepEqual(statuses, [503, 200], 'one refusal, one retry');
          assert.equal(await page.getByRole('status').innerText(), '', 'the busy note is gone');
        },
        busy.server,
      );
    } finally {
      busy.release();
      await busy.server.close();
    }
  });

  test('busy server that is still busy: one retry only, then the refusal is shown', async (t) => {
    const busy = await busyServer();
    try {
      await withPage(
        t,
        VIEWPORTS[0],
        {},
        async (page) => {
          let chatRequests = 0;
          page.on('request', (r) => {
            if (new URL(r.url()).pathname === '/api/chat') chatRequests++;
          });
          await busy.hold();
          const box = page.getByLabel('Your question');
          await box.fill('bikes at cheapside');
          await box.press('Enter');
          const error = page.locator('.msg.bot.error');
          await error.waitFor();
          assert.match(await error.innerText(), /busy/i);
          assert.equal(chatRequests, 2, 'the question and a single retry');
          assert.equal(await page.locator('#send').isDisabled(), false, 'the box is usable again');
        },
        busy.server,
      );
    } finally {
      busy.release();
      await busy.held();
      await busy.server.close();
    }
  });

  test('keyboard only: Tab reaches the box, Enter sends, errors are shown plainly', async (t) => {
    await withPage(t, VIEWPORTS[0], {}, async (page) => {
      await page.keyboard.press('Tab'); // skip link
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'question');
      await page.keyboard.type('x'.repeat(500));
      await page.keyboard.press('Enter');
      await page.locator('.msg.bot').nth(1).waitFor();
      const text = await page.locator('.msg.bot').nth(1).innerText();
      assert.ok(text.length > 0);
    });
  });
});

const realSkip = skip || skipWithoutShared(REAL_SNAPSHOT, REAL_GAZETTEER);

describe('web chat in Chromium on the real TfL snapshot and gazetteer', { skip: realSkip }, () => {
  let browser: Browser;
  let server: TestServer;
  before(async () => {
    server = await startTestServer({}, '127.0.0.1', realPipeline());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('phone: "bikes near the british museum" answers with three full cards and a map; the README picture', async () => {
    const context = await browser.newContext(VIEWPORTS[1].options);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.clock.setFixedTime(REAL_NOW + 20_000);
    try {
      await page.goto(server.url + '/');
      const box = page.getByLabel('Your question');
      await box.fill('bikes near the british museum');
      await box.press('Enter');
      const reply = page.locator('.msg.bot').nth(1);
      await reply.locator('.card').first().waitFor();
      assert.match(await reply.locator('p').first().innerText(), /^Nearest bikes to .*British Museum/);
      const cards = reply.locator('.card');
      assert.equal(await cards.count(), 3);
      const names = await cards.locator('h2').allInnerTexts();
      assert.match(names[0], /British Museum, Bloomsbury/);
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await cards.nth(i).locator('.counts dt').allInnerTexts(), ['bikes', 'e-bikes', 'spaces']);
        assert.match(await cards.nth(i).locator('.meta').innerText(), /^\d+ m away · \d+ min walk · counts from \d\d:\d\d London time, 3 min ago$/);
      }
      // The dock at the museum itself: rounded as the reply says it, not "0 m".
      assert.match(await cards.first().locator('.meta').innerText(), /^10 m away · 1 min walk · /);
      assert.equal(await cards.first().locator('.counts dd').nth(1).getAttribute('title'), 'not published by the operator', 'TfL published no e-bike counts in 2022');
      assert.equal(await reply.locator('svg.map circle.st').count(), 3);
      // The place marker sits on station 1 here; the chosen dock must stay on top.
      const onTop = await reply.locator('svg.map g.chosen circle.st').evaluate((c) => {
        c.scrollIntoView({ block: 'center' });
        const r = c.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit?.closest('g') === c.closest('g');
      });
      assert.equal(onTop, true, 'station 1 is not hidden under the place marker');
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      assert.ok(scroll <= client);
      const readmeShot = join(REPO_ROOT, 'docs', 'web-chat.png');
      if (!existsSync(readmeShot)) {
        // The README's picture of the page: a phone after a real question was answered.
        // Only made when missing (delete it to refresh), so test runs leave the tree clean.
        mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
        // The question at the top, the answer under it.
        await page.locator('.msg.user').last().evaluate((e) => e.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: readmeShot, animations: 'disabled' });
      }
    } catch (err) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'real-data-phone.png'), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await context.close();
    }
  });
});
