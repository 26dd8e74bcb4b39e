import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_SET, SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';
import { parseBikePoints, TFL_SYSTEM } from '../../src/feeds/tfl-parse.js';
import { buildGeocoder } from '../../src/geocode/build-geocoder.js';
import { StationIndex } from '../../src/domain/station-index.js';
import { canServe, type Want } from '../../src/domain/station.js';
import { distanceM } from '../../src/domain/geo.js';
import { createTurnHandler } from '../../src/dialog/handle-turn.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { smsSegments } from '../../src/dialog/sms.js';
import type { Answer } from '../../src/domain/answer.js';

const skip = skipWithoutShared('data/tfl/bikepoint-2022-08-01T08-25-10Z.json', 'data/london', 'eval/dev.jsonl');

interface Case {
  id: string;
  kind: 'name' | 'ambiguous' | 'place' | 'intent' | 'edge';
  utterance: string;
  intent: string;
  want: Want;
  noise: string;
  expect: { station_ids?: string[]; ambiguous_among?: string[]; place?: { lat: number; lon: number } };
}

/**
 * The dev set end to end through handleTurn, on the real 2022-08-01 08:25 snapshot and
 * the London gazetteer. The dialog's own promises are asserted case by case; the
 * overall score, which mostly measures understanding, is reported as a diagnostic.
 */
test('dev set through handleTurn: answers follow the want and keep the contract', { skip }, async (t) => {
  const json = JSON.parse(readFileSync(join(SHARED_DATA, 'tfl/bikepoint-2022-08-01T08-25-10Z.json'), 'utf8'));
  const snap = parseBikePoints(json, { systemId: 'tfl', feedId: 'tfl', fetchedAt: new Date('2022-08-01T08:26:00Z') });
  const index = new StationIndex([snap], [{ ...TFL_SYSTEM, aliases: [...TFL_SYSTEM.aliases] }]);
  const geocoder = buildGeocoder({ gazetteerPaths: [join(SHARED_DATA, 'london')], stations: () => index.stations, live: [], urls: { tfl: '', postcodes: '', nominatim: '', photon: '' }, userAgent: 'BikeBot-test' });
  const store = new MemoryKvStore({ sweepIntervalMs: 0 });
  const errors: unknown[] = [];
  const handle = createTurnHandler({ index: () => index, geocoder, sessions: store, now: () => new Date('2022-08-01T08:27:00Z'), staleAfterMs: 600_000, sessionTtlMs: 900_000, onError: (e) => errors.push(e) });
  const cases: Case[] = readFileSync(DEV_SET, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

  const pass: Record<string, [number, number]> = {};
  const times: number[] = [];
  const failures: string[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const a: Answer = await handle({ channel: 'eval', conversationId: `dev:${c.id}`, text: c.utterance });
    times.push(performance.now() - t0);
    assert.ok(a.reply.length > 0 && smsSegments(a.reply) <= 2, `${c.id}: reply within two segments`);
    // Dialog promises, whatever understanding concluded:
    if (a.intent === 'nearest' && a.place && a.stations.length > 0) {
      const want = a.want === 'ebikes' && a.stations.every((s) => s.ebikes === null) ? 'bikes' : a.want;
      const best = index.nearest(a.place.lat, a.place.lon, { want, k: 1 })[0];
      assert.equal(a.stations[0].id, best.station.id, `${c.id}: first station is the nearest that serves ${want}`);
      for (const s of a.stations) assert.ok(canServe(index.get(s.id)!, want), `${c.id}: ${s.id} serves ${want}`);
    }
    if (a.intent === 'station_status' && a.stations.length > 1) {
      const named = index.get(a.stations[0].id)!;
      assert.ok(!canServe(named, a.want === 'ebikes' && named.ebikes === null ? 'bikes' : a.want), `${c.id}: an alternative only when the named one cannot serve`);
    }
    let ok = false;
    const among = c.expect.ambiguous_among;
    const kind = among ? 'ambiguous' : c.kind;
    if (among) {
      const ids = a.options.map((o) => o.id);
      ok = ids.length >= 2 && (among.every((id) => ids.includes(id)) || ids.every((id) => among.includes(id)));
    } else if (c.expect.station_ids) ok = a.options.length === 0 && a.stations[0]?.id === c.expect.station_ids[0];
    else if (kind === 'intent' || kind === 'edge') ok = a.intent === c.intent && (kind === 'intent' || a.stations.length === 0);
    else if (c.kind === 'place' && c.expect.place) {
      const p = c.expect.place;
      const k = c.noise === 'area' ? 5 : 3;
      const serveWant: Want = c.want === 'ebikes' ? 'bikes' : c.want;
      const near = index.stations
        .filter((s) => canServe(s, serveWant))
        .sort((x, y) => distanceM(p.lat, p.lon, x.lat!, x.lon!) - distanceM(p.lat, p.lon, y.lat!, y.lon!))
        .slice(0, k)
        .map((s) => s.id);
      ok = a.options.length === 0 ? near.includes(a.stations[0]?.id ?? '') : c.noise === 'area' && a.options.slice(0, 3).some((o) => near.includes(o.id));
    }
    pass[kind] ??= [0, 0];
    pass[kind][1]++;
    if (ok) pass[kind][0]++;
    else failures.push(`${c.id} ${kind}: "${c.utterance}" → ${a.intent} ${a.stations[0]?.id ?? '-'} opts=${a.options.length} | ${a.reply.split('\n')[0].slice(0, 80)}`);
  }
  times.sort((x, y) => x - y);
  for (const [kind, [ok, n]] of Object.entries(pass)) t.diagnostic(`${kind}: ${ok}/${n} = ${((100 * ok) / n).toFixed(1)}%`);
  t.diagnostic(`p50 ${times[Math.floor(times.length / 2)].toFixed(2)} ms, p99 ${times[Math.floor(times.length * 0.99)].toFixed(2)} ms per message (handleTurn, memory sessions)`);
  for (const f of failures) t.diagnostic(f);
  assert.deepEqual(errors, [], 'no internal error on the dev set');
  await store.close();
});
