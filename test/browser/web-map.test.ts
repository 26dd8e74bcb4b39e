/**
 * The web page as a person finishes a conversation on it, in Chromium at phone size
 * (360×740) and on a desktop: the slippy map over tiles (a loopback tile server stands
 * in for OpenStreetMap), the offline drawing when tiles are unreachable, walk-there
 * links, the system's clock, server-issued conversation ids, keyboard only, and axe
 * (WCAG and best practices) with no violations. The README's screenshots come from here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { startTestServer, type TestServer } from '../channels/fixtures/app.js';
import { NOW } from '../channels/fixtures/pipeline.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} not found; browser tests skipped (apt-get install chromium)`;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, timezoneId: 'America/New_York' };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, timezoneId: 'America/New_York' };
const NEAR_CHEAPSIDE = { latitude: 51.5139, longitude: -0.0921 };

/** A 256×256 PNG of one colour with a darker grid: plainly a test tile, not a street map. */
function tilePng(): Buffer {
  const size = 256;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const line = x % 64 === 0 || y % 64 === 0;
      row.set(line ? [205, 210, 214] : [236, 238, 240], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
}

/** Violations as "rule: targets", so a failure says what to fix. */
async function axe(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's CSP (script-src 'self') stays as it is.
  await page.evaluate(AXE_SOURCE);
  const r = (await page.evaluate(() =>
    (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  )) as AxeResult;
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('web map and cards in Chromium', { skip }, () => {
  let browser: Browser;
  let tiles: Server;
  let tileUrl: string;
  let tileRequests = 0;
  let online: TestServer;
  let offline: TestServer;

  before(async () => {
    const png = tilePng();
    tiles = createServer((req, res) => {
      tileRequests++;
      res.writeHead(/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '') ? 200 : 404, { 'content-type': 'image/png', 'access-control-allow-origin': '*' });
      res.end(png);
    });
    await new Promise<void>((r) => tiles.listen(0, '127.0.0.1', r));
    const port = (tiles.address() as { port: number }).port;
    tileUrl = `http://127.0.0.1:${port}/{z}/{x}/{y}.png`;
    online = await startTestServer({ mapTiles: tileUrl });
    // Tiles configured but unreachable: the page must fall back to its own drawing.
    offline = await startTestServer({ mapTiles: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  });
  after(async () => {
    await browser?.close();
    await online?.close();
    await offline?.close();
    await new Promise<void>((r) => (tiles ? tiles.close(() => r()) : r()));
  });

  async function page(options: BrowserContextOptions, on: TestServer, fn: (p: Page) => Promise<void>): Promise<void> {
    // Reduced motion: a message fades in over 0.15 s (style.css), and axe run mid-fade measures the
    // blended colours, failing contrast now and then. The page honours the setting; the colours checked
    // are the ones it settles on.
    const context = await browser.newContext({ reducedMotion: 'reduce', ...options });
    const p = await context.newPage();
    await p.clock.setFixedTime(NOW);
    p.setDefaultTimeout(10_000);
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    const foreign: string[] = [];
    p.on('request', (req) => {
      const u = new URL(req.url());
      if (u.origin !== new URL(on.url).origin && !req.url().startsWith(tileUrl.slice(0, tileUrl.indexOf('/{z}'))) && u.protocol !== 'data:' && !u.port.startsWith('9')) foreign.push(req.url());
    });
    try {
      await p.goto(on.url + '/');
      await fn(p);
      assert.deepEqual(errors, [], 'no script errors');
      assert.deepEqual(foreign, [], 'no requests but to us and the configured tiles (no CDN)');
    } catch (err) {
      mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
      await p.screenshot({ path: join(REPO_ROOT, 'test-artifacts', `web-map-${Date.now()}.png`), fullPage: true }).catch(() => {});
      throw err;
    } finally {
      await context.close();
    }
  }

  async function ask(p: Page, text: string): Promise<ReturnType<Page['locator']>> {
    const before = await p.locator('.msg.bot').count();
    await p.getByLabel('Your question').fill(text);
    await p.getByLabel('Your question').press('Enter');
    const reply = p.locator('.msg.bot').nth(before);
    await reply.waitFor();
    return reply;
  }

  for (const [name, options] of [['phone 360×740', PHONE], ['desktop', DESKTOP]] as const) {
    test(`${name}: a shared location → slippy map with count markers, "you", the chosen station on top, walk-there links; axe clean`, async () => {
      await page({ ...options, permissions: ['geolocation'], geolocation: NEAR_CHEAPSIDE }, online, async (p) => {
        await p.getByRole('button', { name: /use my location/i }).click();
        const reply = p.locator('.msg.bot').last();
        await reply.locator('.card').first().waitFor();
        const map = reply.locator('.map.slippy');
        await map.waitFor();
        await reply.locator('.map-holder[data-tiles="loaded"]').waitFor();
        assert.ok(tileRequests > 0, 'tiles come from the configured tile server');
        assert.ok((await p.locator('script[src="/vendor/leaflet.js"]').count()) === 1, 'Leaflet is served by us');
        const markers = map.locator('.st-marker');
        assert.equal(await markers.count(), await reply.locator('.card').count(), 'one marker per station card');
        assert.equal(await map.locator('.st-marker.chosen span').innerText(), '6', 'the nearest station shows its bike count');
        const z = await markers.evaluateAll((els) => els.map((e) => Number(getComputedStyle(e).zIndex)));
        assert.equal(Math.max(...z), z[0], 'the chosen station is on top');
        assert.equal(await map.locator('.you-marker').count(), 1, '"you" from the shared location');
        assert.match((await map.getAttribute('aria-label')) ?? '', /^Map: Cheapside, Bank, 6 bikes/);
        const walk = reply.locator('.card').first().locator('a.walk');
        const href = (await walk.getAttribute('href')) ?? '';
        if (options.hasTouch) assert.match(href, /^geo:51\.513728,-0\.092335\?q=51\.513728,-0\.092335\(Cheapside%2C%20Bank\)$/);
        else assert.equal(href, 'https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=51.513900,-0.092100;51.513728,-0.092335');
        for (const meta of await reply.locator('.card .meta').allInnerTexts()) assert.match(meta, /\d+ min walk/, 'walking minutes on every card');
        assert.deepEqual(await axe(p), []);
        if (!options.hasTouch) {
          mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
          const shot = join(REPO_ROOT, 'docs', 'web-map-desktop.png');
          // Made when missing (delete it to refresh), so test runs leave the tree clean.
          if (!existsSync(shot)) await reply.screenshot({ path: shot, animations: 'disabled' });
        }
      });
    });
  }

  test('phone: a named station, no location shared → no "you" marker; classic bikes and e-bikes apart; London time named in a New York browser; axe clean', async () => {
    await page(PHONE, online, async (p) => {
      const reply = await ask(p, 'bikes at cheapside');
      const card = reply.locator('.card').first();
      await card.waitFor();
      await reply.locator('.map.slippy').waitFor();
      assert.equal(await reply.locator('.you-marker').count(), 0, 'no "you" without a shared location');
      assert.deepEqual(await card.locator('.counts dt').allInnerTexts(), ['classic bikes', 'e-bikes', 'spaces']);
      assert.deepEqual(await card.locator('.counts dd').allInnerTexts(), ['4', '2', '14'], 'six bikes: four classic and two e-bikes, not 6 + 2');
      assert.match(await card.locator('.meta').innerText(), /counts from 09:25 London time, 2 min ago/, 'the system\'s clock, named');
      assert.match(await card.locator('a.walk').getAttribute('href') ?? '', /^geo:/);
      assert.deepEqual(await axe(p), []);
    });
  });

  test('desktop: options show counts; keyboard only: Tab to an option, Enter chooses, Tab reaches the walk-there link; axe clean', async () => {
    await page(DESKTOP, online, async (p) => {
      await p.keyboard.press('Tab');
      await p.keyboard.press('Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.id), 'question');
      await p.keyboard.type('bikes at waterloo');
      await p.keyboard.press('Enter');
      const reply = p.locator('.msg.bot').nth(1);
      await reply.locator('button.option').first().waitFor();
      assert.deepEqual(await reply.locator('button.option').allInnerTexts(), [
        '1. Waterloo Station 1, Waterloo — 17 bikes',
        '2. Waterloo Station 2, Waterloo — no bikes',
        '3. Waterloo Station 3, Waterloo — 12 bikes',
      ]);
      assert.deepEqual(await axe(p), []);
      // From the question box, Tab moves back up to the options? No: forward order is the page's order;
      // the options come before the box, so Shift+Tab reaches them.
      let guard = 0;
      while ((await p.evaluate(() => document.activeElement?.textContent ?? '')) !== '3. Waterloo Station 3, Waterloo — 12 bikes' && guard++ < 20) await p.keyboard.press('Shift+Tab');
      await p.keyboard.press('Enter');
      const answer = p.locator('.msg.bot').nth(2);
      await answer.locator('.card').first().waitFor();
      assert.match(await answer.locator('.card h2').first().innerText(), /Waterloo Station 3, Waterloo/);
      guard = 0;
      while (!(await p.evaluate(() => document.activeElement?.classList.contains('walk') ?? false)) && guard++ < 30) await p.keyboard.press('Shift+Tab');
      assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Walk there: to Waterloo Station 3, Waterloo (opens OpenStreetMap)');
      assert.deepEqual(await axe(p), []);
    });
  });

  test('tiles unreachable → the offline drawing, with count markers and the chosen station drawn last', async () => {
    await page(PHONE, offline, async (p) => {
      const reply = await ask(p, 'docks near borough market');
      const drawing = reply.locator('svg.map.drawing');
      await drawing.waitFor();
      assert.equal(await reply.locator('.map.slippy').count(), 0);
      const labels = await drawing.locator('.st-label').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
      assert.equal(labels[labels.length - 1], '24', 'Hop Exchange (24 spaces) is drawn last, on top');
      assert.equal(await drawing.locator('.you').count(), 0);
      assert.deepEqual(await axe(p), []);
    });
  });

  test('an id the server did not issue starts a fresh conversation under a new id, never someone else\'s', async () => {
    // Someone shares a location and is shown the stations near it.
    let theirs = '';
    await page({ ...DESKTOP, permissions: ['geolocation'], geolocation: NEAR_CHEAPSIDE }, online, async (p) => {
      await p.getByRole('button', { name: /use my location/i }).click();
      await p.locator('.msg.bot').last().locator('.card').first().waitFor();
      theirs = (await p.evaluate(() => sessionStorage.getItem('bikebot.conversationId'))) ?? '';
    });
    assert.match(theirs, /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/);
    for (const invented of ['0000000000000000', theirs.slice(0, 34) + 'A'.repeat(10)]) {
      await page(DESKTOP, online, async (p) => {
        await p.evaluate((id) => sessionStorage.setItem('bikebot.conversationId', id), invented);
        const reply = await ask(p, 'next one?');
        assert.doesNotMatch(await reply.innerText(), /Cheapside|Christopher Street|Hop Exchange/, 'nothing of the other conversation');
        const issued = await p.evaluate(() => sessionStorage.getItem('bikebot.conversationId'));
        assert.notEqual(issued, invented);
        assert.notEqual(issued, theirs);
        assert.match(issued ?? '', /^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/, 'a fresh, server-issued id');
      });
    }
  });

  test('phone: the README picture of a finished conversation', async () => {
    const shot = join(REPO_ROOT, 'docs', 'web-chat-choice.png');
    await page(PHONE, offline, async (p) => {
      await ask(p, 'bikes at waterloo');
      await p.locator('.msg.bot').nth(1).locator('button.option').first().waitFor();
      await p.locator('button.option', { hasText: 'Waterloo Station 1' }).tap();
      const answer = p.locator('.msg.bot').nth(2);
      await answer.locator('svg.map').waitFor();
      assert.deepEqual(await axe(p), []);
      if (!existsSync(shot)) {
        await p.locator('.msg.user').first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
        await p.screenshot({ path: shot, animations: 'disabled' });
      }
    });
  });
});
