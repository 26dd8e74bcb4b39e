import type { Sample } from './load.js';
import type { PhaseResult, RehearsalResult } from './run-rehearsal.js';

const ms = (v: number | null) => (v === null ? '–' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

function statusText(p: PhaseResult): string {
  const order = Object.keys(p.status).sort((a, b) => (a === 'error' ? 1 : b === 'error' ? -1 : Number(a) - Number(b)));
  return order.map((k) => `${k}×${p.status[k]}`).join(' ') || '–';
}

function convText(p: PhaseResult): string {
  const c = p.conversations;
  const n = c.kept + c.told + c.lost + c.failed;
  if (n === 0) return '–';
  return `${c.lost} of ${n}` + (c.told ? ` (${c.told} told)` : '') + (c.failed ? ` (${c.failed} no answer)` : '');
}

export const TABLE_HEADER = ['phase', 'faults / events', 'requests', 'p50', 'p99', 'status counts', 'stale', 'upstream (budget)', 'lease holder', 'conversations lost', 'notes'];

export function tableRows(r: RehearsalResult): string[][] {
  return r.phases.map((p) => [
    p.name,
    p.label || '–',
    String(p.requests),
    ms(p.p50),
    ms(p.p99),
    statusText(p),
    String(p.stale),
    `${p.upstream} (${p.upstreamBudget})`,
    p.holder ?? 'none',
    convText(p),
    [p.takeoverMs !== null ? `takeover ${ms(p.takeoverMs)} = ${(p.takeoverIntervals ?? 0).toFixed(2)} intervals` : '', p.minStations !== null ? `≥${p.minStations} stations` : '', p.broken.length ? 'BROKEN' : ''].filter(Boolean).join('; '),
  ]);
}

/** The per-phase table for a terminal. */
export function formatTable(r: RehearsalResult): string {
  const rows = [TABLE_HEADER, ...tableRows(r)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for the README. */
export function formatMarkdown(r: RehearsalResult): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${TABLE_HEADER.join(' | ')} |`, `|${TABLE_HEADER.map(() => '---').join('|')}|`, ...tableRows(r).map((row) => `| ${row.map(esc).join(' | ')} |`)].join('\n');
}

export function verdict(r: RehearsalResult): string {
  if (r.broken.length === 0) return `PASS: every promise held (${r.scenario.name}, ${r.durationS.toFixed(0)} s, ${r.samples.length} requests).`;
  return `FAIL: ${r.broken.length} promise(s) broken:\n  ${r.broken.join('\n  ')}`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  step?: boolean;
}

const W = 900;
const H = 200;
const PAD = { l: 56, r: 12, t: 14, b: 26 };

/** One SVG line chart over the rehearsal's time, with fault phases shaded and events marked. */
function chart(title: string, unit: string, series: Series[], r: RehearsalResult): string {
  const tMax = Math.max(1, r.durationS * 1000);
  const yMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) * 1.1;
  const x = (t: number) => PAD.l + (t / tMax) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  r.phases.forEach((p, i) => {
    if (!p.label) return;
    parts.push(`<rect x="${x(p.startT).toFixed(1)}" y="${PAD.t}" width="${Math.max(1, x(p.endT) - x(p.startT)).toFixed(1)}" height="${H - PAD.t - PAD.b}" fill="${p.broken.length ? '#f8d0d0' : '#fdf0d0'}"><title>${escapeHtml(`${p.name}: ${p.label}`)}</title></rect>`);
    parts.push(`<text x="${(x(p.startT) + 2).toFixed(1)}" y="${PAD.t + 10 + (i % 3) * 10}" font-size="9" fill="#8a6d00">${escapeHtml(p.name)}</text>`);
  });
  for (const e of r.events) {
    parts.push(`<line x1="${x(e.t).toFixed(1)}" x2="${x(e.t).toFixed(1)}" y1="${PAD.t}" y2="${H - PAD.b}" stroke="#c00" stroke-dasharray="3,2"><title>${escapeHtml(e.label)}</title></line>`);
    parts.push(`<text x="${(x(e.t) + 2).toFixed(1)}" y="${H - PAD.b - 4}" font-size="9" fill="#c00">${escapeHtml(e.label)}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const v = (yMax / 4) * i;
    parts.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${PAD.l - 4}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v >= 100 ? Math.round(v) : v.toFixed(1)}</text>`);
  }
  for (let s = 0; s <= r.durationS; s += r.durationS > 120 ? 30 : 10) {
    parts.push(`<text x="${x(s * 1000).toFixed(1)}" y="${H - 8}" font-size="10" text-anchor="middle">${s}s</text>`);
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    const d = s.points
      .map(([t, v], i) => {
        const prev = s.points[i - 1];
        const step = s.step && prev ? `L${x(t).toFixed(1)},${y(prev[1]).toFixed(1)} ` : '';
        return `${i === 0 ? 'M' : step + 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      })
      .join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
  }
  const legend = series.map((s) => `<span style="color:${s.color}">■ ${escapeHtml(s.name)}</span>`).join(' &nbsp; ');
  return `<h3>${escapeHtml(title)} <small>(${escapeHtml(unit)})</small></h3><div class="legend">${legend}</div><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}"><rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>${parts.join('')}</svg>`;
}

