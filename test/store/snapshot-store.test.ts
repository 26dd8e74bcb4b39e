import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isBikeBotError } from '../../src/domain/errors.js';
import type { Snapshot, Station } from '../../src/domain/station.js';
import { MemoryKvStore } from '../../src/store/memory-kv.js';
import { SnapshotStore, SNAPSHOT_FORMAT } from '../../src/store/snapshot-store.js';
import { SqliteKvStore } from '../../src/store/sqlite-kv.js';
import { SHARED_DATA, skipWithoutShared } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'bikebot-snapshot-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function station(i: number, extra: Partial<Station> = {}): Station {
  return {
    id: `s${i}`, systemId: 'demo', name: `Station ${i}`, lat: 45 + i / 1e4, lon: -73 - i / 1e4, terminalName: null,
    bikes: i % 15, standardBikes: i % 10, ebikes: i % 5, emptyDocks: 4, docks: 20, brokenDocks: 20 - (i % 15) - 4 < 0 ? 0 : 20 - (i % 15) - 4,
    installed: true, locked: false, temporary: false, renting: true, returning: i % 7 !== 0, asOf: i % 9 === 0 ? null : '2025-05-17T12:00:00Z', ...extra,
  };
}
const snap = (feedId: string, count: number, extra: Partial<Snapshot> = {}): Snapshot => ({
  feedId, systemId: 'demo', fetchedAt: '2025-05-17T12:00:05.000Z', asOf: '2025-05-17T12:00:00Z', stations: Array.from({ length: count }, (_, i) => station(i)), ...extra,
});

function collector() {
  const warnings: string[] = [];
  return { warnings, onWarning: (m: string) => warnings.push(m) };
}

test('save then load returns an equal snapshot, including nulls', async () => {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  const store = new SnapshotStore(kv);
  const s = snap('bixi', 3, { asOf: null });
  s.stations[1] = station(1, { lat: null, lon: null, bikes: null, docks: null, brokenDocks: null, terminalName: '001023' });
  await store.save(s);
  assert.deepEqual(await store.load('bixi'), s);
  assert.equal(await store.load('divvy'), null, 'an unknown feed is null, not an error');
  assert.deepEqual(await kv.keys(''), ['snapshot:bixi']);
  const newer = snap('bixi', 2, { fetchedAt: '2025-05-17T12:01:05.000Z' });
  await store.save(newer);
  assert.deepEqual(await store.load('bixi'), newer, 'a later save replaces the earlier one');
  await kv.close();
});

test('loadAll returns every readable snapshot in feed order and skips the rest with a warning', async () => {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  const w = collector();
  const store = new SnapshotStore(kv, w);
  await store.save(snap('tfl', 2));
  await store.save(snap('bixi', 1));
  await kv.set('snapshot:broken', '{"format":1,');
  await kv.set('session:abc', 'not a snapshot');
  const all = await store.loadAll();
  assert.deepEqual(all.map((s) => s.feedId), ['bixi', 'tfl']);
  assert.equal(w.warnings.length, 1);
  assert.match(w.warnings[0], /snapshot:broken.*not valid JSON/);
  await kv.close();
});

test('stored records that fail validation load as null with a warning, never a crash', async () => {
  const good = JSON.stringify({ format: SNAPSHOT_FORMAT, snapshot: snap('x', 2) });
  const cases: [string, string, RegExp][] = [
    ['not JSON', 'garbage{', /not valid JSON/],
    ['JSON null', 'null', /format null/],
    ['no format', JSON.stringify({ snapshot: snap('x', 1) }), /format null/],
    ['a future format', JSON.stringify({ format: SNAPSHOT_FORMAT + 1, snapshot: snap('x', 1) }), /format 2, this version reads 1/],
    ['count as string', good.replace('"bikes":1,', '"bikes":"1",'), /stations\.1\.bikes/],
    ['negative count', good.replace('"bikes":1,', '"bikes":-1,'), /stations\.1\.bikes/],
    ['fractional count', good.replace('"bikes":1,', '"bikes":1.5,'), /stations\.1\.bikes/],
    ['latitude as string', good.replace(/"lat":([-0-9.]+),/, '"lat":"$1",'), /stations\.0\.lat/],
    ['empty station id', good.replace(/"id":"[^"]+"/, '"id":""'), /stations\.0\.id/],
    ['installed as 1', good.replace('"installed":true', '"installed":1'), /stations\.0\.installed/],
    ['missing stations', JSON.stringify({ format: SNAPSHOT_FORMAT, snapshot: { ...snap('x', 0), stations: undefined } }), /snapshot\.stations/],
    ['another feed under this key', JSON.stringify({ format: SNAPSHOT_FORMAT, snapshot: snap('y', 1) }), /says it is feed "y"/],
  ];
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  await kv.set('snapshot:x', good);
  assert.equal((await new SnapshotStore(kv).load('x'))?.stations.length, 2, 'the unmodified record is valid');
  for (const [label, raw, expected] of cases) {
    assert.notEqual(raw, good, `${label}: the case changes the record`);
    await kv.set('snapshot:x', raw);
    const w = collector();
    assert.equal(await new SnapshotStore(kv, w).load('x'), null, label);
    assert.equal(w.warnings.length, 1, label);
    assert.match(w.warnings[0], expected, label);
    assert.equal(await new SnapshotStore(kv).load('x'), null, `${label}: no onWarning is fine too`);
  }
  await kv.close();
});

test('a snapshot without a feed id is refused', async () => {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  await assert.rejects(new SnapshotStore(kv).save(snap('', 1)), (e: unknown) => isBikeBotError(e, 'INVALID_INPUT'));
  await kv.close();
});

function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  return fn().then((r) => [r, performance.now() - t0]);
}

