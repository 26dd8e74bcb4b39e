import type KDBush from 'kdbush';

/**
 * Nearest points on the sphere in a KDBush index: geokdbush's `around` (2.1.0),
 * step for step and with the same priority-queue discipline (TinyQueue's), so it
 * returns the same points in the same order, ties included. The difference is
 * memory: geokdbush makes an object for every point and tree node it queues;
 * here they are rows of typed arrays reused by every query (a query never
 * awaits, so one set serves all), and a message's nearest-station search leaves
 * no garbage behind but its result.
 */

const EARTH_RADIUS_KM = 6371;
const RAD = Math.PI / 180;
const POINT = 0;
const NODE = 1;

class Rows {
  size = 0;
  kind = new Uint8Array(256);
  /** Point: its id. Node: its left index. */
  a = new Int32Array(256);
  /** Node: its right index. */
  b = new Int32Array(256);
  axis = new Uint8Array(256);
  dist = new Float64Array(256);
  minLng = new Float64Array(256);
  minLat = new Float64Array(256);
  maxLng = new Float64Array(256);
  maxLat = new Float64Array(256);
  /** The queue: a binary heap of row numbers, by dist. */
  heap = new Int32Array(256);
  length = 0;

  reset(): void {
    this.size = 0;
    this.length = 0;
  }

  row(): number {
    if (this.size === this.kind.length) this.grow();
    return this.size++;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const u8 = (x: Uint8Array) => {
      const y = new Uint8Array(n);
      y.set(x);
      return y;
    };
    const i32 = (x: Int32Array) => {
      const y = new Int32Array(n);
      y.set(x);
      return y;
    };
    const f64 = (x: Float64Array) => {
      const y = new Float64Array(n);
      y.set(x);
      return y;
    };
    this.kind = u8(this.kind);
    this.a = i32(this.a);
    this.b = i32(this.b);
    this.axis = u8(this.axis);
    this.dist = f64(this.dist);
    this.minLng = f64(this.minLng);
    this.minLat = f64(this.minLat);
    this.maxLng = f64(this.maxLng);
    this.maxLat = f64(this.maxLat);
    this.heap = i32(this.heap);
  }

  point(id: number, dist: number): void {
    const r = this.row();
    this.kind[r] = POINT;
    this.a[r] = id;
    this.dist[r] = dist;
    this.push(r);
  }

  node(left: number, right: number, axis: number, minLng: number, minLat: number, maxLng: number, maxLat: number): number {
    const r = this.row();
    this.kind[r] = NODE;
    this.a[r] = left;
    this.b[r] = right;
    this.axis[r] = axis;
    this.minLng[r] = minLng;
    this.minLat[r] = minLat;
    this.maxLng[r] = maxLng;
    this.maxLat[r] = maxLat;
    this.dist[r] = 0;
    return r;
  }

  // TinyQueue 3.0.0 push/pop/_up/_down with compare = (a, b) => a.dist - b.dist.
  push(r: number): void {
    const heap = this.heap;
    const dist = this.dist;
    let pos = this.length++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const current = heap[parent];
      if (dist[r] - dist[current] >= 0) break;
      heap[pos] = current;
      pos = parent;
    }
    heap[pos] = r;
  }

  /** The row at the top of the queue, or -1 when it is empty. */
  pop(): number {
    if (this.length === 0) return -1;
    const heap = this.heap;
    const dist = this.dist;
    const top = heap[0];
    const bottom = heap[this.length - 1];
    if (--this.length > 0) {
      const half = this.length >> 1;
      let pos = 0;
      while (pos < half) {
        let best = (pos << 1) + 1;
        const right = best + 1;
        if (right < this.length && dist[heap[right]] - dist[heap[best]] < 0) best = right;
        if (dist[heap[best]] - dist[bottom] >= 0) break;
        heap[pos] = heap[best];
        pos = best;
      }
      heap[pos] = bottom;
    }
    return top;
  }
}

const rows = new Rows();

/**
 * Ids (KDBush insertion indexes) of the points closest to (lng, lat), nearest
 * first: at most maxResults, within maxDistanceKm, passing predicate. When
 * haverSins is given, haverSins[i] is set to result[i]'s haversine distance
 * (geo.ts haverSinToM turns it into metres), so no caller measures it again.
 */