/** Per-second buckets of the samples. */
function perSecond(samples: Sample[], durationS: number, f: (bucket: Sample[]) => number | null): Array<[number, number]> {
  const buckets: Sample[][] = Array.from({ length: Math.ceil(durationS) + 1 }, () => []);
  for (const s of samples) {
    const i = Math.floor(s.t / 1000);
    if (i >= 0 && i < buckets.length) buckets[i].push(s);
  }
  const out: Array<[number, number]> = [];
  buckets.forEach((b, i) => {
    const v = f(b);
    if (v !== null) out.push([i * 1000 + 500, v]);
  });
  return out;
}

function pct(b: Sample[], p: number): number | null {
  const l = b.filter((s) => s.status > 0).map((s) => s.ms).sort((a, c) => a - c);
  if (l.length === 0) return null;
  return l[Math.min(l.length - 1, Math.ceil((p / 100) * l.length) - 1)];
}

/** The plots alone (SVG inside HTML fragments), also used for the README figure. */
export function charts(r: RehearsalResult): { throughput: string; latency: string; upstream: string; stations: string } {
  const d = r.durationS;
  const throughput = chart(
    'Responses per second',
    'by status class',
    [
      { name: '2xx', color: '#2a7', points: perSecond(r.samples, d, (b) => b.filter((s) => s.status >= 200 && s.status < 300).length) },
      { name: '4xx', color: '#d90', points: perSecond(r.samples, d, (b) => b.filter((s) => s.status >= 400 && s.status < 500).length) },
      { name: 'shed 503', color: '#88f', points: perSecond(r.samples, d, (b) => b.filter((s) => s.shed).length) },
      { name: 'other 5xx / no answer', color: '#c00', points: perSecond(r.samples, d, (b) => b.filter((s) => s.status === 0 || (s.status >= 500 && !s.shed)).length) },
    ],
    r,
  );
  const latency = chart(
    'Latency',
    'ms, per second',
    [
      { name: 'p50', color: '#27c', points: perSecond(r.samples, d, (b) => pct(b, 50)) },
      { name: 'p99', color: '#c50', points: perSecond(r.samples, d, (b) => pct(b, 99)) },
    ],
    r,
  );
  const upstream = chart('Upstream requests', 'cumulative, all replicas together', [{ name: 'requests to the replay server', color: '#333', points: r.timeline.map((p) => [p.t, p.upstream]), step: true }], r);
  const names = r.replicas;
  const colors = ['#27c', '#c50', '#2a7', '#a3c', '#d90', '#555', '#0aa', '#a50'];
  const stations = chart(
    'Stations served, and lease holder',
    'stations per replica; a dot on top marks the holder',
    names.map((n, i) => ({ name: `replica ${n}`, color: colors[i % colors.length], points: r.timeline.filter((p) => p.stations[n] !== undefined && p.stations[n] !== null).map((p) => [p.t, p.stations[n] as number]) })),
    r,
  );
  return { throughput, latency, upstream, stations };
}

export function renderHtml(r: RehearsalResult): string {
  const c = charts(r);
  const rows = tableRows(r)
    .map((row, i) => `<tr class="${r.phases[i].broken.length ? 'broken' : ''}">${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  const holders = r.timeline
    .map((p, i) => (i === 0 || p.holder !== r.timeline[i - 1].holder ? `${(p.t / 1000).toFixed(1)} s: ${p.holder ?? 'none'}` : null))
    .filter(Boolean)
    .join(' → ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BikeBot rehearsal: ${escapeHtml(r.scenario.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}tr.broken td{background:#fdd}.pass{color:#060}.fail{color:#a00}.legend{font-size:12px}h3{margin:1.5em 0 .2em}</style>
</head><body>
<h1>BikeBot rehearsal: ${escapeHtml(r.scenario.name)}</h1>
<p>Started ${escapeHtml(r.startedAt)}, ${r.durationS.toFixed(0)} s, ${r.replicas.length} replicas on one Redis, poll interval ${r.scenario.pollIntervalMs} ms, ${r.samples.length} requests.</p>
<p class="${r.broken.length ? 'fail' : 'pass'}"><strong>${escapeHtml(verdict(r)).replace(/\n/g, '<br>')}</strong></p>
<table><thead><tr>${TABLE_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>
${rows}
</tbody></table>
<p>Lease holder over time: ${escapeHtml(holders || 'none')}</p>
<p>Shaded: phases with upstream faults (red when a promise broke there); dashed lines: kills and Redis restarts.</p>
${c.throughput}
${c.latency}
${c.upstream}
${c.stations}
</body></html>
`;
}
