/**
 * The coverage routes' work, as functions of a database and the parsed request: they run in
 * the analysis worker pool (server/analysis), never on the request thread. The database is the
 * worker's proxy to the app's own connection; the caches (./cache.ts) live in the worker.
 */
import { normFor } from '../../../core/coverage/index';
import type { Db } from '../../db/adapter';
import { ValidationError } from '../../errors';
import {
  analyse,
  areaField,
  facilitiesBbox,
  facilitiesFor,
  FACILITY_CAP,
  graphFor,
  MAX_ACCESS_M,
  NO_NETWORK,
  requireUniform,
  surfaceFor,
  type CoverageParams,
} from './analysis';
import { answerKey, readAnswerInputs, type AnswerRead, type AnswerToStore } from './answers';
import { JobJsonThenStore } from '../../analysis/jobFile';
import { areaNetwork, marginFor, windowOf } from './graph';
import { cellsJson, coverageJson, gapsJson, inputsJson, suggestJson } from './respond';
import { nearestStreets, STREET_MAX_M } from '../extents/sql';
import type { Bbox } from './sql';

/** Most cells /cells sends (the 9 central districts at 100 m are ~556 k). */
export const CELLS_CAP = 600_000;
/** Most cells /inputs sends: what a browser worker handles comfortably for what-if. */
export const INPUT_CELL_CAP = 250_000;

function tooMany(count: number, cap: number, what: string): never {
  throw new ValidationError(
    'cellSizeM',
    `cellSizeM: this area has ${count.toLocaleString('en-US')} cells, more than the ${cap.toLocaleString('en-US')} ${what}; use a coarser cellSizeM or fewer districts`,
  );
}

export type CoverageTask =
  /** `read`: the stamp and facilities the request thread's lookup read after an edit (./answers.ts `lookupAnswer`). */
  | { kind: 'coverage'; params: CoverageParams; read?: AnswerRead }
  | { kind: 'gaps'; params: CoverageParams; limit: number; include: 'populated' | 'all' }
  | { kind: 'cells'; params: CoverageParams }
  | { kind: 'inputs'; params: CoverageParams }
  | { kind: 'suggest'; params: CoverageParams; mode: 'euclidean' | 'network'; k: number };

const sameBbox = (a: Bbox, b: Bbox) => a.every((x, i) => x === b[i]);

/** Runs one coverage task; the result is the response body (for a stored answer, with what to store after replying). */
export async function runCoverageTask(db: Db, t: CoverageTask): Promise<unknown> {
  const params = t.params;
  switch (t.kind) {
    case 'coverage': {
      const normRadiusM = normFor(params.category).radiusM;
      if (!answerKey(params)) return coverageJson(await analyse(db, params), normRadiusM);
      // a default analysis: its answer is stored (by the request thread, after replying) with the
      // stamp of its inputs, read in one query with its facilities — by the request thread's lookup
      // after an edit (t.read), else here
      const { surface } = await surfaceFor(db, params, t.read?.importStamp);
      const bbox = facilitiesBbox(surface, params.radiusM ?? normRadiusM);
      // the lookup read the stored answer's bbox: the same unless the surface changed since
      const read = t.read && sameBbox(t.read.bbox, bbox) ? t.read : await readAnswerInputs(db, params.category, bbox, FACILITY_CAP);
      const body = coverageJson(await analyse(db, params, { importStamp: read.importStamp, facilities: read.rows }), normRadiusM);
      return new JobJsonThenStore(body, { params, bbox, stamp: read.stamp } satisfies AnswerToStore);
    }
    case 'gaps':
      requireUniform((await surfaceFor(db, params)).surface, 'gap polygons');
      return gapsJson(await analyse(db, params), { limit: t.limit, include: t.include });
    case 'cells': {
      // the cap is checked on the surface before any coverage work
      const { surface } = await surfaceFor(db, params);
      requireUniform(surface, 'the cell layer');
      if (surface.cells.count > CELLS_CAP) tooMany(surface.cells.count, CELLS_CAP, 'cells this route sends');
      return cellsJson(await analyse(db, params));
    }
    case 'inputs': {
      const { caches, surface } = await surfaceFor(db, params);
      requireUniform(surface, 'the browser what-if');
      if (surface.cells.count > INPUT_CELL_CAP) tooMany(surface.cells.count, INPUT_CELL_CAP, 'cells a browser what-if takes');
      const norm = normFor(params.category, params.radiusM !== undefined ? { radiusM: params.radiusM } : undefined);
      const facilities = await facilitiesFor(db, surface, params.category, norm.radiusM);
      const network =
        params.mode === 'euclidean'
          ? null
          : await areaNetwork(db, caches, windowOf(surface.bbox, marginFor(norm.radiusM, MAX_ACCESS_M)), areaField(params.area));
      if (params.mode === 'network' && !network) await graphFor(db, caches, surface, norm.radiusM, params.stepPenalty, true);
      return inputsJson(
        { surface, norm, params, facilities, network, networkReason: params.mode !== 'euclidean' && !network ? NO_NETWORK : null },
        normFor(params.category).radiusM,
      );
    }
    case 'suggest':
      requireUniform((await surfaceFor(db, params)).surface, 'site suggestion');
      return suggestJson(await analyse(db, params), t.mode, t.k, (points) => nearestStreets(db, points, STREET_MAX_M));
  }
}
