/**
 * Housekeeping of `import_runs`: a run whose process was killed stays `running` forever.
 * At start-up such rows are marked `failed`, with when and why in `summary`. Nothing of
 * such a run was written: an import writes in one transaction (index.ts).
 */
import type { Queryable } from '../../db/adapter';

/**
 * Marks interrupted runs failed. `everyRunning`: every `running` row is dead (the embedded
 * database, whose one process is this one); otherwise (PostgreSQL, shared by several
 * processes) only rows started more than `olderThanHours` ago.
 * @returns the ids marked
 */
export async function markInterruptedRuns(db: Queryable, opts: { everyRunning: boolean; olderThanHours?: number }): Promise<number[]> {
  const message =
    'interrupted: the process running this import stopped before it finished; nothing of it was written (an import is one transaction)';
  const r = await db.query<{ id: number }>(
    `UPDATE import_runs
        SET status = 'failed', finished_at = now(),
            summary = summary || jsonb_build_object('status', 'failed', 'message', $1::text, 'interruptedFoundAt', now())
      WHERE status = 'running' AND ($2::boolean OR started_at < now() - make_interval(hours => $3::int))
      RETURNING id`,
    [message, opts.everyRunning, opts.olderThanHours ?? 24],
  );
  return r.rows.map((x) => x.id);
}
