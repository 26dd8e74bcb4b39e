/**
 * Reliability of a confidence: bucket the answers by the confidence given, and
 * count the share right in each; and, for thresholds, the share right among all
 * answers at or above each bucket's floor. Printed by `bikebot eval`, plotted by
 * `--plot`, and used to choose the verdict's thresholds.
 */
export interface Judged {
  confidence: number;
  right: boolean;
}

export interface Bucket {
  lo: number;
  hi: number;
  n: number;
  right: number;
  /** Answers with confidence ≥ lo, and how many of them were right. */
  atLeastN: number;
  atLeastRight: number;
}

export const EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1];

export function reliabilityTable(items: readonly Judged[], edges: readonly number[] = EDGES): Bucket[] {
  const out: Bucket[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b];
    const hi = edges[b + 1];
    const last = b + 2 === edges.length;
    const inside = items.filter((i) => i.confidence >= lo && (last ? i.confidence <= hi : i.confidence < hi));
    const above = items.filter((i) => i.confidence >= lo);
    out.push({ lo, hi, n: inside.length, right: inside.filter((i) => i.right).length, atLeastN: above.length, atLeastRight: above.filter((i) => i.right).length });
  }
  return out;
}

const pct = (a: number, n: number) => (n ? `${((100 * a) / n).toFixed(1)}%` : '-');

export function formatReliability(buckets: readonly Bucket[]): string {
  const lines = ['  confidence    asks   right    share | at or above: asks  share right'];
  for (const b of buckets) {
    lines.push(`  ${b.lo.toFixed(2)}–${b.hi.toFixed(2)}  ${String(b.n).padStart(6)}  ${String(b.right).padStart(6)}  ${pct(b.right, b.n).padStart(7)} | ${String(b.atLeastN).padStart(17)}  ${pct(b.atLeastRight, b.atLeastN).padStart(11)}`);
  }
  return lines.join('\n');
}

/** The reliability diagram as a standalone SVG: share right per bucket against the diagonal, with counts. */
export function reliabilitySvg(buckets: readonly Bucket[], title: string): string {
  const W = 480;
  const H = 420;
  const L = 60;
  const T = 40;
  const S = 320;
  const x = (v: number) => L + v * S;
  const y = (v: number) => T + (1 - v) * S;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  parts.push(`<title>${esc(title)}</title><rect width="${W}" height="${H}" fill="#fff"/>`);
  parts.push(`<text x="${L}" y="22" font-size="13">${esc(title)}</text>`);
  parts.push(`<rect x="${L}" y="${T}" width="${S}" height="${S}" fill="none" stroke="#888"/>`);
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`);
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<text x="${x(v)}" y="${T + S + 16}" text-anchor="middle">${v.toFixed(1)}</text><text x="${L - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  parts.push(`<text x="${L + S / 2}" y="${T + S + 34}" text-anchor="middle">confidence given</text>`);
  parts.push(`<text transform="translate(16 ${T + S / 2}) rotate(-90)" text-anchor="middle">share right</text>`);
  const pts: string[] = [];
  for (const b of buckets) {
    if (!b.n) continue;
    const share = b.right / b.n;
    const bx = x(b.lo);
    const bw = x(b.hi) - x(b.lo) - 1;
    parts.push(`<rect x="${bx}" y="${y(share)}" width="${bw}" height="${y(0) - y(share)}" fill="#4a7fb5" fill-opacity="0.35"/>`);
    parts.push(`<text x="${bx + bw / 2}" y="${y(share) - 4}" text-anchor="middle" font-size="9">${b.n}</text>`);
    pts.push(`${x((b.lo + b.hi) / 2)},${y(share)}`);
  }
  if (pts.length) parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="#1f4e79" stroke-width="2"/>`);
  parts.push(`<text x="${L + S + 10}" y="${T + 12}">bars: share right</text><text x="${L + S + 10}" y="${T + 26}">numbers: asks</text><text x="${L + S + 10}" y="${T + 40}">dashed: perfect</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
