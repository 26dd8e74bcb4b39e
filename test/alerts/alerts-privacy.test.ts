import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { chat, startAlertStack, textBot, TIMES } from './helpers.js';

const PHONE = '+447700900777';

/** Every key and value in the SQLite store, read straight from the file. */
function dump(dataDir: string): Array<{ key: string; value: string }> {
  const file = readdirSync(dataDir).find((f) => f.endsWith('.db') || f.endsWith('.sqlite'));
  assert.ok(file, `a database file in ${dataDir}: ${readdirSync(dataDir).join(', ')}`);
  const db = new Database(join(dataDir, file), { readonly: true });
  try {
    const table = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as Array<{ name: string }>).map((r) => r.name);
    const rows: Array<{ key: string; value: string }> = [];
    for (const t of table) {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
      for (const r of db.prepare(`SELECT * FROM ${t}`).all() as Array<Record<string, unknown>>) rows.push({ key: String(r[cols[0]]), value: cols.slice(1).map((c) => String(r[c])).join(' ') });
    }
    return rows;
  } finally {
    db.close();
  }
}

test('STOP before an alert: nothing is sent, not even attempted', async () => {
  const s = await startAlertStack();
  try {
    assert.match(await textBot(s.base, PHONE, 'text me every time there are 20 bikes at Phillimore Gardens'), /^OK: I'll text you each time/);
    assert.match(await textBot(s.base, PHONE, 'STOP'), /unsubscribed/);
    await s.pollAt(TIMES[1]);
    await s.pollAt(TIMES[2]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.fake.sent.length, 0, 'opted out: nothing sent');
    assert.equal(s.fake.requests, 0, 'not even attempted');
  } finally {
    await s.close();
  }
});

test('"forget me" leaves nothing of that number in the store', async () => {
  const s = await startAlertStack();
  try {
    assert.match(await textBot(s.base, PHONE, 'bikes at Phillimore Gardens'), /Phillimore/);
    assert.match(await textBot(s.base, PHONE, 'save this as home'), /^Saved Phillimore Gardens, Kensington as home\./);
    assert.match(await textBot(s.base, PHONE, 'work is River Street'), /^Saved River Street, Clerkenwell as work\./);
    assert.match(await textBot(s.base, PHONE, 'my commute'), /^Home, Phillimore Gardens, Kensington: five bikes, 31 spaces\.\nWork, River Street, Clerkenwell: nine spaces, 10 bikes\. Old data: counts from 09:00 on 27 Jul/);
    assert.match(await textBot(s.base, PHONE, 'bikes at home'), /Phillimore Gardens/);
    assert.match(await textBot(s.base, PHONE, 'text me every time there are 20 bikes at home'), /^OK: I'll text you each time when there are 20 bikes or more at Phillimore Gardens/);
    await s.pollAt(TIMES[1]);
    await s.pollAt(TIMES[2]);
    await s.fake.waitFor(1);
    assert.equal(s.fake.sent.length, 1);
    const owner = (await s.served.core.store!.keys('alert:profile:'))[0].slice('alert:profile:'.length);
    const hashed = owner.slice('sms:'.length);
    const before = dump(s.dataDir);
    assert.ok(before.some((r) => r.key.includes(hashed)), 'the store held records of this sender');
    assert.match(await textBot(s.base, PHONE, 'forget me'), /^Done: I've deleted everything/);
    const after = dump(s.dataDir);
    const digits = PHONE.slice(1);
    const left = after.filter((r) => r.key.includes(hashed) || r.value.includes(hashed) || r.key.includes(digits) || r.value.includes(digits));
    assert.deepEqual(left, [], 'nothing of that number is left');
    assert.match(await textBot(s.base, PHONE, 'my alerts'), /no alerts/);
    assert.match(await textBot(s.base, PHONE, 'my stations'), /no saved stations/);
  } finally {
    await s.close();
  }
});

test('on the web, alerts and saved stations belong to the device token; list and cancel by number and by name', async () => {
  const s = await startAlertStack();
  const dev = 'web-device-token-0123456789';
  try {
    assert.match((await chat(s.base, 'tell me when a dock frees up at River Street', dev, true)).reply, /alert 1/);
    assert.match((await chat(s.base, 'let me know if Phillimore Gardens drops below 3 bikes on weekdays before 9am', dev, true)).reply, /^OK: I'll tell you on weekdays before 09:00 when it drops below 3 bikes at Phillimore Gardens, Kensington/);
    const list = (await chat(s.base, 'my alerts', dev, true)).reply;
    assert.match(list, /1\. free docks at River Street, Clerkenwell, once/);
    assert.match(list, /2\. low bikes at Phillimore Gardens, Kensington, on weekdays before 09:00/);
    assert.match((await chat(s.base, 'my alerts', 'other-device-0123456789', true)).reply, /no alerts/, 'another browser sees none');
    assert.match((await chat(s.base, 'cancel the phillimore alert', dev, true)).reply, /^Cancelled alert 2/);
    assert.match((await chat(s.base, 'cancel 1', dev, true)).reply, /^Cancelled alert 1/);
    assert.match((await chat(s.base, 'my alerts', dev, true)).reply, /no alerts/);
  } finally {
    await s.close();
  }
});
