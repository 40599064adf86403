/**
 * JSON shapes of the coverage API (declared once in core/api/coverage.ts), made from an {@link Analysis}. Numbers are rounded for
 * the wire (people to 0.1, shares to 1e-4, km² to 1e-4, coordinates to 1e-6°, ≈ 0.1 m);
 * `null` means "not available" (no population data, no children data, no network), never 0.
 */
import type { Feature, Polygon } from 'geojson';
import {
  coverageGaps,
  coverageRowJson,
  createScenario,
  gapPropertiesJson,
  suggestSites,
  walkMinutesFor,
  type AgeGroup,
  type CellCoverage,
  type CoverageSummary,
  type DistrictCoverage,
  type FcaDistrict,
} from '../../../core/coverage/index';
import type { Bilingual } from '../../../core/catalogue';
import type {
  AreaJson,
  BboxJson,
  CapacityRow,
  CellModeArrays,
  CellsResponse,
  ComparisonRow,
  CoverageGraphJson,
  CoverageMethodStatements,
  CoverageResponse,
  CoverageRow,
  CoverageSummaryJson,
  DistrictRef,
  FacilityArrays,
  GapProperties as GapPropertiesJson,
  GapsResponse,
  GapTotals,
  GridJson,
  InputsResponse,
  LngLat,
  MeasureMode,
  MethodJson,
  NearestStreet,
  NetworkArrays,
  NormJson,
  SuggestResponse,
} from '../../../core/api';
import type { Analysis } from './analysis';
import { capacityOf, euclideanDistances, MAX_ACCESS_M } from './analysis';
import type { AreaNetwork } from './graph';
import type { AreaDistrict, Surface } from './population';
import type { FacilityRow } from './sql';
import { r1, r4, r6, r7 } from '../../../core/round';

const fmtEn = (x: number) => Math.round(x).toLocaleString('en-US');
const fmtZh = (x: number) => Math.round(x).toLocaleString('zh-CN');

/** How each age group reads in a sentence. */
export const AGE_GROUP_LABEL: Record<AgeGroup, { en: string; zh: string }> = {
  children_0_2: { en: 'aged 0–2', zh: '0–2 岁' },
  children_3_5: { en: 'aged 3–5', zh: '3–5 岁' },
  children_6_11: { en: 'aged 6–11', zh: '6–11 岁' },
  children_12_14: { en: 'aged 12–14', zh: '12–14 岁' },
  children_0_14: { en: 'aged 0–14', zh: '0–14 岁' },
};

/** The coverage method statements, in both languages (the client shows the UI language's). */
export const COVERAGE_METHOD: CoverageMethodStatements = {
  euclidean: {
    en: "Straight line: great-circle distance from each cell's centre to the nearest facility (exact nearest neighbour).",
    zh: '直线距离：每个网格中心到最近设施的大圆距离（精确最近邻）。',
  },
  network: {
    en:
      `Walking network: effort along the imported walkable streets (network_edges) from each cell's nearest walkable edge to the nearest facility, ` +
      `one multi-source Dijkstra per category; steps count stepPenalty times their length; the straight legs to and from the network are added; ` +
      `cells more than ${MAX_ACCESS_M} m from any walkable edge have no network access (counted as not covered).`,
    zh:
      `步行路网：沿已导入的可步行街道（network_edges），从每个网格最近的可步行路段走到最近的设施，每类设施做一次多源 Dijkstra；` +
      `台阶按其长度的 stepPenalty 倍计；加上进出路网的直线段；距任何可步行路段超过 ${MAX_ACCESS_M} 米的网格视为无法步行到达（计为未覆盖）。`,
  },
  limitations: {
    en:
      'Cells join their nearest walkable edge of the main network (never a small island of it) even across a river; ' +
      'the legs to the network are not checked against barriers; ' +
      'slopes are priced (Tobler 1993, per direction) only where a DEM is imported (see `slope`), else only steps are; ' +
      "children's age mix is uniform within a district; facilities outside the area but within the distance of it are counted.",
    zh:
      '网格接入主路网上最近的可步行路段（不接入孤立的小片路网），即使隔着河流；进出路网的直线段不检查障碍物；' +
      '仅在导入了高程模型（DEM）的地方按坡度计价（Tobler 1993，分方向，见 `slope`），其他地方只计台阶；' +
      '区县内儿童年龄结构视为均匀；区域外但在距离范围内的设施也计入。',
  },
};

