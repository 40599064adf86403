/**
 * The kinds of analysis job the worker pool runs, each a feature's own function of a
 * database and plain (structured-clonable) arguments. Adding a kind: a function here.
 *
 * A job answers a JSON body (any value; the worker serialises it) or a {@link JobFile}
 * (./jobFile.ts: bytes with their content type and file name, e.g. an export's GeoPackage).
 */
import type { Db } from '../db/adapter';
import { cachesFor } from '../features/coverage/cache';
import { runCoverageTask, type CoverageTask } from '../features/coverage/handlers';
import { runComputedExport, type ComputedExportTask } from '../features/export/computed';
import { computeCoverageRun, type CoverageSourceOptions } from '../features/indicators/coverageSource';
import { precomputeSurfaces } from '../features/coverage/population';

export const JOB_KINDS = {
  coverage: (db: Db, args: unknown) => runCoverageTask(db, args as CoverageTask),
  /** The walking-coverage indicators' whole-city run (server/features/indicators/coverageSource.ts). */
  indicatorCoverage: (db: Db, args: unknown) => {
    const { cellSizeM, stepPenalty } = args as Pick<CoverageSourceOptions, 'cellSizeM' | 'stepPenalty'>;
    return computeCoverageRun(db, { cellSizeM, stepPenalty });
  },
  /** An export of a computed layer (gaps, served, cells), the whole file. */
  export: (db: Db, args: unknown) => runComputedExport(db, args as ComputedExportTask),
  /** The central districts' population surfaces, built and stored in the background after start. */
  surfaces: (db: Db, args: unknown) => precomputeSurfaces(db, cachesFor(db), (args as { cellSizeM: number }).cellSizeM),
} satisfies Record<string, (db: Db, args: unknown) => Promise<unknown>>;

export type JobKind = keyof typeof JOB_KINDS;
