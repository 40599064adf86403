/**
 * Benchmark of the coverage engine (core/coverage) against naive baselines measured in the
 * same run. Every row is `{ name, ms, baselineMs, ratio, note }` with `ratio = baselineMs /
 * ms` (how many times faster the engine is); timings are never asserted in tests.
 *
 * The setup is a seeded synthetic city the size of Chongqing's nine central districts
 * (74.2 km × 74.2 km ≈ 5,500 km², 9 districts with wavy borders, a river with bridges every
 * 3 km, people clustered round 5 centres): 100 m cells (~550,000) and 3,000 kindergartens.
 *
 * Rows:
 * 1. grid: cutting the 100 m grid by the 9 districts (exact areas). No baseline.
 * 2. euclidean coverage of the whole area (one KDBush nearest query per cell) against the
 *    naive Turf approach: buffer every facility (300 m, 128-gon), union all buffers, take
 *    each district minus the union and its area. The uncovered areas must agree within 1 %.
 *    By default the Turf side runs on a 15 km window and its time is scaled by the facility
 *    count (union cost grows faster than linearly, so the scaled figure is a floor); with
 *    `fullTurf` (`--full-turf`) it runs on the whole area (~100 s).
 * 3. network: one multi-source Dijkstra on a ~100k-edge street grid, in edges per second,
 *    against one radius-bounded Dijkstra ("isochrone") per facility, for the same answer.
 * 4. network coverage of the whole area (~1.1 M edges: graph, cell join, pass). No baseline.
 * 5. what-if on a district-sized area (552 km², ~55,000 cells, the ~100k-edge network):
 *    add / remove a facility incrementally, against a full recomputation, both modes;
 *    and a greedy 5-site suggestion in both modes.
 * 6. gaps: dissolving the uncovered cells of a 10 km window into polygons by boundary
 *    tracing, against Turf union of the same squares.
 * 7. 2SFCA for the whole area. No baseline.
 *
 * Run: `npx tsx scripts/bench-coverage.ts [--full-turf]` (results also returned by
 * `runCoverageBench()` for `npm run bench`).
 */
import { area, buffer, difference, featureCollection, point, polygon, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { pathToFileURL } from 'node:url';
import {
  boundedSearch,
  buildGrid,
  buildWalkingGraph,
  cellRing,
  createScenario,
  createSearchScratch,
  dissolveSquares,
  euclideanCoverage,
  euclideanPairs,
  facilitySeeds,
  joinCells,
  multiSourceDijkstra,
  networkCoverage,
  addFacilities,
  removeFacilities,
  snapPoints,
  suggestSites,
  summariseCoverage,
  twoStepFca,
  unproject,
  type Cells,
  type FacilityPoints,
} from '../core/coverage/index';
import { syntheticCity } from '../core/coverage/synthetic';

export interface BenchResult {
  name: string;
  ms: number;
  /** Naive approach measured in the same run; null when there is no meaningful baseline. */
  baselineMs: number | null;
  /** baselineMs / ms: how many times faster; null without a baseline. */
  ratio: number | null;
  note: string;
}

export interface CoverageBenchOptions {
  /**
   * Run the Turf baseline on the whole area (3,000 buffers: ~100 s) instead of a 15 km
   * window scaled by facility count. Default false.
   */
  fullTurf?: boolean;
  seed?: number;
  log?: (line: string) => void;
}

const RADIUS_M = 300;
const SIDE_M = 74_162; // √5,500 km²

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, performance.now() - t];
}