export function nearestIds(index: KDBush, lng: number, lat: number, maxResults: number, maxDistanceKm: number, predicate?: (id: number) => boolean, haverSins?: number[]): number[] {
  const result: number[] = [];
  const maxHaverSinDist = haverSin(maxDistanceKm / EARTH_RADIUS_KM);
  const q = rows;
  q.reset();
  const ids = index.ids;
  const coords = index.coords;
  const nodeSize = index.nodeSize;
  let node = q.node(0, ids.length - 1, 0, -180, -90, 180, 90);
  const cosLat = Math.cos(lat * RAD);

  while (node >= 0) {
    const right = q.b[node];
    const left = q.a[node];
    if (right - left <= nodeSize) {
      // A leaf: every point of it goes into the queue.
      for (let i = left; i <= right; i++) {
        const id = ids[i];
        if (!predicate || predicate(id)) q.point(id, haverSinDist(lng, lat, coords[2 * i], coords[2 * i + 1], cosLat));
      }
    } else {
      const m = (left + right) >> 1;
      const midLng = coords[2 * m];
      const midLat = coords[2 * m + 1];
      const id = ids[m];
      if (!predicate || predicate(id)) q.point(id, haverSinDist(lng, lat, midLng, midLat, cosLat));
      const axis = q.axis[node];
      const nextAxis = (axis + 1) % 2;
      const minLng = q.minLng[node];
      const minLat = q.minLat[node];
      const maxLng = q.maxLng[node];
      const maxLat = q.maxLat[node];
      const leftNode = q.node(left, m - 1, nextAxis, minLng, minLat, axis === 0 ? midLng : maxLng, axis === 1 ? midLat : maxLat);
      const rightNode = q.node(m + 1, right, nextAxis, axis === 0 ? midLng : minLng, axis === 1 ? midLat : minLat, maxLng, maxLat);
      q.dist[leftNode] = boxDist(lng, lat, cosLat, q.minLng[leftNode], q.maxLng[leftNode], q.minLat[leftNode], q.maxLat[leftNode]);
      q.dist[rightNode] = boxDist(lng, lat, cosLat, q.minLng[rightNode], q.maxLng[rightNode], q.minLat[rightNode], q.maxLat[rightNode]);
      q.push(leftNode);
      q.push(rightNode);
    }
    // Closest points first: each is nearer than everything still queued, since a
    // node's distance bounds those of its children from below.
    let candidate = q.pop();
    while (candidate >= 0 && q.kind[candidate] === POINT) {
      if (q.dist[candidate] > maxHaverSinDist) return result;
      if (haverSins) haverSins[result.length] = q.dist[candidate];
      result.push(q.a[candidate]);
      if (result.length === maxResults) return result;
      candidate = q.pop();
    }
    node = candidate;
  }
  return result;
}

/**
 * Lower bound of the haversine distance from (lng, lat) to any point of the box
 * [minLng, minLat, maxLng, maxLat]: a part whose box is further than the search
 * reaches is not searched at all.
 */
export function haverSinToBox(lng: number, lat: number, box: readonly [number, number, number, number]): number {
  return boxDist(lng, lat, Math.cos(lat * RAD), box[0], box[2], box[1], box[3]);
}

/** The haversine of a distance in km, as haverSinToBox and nearestIds measure. */
export function haverSinOfKm(km: number): number {
  return haverSin(km / EARTH_RADIUS_KM);
}

/** Lower bound of the distance from a location to the points inside a box. */
function boxDist(lng: number, lat: number, cosLat: number, minLng: number, maxLng: number, minLat: number, maxLat: number): number {
  if (lng >= minLng && lng <= maxLng) {
    if (lat < minLat) return haverSin((lat - minLat) * RAD);
    if (lat > maxLat) return haverSin((lat - maxLat) * RAD);
    return 0;
  }
  // West or east of the box: the great circle's extremum towards the nearest longitude.
  const haverSinDLng = Math.min(haverSin((lng - minLng) * RAD), haverSin((lng - maxLng) * RAD));
  const extremumLat = vertexLat(lat, haverSinDLng);
  if (extremumLat > minLat && extremumLat < maxLat) return haverSinDistPartial(haverSinDLng, cosLat, lat, extremumLat);
  return Math.min(haverSinDistPartial(haverSinDLng, cosLat, lat, minLat), haverSinDistPartial(haverSinDLng, cosLat, lat, maxLat));
}

function haverSin(theta: number): number {
  const s = Math.sin(theta / 2);
  return s * s;
}

function haverSinDistPartial(haverSinDLng: number, cosLat1: number, lat1: number, lat2: number): number {
  return cosLat1 * Math.cos(lat2 * RAD) * haverSinDLng + haverSin((lat1 - lat2) * RAD);
}

function haverSinDist(lng1: number, lat1: number, lng2: number, lat2: number, cosLat1: number): number {
  return haverSinDistPartial(haverSin((lng1 - lng2) * RAD), cosLat1, lat1, lat2);
}

function vertexLat(lat: number, haverSinDLng: number): number {
  const cosDLng = 1 - 2 * haverSinDLng;
  if (cosDLng <= 0) return lat > 0 ? 90 : -90;
  return Math.atan(Math.tan(lat * RAD) / cosDLng) / RAD;
}
