/**
 * The kinds of analysis job the worker pool runs, each a feature's own function of a
 * database and plain (structured-clonable) arguments. Adding a kind: a function here.
 */
import type { Db } from '../db/adapter';
import { runCoverageTask, type CoverageTask } from '../features/coverage/handlers';

export const JOB_KINDS = {
  coverage: (db: Db, args: unknown) => runCoverageTask(db, args as CoverageTask),
} satisfies Record<string, (db: Db, args: unknown) => Promise<unknown>>;

export type JobKind = keyof typeof JOB_KINDS;
