/**
 * A scripted SMS conversation through the signed Twilio webhook, as a person would
 * have it: carrier keywords, choosing among options however they write it, honest
 * e-bike counts, and places outside what we cover.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './fixtures/app.js';
import { messageOf, sms, twilioPost } from './fixtures/twilio-client.js';
import { familyStations, FAMILY_QUESTION, TEXT_PHRASINGS } from './fixtures/choice-phrasings.js';
import { harness } from '../dialog/fixtures.js';
import { SMS_TEXTS, START_WORDS, STOP_WORDS } from '../../src/channels/twilio-sms.js';
import { OptOutList, SERVER_SECRET_KEY, serverSecret } from '../../src/channels/opt-out-list.js';
import { SqliteKvStore } from '../../src/store/sqlite-kv.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { fixturePipeline } from './fixtures/pipeline.js';

/** Words a carrier treats as opt-out: no reply of ours may suggest one for anything else. */
const OPT_OUT_WORD = /\b(stop|stopall|unsubscribe|cancel|end|quit|optout|revoke)\b/i;

let n = 0;
const nextPhone = (): string => `+4477009${String(10_000 + n++).slice(-5)}`;

describe('SMS: the carriers\' keywords', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  const say = async (from: string, body: string) => messageOf(await twilioPost(s.url, '/twilio/sms', sms(from, body)));

  test('STOP, then a question → no reply; HELP → help; START → replies again', async () => {
    const from = nextPhone();
    assert.match((await say(from, 'bikes at cheapside')) ?? '', /Cheapside/);
    assert.equal(await say(from, 'STOP'), SMS_TEXTS.stop);
    assert.equal(await say(from, 'bikes at cheapside'), undefined, 'opted out: silence');
    assert.equal(await say(from, 'HELP'), SMS_TEXTS.help, 'HELP is answered even when opted out');
    assert.equal(await say(from, 'info'), SMS_TEXTS.help);
    assert.equal(await say(from, 'bikes at cheapside'), undefined, 'HELP does not opt back in');
    assert.equal(await say(from, 'START'), SMS_TEXTS.start);
    assert.match((await say(from, 'bikes at cheapside')) ?? '', /Cheapside/);
  });

  test('every opt-out word opts out, whatever the case and trailing punctuation; START, UNSTOP and YES opt back in', async () => {
    for (const word of STOP_WORDS) {
      for (const written of [word.toUpperCase(), ` ${word[0].toUpperCase()}${word.slice(1)}. `]) {
        const from = nextPhone();
        assert.equal(await say(from, written), SMS_TEXTS.stop, written);
        assert.equal(await say(from, 'bikes at cheapside'), undefined, `${written}: then silence`);
      }
    }
    for (const word of [...START_WORDS, 'yes']) {
      const from = nextPhone();
      await say(from, 'STOP');
      assert.equal(await say(from, word.toUpperCase()), SMS_TEXTS.start, word);
      assert.match((await say(from, 'bikes at cheapside')) ?? '', /Cheapside/, `${word}: answered again`);
    }
  });

  test('"cancel" is an opt-out word, so we never suggest it: "new" starts again', async () => {
    const from = nextPhone();
    const help = (await say(from, 'how does this work?')) ?? '';
    assert.match(help, /bikes/);
    assert.doesNotMatch(help, OPT_OUT_WORD, help);
    assert.match(SMS_TEXTS.help, /Text NEW to start again/);
    for (const reply of [SMS_TEXTS.help, SMS_TEXTS.start, SMS_TEXTS.slowDown, SMS_TEXTS.failed]) {
      // STOP appears only as the way to opt out.
      assert.doesNotMatch(reply.replace(/Reply STOP to opt out/, ''), OPT_OUT_WORD, reply);
    }
    const asked = (await say(from, 'bikes at waterloo')) ?? '';
    assert.match(asked, /Which one/);
    const fresh = (await say(from, 'new')) ?? '';
    assert.doesNotMatch(fresh, OPT_OUT_WORD, fresh);
    assert.match(fresh, /Ask about any station or place/);
    // The options are gone: "2" is no longer a choice.
    assert.doesNotMatch((await say(from, '2')) ?? '', /Waterloo Station 2/);
  });

  test('YES from someone subscribed answers "did you mean …?", not the opt-in', async () => {
    const from = nextPhone();
    const asked = (await say(from, 'bikes at cheapsid')) ?? '';
    if (/Did you mean/.test(asked)) assert.match((await say(from, 'yes')) ?? '', /Cheapside, Bank: /);
    else assert.match(asked, /Cheapside/);
    assert.notEqual(await say(from, 'yes'), SMS_TEXTS.start);
  });
});

