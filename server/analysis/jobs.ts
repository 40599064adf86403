/**
 * The kinds of analysis job the worker pool runs, each a feature's own function of a
 * database and plain (structured-clonable) arguments. Adding a kind: a function here.
 *
 * A job answers a JSON body (any value; the worker serialises it) or a {@link JobFile}
 * (./jobFile.ts: bytes with their content type and file name, e.g. an export's GeoPackage).
 *
 * Each kind imports its feature's module on its first job (issue 13): a worker thread that
 * only answers coverage never loads the exporters (GeoPackage, XLSX …) — about a second of a
 * cold start on this 2-core machine.
 */
import type { Db } from '../db/adapter';
import type { CoverageTask } from '../features/coverage/handlers';
import type { ComputedExportTask } from '../features/export/computed';
import type { CoverageSourceOptions } from '../features/indicators/coverageSource';

export const JOB_KINDS = {
  coverage: async (db: Db, args: unknown) => (await import('../features/coverage/handlers')).runCoverageTask(db, args as CoverageTask),
  /** The walking-coverage indicators' whole-city run (server/features/indicators/coverageSource.ts). */
  indicatorCoverage: async (db: Db, args: unknown) => {
    const { cellSizeM, stepPenalty } = args as Pick<CoverageSourceOptions, 'cellSizeM' | 'stepPenalty'>;
    return (await import('../features/indicators/coverageSource')).computeCoverageRun(db, { cellSizeM, stepPenalty });
  },
  /** An export of a computed layer (gaps, served, cells), the whole file. */
  export: async (db: Db, args: unknown) => (await import('../features/export/computed')).runComputedExport(db, args as ComputedExportTask),
  /** The central districts' population surfaces, built and stored in the background after start. */
  surfaces: async (db: Db, args: unknown) => {
    const [{ precomputeSurfaces }, { cachesFor }] = await Promise.all([
      import('../features/coverage/population'),
      import('../features/coverage/cache'),
    ]);
    return precomputeSurfaces(db, cachesFor(db), (args as { cellSizeM: number }).cellSizeM);
  },
  /** One district's mixed-resolution part (the whole municipality at 100 m), built and stored in the background after start. */
  surfaceBlocks: async (db: Db, args: unknown) => {
    const [{ precomputeBlocks }, { cachesFor }] = await Promise.all([
      import('../features/coverage/population'),
      import('../features/coverage/cache'),
    ]);
    const { code, cellSizeM } = args as { code: string; cellSizeM: number };
    return { built: await precomputeBlocks(db, cachesFor(db), code, cellSizeM) };
  },
} satisfies Record<string, (db: Db, args: unknown) => Promise<unknown>>;

export type JobKind = keyof typeof JOB_KINDS;
