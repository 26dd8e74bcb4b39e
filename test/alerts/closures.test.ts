import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyClosures, parseSystemAlerts } from '../../src/feeds/gbfs-alerts.js';
import { parseEnvelope } from '../../src/feeds/gbfs-parse.js';
import { StationIndex } from '../../src/domain/station-index.js';
import { stationStatus } from '../../src/dialog/answers/station-status.js';
import { ZoneClocks } from '../../src/dialog/replies/data-age.js';
import { RuleIndex, type Firing } from '../../src/domain/alerts/rule-index.js';
import { alertText } from '../../src/domain/alerts/describe.js';
import type { AlertRule } from '../../src/domain/alerts/rule.js';
import { LocalClocks } from '../../src/domain/alerts/local-clock.js';
import type { Snapshot, Station } from '../../src/domain/station.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { Outbox } from '../../src/alerts/outbox.js';
import { AlertService } from '../../src/alerts/alert-service.js';
import { OUTBOX_PREFIX, outboxKeyParts } from '../../src/alerts/alert-store.js';
import { decodeDelivery } from '../../src/alerts/delivery.js';

function st(id: string, lat: number, extra: Partial<Station> = {}): Station {
  return { id: `sys:${id}`, systemId: 'sys', name: `Station ${id}`, lat, lon: -0.1, terminalName: null, bikes: 5, standardBikes: 5, ebikes: null, emptyDocks: 5, docks: 10, brokenDocks: 0, installed: true, locked: false, temporary: false, renting: true, returning: true, asOf: '2024-05-01T15:00:00Z', ...extra };
}

const ALERTS = JSON.stringify({
  last_updated: '2024-05-01T14:00:00Z',
  ttl: 60,
  version: '3.0',
  data: {
    alerts: [
      { alert_id: 'a1', type: 'STATION_CLOSURE', station_ids: ['w3'], times: [{ start: '2024-05-01T08:00:00Z', end: '2024-05-01T17:00:00Z' }], summary: [{ text: 'Closed for street works.', language: 'en' }] },
      { alert_id: 'a2', type: 'STATION_CLOSURE', station_ids: ['x'], times: [{ start: '2024-06-01T08:00:00Z', end: '2024-06-01T17:00:00Z' }], summary: [{ text: 'Later', language: 'en' }] },
      { alert_id: 'a3', type: 'STATION_MOVE', station_ids: ['y'], summary: [{ text: 'Moved', language: 'en' }] },
    ],
  },
});

test('GBFS system_alerts: closures in force are attached to their stations and said in answers with the next nearest', () => {
  const closures = parseSystemAlerts(parseEnvelope('system_alerts', ALERTS), 'en');
  assert.equal(closures.length, 2, 'moves are not closures');
  const now = Date.parse('2024-05-01T15:00:00Z');
  const stations = applyClosures([st('w3', 51.5), st('x', 51.501), st('n', 51.502)], closures, 'sys', now);
  assert.deepEqual(stations[0].closure, { until: '2024-05-01T17:00:00.000Z', note: 'Closed for street works.', since: '2024-05-01T08:00:00.000Z' });
  assert.equal(stations[1].closure, undefined, 'a closure not yet in force');
  const index = new StationIndex([{ feedId: 'sys', systemId: 'sys', fetchedAt: '2024-05-01T15:00:00Z', asOf: '2024-05-01T15:00:00Z', stations }], [{ id: 'sys', name: 'Sys', timezone: 'Europe/London' }]);
  const b = stationStatus({ index, now: new Date(now), staleAfterMs: 900_000, voice: false, systemId: 'sys', clocks: new ZoneClocks() }, stations[0], 'bikes', null);
  assert.match(b.answer.reply, /^Station w3 is closed until 18:00 \(Closed for street works\)\. Station x is 110 m away, 2 min walk, with five bikes\./);
});