function ref(d: AreaDistrict | undefined): DistrictRef {
  return d ? { code: d.code, name_zh: d.name_zh, name_en: d.name_en } : { code: null, name_zh: '合计', name_en: 'Total' };
}

export function rowJson(r: DistrictCoverage, d: AreaDistrict | undefined, s: Surface): CoverageRow {
  return coverageRowJson(r, d, s.population.available, s.population.childrenAvailable);
}

function summaryJson(sum: CoverageSummary, s: Surface): CoverageSummaryJson {
  return { districts: sum.districts.map((r, d) => rowJson(r, s.districts[d], s)), total: rowJson(sum.total, undefined, s) };
}

function comparisonJson(a: Analysis): CoverageResponse['comparison'] {
  const c = a.comparison;
  if (!c) return null;
  const s = a.surface;
  const age = AGE_GROUP_LABEL[a.norm.ageGroup];
  const r = a.norm.radiusM;
  const t = c.total;
  const areaDiff = t.euclidean.coveredAreaKm2 - t.network.coveredAreaKm2;
  let en: string, zh: string;
  if (!s.population.available) {
    en = `Straight-line distance overstates the area within ${r} m by ${areaDiff.toFixed(2)} km² (${(t.euclidean.coveredAreaKm2).toFixed(2)} km² in a straight line, ${t.network.coveredAreaKm2.toFixed(2)} km² on foot).`;
    zh = `按直线距离计算，${r} 米范围内的面积被高估 ${areaDiff.toFixed(2)} 平方公里（直线 ${t.euclidean.coveredAreaKm2.toFixed(2)}，步行 ${t.network.coveredAreaKm2.toFixed(2)} 平方公里）。`;
  } else {
    const pts = t.overstatedSharePoints;
    en =
      `Straight-line distance overstates coverage within ${r} m by ${fmtEn(t.overstatedPopulation)} people` +
      (s.population.childrenAvailable ? ` (${fmtEn(t.overstatedChildren)} children ${age.en})` : '') +
      (pts !== null && s.population.childrenAvailable ? `: ${pts.toFixed(1)} percentage points of the children` : '') +
      `. On foot, ${fmtEn(t.network.coveredPopulation)} people` +
      (s.population.childrenAvailable ? ` (${fmtEn(t.network.coveredChildren)} children)` : '') +
      ` live within ${r} m of walking.`;
    zh =
      `按直线距离计算会高估 ${r} 米内的覆盖：多算 ${fmtZh(t.overstatedPopulation)} 人` +
      (s.population.childrenAvailable ? `（${age.zh}儿童 ${fmtZh(t.overstatedChildren)} 人）` : '') +
      (pts !== null && s.population.childrenAvailable ? `，儿童覆盖率高出 ${pts.toFixed(1)} 个百分点` : '') +
      `。按实际步行路网，${r} 米内有 ${fmtZh(t.network.coveredPopulation)} 人` +
      (s.population.childrenAvailable ? `（儿童 ${fmtZh(t.network.coveredChildren)} 人）` : '') +
      '。';
  }
  const diff = (x: (typeof c.districts)[number], d: AreaDistrict | undefined): ComparisonRow => ({
    ...ref(d),
    overstatedPopulation: s.population.available ? r1(x.overstatedPopulation) : null,
    overstatedChildren: s.population.childrenAvailable ? r1(x.overstatedChildren) : null,
    overstatedSharePoints: s.population.childrenAvailable && x.overstatedSharePoints !== null ? r4(x.overstatedSharePoints) : null,
    overstatedAreaKm2: r4(x.euclidean.coveredAreaKm2 - x.network.coveredAreaKm2),
  });
  return { text: { en, zh }, total: diff(t, undefined), districts: c.districts.map((x, d) => diff(x, s.districts[d])) };
}

