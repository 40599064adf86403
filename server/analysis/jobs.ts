/**
 * The kinds of analysis job the worker pool runs, each a feature's own function of a
 * database and plain (structured-clonable) arguments. Adding a kind: a function here.
 */
import type { Db } from '../db/adapter';
import { cachesFor } from '../features/coverage/cache';
import { runCoverageTask, type CoverageTask } from '../features/coverage/handlers';
import { precomputeSurfaces } from '../features/coverage/population';

export const JOB_KINDS = {
  coverage: (db: Db, args: unknown) => runCoverageTask(db, args as CoverageTask),
  /** The central districts' population surfaces, built and stored in the background after start. */
  surfaces: (db: Db, args: unknown) => precomputeSurfaces(db, cachesFor(db), (args as { cellSizeM: number }).cellSizeM),
} satisfies Record<string, (db: Db, args: unknown) => Promise<unknown>>;

export type JobKind = keyof typeof JOB_KINDS;
