/**
 * Import benchmark on the real OSM extracts of ../shared/data/osm (SOURCES.md): per file,
 * parse time (the file passes), write time (one transaction), elements/s read,
 * facilities/s and edges/s end to end, and peak RSS (sampled every 50 ms) against the
 * RSS before the import — PGlite's WebAssembly heap alone is ~1 GB of RSS.
 *
 * Run: `npx tsx server/features/imports/bench.mts` (PGlite), and with
 * `BENCH_DATABASE_URL=postgres://…` for PostgreSQL too (each file in a throwaway schema;
 * `BENCH_TARGETS=postgres` alone, so PGlite's heap does not inflate the RSS figures).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../../db/open';
import { PROJECT_ROOT } from '../../config';
import { importFile } from './index';

const DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'osm');
const FILES = [
  'monaco.osm.pbf',
  'monaco.osm.gz',
  'andorra.osm.pbf',
  'singapore_bayfront.osm.pbf',
  'moscow.osm.gz',
  'krems.osm.gz',
  'campo-grande.osm.gz',
  'berlin-siegessaeule.osm.gz',
  'taipei_zhongshan.osm.gz',
  'changsha_yuelu_taozihu.osm',
];

async function run(target: 'pglite' | 'postgres') {
  const url = process.env.BENCH_DATABASE_URL;
  console.log(
    `\n${target}\n| file | elements | parse ms | elements/s (parse) | write ms | facilities | edges | facilities/s | edges/s | peak RSS MB | Δ RSS MB |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
  );
  for (const f of FILES) {
    const file = path.join(DIR, f);
    if (!existsSync(file)) continue;
    const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(sql);
      await c.end();
    };
    if (target === 'postgres') await admin(`CREATE SCHEMA ${schema}`);
    const { db } = await openDatabase(target === 'postgres' ? { databaseUrl: url, postgres: { schema } } : {});
    try {
      const s = await importFile(db, file, { source: f, extentCheck: false });
      const d = s.details as { nodes: number; ways: number; relations: number };
      const elements = d.nodes + d.ways + d.relations;
      const perS = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
      console.log(
        `| ${f} | ${elements.toLocaleString('en-US')} | ${s.timings.parseMs} | ${perS(elements, s.timings.parseMs)} | ${s.timings.writeMs} | ${s.read} | ${s.network!.edges.read.toLocaleString('en-US')} | ` +
          `${s.rates.featuresPerS.toLocaleString('en-US')} | ${s.rates.edgesPerS.toLocaleString('en-US')} | ${Math.round(s.peakRssMb)} | ${Math.round(s.peakRssMb - s.baselineRssMb)} |`,
      );
    } finally {
      await db.close();
      if (target === 'postgres') await admin(`DROP SCHEMA ${schema} CASCADE`);
    }
  }
}

if (process.env.BENCH_TARGETS !== 'postgres') await run('pglite');
if (process.env.BENCH_DATABASE_URL) await run('postgres');