/** Median of `runs` timings after one warm-up run. */
function median(fn: () => unknown, runs = 5): number {
  fn();
  const ts: number[] = [];
  for (let k = 0; k < runs; k++) ts.push(time(fn)[1]);
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

const row = (name: string, ms: number, baselineMs: number | null, note: string): BenchResult => ({
  name,
  ms: +ms.toFixed(2),
  baselineMs: baselineMs === null ? null : +baselineMs.toFixed(2),
  ratio: baselineMs === null ? null : +(baselineMs / ms).toFixed(1),
  note,
});

function facilitiesIn(f: FacilityPoints, keep: (lng: number, lat: number) => boolean): FacilityPoints {
  const idx: number[] = [];
  for (let j = 0; j < f.count; j++) if (keep(f.lng[j], f.lat[j])) idx.push(j);
  return { count: idx.length, lng: Float64Array.from(idx, (j) => f.lng[j]), lat: Float64Array.from(idx, (j) => f.lat[j]) };
}

/** The naive way: union of buffers, districts minus the union; returns [uncovered m², total m²] by Turf. */
function turfUncovered(areas: Feature<Polygon | MultiPolygon>[], f: FacilityPoints): [number, number] {
  const bufs: Feature<Polygon | MultiPolygon>[] = [];
  for (let j = 0; j < f.count; j++) bufs.push(buffer(point([f.lng[j], f.lat[j]]), RADIUS_M, { units: 'meters', steps: 32 })!);
  const covered = bufs.length ? union(featureCollection(bufs)) : null;
  let uncovered = 0,
    total = 0;
  for (const d of areas) {
    total += area(d);
    const rest = covered ? difference(featureCollection([d, covered])) : d;
    if (rest) uncovered += area(rest);
  }
  return [uncovered, total];
}

/**
 * Runs the benchmark and returns one row per measurement.
 * @example const rows = await runCoverageBench(); // rows[i].ratio
 */
export async function runCoverageBench(options: CoverageBenchOptions = {}): Promise<BenchResult[]> {
  const log = options.log ?? (() => {});
  const seed = options.seed ?? 20240604;
  const out: BenchResult[] = [];
  const push = (r: BenchResult) => {
    out.push(r);
    log(`${r.name}: ${r.ms} ms${r.baselineMs === null ? '' : ` vs ${r.baselineMs} ms → ×${r.ratio}`} — ${r.note}`);
  };

  // ---- 1. the city and its grid
  const city = syntheticCity({ seed, widthM: SIDE_M, heightM: SIDE_M, facilityCount: 3000, streetSpacingM: 0 });
  const cells = city.cells;
  const gridMs = median(() => buildGrid(city.districts, { cellSizeM: 100, projection: city.projection }), 3);
  push(
    row(
      'grid: 100 m cells cut exactly by 9 districts',
      gridMs,
      null,
      `${cells.count.toLocaleString('en-US')} cells over ${((SIDE_M * SIDE_M) / 1e6).toFixed(0)} km², areas exact, border cells split by district`,
    ),
  );

  // ---- 2. euclidean coverage vs Turf buffer-union
  const [eCov, eMs] = time(() => euclideanCoverage(cells, city.facilities, { radiusM: RADIUS_M }));
  const [, sumMs] = time(() => summariseCoverage(cells, eCov, { ageGroup: 'children_3_5' }));
  let gridUncovered = 0,
    gridTotal = 0;
  for (let i = 0; i < cells.count; i++) {
    gridTotal += cells.areaM2[i];
    if (!eCov.covered[i]) gridUncovered += cells.areaM2[i];
  }
  if (options.fullTurf) {
    const [[tu, tt], turfMs] = time(() => turfUncovered(city.districts, city.facilities));
    const agree = Math.abs(gridUncovered / gridTotal - tu / tt) / (tu / tt);
    push(
      row(
        'euclidean coverage, whole area (3,000 facilities) vs Turf buffer ∪ and difference',
        eMs + sumMs,
        turfMs,
        `uncovered ${(gridUncovered / 1e6).toFixed(1)} km² vs Turf ${(tu / 1e6).toFixed(1)} km² (Turf areas on its mean-radius sphere, compared as shares): ` +
          `agreement ${(agree * 100).toFixed(3)} % (≤ 1 % required${agree <= 0.01 ? ', met' : ', NOT MET'}); covered ${((gridTotal - gridUncovered) / 1e6).toFixed(1)} km²`,
      ),
    );
  } else {
    // 15 km window in the middle, aligned to the grid
    const half = 7_500;
    const win = polygon([
      [
        unproject(city.projection, -half, -half),
        unproject(city.projection, half, -half),
        unproject(city.projection, half, half),
        unproject(city.projection, -half, half),
        unproject(city.projection, -half, -half),
      ],
    ]);
    const [wLng0, wLat0] = unproject(city.projection, -half - RADIUS_M * 1.1, -half - RADIUS_M * 1.1);
    const [wLng1, wLat1] = unproject(city.projection, half + RADIUS_M * 1.1, half + RADIUS_M * 1.1);
    const near = facilitiesIn(city.facilities, (lng, lat) => lng >= wLng0 && lng <= wLng1 && lat >= wLat0 && lat <= wLat1);
    const [[tu, tt], turfMs] = time(() => turfUncovered([win], near));
    const [wLo, wLa0] = unproject(city.projection, -half, -half);
    const [wHi, wLa1] = unproject(city.projection, half, half);
    let u = 0,
      t = 0;
    for (let i = 0; i < cells.count; i++) {
      if (cells.lng[i] < wLo || cells.lng[i] > wHi || cells.lat[i] < wLa0 || cells.lat[i] > wLa1) continue;
      t += cells.areaM2[i];
      if (!eCov.covered[i]) u += cells.areaM2[i];
    }
    const agree = Math.abs(u / t - tu / tt) / (tu / tt);
    const scaled = turfMs * (city.facilities.count / Math.max(1, near.count));
    push(
      row(
        'euclidean coverage, whole area vs Turf buffer ∪ (15 km window, scaled by facility count)',
        eMs + sumMs,
        scaled,
        `Turf ran on ${near.count} facilities in ${turfMs.toFixed(0)} ms, scaled ×${(city.facilities.count / near.count).toFixed(1)} (a floor: union cost grows faster); ` +
          `window uncovered-area agreement ${(agree * 100).toFixed(3)} %`,
      ),
    );
  }

  // ---- 3. network pass on ~100k edges: multi-source vs one isochrone per facility
  const town = syntheticCity({ seed: seed + 1, widthM: 23_500, heightM: 23_500, facilityCount: 400, dropShare: 0.1 });
  const tGraph = buildWalkingGraph(town.network!);
  const tSnaps = snapPoints(tGraph, town.facilities.lng, town.facilities.lat, 500);
  const tSeeds = facilitySeeds(tGraph, tSnaps);
  const fullMs = median(() => multiSourceDijkstra(tGraph, tSeeds));
  const boundedMs = median(() => multiSourceDijkstra(tGraph, tSeeds, { cutoffM: RADIUS_M }));
  const scratch = createSearchScratch(tGraph.nodeCount);
  const isoMs = median(() => {
    const best = new Float64Array(tGraph.nodeCount).fill(Infinity);
    for (let j = 0; j < tSnaps.count; j++) {
      if (tSnaps.edge[j] < 0) continue;
      const one = { count: 1, edge: tSnaps.edge.subarray(j, j + 1), t: tSnaps.t.subarray(j, j + 1), legM: tSnaps.legM.subarray(j, j + 1) };
      boundedSearch(tGraph, facilitySeeds(tGraph, one, [j]), RADIUS_M, scratch);
      for (let k = 0; k < scratch.settledCount; k++) {
        const v = scratch.settled[k];
        if (scratch.dist[v] < best[v]) best[v] = scratch.dist[v];
      }
    }
  });
  const eps = (ms: number) => `${(((tGraph.edgeCount / ms) * 1000) / 1e6).toFixed(1)} M edges/s`;
  push(
    row(
      `network: multi-source Dijkstra, ${tGraph.edgeCount.toLocaleString('en-US')} edges, ${town.facilities.count} facilities, unbounded`,
      fullMs,
      null,
      `${eps(fullMs)}; every node gets its nearest facility and effort`,
    ),
  );
  push(
    row(
      'network: multi-source Dijkstra bounded at 300 m vs one 300 m isochrone per facility',
      boundedMs,
      isoMs,
      `same answer (covered nodes); ${eps(boundedMs)} of graph`,
    ),
  );

  // ---- 4. network coverage of the whole area
  {
    const big = syntheticCity({ seed, widthM: SIDE_M, heightM: SIDE_M, facilityCount: 3000, streetSpacingM: 100 });
    const [g, buildMs] = time(() => buildWalkingGraph(big.network!));
    const [join, joinMs] = time(() => joinCells(g, big.cells));
    const [nCov, passMs] = time(() => networkCoverage(g, join, big.facilities, { radiusM: RADIUS_M }));
    const e2 = summariseCoverage(big.cells, euclideanCoverage(big.cells, big.facilities, { radiusM: RADIUS_M }), {
      ageGroup: 'children_3_5',
    });
    const n2 = summariseCoverage(big.cells, nCov, { ageGroup: 'children_3_5' });
    push(
      row(
        `network coverage, whole area: pass per category (${g.edgeCount.toLocaleString('en-US')} edges)`,
        passMs,
        null,
        `graph build ${buildMs.toFixed(0)} ms and cell join ${joinMs.toFixed(0)} ms once; snaps + Dijkstra + ${big.cells.count.toLocaleString('en-US')} cells; ` +
          `covered children ${(100 * n2.total.shareCoveredChildren!).toFixed(1)} % on foot vs ${(100 * e2.total.shareCoveredChildren!).toFixed(1)} % straight-line`,
      ),
    );
  }

  // ---- 5. what-if on a district-sized area: the 552 km² town (a central district such as
  // 沙坪坝 or 九龙坡 is 400–450 km²), both modes
  const dCells: Cells = town.cells;
  const dJoin = joinCells(tGraph, dCells);
  let mid = 0;
  for (let i = 0; i < dCells.count; i++) if (dCells.population[i] > dCells.population[mid]) mid = i;
  const site: [number, number] = [dCells.lng[mid] + 0.002, dCells.lat[mid]];
  const area_ = `${(dCells.count / 100).toFixed(0)} km², ${dCells.count.toLocaleString('en-US')} cells`;
  for (const mode of ['euclidean', 'network'] as const) {
    const make = () => createScenario({ mode, cells: dCells, facilities: town.facilities, radiusM: RADIUS_M, graph: tGraph, join: dJoin });
    const base = make();
    const fullMsW = median(make, 3);
    const addMs = median(() => addFacilities(base, [site]));
    const victim = Math.max(base.coverage.nearest[mid], 0);
    const removeMs = median(() => removeFacilities(base, [victim]));
    push(
      row(
        `what-if (${mode}): add a facility, district-sized area (${area_})`,
        addMs,
        fullMsW,
        'vs full recomputation; exact (tests compare with it)',
      ),
    );
    push(row(`what-if (${mode}): remove a facility, district-sized area`, removeMs, fullMsW, 'vs full recomputation; exact'));
  }
  const greedy = createScenario({ mode: 'euclidean', cells: dCells, facilities: town.facilities, radiusM: RADIUS_M });
  const [sug, greedyMs] = time(() => suggestSites(greedy, { k: 5, ageGroup: 'children_3_5' }));
  push(
    row(
      'greedy maximal coverage: 5 sites, district-sized area (euclidean, lazy greedy)',
      greedyMs,
      null,
      `first site adds ${sug.sites[0]?.addedChildren.toFixed(0)} children aged 3–5`,
    ),
  );
  const netGreedy = createScenario({
    mode: 'network',
    cells: dCells,
    facilities: town.facilities,
    radiusM: RADIUS_M,
    graph: tGraph,
    join: dJoin,
  });
  const [nSug, nGreedyMs] = time(() => suggestSites(netGreedy, { k: 5, ageGroup: 'children_3_5' }));
  push(
    row(
      'greedy maximal coverage: 5 sites, district-sized area (network, lazy greedy)',
      nGreedyMs,
      null,
      `first site adds ${nSug.sites[0]?.addedChildren.toFixed(0)} children aged 3–5 on foot`,
    ),
  );

  // ---- 6. gaps: boundary tracing vs Turf union of the squares, 10 km window
  const spec = cells.grid!.spec;
  const [c0, r0] = [Math.floor((0 - 5_000 - spec.originX) / spec.cellSizeM), Math.floor((0 - 5_000 - spec.originY) / spec.cellSizeM)];
  const sel: number[] = [];
  for (let i = 0; i < cells.count; i++) {
    const c = cells.grid!.col[i] - c0,
      r = cells.grid!.row[i] - r0;
    if (c >= 0 && c < 100 && r >= 0 && r < 100 && !eCov.covered[i] && cells.district[i] === 4) sel.push(i);
  }
  const squares = { col: sel.map((i) => cells.grid!.col[i]), row: sel.map((i) => cells.grid!.row[i]) };
  const dissolveMs = median(() => dissolveSquares(spec, squares), 3);
  const [turfU, turfUnionMs] = time(() =>
    union(featureCollection(sel.map((i) => polygon([cellRing(spec, cells.grid!.col[i], cells.grid!.row[i])])))),
  );
  const ours = dissolveSquares(spec, squares);
  const ourArea = ours.reduce((s, c) => s + area(polygon(c.rings)), 0);
  push(
    row(
      `gaps: dissolve ${sel.length.toLocaleString('en-US')} uncovered squares (10 km window) vs Turf union`,
      dissolveMs,
      turfUnionMs,
      `${ours.length} polygons; areas agree to ${((Math.abs(ourArea - area(turfU!)) / area(turfU!)) * 100).toExponential(1)} %`,
    ),
  );

  // ---- 7. 2SFCA for the whole area
  const [fca, fcaMs] = time(() =>
    twoStepFca(cells, city.facilities, euclideanPairs(cells, city.facilities, RADIUS_M), { ageGroup: 'children_3_5' }),
  );
  push(
    row(
      '2SFCA (euclidean), whole area, 3,000 kindergartens',
      fcaMs,
      null,
      `${fca.total.placesPer1000Children?.toFixed(0)} places per 1,000 children aged 3–5 (synthetic capacities)`,
    ),
  );

  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const fullTurf = process.argv.includes('--full-turf');
  runCoverageBench({ fullTurf, log: (l) => console.log(l) }).then((rows) => {
    console.table(rows.map((r) => ({ ...r, note: r.note.slice(0, 80) })));
  });
}
