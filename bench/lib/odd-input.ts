/**
 * Generated odd-input cases for every station whose street name is its own: the station asked
 * for in the shapes people and pastes give it — letters stretched, words run together, shouted,
 * wrapped in emoji, markup, template braces or punctuation, followed by SQL or a shell command,
 * or asked in German, French or Spanish. Each case's answer is the station itself, so a reader
 * that loses the name in the noise, or gives another station, fails. Seeded: the same cases
 * every run. Used by scripts/odd-cases.ts (and from there `bikebot eval`).
 */
import type { EvalCase } from '../../src/eval/eval-case.js';
import { nameParts, rng, type Station } from './respell.js';

type Want = 'bikes' | 'docks' | 'ebikes' | 'any';
interface Shape {
  noise: string;
  make: (name: string, rand: () => number) => { text: string; want: Want };
}

const pick = <T>(xs: readonly T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)];

/** One vowel or final letter of one word held down ("waterlooooo"). */
function stretch(name: string, rand: () => number): string {
  const words = name.split(' ');
  const i = Math.floor(rand() * words.length);
  const w = words[i];
  const vowels = [...w].map((c, j) => (/[aeiouy]/.test(c) ? j : -1)).filter((j) => j >= 0);
  const at = vowels.length ? pick(vowels, rand) : w.length - 1;
  words[i] = w.slice(0, at + 1) + w[at].repeat(3 + Math.floor(rand() * 4)) + w.slice(at + 1);
  return words.join(' ');
}

const SHAPES: readonly Shape[] = [
  { noise: 'odd_stretched', make: (n, r) => ({ text: `${stretch(n, r)} bikes??`, want: 'bikes' }) },
  { noise: 'odd_run_together', make: (n, r) => (r() < 0.5 ? { text: `${n.replace(/ /g, '')} docks`, want: 'docks' } : { text: `bikesat${n.replace(/ /g, '')}`, want: 'bikes' }) },
  { noise: 'odd_caps', make: (n, r) => (r() < 0.5 ? { text: `ANY BIKES AT ${n.toUpperCase()}`, want: 'bikes' } : { text: `${n.toUpperCase()} DOCKS FREE???`, want: 'docks' }) },
  { noise: 'odd_emoji', make: (n, r) => ({ text: `${pick(['🚲', '🚴', '🙏', '😩'], r)} bikes at ${n} ${pick(['🚲🚲', '❓❓', '🙏', '👀'], r)}`, want: 'bikes' }) },
  { noise: 'odd_markup', make: (n, r) => (r() < 0.5 ? { text: `<b>${n}</b> docks`, want: 'docks' } : { text: `<div><p>bikes at ${n}</p></div>`, want: 'bikes' }) },
  { noise: 'odd_template', make: (n, r) => (r() < 0.5 ? { text: `{{${titleCase(n)}}} e-bikes`, want: 'ebikes' } : { text: `{{user}} bikes at ${titleCase(n)}`, want: 'bikes' }) },
  { noise: 'odd_sql', make: (n, r) => ({ text: `${titleCase(n)}${pick(["'; DROP TABLE stations; --", "' OR '1'='1", '; SELECT * FROM users;--'], r)}`, want: 'any' }) },
  { noise: 'odd_shell', make: (n, r) => ({ text: `bikes at ${n}${pick([' && rm -rf /', '; cat /etc/passwd', ' | sh', ' $(reboot)'], r)}`, want: 'bikes' }) },
  { noise: 'odd_punct', make: (n, r) => ({ text: `${pick(['...', '!!!', '??'], r)}${n}${pick(['?!?!?!', '...???', '!!!!!!'], r)} docks`, want: 'docks' }) },
  {
    noise: 'odd_foreign',
    make: (n, r) =>
      pick(
        [
          { text: `Gibt es Fahrräder bei ${titleCase(n)}?`, want: 'bikes' as Want },
          { text: `Bonjour, il y a des vélos à ${titleCase(n)} ?`, want: 'bikes' as Want },
          { text: `¿Hay bicis en ${titleCase(n)}?`, want: 'bikes' as Want },
          { text: `Hallo! ${titleCase(n)} – noch Platz zum Abstellen?`, want: 'docks' as Want },
        ],
        r,
      ),
  },
];

function titleCase(s: string): string {
  return s.replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

/** One odd-input case per station whose street words no other station shares, its shape drawn at random. */
export function generateOddCases(stations: readonly Station[], opts: { seed?: number } = {}): EvalCase[] {
  const rand = rng((opts.seed ?? 9) + 2000);
  const count = new Map<string, number>();
  for (const s of stations) {
    const key = nameParts(s.name).street.join(' ');
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  const out: EvalCase[] = [];
  for (const s of stations) {
    const street = nameParts(s.name).street.join(' ');
    if (!street || count.get(street) !== 1) continue;
    const shape = SHAPES[Math.floor(rand() * SHAPES.length)];
    const { text, want } = shape.make(street, rand);
    out.push({ id: `o${String(out.length + 1).padStart(5, '0')}`, kind: 'edge', utterance: text, intent: 'station_status', want, expect: { station_ids: [s.id] }, noise: shape.noise });
  }
  return out;
}