test('800- and 3000-station snapshots in SQLite (timings printed as diagnostics)', async (t) => {
  const kv = SqliteKvStore.open(join(dir, 'timing.db'), { sweepIntervalMs: 0 });
  const store = new SnapshotStore(kv);
  for (const count of [800, 3000]) {
    const s = snap(`feed${count}`, count);
    // Warm-up: statement caches, page allocation, JIT of the validator.
    await store.save(s);
    await store.load(s.feedId);
    const [, saveMs] = await timed(() => store.save(s));
    const [back, loadMs] = await timed(() => store.load(s.feedId));
    assert.deepEqual(back, s);
    const bytes = Buffer.byteLength((await kv.get(`snapshot:${s.feedId}`)) ?? '');
    t.diagnostic(`${count} stations: save ${saveMs.toFixed(1)} ms, load+validate ${loadMs.toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB stored`);
  }
  await kv.close();
});

/** Just enough of the TfL Place shape for a round trip; the real parser lives in src/feeds. */
function parseBikePoint(places: any[]): Snapshot {
  const stations = places.map((p): Station => {
    const props = new Map<string, { value: string; modified: string }>((p.additionalProperties ?? []).map((a: any) => [a.key, a]));
    const int = (k: string) => (props.has(k) && props.get(k)!.value !== '' ? Number(props.get(k)!.value) : null);
    const bool = (k: string) => props.get(k)?.value === 'true';
    const bikes = int('NbBikes');
    const empty = int('NbEmptyDocks');
    const docks = int('NbDocks');
    const asOf = ['NbBikes', 'NbEmptyDocks', 'NbDocks'].map((k) => props.get(k)?.modified ?? '').sort().at(-1) || null;
    return {
      id: p.id, systemId: 'tfl', name: String(p.commonName).replace(/\s+,/g, ',').replace(/\s{2,}/g, ' '),
      lat: typeof p.lat === 'number' ? p.lat : null, lon: typeof p.lon === 'number' ? p.lon : null, terminalName: props.get('TerminalName')?.value ?? null,
      bikes, standardBikes: int('NbStandardBikes'), ebikes: int('NbEBikes'), emptyDocks: empty, docks,
      brokenDocks: bikes === null || empty === null || docks === null ? null : Math.max(0, docks - bikes - empty),
      installed: bool('Installed'), locked: bool('Locked'), temporary: bool('Temporary'),
      renting: bool('Installed') && !bool('Locked'), returning: bool('Installed') && !bool('Locked'), asOf,
    };
  });
  const asOf = stations.map((s) => s.asOf ?? '').sort().at(-1) || null;
  return { feedId: 'tfl', systemId: 'tfl', fetchedAt: '2022-08-01T08:25:30.000Z', asOf, stations };
}

const BIKEPOINT = 'data/tfl/bikepoint-2022-08-01T08-25-10Z.json';
test('the real 792-station TfL snapshot survives save, close, reopen, load', { skip: skipWithoutShared(BIKEPOINT) }, async (t) => {
  const s = parseBikePoint(JSON.parse(readFileSync(join(SHARED_DATA, 'tfl', 'bikepoint-2022-08-01T08-25-10Z.json'), 'utf8')));
  assert.equal(s.stations.length, 792);
  assert.equal(s.stations.find((x) => x.id === 'BikePoints_1')?.name, 'River Street, Clerkenwell');
  const path = join(dir, 'real.db');
  const kv1 = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  const [, saveMs] = await timed(() => new SnapshotStore(kv1).save(s));
  await kv1.close();
  const kv2 = SqliteKvStore.open(path, { sweepIntervalMs: 0 });
  const w = collector();
  const [back, loadMs] = await timed(() => new SnapshotStore(kv2, w).load('tfl'));
  await kv2.close();
  assert.deepEqual(back, s);
  assert.deepEqual(w.warnings, []);
  t.diagnostic(`real TfL snapshot (792 stations): save ${saveMs.toFixed(1)} ms, reopen+load ${loadMs.toFixed(1)} ms`);
});

test('a stored station keeps exactly the fields of a station: unknown ones are dropped, the rest as stored', async () => {
  const kv = new MemoryKvStore({ sweepIntervalMs: 0 });
  const saved = snap('x', 3);
  const record = { format: SNAPSHOT_FORMAT, snapshot: { ...saved, stations: saved.stations.map((st, i) => (i === 1 ? { ...st, extra: 'not ours', closure: null } : st)) } };
  await kv.set('snapshot:x', JSON.stringify(record));
  const loaded = await new SnapshotStore(kv).load('x');
  assert.deepEqual(loaded, saved);
  assert.deepEqual(Object.keys(loaded!.stations[1]), Object.keys(saved.stations[0]));
  await kv.close();
});
