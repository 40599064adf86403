/**
 * A seeded synthetic city for tests and benchmarks: districts, a walking network with a
 * river (crossed only at bridges), steps and gaps, a population surface and facilities.
 * Not real data — a stand-in with the features that matter to coverage (clustered people
 * and facilities, barriers, detours) so that tests and benchmarks run on the same inputs.
 *
 * @example
 * const city = syntheticCity({ seed: 1, widthM: 3000, heightM: 3000, facilityCount: 30 });
 * city.cells.count; // 900
 */
import type { Feature, Polygon } from 'geojson';
import { createRng } from '../random';
import { createLocalProjection, unproject, type LocalProjection } from './geo';
import type { WalkingNetworkInput } from './graph';
import { buildGrid, cellsFromGrid, type GridCells } from './grid';
import type { Cells, FacilityPoints } from './types';

export interface SyntheticCityOptions {
  seed: number;
  widthM: number;
  heightM: number;
  /** Grid cell size, metres. Default 100. */
  cellSizeM?: number;
  /** Street grid spacing, metres; 0 = no network. Default 100. */
  streetSpacingM?: number;
  /** Districts across × down. Default 3 × 3. */
  districtsX?: number;
  districtsY?: number;
  facilityCount: number;
  /** Urban centres (people and most facilities cluster around them). Default 5. */
  centres?: number;
  /** Centre of the city, WGS84. Default central Chongqing (106.55, 29.56). */
  origin?: [number, number];
  /** Share of street links left out (blocks, hills). Default 0.1. */
  dropShare?: number;
  /** Share of links that are steps. Default 0.05. */
  stepShare?: number;
  /** Bridge spacing across the river, metres. Default 3000. */
  bridgeSpacingM?: number;
}

export interface SyntheticCity {
  projection: LocalProjection;
  districts: Feature<Polygon>[];
  grid: GridCells;
  cells: Cells;
  network: WalkingNetworkInput | null;
  facilities: FacilityPoints;
  /** y of the river's centre line at x, metres (the river is 60 m wide). */
  riverY: (xM: number) => number;
}

/**
 * Builds the city. Everything is a pure function of the options.
 * @example syntheticCity({ seed: 7, widthM: 74_000, heightM: 74_000, facilityCount: 3000 })
 */
