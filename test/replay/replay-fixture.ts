import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Query times of the fixture folder's three snapshots (UTC, written without offset like the scraper). */
export const FIXTURE_TIMES = ['2022-07-27T08:00:00.123456', '2022-07-27T08:20:00.500000', '2022-07-27T09:00:00.000001'];

/**
 * A tiny tfl/ folder in the data bundle's layout: stations.csv + occupancy/*.csv, split
 * over two files and written out of order, with a row for a station not in stations.csv.
 */
export function makeTflFolder(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bikebot-replay-'));
  mkdirSync(join(dir, 'occupancy'));
  writeFileSync(
    join(dir, 'stations.csv'),
    [
      'place_id,terminal_name,common_name,lat,lon,installed,locked,temporary,install_date,removal_date',
      'BikePoints_1,001023,"River Street , Clerkenwell",51.529163,-0.10997,true,false,false,1278947280000,',
      'BikePoints_2,001018,"Phillimore Gardens, Kensington",51.499606,-0.197574,true,false,false,1278585780000,',
      'BikePoints_3,001012,"Say ""Hello"" Street, Nowhere",51.5,-0.1,true,false,true,,1539000000000',
      '',
    ].join('\n'),
  );
  const [t0, t1, t2] = FIXTURE_TIMES;
  writeFileSync(
    join(dir, 'occupancy', '2022-07-27-b.csv'),
    ['query_time,place_id,bikes,empty_docks,docks', `${t2},BikePoints_1,0,19,19`, `${t2},BikePoints_2,30,7,37`, `${t2},BikePoints_3,1,1,2`, ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'occupancy', '2022-07-27-a.csv'),
    [
      'query_time,place_id,bikes,empty_docks,docks',
      `${t0},BikePoints_1,10,9,19`,
      `${t0},BikePoints_2,5,31,37`,
      `${t0},BikePoints_999,1,1,2`,
      `${t1},BikePoints_2,6,30,37`,
      `${t1},BikePoints_1,11,7,19`,
    ].join('\r\n'),
  );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