test('a closure is an alert condition of its own', () => {
  const rule: AlertRule = { id: 'o#1', owner: 'o', no: 1, stationId: 'sys:w3', stationName: 'Station w3', systemId: 'sys', timezone: 'Europe/London', condition: { kind: 'closed' }, recurring: false, schedule: null, createdAt: '', expiresAt: null, delivery: { channel: 'web', to: 'x' } };
  const idx = new RuleIndex();
  idx.add(rule);
  const before = st('w3', 51.5);
  const after = { ...before, closure: { until: '2024-05-01T17:00:00Z', note: 'Street works', since: null } };
  const out: Firing[] = [];
  const now = new Date('2024-05-01T15:00:00Z');
  const clocks = new LocalClocks();
  idx.firingAt(before, after, now, out, clocks.memo(now));
  assert.equal(out.length, 1);
  assert.equal(alertText(rule, after, (iso, tz) => clocks.hhmm(iso, tz)), 'BikeBot alert: Station w3 has closed until 18:00 (Street works) (as of 16:00). This alert is done.');
  out.length = 0;
  idx.firingAt(before, { ...before, locked: true }, now, out, clocks.memo(now));
  assert.equal(out.length, 1, 'TfL Locked closes it too');
});

test('a closure alert is dated by the feed: the closure\'s own time when the counts are older, the feed\'s when the station has none', async () => {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  const outbox = new Outbox({ kv, senders: {}, optOuts: { isOptedOut: async () => false } });
  await outbox.close(); // persisted, not sent: the test reads the store
  const service = new AlertService({ kv, outbox, channels: new Set(['web']), now: () => new Date('2024-05-01T15:00:00Z') });
  const closedRule = (no: number, stationId: string): AlertRule => ({ id: `o#${no}`, owner: 'o', no, stationId, stationName: stationId, systemId: 'sys', timezone: 'Europe/London', condition: { kind: 'closed' }, recurring: true, schedule: null, createdAt: '', expiresAt: null, delivery: { channel: 'web', to: 'x' } });
  service.rules.add(closedRule(1, 'sys:w3'));
  service.rules.add(closedRule(2, 'sys:n'));
  // w3 last reported its counts at 12:00Z; n has no status at all (no time of its own).
  const w3 = st('w3', 51.5, { asOf: '2024-05-01T12:00:00.000Z' });
  const n = st('n', 51.502, { asOf: null });
  const snap = (i: number, stations: Station[]): Snapshot => ({ feedId: 'sys', systemId: 'sys', fetchedAt: `2024-05-01T14:0${i}:00.000Z`, asOf: `2024-05-01T14:0${i}:00.000Z`, stations });
  const closure = (since: string | null) => ({ until: null, note: 'Works', since });
  const stored = async () =>
    Promise.all((await kv.keys(OUTBOX_PREFIX)).map(async (k) => decodeDelivery(outboxKeyParts(k)!, await kv.get(k), new LocalClocks().hhmmMemo())!)).then((ds) => ds.map((d) => [d.payload.stationId, d.payload.observedAt, d.text]));

  service.prime(snap(0, [w3, n]));
  await service.evaluate(snap(1, [{ ...w3, closure: closure('2024-05-01T13:30:00.000Z') }, { ...n, closure: closure(null) }]));
  assert.deepEqual(await stored(), [
    ['sys:w3', '2024-05-01T13:30:00.000Z', 'BikeBot alert: Station w3 has closed (Works) (as of 14:30).'],
    ['sys:n', '2024-05-01T14:01:00.000Z', 'BikeBot alert: Station n has closed (Works) (as of 15:01).'],
  ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
  // Reopened, then closed again before w3 reports new counts: a second closure, a second alert.
  await service.evaluate(snap(2, [w3, n]));
  await service.evaluate(snap(3, [{ ...w3, closure: closure('2024-05-01T14:02:30.000Z') }, n]));
  const after = await stored();
  assert.equal(after.length, 3, 'the second closure is not taken for a repeat of the first');
  assert.deepEqual(after.at(-1), ['sys:w3', '2024-05-01T14:02:30.000Z', 'BikeBot alert: Station w3 has closed (Works) (as of 15:02).']);
  // Counts newer than the closure date it as count alerts are dated.
  await service.evaluate(snap(4, [w3, n]));
  await service.evaluate(snap(5, [{ ...w3, asOf: '2024-05-01T14:05:00.000Z', closure: closure('2024-05-01T08:00:00.000Z') }, n]));
  assert.deepEqual((await stored()).at(-1), ['sys:w3', '2024-05-01T14:05:00.000Z', 'BikeBot alert: Station w3 has closed (Works) (as of 15:05).']);
  await service.close();
});
