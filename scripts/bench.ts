/**
 * `npm run bench`: the coverage engine against baselines measured in the same run, one table
 * and `bench-results/bench.json`. Ratios (baseline ms / our ms), never timed assertions.
 *
 * 1. **core** — `runCoverageBench()` (scripts/bench-coverage.ts): the synthetic
 *    central-Chongqing-sized city: grid, euclidean vs naive Turf buffer-union, multi-source
 *    Dijkstra vs one isochrone per facility, network coverage, what-if, gaps, 2SFCA.
 * 2. **PostGIS** — the nine central districts of the demo dataset at 100 m (~556 k cells),
 *    thousands of facilities, radius 300 m: the uncovered area by
 *    `ST_Area(ST_Difference(districts, ST_Union(ST_Buffer(geom::geography, r)::geometry)))`
 *    against our engine, on PGlite in memory (demo seed) and on PostgreSQL when
 *    `BENCH_DATABASE_URL` or `TEST_DATABASE_URL` is set. Our side, three ways:
 *    - *warm*: the surface (grid + cell index) already built, as the server keeps it: every
 *      facility marks the cells within r (core `pointsWithin`, exact haversine), then the
 *      uncovered area is summed — the same question PostGIS answers, exact to the cell;
 *    - *cold*: the same, including cutting the 556 k-cell grid from the district polygons;
 *    - *full*: core `euclideanCoverage` (every cell's exact distance to its nearest
 *      facility) plus the per-district people/children summary — much more than PostGIS
 *      answers, reported for honesty.
 *    Gap-area agreement is checked against PostGIS with 32 segments per quarter circle
 *    (128-gon buffers, area within 0.04 % of the circle's).
 * 3. **network on real streets** — every OSM extract in ../shared/data/osm (skipped when
 *    absent), imported by the importer (core/osm parser) into PGlite, its walking graph
 *    built by the coverage feature from `network_edges`, one network coverage pass: edges
 *    per second, and straight-line vs walking covered area.
 * 4. **what-if** — 渝中区 kindergartens (demo data), the planner's worker engine
 *    (client/src/planner/engine.ts) on `/api/coverage/inputs`: one added facility
 *    (coverage, district rows and gap polygons) against rebuilding the scenario; and the
 *    same on an OSM extract with its street network.
 *
 * 5. **school routes** — scripts/bench-routing.ts.
 * 6. **basemap tiles** — scripts/bench-basemap.ts: 渝中's OSM data imported, tile p50/p99 at
 *    z12/z14/z16 and sizes, against the facility tile (PGlite) and ST_AsMVT (PostgreSQL).
 * 7. **slope** — scripts/bench-slope.ts: 渝中 walking coverage with slope (Tobler, the
 *    small 渝中 DEM) against flat, per category, and the time ratio of one pass.
 * 8. **render** — first render of the map in chromium (scripts/bench-render.ts): navigation
 *    start → map idle, and 解放碑 z16 → idle with the basemap tiles, against the same page
 *    with the basemap layers hidden.
 *
 * 9. **serving at scale** — scripts/bench-scale.ts: `/api/nearby` against a bare Express + pg
 *    server, tiles and `?bbox` at 10× the facilities against 1×, warm start and idle RSS against
 *    a bare PGlite open.
 *
 * 10. **coverage end to end** — scripts/bench-surface.ts: `GET /api/coverage` (kindergartens, the
 *    nine central districts) on a server it starts, cold (first request after start, surfaces
 *    stored), warm and after one facility edit, against the PostGIS query of section 2.
 *
 * Run: `npm run bench` (add `-- --full-turf` for the whole-area Turf baseline, ~100 s).
 */
import { mkdirSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchSchema, dropScratchSchema } from '../server/db/scratch';
import { runSurfaceBench } from './bench-surface';
import {
  buildGrid,
  buildPointIndex,
  euclideanCoverage,
  facilityPoints,
  facilitySeeds,
  multiSourceDijkstra,
  networkCoverage,
  pointsWithin,
  snapPoints,
} from '../core/coverage/index';
import type { MultiPolygon, Polygon } from 'geojson';
import { runCoverageBench, type BenchResult } from './bench-coverage';
import { runRoutingBench } from './bench-routing';
import { runBasemapBench } from './bench-basemap';
import { runSlopeBench } from './bench-slope';
import { runRenderBench } from './bench-render';
import { runScaleBench } from './bench-scale';
import { PROJECT_ROOT } from '../server/config';
import { openDatabase } from '../server/db/open';
import type { Db } from '../server/db/adapter';
import { seedDemo } from '../server/seed/demo';
import { analyse, MAX_ACCESS_M, type CoverageParams } from '../server/features/coverage/analysis';
import { inputsJson } from '../server/features/coverage/respond';
import { areaNetwork, marginFor, windowOf } from '../server/features/coverage/graph';
import { ensureFresh } from '../server/features/coverage/cache';
import { createEngine } from '../client/src/planner/engine';
import type { InputsResponse } from '../core/api';

interface Row extends BenchResult {
  group:
    | 'core'
    | 'postgis-pglite'
    | 'postgis-postgres'
    | 'network-osm'
    | 'what-if'
    | 'routing'
    | 'basemap'
    | 'slope'
    | 'render'
    | 'scale'
    | 'surface';
}

const RADIUS_M = 300;
/** The 5-minute life circle (GB 50180-2018 表4.0.1, 300 m): playgrounds, nurseries, kindergartens. */
const FIVE_MINUTE = ['playground', 'nursery', 'kindergarten'];
const SHARED_OSM = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'osm');
const OUT = path.join(PROJECT_ROOT, 'bench-results', 'bench.json');

const log = (s: string) => console.log(s);

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

/** Median of `runs` timings after one warm-up. */
function median(fn: () => unknown, runs = 5): number {
  fn();
  const ts: number[] = [];
  for (let k = 0; k < runs; k++) ts.push(time(fn)[1]);
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

/** Median of `runs` self-timed measurements after one warm-up. */
function medianOf(runs: number, fn: () => number): number {
  fn();
  const ts = Array.from({ length: runs }, fn).sort((a, b) => a - b);
  return ts[Math.floor(runs / 2)];
}

async function medianAsync(fn: () => Promise<unknown>, runs = 3): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let k = 0; k < runs; k++) ts.push((await timeAsync(fn))[1]);
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

function row(group: Row['group'], name: string, ms: number, baselineMs: number | null, note: string): Row {
  return {
    group,
    name,
    ms: +ms.toFixed(2),
    baselineMs: baselineMs === null ? null : +baselineMs.toFixed(2),
    ratio: baselineMs === null ? null : +(baselineMs / ms).toFixed(1),
    note,
  };
}

const POSTGIS_UNCOVERED = `
WITH d AS (SELECT ST_Union(geom) AS g FROM districts WHERE central_urban),
f AS (SELECT f.geom FROM facilities f, d
       WHERE f.status = 'active' AND f.category = ANY($1::text[]) AND f.geom && ST_Expand(d.g, 0.01)),
b AS (SELECT ST_Union(ST_Buffer(f.geom::geography, $2, $3)::geometry) AS g FROM f)
SELECT (SELECT count(*) FROM f)::int AS n, ST_Area(d.g::geography) AS total_m2,
       ST_Area(ST_Difference(d.g, b.g)::geography) AS uncovered_m2
  FROM d, b`;

