/**
 * Benchmark of the basemap tiles (server/features/basemap) on 渝中's real OSM data
 * (../shared/data/chongqing: walk network + buildings; skipped when absent), against
 * baselines measured in the same run. Rows `{ name, ms, baselineMs, ratio, note }`,
 * ratio = baselineMs / ms; timings are never asserted in tests.
 *
 * 1. import: the two 渝中 files into an in-memory PGlite; the basemap write's share of the
 *    import (baseline: the rest of the same imports — facilities and walking network).
 * 2. tiles at z12, z14, z16 over 渝中 (every tile of the 渝中 peninsula box at z12/z14, a
 *    sample of 60 at z16, each requested 3 times): p50 and p99 of our encoder on PGlite
 *    against the facility tile of the same address (the atlas's existing tile route: a
 *    bounded point query) as the baseline; raw and gzip sizes (issue #11: z14 < 100 kB gzip).
 * 3. with BENCH_DATABASE_URL or TEST_DATABASE_URL: the same tiles on PostgreSQL, our
 *    encoder against PostGIS's own ST_AsMVT (baseline) from the same selection.
 *
 * Run alone: `npx tsx scripts/bench-basemap.ts`; `npm run bench` runs it as its last section.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../server/db/open';
import type { Db } from '../server/db/adapter';
import { importFile } from '../server/features/imports/index';
import { basemapTileEncoded, basemapTileMvt } from '../server/features/basemap/sql';
import { facilityTileEncoded } from '../server/features/tiles/sql';
import { createScratchSchema, dropScratchSchema } from '../server/db/scratch';
import { PROJECT_ROOT } from '../server/config';
import type { BenchResult } from './bench-coverage';
import { r1 } from '../core/round';

const CQ = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'chongqing');
const FILES = ['yuzhong_walk.overpass.json', 'yuzhong_buildings.overpass.json'].map((f) => path.join(CQ, f));
/** The 渝中 peninsula (解放碑 to 鹅岭), WGS84. */
const BOX: [number, number, number, number] = [106.53, 29.54, 106.59, 29.57];
const CAP = 5000;
const REPEATS = 3;