describe('SMS: the opt-out list is kept in the store under its own secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-optout-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('survives a restart and a change of the Twilio auth token; numbers are stored only as keyed hashes', async () => {
    const from = nextPhone();
    const dbPath = join(dir, 'bikebot.db');
    let store = SqliteKvStore.open(dbPath);
    let s = await startTestServer({ twilio: { authToken: 'token-before-rotation-0123456789', publicUrl: 'https://bikebot.example.org', optOuts: await OptOutList.open(store) } });
    try {
      const stop = await twilioPost(s.url, '/twilio/sms', sms(from, 'STOP'), { token: 'token-before-rotation-0123456789' });
      assert.equal(messageOf(stop), SMS_TEXTS.stop);
    } finally {
      await s.close();
      await store.close();
    }
    // A new process, a rotated token: the same list.
    store = SqliteKvStore.open(dbPath);
    s = await startTestServer({ twilio: { authToken: 'token-after-rotation-9876543210', publicUrl: 'https://bikebot.example.org', optOuts: await OptOutList.open(store) } });
    try {
      const asked = await twilioPost(s.url, '/twilio/sms', sms(from, 'bikes at cheapside'), { token: 'token-after-rotation-9876543210' });
      assert.equal(asked.status, 200);
      assert.equal(messageOf(asked), undefined, 'still opted out after restart and token rotation');
      const help = await twilioPost(s.url, '/twilio/sms', sms(from, 'HELP'), { token: 'token-after-rotation-9876543210' });
      assert.equal(messageOf(help), SMS_TEXTS.help);
      const keys = await store.keys('sms-optout:');
      assert.equal(keys.length, 1);
      assert.ok(!keys[0].includes(from.slice(1)), 'no phone number in the key');
      assert.ok((await store.get(SERVER_SECRET_KEY))!.length >= 32, 'the secret is generated and kept');
      // What an alert sender would call before texting anyone.
      const list = await OptOutList.open(store);
      assert.equal(await list.isOptedOut(from), true);
      assert.equal(await list.isOptedOut(nextPhone()), false);
      let sent = 0;
      assert.equal(await list.sendUnlessOptedOut(from, async () => void sent++), false);
      assert.equal(sent, 0, 'nothing is sent to an opted-out number');
    } finally {
      await s.close();
      await store.close();
    }
  });

  test('a configured secret wins; replicas starting together agree on one generated secret', async () => {
    const store = new MemoryKvStore({ sweepIntervalMs: 0 });
    assert.equal(await serverSecret(store, 'configured-secret-0123456789'), 'configured-secret-0123456789');
    const [a, b, c] = await Promise.all([serverSecret(store, null), serverSecret(store, null), serverSecret(store, null)]);
    assert.equal(a, b);
    assert.equal(b, c);
    const one = await OptOutList.open(store);
    await one.optOut('+447700900999');
    assert.equal(await (await OptOutList.open(store)).isOptedOut('+44 7700 900999'), true, 'spacing does not matter');
    await store.close();
  });
});

describe('SMS: choosing among options, however it is written', () => {
  let s: TestServer;
  before(async () => {
    const h = harness({ stations: familyStations() });
    s = await startTestServer({ handleTurn: h.handle, rateLimit: { smsPerSenderPerMinute: 1000 } });
  });
  after(async () => {
    await s.close();
  });
  const say = async (from: string, body: string) => messageOf(await twilioPost(s.url, '/twilio/sms', sms(from, body))) ?? '';

  test('a numbered family is listed in its own number order, with counts', async () => {
    const asked = await say(nextPhone(), FAMILY_QUESTION);
    const lines = asked.split('\n').filter((l) => /^\d\) /.test(l));
    assert.deepEqual(
      lines.map((l) => l.replace(/:.*$/, '')),
      [1, 2, 3, 4, 5].map((k) => `${k}) Waterloo Station ${k}, Waterloo`),
      asked,
    );
    assert.match(lines[0], /: two bikes\.$/, 'each option shows what was asked about');
    assert.match(asked, /Reply with a number\.$/);
  });

  test(`${TEXT_PHRASINGS.length} written answers each choose the station meant`, async () => {
    assert.ok(TEXT_PHRASINGS.length >= 50);
    const wrong: string[] = [];
    for (const [said, k] of TEXT_PHRASINGS) {
      const from = nextPhone();
      await say(from, FAMILY_QUESTION);
      const got = await say(from, said);
      if (!got.startsWith(`Waterloo Station ${k}, Waterloo: `)) wrong.push(`${JSON.stringify(said)} → ${got.slice(0, 60)}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('a new question while options are open is a new question, and a number beyond the list is said to be', async () => {
    const from = nextPhone();
    await say(from, FAMILY_QUESTION);
    assert.match(await say(from, 'bikes at cheapside'), /^Cheapside, Bank: /);
    await say(from, FAMILY_QUESTION);
    assert.match(await say(from, '7'), /from 1 to 5/);
    assert.match(await say(from, 'station 2'), /^Waterloo Station 2, Waterloo: /, 'still open after a miss');
  });
});

describe('SMS: honest counts and coverage', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s.close();
  });
  const say = async (from: string, body: string) => messageOf(await twilioPost(s.url, '/twilio/sms', sms(from, body))) ?? '';

  test('e-bikes where the feed gives no split: said so, with the bike count', async () => {
    const h = harness();
    const s2 = await startTestServer({ handleTurn: h.handle });
    try {
      const r = messageOf(await twilioPost(s2.url, '/twilio/sms', sms(nextPhone(), 'e-bikes near angel'))) ?? '';
      assert.match(r, /E-bike counts are not published here, so these are bike counts\./);
      assert.match(r, /five bikes/);
    } finally {
      await s2.close();
    }
  });

  test('e-bikes where the feed splits them: the e-bike count', async () => {
    assert.match(await say(nextPhone(), 'ebikes at cheapside'), /Cheapside, Bank: two e-bikes \(6 bikes in all\)/);
  });

  test('a place outside every system: "outside the areas I cover", naming the nearest system and its distance', async () => {
    const r = await say(nextPhone(), 'bikes near 53.4808, -2.2426');
    assert.match(r, /^That is outside the areas I cover; the nearest I know is Santander Cycles \(London\), 2\d\d km away\.$/);
    // Inside the area but nothing near: not called outside.
    const p = fixturePipeline();
    const inside = await p.handleTurn({ channel: 'sms', conversationId: 'x', text: 'bikes near 51.45, -0.10' });
    assert.doesNotMatch(inside.reply, /outside the areas/);
  });
});
