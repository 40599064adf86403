/**
 * What an analysis will cost, before it runs (issue 12 §2), and who may ask for it.
 *
 * Cost = estimated cells × facilities of the category in reach × a mode factor (straight line 1,
 * walking 2, both 3): cells from the area (districts' `area_km2`, or the bbox) and the cell
 * size; facilities from one index-bounded count. A relative number, not a time: the default
 * threshold (50 M) lets anyone analyse a district or two at any cell size, and keeps a whole
 * city at 60 m cells for editors.
 *
 * Policy (docs/security.md "Heavy analysis"): the **default** analysis — `cellSizeM` 100 and
 * the norm's radius — is open to everyone at any cost (its answers are cached and shared).
 * Other `cellSizeM`/`radiusM` combinations above the threshold need an editor session:
 * 403 `editor_required`.
 */
import { normFor } from '../../../core/coverage/index';
import type { Db } from '../../db/adapter';
import { EditorRequiredError } from '../../errors';
import type { CoverageParams } from './analysis';
import { metresToDeg } from './graph';
import { CELL_CAP } from './population';
import { DEFAULT_CELL_SIZE_M } from './schemas';
import { countCategoryFacilities, districtsExtent, type Bbox } from './sql';

const MODE_FACTOR = { euclidean: 1, network: 2, both: 3 } as const;

export interface CostEstimate {
  cells: number;
  facilities: number;
  mode: CoverageParams['mode'];
  cost: number;
}

function bboxAreaKm2(b: Bbox): number {
  const [dx] = metresToDeg(1000, (b[1] + b[3]) / 2);
  const [, dy] = metresToDeg(1000, 0);
  return ((b[2] - b[0]) / dx) * ((b[3] - b[1]) / dy);
}

/** The cost estimate of an analysis (two small queries). */
export async function estimateCost(db: Db, p: CoverageParams): Promise<CostEstimate> {
  let areaKm2: number, bbox: Bbox | null;
  if (p.area.kind === 'districts') ({ areaKm2, bbox } = await districtsExtent(db, p.area.codes));
  else [areaKm2, bbox] = [bboxAreaKm2(p.area.bbox), p.area.bbox];
  const cells = Math.ceil((areaKm2 * 1e6) / (p.cellSizeM * p.cellSizeM));
  const radiusM = p.radiusM ?? normFor(p.category).radiusM;
  let facilities = 0;
  if (bbox) {
    const [dx, dy] = metresToDeg(radiusM, Math.max(Math.abs(bbox[1]), Math.abs(bbox[3])));
    facilities = await countCategoryFacilities(db, p.category, [bbox[0] - dx, bbox[1] - dy, bbox[2] + dx, bbox[3] + dy], 1_000_000);
  }
  return { cells, facilities, mode: p.mode, cost: cells * Math.max(1, facilities) * MODE_FACTOR[p.mode] };
}

/** Whether these are the default (cached, shared) parameters every visitor may ask for. */
export function isDefaultAnalysis(p: Pick<CoverageParams, 'category' | 'cellSizeM' | 'radiusM'>): boolean {
  return p.cellSizeM === DEFAULT_CELL_SIZE_M && (p.radiusM === undefined || p.radiusM === normFor(p.category).radiusM);
}

/**
 * @throws EditorRequiredError for an anonymous (or non-editor) non-default analysis above the threshold
 */
export async function checkAnalysisCost(db: Db, p: CoverageParams, isEditor: boolean, threshold: number): Promise<void> {
  if (isEditor || isDefaultAnalysis(p)) return;
  const e = await estimateCost(db, p);
  // a bbox over the cell cap: the job answers a 400 naming cellSizeM at once, for everyone; districts
  // over it are answered at mixed resolution (./population.ts), still heavy work
  if (e.cost <= threshold || (p.area.kind === 'bbox' && e.cells > CELL_CAP)) return;
  throw new EditorRequiredError(
    `this analysis (about ${e.cells.toLocaleString('en-US')} cells × ${e.facilities} facilities, mode ${e.mode}) is above the cost anonymous ` +
      `visitors may ask for with a non-default cellSizeM or radiusM; log in as an editor, or use cellSizeM=${DEFAULT_CELL_SIZE_M} and the norm's radius`,
    { cost: e.cost, threshold, cells: e.cells, facilities: e.facilities, mode: e.mode },
  );
}
