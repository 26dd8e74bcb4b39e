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
import type { Station } from '../../src/domain/station.js';

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
  assert.deepEqual(stations[0].closure, { until: '2024-05-01T17:00:00.000Z', note: 'Closed for street works.' });
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
  const after = { ...before, closure: { until: '2024-05-01T17:00:00Z', note: 'Street works' } };
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
