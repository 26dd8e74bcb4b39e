/**
 * A small, made-up GBFS 2.3 system ("tiny-town", 4 stations) written to a temp folder,
 * so unit and polling tests need no shared data. Every quirk in it is deliberate.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const T0 = 1_700_000_000; // 2023-11-14T22:13:20Z

export function tinyDocs(opts: { statusTtl?: number; staticTtl?: number } = {}): Record<string, unknown> {
  const statusTtl = opts.statusTtl ?? 60;
  const staticTtl = opts.staticTtl ?? 3600;
  const env = (data: unknown, ttl: number) => ({ last_updated: T0, ttl, version: '2.3', data });
  const feeds = (lang: string) => ({
    feeds: ['system_information', 'station_information', 'station_status', 'vehicle_types', 'free_bike_status'].map((name) => ({ name, url: `https://example.invalid/${lang}/${name}.json` })),
  });
  return {
    gbfs: env({ fr: feeds('fr'), en: feeds('en') }, staticTtl),
    system_information: env({ system_id: 'tiny', language: 'en', name: 'Tiny Town Bikes', timezone: 'Europe/Paris' }, staticTtl),
    vehicle_types: env(
      {
        vehicle_types: [
          { vehicle_type_id: 'pedal', form_factor: 'bicycle', propulsion_type: 'human' },
          { vehicle_type_id: 'assist', form_factor: 'bicycle', propulsion_type: 'electric_assist' },
          { vehicle_type_id: 'scoot', form_factor: 'scooter', propulsion_type: 'electric' },
        ],
      },
      staticTtl,
    ),
    station_information: env(
      {
        stations: [
          { station_id: 'a', name: 'Place  du Marché , Nord', lat: 48.85, lon: 2.35, capacity: 10, short_name: 'A1' },
          { station_id: 'b', name: 'Gare', lat: 48.86, lon: 2.36, capacity: 12 },
          { station_id: 'c', name: 'Closed Corner', lat: 48.87, lon: 2.37 },
          { station_id: 'd', name: 'Broken Flags', lat: 48.88, lon: 2.38, capacity: 5 },
        ],
      },
      staticTtl,
    ),
    station_status: env(
      {
        stations: [
          {
            station_id: 'a', num_bikes_available: 5, num_docks_available: 3, num_bikes_disabled: 1, num_docks_disabled: 0,
            is_installed: true, is_renting: true, is_returning: true, last_reported: T0 - 30,
            vehicle_types_available: [{ vehicle_type_id: 'pedal', count: 2 }, { vehicle_type_id: 'assist', count: 3 }, { vehicle_type_id: 'scoot', count: 1 }],
          },
          // Not renting but bikes on the dock; 1/0 booleans as Divvy sends them.
          { station_id: 'b', num_bikes_available: 4, num_docks_available: 8, is_installed: 1, is_renting: 0, is_returning: 1, last_reported: T0 - 60 },
          { station_id: 'c', num_bikes_available: 0, num_docks_available: 0, is_installed: true, is_renting: true, is_returning: false, last_reported: T0 - 90 },
          // "yes" is not a GBFS boolean: this station is skipped, not guessed at.
          { station_id: 'd', num_bikes_available: 1, num_docks_available: 4, is_installed: 'yes', is_renting: true, is_returning: true, last_reported: T0 },
        ],
      },
      statusTtl,
    ),
  };
}

/** Writes the docs as <root>/<name>/<file>.json; returns the system folder and a cleanup. */
export function writeSystemFolder(docs: Record<string, unknown>, name = 'tiny-town'): { root: string; folder: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'bikebot-gbfs-'));
  const folder = join(root, name);
  mkdirSync(folder);
  for (const [file, doc] of Object.entries(docs)) writeFileSync(join(folder, `${file}.json`), JSON.stringify(doc));
  return { root, folder, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
