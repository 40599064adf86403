/**
 * The indicators feature. Importers call {@link snapshotIndicators} after an import has
 * committed, so that the trend records every change of the data:
 *
 * ```ts
 * import { ensureBaselineSnapshot, snapshotIndicators } from '../indicators';
 * await ensureBaselineSnapshot(db);                         // before writing: a "before" point, once
 * // … the import's own transaction …
 * await snapshotIndicators(db, 'import', { importRunId });  // after it has committed
 * ```
 */
export { indicatorRoutes, snapshotWriteGuards, type IndicatorRouteOptions } from './routes';
export {
  computeIndicatorSet,
  ensureBaselineSnapshot,
  readSnapshots,
  snapshotIndicators,
  type CoverageSource,
  type CoverageResults,
  type SnapshotOptions,
  type SnapshotSummary,
} from './service';
export {
  coverageSourceFor,
  createCoverageSource,
  computeCoverageRun,
  INDICATOR_CELL_SIZE_M,
  type BackgroundCoverageSource,
  type CoverageRun,
} from './coverageSource';
export { toCsv, toXlsx, exportRows, EXPORT_HEADERS } from './export';