function fcaRow(r: FcaDistrict, d: AreaDistrict | undefined): CapacityRow {
  return {
    ...ref(d),
    children: r1(r.children),
    placesPer1000Children: r.placesPer1000Children === null ? null : r1(r.placesPer1000Children),
    reachablePlaces: r1(r.reachablePlaces),
  };
}

function capacityJson(a: Analysis): CoverageResponse['capacity'] {
  if (!a.surface.population.childrenAvailable) return null;
  const c = capacityOf(a);
  if (!c) return null;
  const s = a.surface;
  const withCapacity = a.points.count - c.fca.facilitiesWithoutCapacity.length;
  return {
    mode: c.mode,
    ageGroup: c.fca.ageGroup,
    method: {
      en:
        `2SFCA (Luo & Wang 2003): each facility's places shared among the children ${AGE_GROUP_LABEL[c.fca.ageGroup].en} ` +
        `within ${a.norm.radiusM} m (${c.mode === 'network' ? 'walking' : 'straight line'}); ` +
        `per district the children-weighted mean of the places they can reach, per 1,000 children. ` +
        `Facilities without a recorded capacity (${c.fca.facilitiesWithoutCapacity.length} of ${a.points.count}) are left out of the supply.`,
      zh:
        `两步移动搜索法（2SFCA，Luo & Wang 2003）：每个设施的学位由其 ${a.norm.radiusM} 米` +
        `（${c.mode === 'network' ? '步行' : '直线'}）内的${AGE_GROUP_LABEL[c.fca.ageGroup].zh}儿童分享；` +
        `各区县取儿童加权的可达学位均值，按每千名儿童计。` +
        `未登记学位数的设施（${a.points.count} 个中的 ${c.fca.facilitiesWithoutCapacity.length} 个）不计入供给。`,
    } satisfies Bilingual,
    facilitiesWithCapacity: withCapacity,
    facilitiesWithoutCapacity: c.fca.facilitiesWithoutCapacity.length,
    districts: c.fca.districts.map((r, d) => fcaRow(r, s.districts[d])),
    total: fcaRow(c.fca.total, undefined),
  };
}

export function normJson(a: Pick<Analysis, 'norm' | 'params'>, normRadiusM: number): NormJson {
  const n = a.norm;
  return {
    category: n.category,
    radiusM: n.radiusM,
    normRadiusM,
    overridden: n.radiusM !== normRadiusM,
    lifeCircle: n.lifeCircle,
    walkMinutes: n.walkMinutes,
    walkMinutesAtSpeed: r1(walkMinutesFor(n.radiusM, a.params.walkSpeedMps)),
    ageGroup: n.ageGroup,
    source: n.source,
    citation: n.citation,
  };
}

export function areaJson(s: Surface): AreaJson {
  return {
    kind: s.area.kind,
    districts: s.districts.map(ref),
    bbox: s.bbox.map(r6) as BboxJson,
    cellSizeM: s.cellSizeM,
    cellCount: s.cells.count,
  };
}

export function methodJson(s: Surface): MethodJson {
  return {
    population: { ...s.population, cellSizeM: s.cellSizeM, cellCount: s.cells.count, blocks: s.blocks },
    coverage: COVERAGE_METHOD,
  };
}

function networkJson(a: Analysis): CoverageGraphJson | null {
  if (!a.graph) return null;
  return {
    edges: a.graph.graph.edgeCount,
    skippedEdges: a.graph.graph.skippedEdges,
    splitClosedWays: a.graph.graph.splitLoops,
    edgesWithElevation: a.graph.graph.edgesWithElevation,
    minComponentNodes: a.graph.graph.minComponentNodes,
    window: a.graph.network.window,
    unsnappedFacilities: a.network ? a.network.cells.unsnappedFacilities.length : 0,
  };
}

