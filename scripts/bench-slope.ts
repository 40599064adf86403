/**
 * Slope-aware vs flat walking coverage on 渝中 (a section of `npm run bench`; also runs
 * alone: `npx tsx scripts/bench-slope.ts`). Skipped when ../shared is absent.
 *
 * Into an in-memory PGlite: the demo seed (districts, census population, synthetic
 * facilities — flagged as such), the real 渝中 OSM walking network
 * (../shared/data/chongqing/yuzhong_walk.overpass.json) and the small 渝中 DEM
 * (yuzhong_elevation_utm48n.tif, source not stated: "unknown-source DEM (test data)").
 * Then, for district 500103 at 100 m cells, per category: children of the norm's age group
 * within the norm's distance in a straight line, walking on the level, and walking with
 * slope (Tobler 1993); and the time of one walking coverage pass (multi-source Dijkstra and
 * cell distances) with slope against the flat one, interleaved, medians of 11 — a ratio,
 * measured in the same run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COVERAGE_NORMS, networkCoverage } from '../core/coverage/index';
import type { CategoryId } from '../core/catalogue';
import { PROJECT_ROOT } from '../server/config';
import { openDatabase } from '../server/db/open';
import { seedDemo } from '../server/seed/demo';
import { importFile } from '../server/features/imports/index';
import { analyse, graphFor, pointsOf, surfaceFor, type CoverageParams } from '../server/features/coverage/analysis';
import { surfaceJoin } from '../server/features/coverage/graph';
import { MAX_ACCESS_M } from '../server/features/coverage/analysis';
import type { BenchResult } from './bench-coverage';

const CQ = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'chongqing');
const WALK = path.join(CQ, 'yuzhong_walk.overpass.json');
const DEM = path.join(CQ, 'yuzhong_elevation_utm48n.tif');
const YUZHONG = '500103';

export interface SlopeFigure {
  category: CategoryId;
  radiusM: number;
  ageGroup: string;
  children: number | null;
  straight: number | null;
  walkFlat: number | null;
  walkSlope: number | null;
}

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runSlopeBench(options: { log?: (l: string) => void } = {}): Promise<{ rows: BenchResult[]; figures: SlopeFigure[] }> {
  const log = options.log ?? (() => {});
  if (!existsSync(WALK) || !existsSync(DEM)) {
    log(`slope: ${CQ} absent, skipped`);
    return { rows: [], figures: [] };
  }
  const { db } = await openDatabase({});
  const rows: BenchResult[] = [];
  const figures: SlopeFigure[] = [];
  try {
    await seedDemo(db);
    await importFile(db, WALK, { extentCheck: false });
    const dem = await importFile(db, DEM, { source: 'unknown-source DEM (test data)' });
    const d = dem.details as { edgesSampled: number; edgesOutside: number };
    log(`DEM: ${d.edgesSampled} edges sampled, ${d.edgesOutside} outside (flat)`);
    for (const category of Object.keys(COVERAGE_NORMS) as CategoryId[]) {
      const params: CoverageParams = {
        category,
        mode: 'both',
        area: { kind: 'districts', codes: [YUZHONG] },
        cellSizeM: 100,
        walkSpeedMps: 1,
        stepPenalty: 2,
        slope: 'compare',
      };
      const a = await analyse(db, params);
      const f: SlopeFigure = {
        category,
        radiusM: a.norm.radiusM,
        ageGroup: a.norm.ageGroup,
        children: a.euclidean?.summary.total.children ?? null,
        straight: a.euclidean?.summary.total.coveredChildren ?? null,
        walkFlat: a.networkFlat?.summary.total.coveredChildren ?? null,
        walkSlope: a.network?.summary.total.coveredChildren ?? null,
      };
      figures.push(f);
      const pct = (v: number | null) => (v === null || !f.children ? '—' : `${Math.round(v)} (${((100 * v) / f.children).toFixed(1)} %)`);
      log(
        `${category} ${f.radiusM} m, ${f.ageGroup} ${Math.round(f.children ?? 0)}: straight ${pct(f.straight)}, walking flat ${pct(f.walkFlat)}, walking with slope ${pct(f.walkSlope)}; slope used: ${a.slope.used}`,
      );
    }
    // timing: kindergartens, one walking pass on each graph (graphs and cell joins built once)
    const { caches, surface } = await surfaceFor(db, { area: { kind: 'districts', codes: [YUZHONG] }, cellSizeM: 100 });
    const a = await analyse(db, {
      category: 'kindergarten',
      mode: 'network',
      area: { kind: 'districts', codes: [YUZHONG] },
      cellSizeM: 100,
      walkSpeedMps: 1,
      stepPenalty: 2,
      slope: 'on',
    });
    const points = pointsOf(a.facilities);
    const radiusM = a.norm.radiusM;
    const slopeG = (await graphFor(db, caches, surface, radiusM, 2, true, true))!;
    const flatG = (await graphFor(db, caches, surface, radiusM, 2, true, false))!;
    // interleaved (flat, slope, flat, slope …) after a warm-up of both, medians of 11: the
    // machine's load then weighs on both alike
    const joinFlat = surfaceJoin(caches, surface, flatG, MAX_ACCESS_M);
    const joinSlope = surfaceJoin(caches, surface, slopeG, MAX_ACCESS_M);
    const once = (g: typeof slopeG, join: typeof joinFlat) => {
      const t0 = performance.now();
      networkCoverage(g.graph, join, points, { radiusM });
      return performance.now() - t0;
    };
    for (let k = 0; k < 3; k++) {
      once(flatG, joinFlat);
      once(slopeG, joinSlope);
    }
    const tf: number[] = [],
      ts: number[] = [];
    for (let k = 0; k < 11; k++) {
      tf.push(once(flatG, joinFlat));
      ts.push(once(slopeG, joinSlope));
    }
    const flatMs = median(tf);
    const slopeMs = median(ts);
    rows.push({
      name: `walking coverage pass, 渝中 kindergartens ${radiusM} m, with slope (flat = baseline)`,
      ms: +slopeMs.toFixed(2),
      baselineMs: +flatMs.toFixed(2),
      ratio: +(flatMs / slopeMs).toFixed(2),
      note: `${slopeG.graph.edgeCount} edges (${slopeG.graph.edgesWithElevation} with elevation), ${surface.cells.count} cells; graph build ${Math.round(slopeG.buildMs)} ms with slope vs ${Math.round(flatG.buildMs)} ms flat`,
    });
    log(
      `pass: slope ${slopeMs.toFixed(2)} ms vs flat ${flatMs.toFixed(2)} ms (flat/slope ${(flatMs / slopeMs).toFixed(2)}); build ${slopeG.buildMs.toFixed(0)} vs ${flatG.buildMs.toFixed(0)} ms`,
    );
  } finally {
    await db.close();
  }
  return { rows, figures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runSlopeBench({ log: (l) => console.log(`slope: ${l}`) });
  console.table(r.rows);
}
