import { scratch } from './resolver-scratch.js';

/** Stable merge sort of scratch.order[0..n) by raw, then recall, highest first. */
export function sortOrder(n: number): void {
  let a = scratch.order;
  let b = scratch.orderTmp;
  // Runs of 8 by insertion, then bottom-up merges.
  const RUN = 8;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(n, lo + RUN);
    for (let i = lo + 1; i < hi; i++) {
      const v = a[i];
      let k = i;
      while (k > lo && after(a[k - 1], v) > 0) {
        a[k] = a[k - 1];
        k--;
      }
      a[k] = v;
    }
  }
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = after(a[i], a[j]) > 0 ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    const t = a;
    a = b;
    b = t;
  }
  if (a !== scratch.order) for (let i = 0; i < n; i++) scratch.order[i] = a[i];
}

/** > 0 when touched slot j goes before slot i: the comparator the candidates were sorted with. */
function after(i: number, j: number): number {
  return scratch.raw[j] - scratch.raw[i] || scratch.recall[j] - scratch.recall[i];
}