/** GET /api/coverage */
export function coverageJson(a: Analysis, normRadiusM: number): CoverageResponse {
  const s = a.surface;
  return {
    category: a.params.category,
    mode: a.params.mode,
    norm: normJson(a, normRadiusM),
    walk: { walkSpeedMps: a.params.walkSpeedMps, stepPenalty: a.params.stepPenalty, maxAccessM: MAX_ACCESS_M },
    area: areaJson(s),
    method: methodJson(s),
    facilities: { count: a.points.count, withCapacity: a.facilities.filter((f) => f.capacity !== null).length },
    euclidean: a.euclidean ? summaryJson(a.euclidean.summary, s) : null,
    network: a.network ? { ...summaryJson(a.network.summary, s), graph: networkJson(a) } : null,
    slope: a.slope,
    slopeComparison:
      a.networkFlat && a.network ? { flat: summaryJson(a.networkFlat.summary, s), slope: summaryJson(a.network.summary, s) } : null,
    networkReason: a.networkReason,
    comparison: comparisonJson(a),
    capacity: capacityJson(a),
    computedMs: r1(a.computedMs),
    timings: { ...a.timings, surfaceBuildMs: r1(s.buildMs), cached: a.cached, stored: false },
  };
}

function roundRings(rings: number[][][]): number[][][] {
  return rings.map((ring) => ring.map(([x, y]) => [r6(x), r6(y)]));
}

/** GET /api/coverage/gaps: dissolved uncovered cells of each computed mode, most children first. */
export function gapsJson(a: Analysis, opts: { limit: number; include: 'populated' | 'all' }): GapsResponse {
  const s = a.surface;
  const include = s.population.available ? opts.include : 'all';
  const features: Feature<Polygon, GapPropertiesJson>[] = [];
  const totals: Partial<Record<MeasureMode, GapTotals>> = {};
  let truncated = false;
  for (const [mode, cov] of [
    ['euclidean', a.euclidean?.cells],
    ['network', a.network?.cells],
  ] as const) {
    if (!cov) continue;
    const fc = coverageGaps(s.cells, cov, { ageGroup: a.norm.ageGroup, include });
    const t = { features: fc.features.length, uncoveredPopulation: 0 as number | null, uncoveredChildren: 0 as number | null, areaKm2: 0 };
    for (const f of fc.features) {
      t.uncoveredPopulation! += f.properties.uncoveredPopulation;
      t.uncoveredChildren! += f.properties.uncoveredChildren;
      t.areaKm2 += f.properties.areaKm2;
    }
    totals[mode] = {
      features: t.features,
      uncoveredPopulation: s.population.available ? r1(t.uncoveredPopulation!) : null,
      uncoveredChildren: s.population.childrenAvailable ? r1(t.uncoveredChildren!) : null,
      areaKm2: r4(t.areaKm2),
    };
    const keep = fc.features.slice(0, opts.limit);
    if (keep.length < fc.features.length) truncated = true;
    for (const f of keep) {
      const p = f.properties;
      const d = s.districts[p.district];
      features.push({
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: roundRings(f.geometry.coordinates) },
        properties: gapPropertiesJson(p, mode, d, s.population.available, s.population.childrenAvailable),
      });
    }
  }
  return {
    type: 'FeatureCollection',
    features,
    category: a.params.category,
    radiusM: a.norm.radiusM,
    ageGroup: a.norm.ageGroup,
    include,
    totals,
    truncated,
    networkReason: a.networkReason,
    method: s.population.text,
    computedMs: r1(a.computedMs),
  };
}

function coverageArrays(c: CellCoverage): CellModeArrays {
  const n = c.distanceM.length;
  const distanceM: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) distanceM[i] = Number.isFinite(c.distanceM[i]) ? Math.round(c.distanceM[i]) : null;
  return { distanceM, covered: Array.from(c.covered), noAccess: c.noAccess ? Array.from(c.noAccess) : null };
}