/** Section 2 on one database (demo seed already loaded). */
async function postgisBaseline(db: Db, group: Row['group'], out: Row[]): Promise<void> {
  const districts = await db.query<{ geometry: Polygon | MultiPolygon; bbox: [number, number, number, number] }>(
    `SELECT ST_AsGeoJSON(geom, 7)::json AS geometry FROM districts WHERE central_urban ORDER BY code`,
  );
  const polys = districts.rows.map((r) => r.geometry);
  const sets: [string, string[] | null][] = [
    ['5-minute circle (playgrounds, nurseries, kindergartens)', FIVE_MINUTE],
    ['every child facility', null],
  ];
  // our engine: cold grid once (timed), then the cached surface
  const [grid, gridMs] = time(() => buildGrid(polys, { cellSizeM: 100 }));
  const [cellIndex, indexMs] = time(() => buildPointIndex(grid.lng, grid.lat));
  let total = 0;
  for (let i = 0; i < grid.count; i++) total += grid.areaM2[i];
  for (const [label, cats] of sets) {
    const f = await db.query<{ lng: number; lat: number }>(
      `WITH d AS (SELECT ST_Union(geom) AS g FROM districts WHERE central_urban)
       SELECT ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat FROM facilities f, d
        WHERE f.status = 'active' AND ($1::text[] IS NULL OR f.category = ANY($1::text[])) AND f.geom && ST_Expand(d.g, 0.01)`,
      [cats],
    );
    const pts = facilityPoints(f.rows.map((r) => [r.lng, r.lat] as const));
    const catsForSql = cats ?? (await db.query<{ c: string }>(`SELECT DISTINCT category AS c FROM facilities`)).rows.map((r) => r.c);
    // PostGIS: default buffers (8 segments per quarter circle) for the time, 32 for the exact area
    const pgMs = await medianAsync(() => db.query(POSTGIS_UNCOVERED, [catsForSql, RADIUS_M, 'quad_segs=8']), 3);
    const exact = (
      await db.query<{ n: number; total_m2: number; uncovered_m2: number }>(POSTGIS_UNCOVERED, [catsForSql, RADIUS_M, 'quad_segs=32'])
    ).rows[0];
    const mark = () => {
      const covered = new Uint8Array(grid.count);
      for (let j = 0; j < pts.count; j++) for (const i of pointsWithin(cellIndex, pts.lng[j], pts.lat[j], RADIUS_M)) covered[i] = 1;
      let uncovered = 0;
      for (let i = 0; i < grid.count; i++) if (!covered[i]) uncovered += grid.areaM2[i];
      return uncovered;
    };
    const warmMs = median(mark, 5);
    const uncovered = mark();
    const agree = Math.abs(uncovered - exact.uncovered_m2) / exact.uncovered_m2;
    const shareAgree = Math.abs(uncovered / total - exact.uncovered_m2 / exact.total_m2) / (exact.uncovered_m2 / exact.total_m2);
    const areas =
      `${exact.n.toLocaleString('en-US')} facilities; uncovered ${(uncovered / 1e6).toFixed(1)} km² vs PostGIS ${(exact.uncovered_m2 / 1e6).toFixed(1)} km² (128-gon buffers): ` +
      `gap area agrees to ${(agree * 100).toFixed(3)} % (shares ${(shareAgree * 100).toFixed(3)} %; ≤ 1 % required${agree <= 0.01 ? ', met' : ', NOT MET'})`;
    out.push(
      row(
        group,
        `central 9 districts @100 m, ${label}: uncovered area, surface cached (warm)`,
        warmMs,
        pgMs,
        `${grid.count.toLocaleString('en-US')} cells; ${areas}`,
      ),
    );
    out.push(
      row(
        group,
        `… same, cold (grid cut from the districts + cell index + marking)`,
        gridMs + indexMs + warmMs,
        pgMs,
        `grid ${gridMs.toFixed(0)} ms, index ${indexMs.toFixed(0)} ms: built once per area and cached by the server`,
      ),
    );
    const cells = { count: grid.count, lng: grid.lng, lat: grid.lat };
    const fullMs = median(() => euclideanCoverage(cells, pts, { radiusM: RADIUS_M }), 3);
    out.push(
      row(
        group,
        `… full per-cell distances (euclideanCoverage), warm`,
        fullMs,
        pgMs,
        'every cell gets its exact distance to the nearest facility (what /api/coverage/cells sends); more than PostGIS answers',
      ),
    );
    log(
      `  ${group}: ${label}: warm ${warmMs.toFixed(1)} ms, cold ${(gridMs + indexMs + warmMs).toFixed(0)} ms, full ${fullMs.toFixed(0)} ms vs PostGIS ${pgMs.toFixed(0)} ms; ${areas}`,
    );
  }
  // and the whole API path for kindergartens (surface with dasymetric population, facilities query, summary)
  const central = (await db.query<{ code: string }>(`SELECT code FROM districts WHERE central_urban ORDER BY code`)).rows.map(
    (r) => r.code,
  );
  const params: CoverageParams = {
    category: 'kindergarten',
    mode: 'euclidean',
    area: { kind: 'districts', codes: central },
    cellSizeM: 100,
    walkSpeedMps: 1,
    stepPenalty: 2,
  };
  const [first, coldMs] = await timeAsync(() => analyse(db, params));
  const kgPg = await medianAsync(() => db.query(POSTGIS_UNCOVERED, [['kindergarten'], RADIUS_M, 'quad_segs=8']), 3);
  out.push(
    row(
      group,
      `API analysis, central 9 districts @100 m, kindergartens, first request (surface + dasymetric population)`,
      coldMs,
      kgPg,
      `${first.surface.cells.count.toLocaleString('en-US')} cells, ${first.points.count} kindergartens; people and children per district, not just area`,
    ),
  );
  // an edit (outside the timing) changes the facility set, which defeats the result cache
  // but keeps the surface: the steady state of a server whose data is being edited
  const apiTimes: number[] = [];
  for (let k = 0; k < 5; k++) {
    await db.query(
      `UPDATE facilities SET geom = ST_Translate(geom, 0.0000001, 0) WHERE id = (SELECT min(id) FROM facilities WHERE category = 'kindergarten' AND district_code = '500103')`,
    );
    apiTimes.push((await timeAsync(() => analyse(db, params)))[1]);
  }
  const warmApi = apiTimes.sort((x, y) => x - y)[2];
  out.push(
    row(
      group,
      `… next requests after an edit (surface cached, coverage recomputed)`,
      warmApi,
      kgPg,
      'facilities read and fingerprinted, euclidean pass, per-district summary',
    ),
  );
}

