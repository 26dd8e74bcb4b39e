import { test } from 'node:test';
import assert from 'node:assert/strict';
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { nearestIds } from '../src/domain/nearest-search.js';

/** A small deterministic generator: the same points every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function tree(points: Array<[number, number]>): KDBush {
  const t = new KDBush(points.length);
  for (const [lon, lat] of points) t.add(lon, lat);
  t.finish();
  return t;
}

test('nearestIds returns exactly what geokdbush.around returns (order and ties included)', () => {
  const r = rng(7);
  // A city's worth of docks, some sharing coordinates (ties), plus a few far away.
  const points: Array<[number, number]> = [];
  for (let i = 0; i < 900; i++) points.push([-0.25 + r() * 0.3, 51.45 + r() * 0.12]);
  for (let i = 0; i < 60; i++) points.push(points[Math.floor(r() * points.length)]);
  for (let i = 0; i < 40; i++) points.push([-180 + r() * 360, -85 + r() * 170]);
  const t = tree(points);
  let checked = 0;
  for (let q = 0; q < 400; q++) {
    const lon = q % 10 === 0 ? -180 + r() * 360 : -0.3 + r() * 0.4;
    const lat = q % 10 === 0 ? -85 + r() * 170 : 51.4 + r() * 0.2;
    const k = [1, 3, 5, 12, 80, 2000][q % 6];
    const maxKm = [0.2, 1, 50, 20_000][q % 4];
    const keep = q % 3 === 0 ? (id: number) => id % 4 !== 1 : undefined;
    assert.deepEqual(nearestIds(t, lon, lat, k, maxKm, keep), around(t, lon, lat, k, maxKm, keep), `query ${q}`);
    checked++;
  }
  assert.equal(checked, 400);
});

test('nearestIds on an empty-ish and a one-point tree', () => {
  const one = tree([[-0.1, 51.5]]);
  assert.deepEqual(nearestIds(one, -0.1, 51.5, 5, 50), [0]);
  assert.deepEqual(nearestIds(one, 10, 10, 5, 1), []);
});