/** Where the grid squares are: square (col, row) spans originX + col·cellSizeM … in `projection` (core/coverage/geo.ts). */
function gridJson(s: Surface): GridJson {
  const spec = s.cells.grid!.spec;
  return {
    cellSizeM: spec.cellSizeM,
    originX: spec.originX,
    originY: spec.originY,
    cols: spec.cols,
    rows: spec.rows,
    projection: spec.projection,
  };
}

/** GET /api/coverage/cells: one entry per cell, parallel arrays, in surface order. */
export function cellsJson(a: Analysis): CellsResponse {
  const s = a.surface;
  const c = s.cells;
  const ch = c.children[a.norm.ageGroup];
  return {
    category: a.params.category,
    count: c.count,
    cellSizeM: s.cellSizeM,
    radiusM: a.norm.radiusM,
    ageGroup: a.norm.ageGroup,
    populationAvailable: s.population.available,
    childrenAvailable: s.population.childrenAvailable,
    districts: s.districts.map(ref),
    lng: Array.from(c.lng, r6),
    lat: Array.from(c.lat, r6),
    /** The grid square of each cell (a border square split between districts appears once per district). */
    grid: gridJson(s),
    col: Array.from(c.grid!.col),
    row: Array.from(c.grid!.row),
    population: Array.from(c.population, r1),
    children: Array.from(ch, r1),
    district: Array.from(c.district),
    euclidean: a.euclidean ? coverageArrays(euclideanDistances(a)) : null,
    network: a.network ? coverageArrays(a.network.cells) : null,
    networkReason: a.networkReason,
    /** The facilities counted (the category's, in and around the area), to draw with the cells. */
    facilities: {
      count: a.facilities.length,
      id: a.facilities.map((f) => f.id),
      lng: a.facilities.map((f) => r6(f.lng)),
      lat: a.facilities.map((f) => r6(f.lat)),
    },
    computedMs: r1(a.computedMs),
  };
}

/** Walkable edges of a network as index-based arrays (node ids replaced by positions). */
export function networkArrays(n: AreaNetwork): NetworkArrays {
  const { nodes, edges } = n.input;
  const nodeIndex = new Map<number, number>();
  for (let i = 0; i < nodes.id.length; i++) nodeIndex.set(Number(nodes.id[i]), i);
  const from: number[] = [],
    to: number[] = [],
    lengthM: number[] = [],
    isSteps: number[] = [],
    onewayFoot: number[] = [];
  const offsets: number[] = [0];
  const lngLat: number[] = [];
  const geom = edges.geometry!;
  for (let e = 0; e < edges.from.length; e++) {
    if (edges.walkable && !edges.walkable[e]) continue;
    from.push(nodeIndex.get(Number(edges.from[e]))!);
    to.push(nodeIndex.get(Number(edges.to[e]))!);
    lengthM.push(r1(Number(edges.lengthM[e])));
    isSteps.push(edges.isSteps?.[e] ? 1 : 0);
    onewayFoot.push(edges.onewayFoot?.[e] ? 1 : 0);
    for (let q = Number(geom.offsets[e]); q < Number(geom.offsets[e + 1]); q++)
      lngLat.push(r7(geom.lngLat[2 * q]), r7(geom.lngLat[2 * q + 1]));
    offsets.push(lngLat.length / 2);
  }
  return {
    edgeCount: from.length,
    nodes: { lng: Array.from(nodes.lng, r7), lat: Array.from(nodes.lat, r7) },
    edges: { from, to, lengthM, isSteps, onewayFoot, offsets, lngLat },
  };
}

export function facilitiesJson(rows: readonly FacilityRow[]): FacilityArrays {
  return {
    count: rows.length,
    id: rows.map((f) => f.id),
    lng: rows.map((f) => r7(f.lng)),
    lat: rows.map((f) => r7(f.lat)),
    capacity: rows.map((f) => f.capacity),
    name_zh: rows.map((f) => f.name_zh),
    name_en: rows.map((f) => f.name_en),
  };
}