async function withPostgres(url: string, fn: (db: Db) => Promise<void>): Promise<void> {
  const schema = await createScratchSchema(url, 'bench');
  const { db } = await openDatabase({ databaseUrl: url, postgres: { schema, max: 2 } });
  try {
    await fn(db);
  } finally {
    await db.close();
    await dropScratchSchema(url, schema);
  }
}

/** Section 3: every real extract, imported and covered on its own streets. */
async function networkOnExtracts(out: Row[]): Promise<void> {
  if (!existsSync(SHARED_OSM)) {
    log(`  network: ${SHARED_OSM} absent, skipped`);
    return;
  }
  const { importFile } = await import('../server/features/imports/index');
  const files = readdirSync(SHARED_OSM).filter((f) => /\.(osm\.pbf|osm\.gz|osm)$/.test(f) && !f.startsWith('monaco.osm.gz'));
  const { db } = await openDatabase({});
  let totalEdges = 0,
    totalPassMs = 0;
  try {
    for (const file of files) {
      const [summary, importMs] = await timeAsync(() => importFile(db, path.join(SHARED_OSM, file), { source: file, extentCheck: false }));
      const ext = (
        await db.query<{ w: number; s: number; e: number; n: number }>(
          `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM network_edges WHERE source = $1) q`,
          [file],
        )
      ).rows[0];
      if (!ext || ext.w === null) continue;
      const cats = (
        await db.query<{ category: string; n: number }>(
          `SELECT category, count(*)::int AS n FROM facilities WHERE source = $1 GROUP BY category ORDER BY n DESC, category LIMIT 1`,
          [file],
        )
      ).rows[0];
      const category = (cats?.category ?? 'playground') as CoverageParams['category'];
      const bbox: [number, number, number, number] = [ext.w, ext.s, ext.e, ext.n];
      const params: CoverageParams = {
        category,
        mode: 'both',
        area: { kind: 'bbox', bbox },
        cellSizeM: 50,
        walkSpeedMps: 1,
        stepPenalty: 2,
      };
      const [a, firstMs] = await timeAsync(() => analyse(db, params));
      if (!a.graph || !a.join || !a.network || !a.euclidean) continue;
      const g = a.graph.graph;
      if (a.points.count === 0) {
        log(`  network: ${file}: no facilities in the extract, skipped`);
        continue;
      }
      // the search alone (edges/s) and the whole pass: snapping, search, every cell's distance
      const seeds = facilitySeeds(g, snapPoints(g, a.points.lng, a.points.lat, MAX_ACCESS_M));
      const searchMs = median(() => multiSourceDijkstra(g, seeds), 7);
      const passMs = median(() => networkCoverage(g, a.join!, a.points, { radiusM: a.norm.radiusM }), 5);
      totalEdges += g.edgeCount;
      totalPassMs += searchMs;
      const e = a.euclidean.summary.total,
        n = a.network.summary.total;
      const mEps = ((g.edgeCount / searchMs) * 1000) / 1e6;
      out.push(
        row(
          'network-osm',
          `${file}: multi-source Dijkstra over the walking graph (${g.edgeCount.toLocaleString('en-US')} edges, ${a.points.count} ${category})`,
          searchMs,
          null,
          `${mEps.toFixed(1)} M edges/s; whole coverage pass ${passMs.toFixed(1)} ms for ${a.surface.cells.count.toLocaleString('en-US')} cells @50 m; ` +
            `import ${(importMs / 1000).toFixed(1)} s (${summary.network?.edges.read ?? 0} edges), graph build ${a.graph.buildMs.toFixed(0)} ms, first analysis ${firstMs.toFixed(0)} ms; ` +
            `within ${a.norm.radiusM} m: ${((100 * e.coveredAreaKm2) / e.areaKm2).toFixed(1)} % of the area in a straight line, ${((100 * n.coveredAreaKm2) / n.areaKm2).toFixed(1)} % on foot`,
        ),
      );
      log(
        `  network: ${file}: ${g.edgeCount} edges, search ${searchMs.toFixed(2)} ms (${mEps.toFixed(1)} M edges/s), pass ${passMs.toFixed(1)} ms`,
      );
    }
    if (totalPassMs > 0) {
      out.push(
        row(
          'network-osm',
          `all extracts: multi-source searches`,
          totalPassMs,
          null,
          `${totalEdges.toLocaleString('en-US')} edges: ${(((totalEdges / totalPassMs) * 1000) / 1e6).toFixed(1)} M edges/s`,
        ),
      );
    }
    // what-if with a street network: the largest extract's inputs in the planner engine
    await whatIfOnExtract(db, out);
  } finally {
    await db.close();
  }
}

