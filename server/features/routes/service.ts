/**
 * The routes feature's engine room: the routing graph, built once from `network_edges` /
 * `network_nodes` and kept per database; and a school's route network from its homes.
 *
 * **Freshness.** The graph is rebuilt when the network changes: {@link invalidateRoutingGraph}
 * drops it at once (call it after an import in the same process), and every request at most
 * every {@link RECHECK_MS} compares a cheap fingerprint (the largest edge id and the number
 * of finished imports, ./sql.ts) so an import run by `npm run import` in another process, or
 * on another app server, is picked up within seconds. Concurrent requests share one build.
 *
 * **Homes** (`population`): the school's child group from `population_cells` within its
 * radius (cells' centroids; when several sources cover the disk, the one with the most cells
 * there), else street origins (core/routing/network.ts `streetOrigins`) carrying a stated
 * density: Chongqing's densest district, 渝中区, 2020 census (core/population.ts shares):
 * 588,717 residents on 22.8 km²; 6–11 year-olds 4/5·AGES_5-9 + 2/5·AGES_10-14 = 4.456 % →
 * 26,233 → ≈ 1,150 per km²; 12–14 year-olds 3/5·AGES_10-14 = 1.932 % → 11,374 → ≈ 500 per
 * km². An estimate for dense urban catchments, said so in every answer.
 *
 * @example
 * const { graph } = await routingGraph(db);
 * const net = await schoolNetwork(db, school);
 */
import type { Db } from '../../db/adapter';
import { buildRoutingGraph, type RoutingGraph } from '../../../core/routing/graph';
import { demSource } from '../imports/elevation';
import { pointOrigins, schoolRouteNetwork, streetOrigins, type SchoolNetwork } from '../../../core/routing/network';
import { normFor } from '../../../core/coverage/norms';
import type { Bilingual } from '../../../core/routing/text';
import {
  cellsNear,
  getSchool,
  loadRoutingNetwork,
  networkFingerprint,
  outlineOf,
  schoolsNear,
  type ChildColumn,
  type SchoolRow,
} from './sql';

/** How often a request re-checks the network fingerprint, ms. */
export const RECHECK_MS = 5_000;
let recheckMs = RECHECK_MS;

/** Change the re-check interval (tests; 0 = check on every request). */
export function setRoutingRecheckMs(ms: number): void {
  recheckMs = ms;
}

export interface GraphEntry {
  graph: RoutingGraph;
  fingerprint: string;
  builtAt: Date;
  loadMs: number;
  buildMs: number;
  edges: number;
  sources: number;
  /** The imported DEM's label (`dataset_meta.dem_source`), null when none. */
  demLabel: string | null;
}

interface Slot {
  entry: GraphEntry | null;
  pending: Promise<GraphEntry> | null;
  checkedAt: number;
}

const slots = new WeakMap<Db, Slot>();
let generation = 0;

/**
 * Forget the routing graph of `db` (or of every database): the next request rebuilds it.
 * Call after writing the network in this process (imports, tests).
 * @example await importFile(db, 'city.osm.pbf'); invalidateRoutingGraph(db);
 */
export function invalidateRoutingGraph(db?: Db): void {
  if (db) {
    const s = slots.get(db);
    if (s) {
      s.entry = null;
      s.checkedAt = 0;
    }
  } else generation++;
}

async function build(db: Db, fingerprint: string): Promise<GraphEntry> {
  const t0 = performance.now();
  const input = await loadRoutingNetwork(db);
  const dem = await demSource(db);
  const t1 = performance.now();
  const graph = buildRoutingGraph(input);
  const t2 = performance.now();
  return {
    graph,
    fingerprint,
    builtAt: new Date(),
    loadMs: Math.round(t1 - t0),
    buildMs: Math.round(t2 - t1),
    edges: graph.edgeCount,
    sources: input.sources,
    demLabel: dem?.label ?? null,
  };
}

const generations = new WeakMap<Db, number>();

/** The routing graph of `db`, built on first use and rebuilt when the network has changed. */
export async function routingGraph(db: Db): Promise<GraphEntry> {
  let slot = slots.get(db);
  if (!slot || generations.get(db) !== generation) {
    slot = { entry: null, pending: null, checkedAt: 0 };
    slots.set(db, slot);
    generations.set(db, generation);
  }
  if (slot.pending) return slot.pending;
  const now = Date.now();
  if (slot.entry && now - slot.checkedAt < recheckMs) return slot.entry;
  const s = slot;
  s.pending = (async () => {
    try {
      const fp = await networkFingerprint(db);
      s.checkedAt = Date.now();
      if (s.entry && s.entry.fingerprint === fp) return s.entry;
      s.entry = await build(db, fp);
      return s.entry;
    } finally {
      s.pending = null;
    }
  })();
  return s.pending;
}