/** GET /api/coverage/inputs: what the browser worker needs to run the same analysis. */
export function inputsJson(
  a: {
    surface: Surface;
    norm: Analysis['norm'];
    params: Analysis['params'];
    facilities: FacilityRow[];
    network: AreaNetwork | null;
    networkReason: string | null;
  },
  normRadiusM: number,
): InputsResponse {
  const s = a.surface;
  const c = s.cells;
  return {
    category: a.params.category,
    norm: normJson(a, normRadiusM),
    walk: { walkSpeedMps: a.params.walkSpeedMps, stepPenalty: a.params.stepPenalty, maxAccessM: MAX_ACCESS_M },
    area: areaJson(s),
    method: methodJson(s),
    cells: {
      count: c.count,
      populationAvailable: s.population.available,
      childrenAvailable: s.population.childrenAvailable,
      ageGroup: a.norm.ageGroup,
      grid: gridJson(s),
      col: Array.from(c.grid!.col),
      row: Array.from(c.grid!.row),
      lng: Array.from(c.lng, r7),
      lat: Array.from(c.lat, r7),
      areaM2: Array.from(c.areaM2, r1),
      district: Array.from(c.district),
      population: Array.from(c.population, (x) => Math.round(x * 1e4) / 1e4),
      children: Array.from(c.children[a.norm.ageGroup], (x) => Math.round(x * 1e4) / 1e4),
    },
    facilities: facilitiesJson(a.facilities),
    network: a.network ? networkArrays(a.network) : null,
    networkReason: a.networkReason,
  };
}

/**
 * POST /api/coverage/suggest. `streetsAt` names the nearest street of each site (one look-up
 * for all of them: server/features/extents/sql.ts `nearestStreets`).
 */
export async function suggestJson(
  a: Analysis,
  mode: MeasureMode,
  k: number,
  streetsAt: (points: LngLat[]) => Promise<(NearestStreet | null)[]>,
): Promise<SuggestResponse> {
  const s = a.surface;
  const t0 = performance.now();
  const scenario = createScenario({
    mode,
    cells: s.cells,
    facilities: a.points,
    radiusM: a.norm.radiusM,
    graph: a.graph?.graph,
    join: a.join ?? undefined,
  });
  const before = mode === 'network' ? a.network!.summary.total : a.euclidean!.summary.total;
  const { sites } = suggestSites(scenario, { k, ageGroup: a.norm.ageGroup });
  const streets = await streetsAt(sites.map((site) => [r6(site.lng), r6(site.lat)]));
  let added = 0;
  return {
    category: a.params.category,
    mode,
    k,
    radiusM: a.norm.radiusM,
    ageGroup: a.norm.ageGroup,
    before: { uncoveredChildren: r1(before.uncoveredChildren), coveredChildren: r1(before.coveredChildren) },
    sites: sites.map((site, rank) => {
      added += site.addedChildren;
      const d = s.districts[s.cells.district[site.cell]];
      return {
        rank: rank + 1,
        lng: r6(site.lng),
        lat: r6(site.lat),
        districtCode: d?.code ?? null,
        name_zh: d?.name_zh ?? null,
        name_en: d?.name_en ?? null,
        street: streets[rank] ?? null,
        addedChildren: r1(site.addedChildren),
        addedPopulation: r1(site.addedPopulation),
        cumulativeAddedChildren: r1(added),
      };
    }),
    after: { uncoveredChildren: r1(before.uncoveredChildren - added), coveredChildren: r1(before.coveredChildren + added) },
    method:
      'Greedy maximal coverage (Church & ReVelle 1974, lazy greedy): each round the populated cell whose centre, as a new site, newly covers the most ' +
      `children ${AGE_GROUP_LABEL[a.norm.ageGroup].en} within ${a.norm.radiusM} m (${mode === 'network' ? 'walking' : 'straight line'}).`,
    computedMs: r1(a.computedMs + performance.now() - t0),
  };
}
