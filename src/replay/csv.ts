/**
 * Just enough RFC 4180 for the data bundle: quoted fields with commas and doubled
 * quotes. Hot loops over big files (occupancy) split by hand instead; this is for
 * the small files with free text (stations.csv).
 */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          v += line.slice(i);
          i = n;
          break;
        }
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      // Skip to the next separator (anything between a closing quote and a comma is junk).
      const c = line.indexOf(',', i);
      i = c < 0 ? n + 1 : c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        i = n + 1;
      } else {
        out.push(line.slice(i, c));
        i = c + 1;
      }
    }
  }
  return out;
}

/** Rows as records keyed by the header line; blank lines skipped; \r\n tolerated. */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split('\n');
  const header = parseCsvLine((lines[0] ?? '').replace(/\r$/, '').replace(/^\uFEFF/, ''));
  const rows: Record<string, string>[] = [];
  for (let li = 1; li < lines.length; li++) {
    const line = lines[li].replace(/\r$/, '');
    if (line === '') continue;
    const cells = parseCsvLine(line);
    const row: Record<string, string> = {};
    header.forEach((h, i) => {
      row[h] = cells[i] ?? '';
    });
    rows.push(row);
  }
  return rows;
}