export function syntheticCity(o: SyntheticCityOptions): SyntheticCity {
  const rng = createRng(o.seed);
  const [lng0, lat0] = o.origin ?? [106.55, 29.56];
  const projection = createLocalProjection(lng0, lat0);
  const W = o.widthM,
    H = o.heightM;
  const x0 = -W / 2,
    y0 = -H / 2;
  const ll = (x: number, y: number) => unproject(projection, x, y);
  const nx = o.districtsX ?? 3,
    ny = o.districtsY ?? 3;

  // districts: wavy vertical borders, straight horizontal ones; they tile the rectangle
  const phase = Array.from({ length: nx + 1 }, () => rng.uniform(0, 2 * Math.PI));
  const amp = Math.min(W / nx, H) * 0.08;
  const borderX = (k: number, y: number) =>
    k === 0 ? x0 : k === nx ? x0 + W : x0 + (k * W) / nx + amp * Math.sin((2 * Math.PI * (y - y0)) / (H / 2) + phase[k]);
  const samples = 24;
  const districts: Feature<Polygon>[] = [];
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const ya = y0 + (j * H) / ny,
        yb = y0 + ((j + 1) * H) / ny;
      const ring: [number, number][] = [];
      for (let s = 0; s <= samples; s++) {
        const y = ya + ((yb - ya) * s) / samples;
        ring.push(ll(borderX(i + 1, y), y));
      }
      for (let s = samples; s >= 0; s--) {
        const y = ya + ((yb - ya) * s) / samples;
        ring.push(ll(borderX(i, y), y));
      }
      ring.push(ring[0]);
      districts.push({
        type: 'Feature',
        properties: { index: j * nx + i, code: `S${j * nx + i}` },
        geometry: { type: 'Polygon', coordinates: [ring] },
      });
    }

  // urban centres
  const nc = o.centres ?? 5;
  const centres = Array.from({ length: nc }, (_, k) => ({
    x: x0 + W * rng.uniform(0.15, 0.85),
    y: y0 + H * rng.uniform(0.15, 0.85),
    sigma: Math.min(W, H) * (k === 0 ? 0.12 : rng.uniform(0.03, 0.08)),
    weight: k === 0 ? 3 : rng.uniform(0.5, 1.5),
  }));
  const density = (x: number, y: number) => {
    let d = 0.02;
    for (const c of centres) d += c.weight * Math.exp(-((x - c.x) ** 2 + (y - c.y) ** 2) / (2 * c.sigma * c.sigma));
    return d;
  };
  const riverPhase = rng.uniform(0, 2 * Math.PI);
  const riverY = (x: number) => y0 + H * 0.45 + H * 0.08 * Math.sin((2 * Math.PI * (x - x0)) / W + riverPhase);
  const inRiver = (x: number, y: number) => Math.abs(y - riverY(x)) < 30;

  const grid = buildGrid(districts, { cellSizeM: o.cellSizeM ?? 100, projection });
  const pop = new Float64Array(grid.count);
  const c02 = new Float64Array(grid.count),
    c35 = new Float64Array(grid.count),
    c611 = new Float64Array(grid.count),
    c1214 = new Float64Array(grid.count);
  for (let i = 0; i < grid.count; i++) {
    const x = grid.grid.spec.originX + (grid.grid.col[i] + 0.5) * grid.grid.spec.cellSizeM;
    const y = grid.grid.spec.originY + (grid.grid.row[i] + 0.5) * grid.grid.spec.cellSizeM;
    // people per m² × area: ~ 30,000 / km² at a main centre
    const p = inRiver(x, y) ? 0 : density(x, y) * 0.01 * grid.areaM2[i] * rng.uniform(0.6, 1.4);
    pop[i] = p;
    // Chongqing 2020 census shares, roughly: 0–2 3 %, 3–5 3.3 %, 6–11 7 %, 12–14 3.5 %
    c02[i] = p * 0.03;
    c35[i] = p * 0.033;
    c611[i] = p * 0.07;
    c1214[i] = p * 0.035;
  }
  const cells = cellsFromGrid(grid, pop, { children_0_2: c02, children_3_5: c35, children_6_11: c611, children_12_14: c1214 });

  // facilities: 80 % near centres, 20 % anywhere
  const fl = new Float64Array(o.facilityCount),
    fa = new Float64Array(o.facilityCount),
    cap = new Float64Array(o.facilityCount);
  for (let f = 0; f < o.facilityCount; f++) {
    let x: number, y: number;
    do {
      if (rng.chance(0.8)) {
        const c = centres[rng.weightedIndex(centres.map((q) => q.weight))];
        x = rng.normal(c.x, c.sigma * 1.2);
        y = rng.normal(c.y, c.sigma * 1.2);
      } else {
        x = rng.uniform(x0, x0 + W);
        y = rng.uniform(y0, y0 + H);
      }
    } while (x < x0 || x > x0 + W || y < y0 || y > y0 + H || inRiver(x, y));
    [fl[f], fa[f]] = ll(x, y);
    cap[f] = 30 * rng.int(3, 12); // 3–12 classes of 30 places
  }
  const facilities: FacilityPoints = { count: o.facilityCount, lng: fl, lat: fa, capacity: cap };

  // walking network: a jittered street grid, some links missing, some steps, a river with bridges
  const sp = o.streetSpacingM ?? 100;
  let network: WalkingNetworkInput | null = null;
  if (sp > 0) {
    const cols = Math.floor(W / sp) + 1,
      rows = Math.floor(H / sp) + 1;
    const nodeLng = new Float64Array(cols * rows),
      nodeLat = new Float64Array(cols * rows),
      ids = new Float64Array(cols * rows);
    const nx_ = new Float64Array(cols * rows),
      ny_ = new Float64Array(cols * rows);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const k = r * cols + c;
        const x = x0 + c * sp + rng.uniform(-0.15, 0.15) * sp;
        const y = y0 + r * sp + rng.uniform(-0.15, 0.15) * sp;
        nx_[k] = x;
        ny_[k] = y;
        [nodeLng[k], nodeLat[k]] = ll(x, y);
        ids[k] = 1_000_000 + k;
      }
    const dropShare = o.dropShare ?? 0.1,
      stepShare = o.stepShare ?? 0.05,
      bridge = o.bridgeSpacingM ?? 3000;
    const from: number[] = [],
      to: number[] = [],
      len: number[] = [],
      steps: number[] = [];
    const link = (a: number, b: number) => {
      const crosses = (riverY(nx_[a]) - ny_[a]) * (riverY(nx_[b]) - ny_[b]) < 0 || inRiver(nx_[a], ny_[a]) || inRiver(nx_[b], ny_[b]);
      if (crosses) {
        // a bridge every `bridge` metres along x
        const bx = nx_[a] - x0;
        if (Math.abs(bx - Math.round(bx / bridge) * bridge) > sp / 2 || inRiver(nx_[a], ny_[a]) || inRiver(nx_[b], ny_[b])) return;
      } else if (rng.chance(dropShare)) return;
      from.push(ids[a]);
      to.push(ids[b]);
      const straight = Math.hypot(nx_[a] - nx_[b], ny_[a] - ny_[b]);
      len.push(straight * rng.uniform(1, 1.1));
      steps.push(!crosses && rng.chance(stepShare) ? 1 : 0);
    };
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const k = r * cols + c;
        if (c + 1 < cols) link(k, k + 1);
        if (r + 1 < rows) link(k, k + cols);
      }
    network = { nodes: { id: ids, lng: nodeLng, lat: nodeLat }, edges: { from, to, lengthM: len, isSteps: steps } };
  }
  return { projection, districts, grid, cells, network, facilities, riverY };
}