function tileXY(lng: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return [Math.floor(((lng + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
}

function tilesOf(z: number, max: number): [number, number][] {
  const [x0, y0] = tileXY(BOX[0], BOX[3], z);
  const [x1, y1] = tileXY(BOX[2], BOX[1], z);
  const all: [number, number][] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) all.push([x, y]);
  if (all.length <= max) return all;
  const step = all.length / max;
  return Array.from({ length: max }, (_, i) => all[Math.floor(i * step)]);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const row = (name: string, ms: number, baselineMs: number | null, note: string): BenchResult => ({
  name,
  ms: r1(ms),
  baselineMs: baselineMs === null ? null : r1(baselineMs),
  ratio: baselineMs === null || ms === 0 ? null : Math.round((baselineMs / ms) * 100) / 100,
  note,
});

async function timeTiles(
  db: Db,
  z: number,
  tiles: [number, number][],
  fn: (db: Db, t: { z: number; x: number; y: number; cap: number }) => Promise<Buffer>,
) {
  const ms: number[] = [];
  const raw: number[] = [];
  const gz: number[] = [];
  for (let rep = 0; rep < REPEATS; rep++)
    for (const [x, y] of tiles) {
      const t = performance.now();
      const b = await fn(db, { z, x, y, cap: CAP });
      ms.push(performance.now() - t);
      if (rep === 0) {
        raw.push(b.length);
        gz.push(gzipSync(b).length);
      }
    }
  return { p50: pct(ms, 50), p99: pct(ms, 99), rawMax: Math.max(...raw), gzMax: Math.max(...gz), gzP50: pct(gz, 50) };
}

async function tileRows(
  db: Db,
  label: string,
  ours: typeof basemapTileEncoded,
  baseline: (db: Db, t: { z: number; x: number; y: number; cap: number }) => Promise<Buffer>,
  baselineName: string,
  out: BenchResult[],
  log: (s: string) => void,
) {
  for (const [z, max] of [
    [12, 60],
    [14, 60],
    [16, 60],
  ] as const) {
    const tiles = tilesOf(z, max);
    // warm-up: first use of the PostGIS functions
    await ours(db, { z, x: tiles[0][0], y: tiles[0][1], cap: CAP });
    await baseline(db, { z, x: tiles[0][0], y: tiles[0][1], cap: CAP });
    const a = await timeTiles(db, z, tiles, ours);
    const b = await timeTiles(db, z, tiles, baseline);
    const sizes = `raw ≤ ${(a.rawMax / 1024).toFixed(1)} kB, gzip ≤ ${(a.gzMax / 1024).toFixed(1)} kB (median ${(a.gzP50 / 1024).toFixed(1)} kB)`;
    log(
      `${label} z${z}: ${tiles.length} tiles ×${REPEATS}: p50 ${a.p50.toFixed(1)} ms, p99 ${a.p99.toFixed(1)} ms; ${sizes}; ${baselineName} p50 ${b.p50.toFixed(1)} ms`,
    );
    out.push(
      row(`basemap tile z${z} p50 (${label}, ${tiles.length} tiles ×${REPEATS})`, a.p50, b.p50, `${sizes}; baseline: ${baselineName}`),
    );
    out.push(row(`basemap tile z${z} p99 (${label})`, a.p99, b.p99, `baseline: ${baselineName} p99`));
  }
}

export async function runBasemapBench(opts: { log?: (s: string) => void } = {}): Promise<BenchResult[]> {
  const log = opts.log ?? console.log;
  const out: BenchResult[] = [];
  if (!FILES.every(existsSync)) {
    log(`skipped: ${CQ} (the real 渝中 OSM files) is absent`);
    return out;
  }
  const load = async (db: Db, label: string) => {
    let basemapMs = 0;
    let restMs = 0;
    const counts: Record<string, number> = {};
    for (const f of FILES) {
      const s = await importFile(db, f, {});
      if (s.status !== 'done') throw new Error(`${f}: ${s.message}`);
      basemapMs += s.basemap!.ms;
      restMs += s.timings.totalMs - s.basemap!.ms;
      for (const [k, v] of Object.entries(s.basemap!.byKind)) counts[k] = (counts[k] ?? 0) + v;
    }
    const byLayer: Record<string, number> = {};
    for (const [k, v] of Object.entries(counts)) byLayer[k.split('/')[0]] = (byLayer[k.split('/')[0]] ?? 0) + v;
    log(`${label}: basemap rows per layer ${JSON.stringify(byLayer)}`);
    log(`${label}: per kind ${JSON.stringify(counts)}`);
    out.push(
      row(
        `import 渝中 walk + buildings: basemap write (${label})`,
        basemapMs,
        restMs,
        `baseline: the rest of the same two imports (facilities, walking network); rows ${JSON.stringify(byLayer)}`,
      ),
    );
  };

  const pglite = (await openDatabase({})).db;
  try {
    await load(pglite, 'pglite');
    await tileRows(
      pglite,
      'pglite',
      basemapTileEncoded,
      facilityTileEncoded,
      'facility tile of the same address (our point encoder)',
      out,
      log,
    );
  } finally {
    await pglite.close();
  }

  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = await createScratchSchema(url, 'benchbm');
    const { db } = await openDatabase({ databaseUrl: url, postgres: { schema, max: 2 } });
    try {
      await load(db, 'postgres');
      await tileRows(db, 'postgres', basemapTileEncoded, basemapTileMvt, 'ST_AsMVT of the same selection', out, log);
    } finally {
      await db.close();
      await dropScratchSchema(url, schema);
    }
  } else log('PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL to compare with ST_AsMVT');
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runBasemapBench({ log: (l) => console.error(l) }).then(
    (rows) => console.table(rows.map((r) => ({ ...r, note: r.note.slice(0, 100) }))),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