async function inputsFor(db: Db, params: CoverageParams): Promise<InputsResponse> {
  const a = await analyse(db, params);
  const caches = await ensureFresh(db);
  const network =
    params.mode === 'euclidean'
      ? null
      : await areaNetwork(db, caches, windowOf(a.surface.bbox, marginFor(a.norm.radiusM, MAX_ACCESS_M)), 'bbox');
  // through JSON, exactly as the browser receives them
  return JSON.parse(
    JSON.stringify(
      inputsJson({ surface: a.surface, norm: a.norm, params, facilities: a.facilities, network, networkReason: null }, a.norm.radiusM),
    ),
  );
}

function whatIfRows(label: string, inputs: InputsResponse, modes: ('euclidean' | 'network')[], out: Row[]): void {
  // the baseline: a fresh scenario with the same output (rows and gap polygons), no incremental update
  const fullMs = median(() => createEngine(inputs, modes).result(), 3);
  const engine = createEngine(inputs, modes);
  // a site inside the largest gap: the most populated uncovered cell
  const base = engine.result();
  const m = base.modes[engine.primary]!;
  let best = -1;
  for (let i = 0; i < engine.cells.count; i++)
    if (!m.covered[i] && (best < 0 || engine.cells.population[i] > engine.cells.population[best])) best = i;
  if (best < 0) best = 0;
  const site: [number, number] = [engine.cells.lng[best], engine.cells.lat[best]];
  const addMs = medianOf(7, () => {
    const t = performance.now();
    engine.add(site[0], site[1]);
    const ms = performance.now() - t;
    engine.undo();
    return ms;
  });
  const after = engine.add(site[0], site[1]).modes[engine.primary]!.total;
  engine.reset();
  const [sug, sugMs] = time(() => engine.suggest());
  out.push(
    row(
      'what-if',
      `${label}: add one facility → coverage, district rows and gap polygons (${engine.primary})`,
      addMs,
      fullMs,
      `${inputs.cells.count.toLocaleString('en-US')} cells, ${inputs.facilities.count} facilities${inputs.network ? `, ${inputs.network.edgeCount.toLocaleString('en-US')} edges` : ''}; ` +
        `vs building the scenario from scratch; uncovered children ${m.total.uncoveredChildren ?? '—'} → ${after.uncoveredChildren ?? '—'}`,
    ),
  );
  out.push(
    row(
      'what-if',
      `${label}: suggest the next best site (greedy, ${engine.primary})`,
      sugMs,
      null,
      sug
        ? `adds ${sug.addedChildren} children at ${sug.lng.toFixed(5)}, ${sug.lat.toFixed(5)}`
        : 'no site adds children (no population data)',
    ),
  );
  log(`  what-if: ${label}: add ${addMs.toFixed(2)} ms vs rebuild ${fullMs.toFixed(1)} ms; suggest ${sugMs.toFixed(1)} ms`);
}