/** Which child group is the demand of a school category. */
export const SCHOOL_CHILDREN: Readonly<Record<string, ChildColumn>> = {
  primary_school: 'children_6_11',
  middle_school: 'children_12_14',
};

/** Children per km² used when there are no population cells (渝中区 2020; see the module comment). */
export const DEFAULT_CHILDREN_PER_KM2: Readonly<Record<ChildColumn, number>> = {
  children_6_11: 1150,
  children_12_14: 500,
};

export interface PopulationNote {
  method: 'population_cells' | 'street_origins';
  /** The cells' source, or null for street origins. */
  source: string | null;
  cells: number;
  childrenPerKm2: number | null;
  note: Bilingual;
}

export interface SchoolNetworkResult {
  school: SchoolRow;
  norm: { radiusM: number; walkMinutes: number; ageGroup: string; citation: string };
  population: PopulationNote;
  network: SchoolNetwork;
  graph: { edges: number; builtAt: string };
}

export type SchoolNetworkOutcome =
  | { ok: true; result: SchoolNetworkResult }
  | { ok: false; reason: 'not_found' | 'not_a_school' | 'no_network' | 'school_far'; school?: SchoolRow };

/** The route network of school `id` (see the module comment for where homes come from). */
export async function schoolNetwork(db: Db, id: number, o: { top?: number } = {}): Promise<SchoolNetworkOutcome> {
  const school = await getSchool(db, id);
  if (school?.status !== 'active') return { ok: false, reason: 'not_found' };
  const column = SCHOOL_CHILDREN[school.category];
  if (!column) return { ok: false, reason: 'not_a_school', school };
  const norm = normFor(school.category as 'primary_school' | 'middle_school');
  const radiusM = norm.radiusM;
  const { graph, builtAt } = await routingGraph(db);
  const [cells, rivals] = await Promise.all([
    cellsNear(db, column, school.lng, school.lat, radiusM),
    // any school nearer on foot to a home within radius r is within 2r of this one
    schoolsNear(db, school.category, school.lng, school.lat, 2 * radiusM, school.id),
  ]);
  let population: PopulationNote;
  let origins: ReturnType<typeof pointOrigins>;
  if (cells.length) {
    const bySource = new Map<string, number>();
    for (const c of cells) bySource.set(c.source, (bySource.get(c.source) ?? 0) + 1);
    const source = [...bySource.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
    const use = cells.filter((c) => c.source === source);
    origins = pointOrigins(
      graph,
      use.map((c) => c.lng),
      use.map((c) => c.lat),
      use.map((c) => c.children),
    );
    population = {
      method: 'population_cells',
      source,
      cells: use.length,
      childrenPerKm2: null,
      note: {
        zh: `学生来自人口网格（${source}，${use.length} 个网格的 ${column === 'children_6_11' ? '6–11' : '12–14'} 岁儿童），以网格中心为家。`,
        en: `Homes are population cells (${source}: ${use.length} cells, children aged ${column === 'children_6_11' ? '6–11' : '12–14'}), at the cells' centres.`,
      },
    };
  } else {
    const density = DEFAULT_CHILDREN_PER_KM2[column];
    origins = streetOrigins(graph, [school.lng, school.lat], radiusM, { childrenPerKm2: density });
    population = {
      method: 'street_origins',
      source: null,
      cells: 0,
      childrenPerKm2: density,
      note: {
        zh: `此处没有人口网格：在学校 ${radiusM} 米内的街道上每 50 米取一个出发点，按渝中区 2020 年人口普查密度（每平方公里约 ${density} 名${column === 'children_6_11' ? '6–11' : '12–14'} 岁儿童）估算人数。`,
        en: `No population cells here: homes are points every 50 m along the streets within ${radiusM} m, with an estimated ${density} children aged ${column === 'children_6_11' ? '6–11' : '12–14'} per km² (Yuzhong district, 2020 census).`,
      },
    };
  }
  const answer = schoolRouteNetwork(graph, [school.lng, school.lat], origins, {
    radiusM,
    top: o.top,
    outline: outlineOf(school.footprint),
    competitors: rivals.length ? { lng: rivals.map((r) => r.lng), lat: rivals.map((r) => r.lat) } : undefined,
  });
  if (!answer.ok) return { ok: false, reason: answer.reason, school };
  return {
    ok: true,
    result: {
      school,
      norm: { radiusM, walkMinutes: norm.walkMinutes, ageGroup: norm.ageGroup, citation: norm.citation },
      population,
      network: answer.network,
      graph: { edges: graph.edgeCount, builtAt: builtAt.toISOString() },
    },
  };
}