async function whatIfOnExtract(db: Db, out: Row[]): Promise<void> {
  const biggest = (await db.query<{ source: string }>(`SELECT source FROM network_edges GROUP BY source ORDER BY count(*) DESC LIMIT 1`))
    .rows[0];
  if (!biggest) return;
  const ext = (
    await db.query<{ w: number; s: number; e: number; n: number }>(
      `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM network_edges WHERE source = $1) q`,
      [biggest.source],
    )
  ).rows[0];
  const params: CoverageParams = {
    category: 'playground',
    mode: 'both',
    area: { kind: 'bbox', bbox: [ext.w, ext.s, ext.e, ext.n] },
    cellSizeM: 100,
    walkSpeedMps: 1,
    stepPenalty: 2,
  };
  whatIfRows(`${biggest.source} (no population: area)`, await inputsFor(db, params), ['euclidean', 'network'], out);
}

async function main(): Promise<void> {
  const fullTurf = process.argv.includes('--full-turf');
  const rows: Row[] = [];
  const t0 = performance.now();

  log('1/4 core engine (scripts/bench-coverage.ts) …');
  for (const r of await runCoverageBench({ fullTurf, log: (l) => log(`  core: ${l}`) })) rows.push({ group: 'core', ...r });

  log('2/4 PostGIS baselines …');
  const pglite = (await openDatabase({})).db;
  try {
    await seedDemo(pglite);
    await postgisBaseline(pglite, 'postgis-pglite', rows);
    log('4/4 what-if (渝中区, demo) …');
    const yz: CoverageParams = {
      category: 'kindergarten',
      mode: 'euclidean',
      area: { kind: 'districts', codes: ['500103'] },
      cellSizeM: 100,
      walkSpeedMps: 1,
      stepPenalty: 2,
    };
    whatIfRows('渝中区 kindergartens (demo)', await inputsFor(pglite, yz), ['euclidean'], rows);
  } finally {
    await pglite.close();
  }
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    await withPostgres(url, async (db) => {
      await seedDemo(db);
      await postgisBaseline(db, 'postgis-postgres', rows);
    });
  } else log('  PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL to add it');

  log('3/4 network coverage on the real OSM extracts …');
  await networkOnExtracts(rows);

  log('5/5 school routes (scripts/bench-routing.ts) …');
  for (const r of await runRoutingBench({ log: (l) => log(`  routing: ${l}`) })) rows.push({ group: 'routing', ...r });

  log('6/7 basemap tiles on 渝中 (scripts/bench-basemap.ts; alone: npx tsx scripts/bench-basemap.ts) …');
  for (const r of await runBasemapBench({ log: (l) => log(`  basemap: ${l}`) })) rows.push({ group: 'basemap', ...r });
  log('7/7 slope-aware vs flat walking coverage on 渝中 (scripts/bench-slope.ts) …');
  for (const r of (await runSlopeBench({ log: (l) => log(`  slope: ${l}`) })).rows) rows.push({ group: 'slope', ...r });
  log('8/8 first render of the map on 渝中 (scripts/bench-render.ts) …');
  for (const r of await runRenderBench({ log: (l) => log(`  render: ${l}`) })) rows.push({ group: 'render', ...r });
  log('9/9 serving at scale: nearby vs a bare server, 10× the facilities, warm start (scripts/bench-scale.ts) …');
  for (const r of await runScaleBench({ log: (l) => log(`  scale: ${l}`) })) rows.push({ group: 'scale', ...r });

  log('10/10 coverage end to end through the API: cold, warm, after an edit (scripts/bench-surface.ts) …');
  for (const r of await runSurfaceBench({ log: (l) => log(`  surface: ${l}`) })) rows.push({ group: 'surface', ...r });

  console.table(rows.map((r) => ({ group: r.group, name: r.name.slice(0, 90), ms: r.ms, baselineMs: r.baselineMs, ratio: r.ratio })));
  mkdirSync(path.dirname(OUT), { recursive: true });
  writeFileSync(
    OUT,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cpus: os.cpus().length,
        postgres: url ? 'yes' : 'no',
        totalS: +((performance.now() - t0) / 1000).toFixed(1),
        rows,
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${path.relative(PROJECT_ROOT, OUT)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
