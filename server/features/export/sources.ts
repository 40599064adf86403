/**
 * Facts about where exported data comes from: the `dataset_meta` table (demo seed version
 * and date, and whatever importers record there), read once per export.
 */
import type { Queryable } from '../../db/adapter';
import type { DataSource } from '../../../core/export/types';

/** Every `dataset_meta` entry (a small key/value table), keyed by key. */
export async function datasetMeta(db: Queryable): Promise<Record<string, unknown>> {
  const r = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM dataset_meta ORDER BY key LIMIT 200');
  return Object.fromEntries(r.rows.map((x) => [x.key, x.value]));
}

/** ISO 8601 UTC text of a timestamptz column, as the SQL of every feature formats it. */
export const isoUtc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * A data source that is the rows of one table an export counts: how many, and when the newest
 * changed. `from`, `where` and `updatedAt` are the layer's own SQL constants (never request
 * text); `values` bind its `$1…`.
 */
export async function tableSource(
  db: Queryable,
  s: { id: string; description: string; from: string; updatedAt: string; where?: string; values?: unknown[] },
): Promise<DataSource> {
  const r = await db.query<{ records: number; newest: string | null }>(
    `SELECT count(*)::int AS records, ${isoUtc(s.updatedAt)} AS newest FROM ${s.from}${s.where ? ` WHERE ${s.where}` : ''}`,
    s.values,
  );
  return { id: s.id, description: s.description, records: r.rows[0]?.records ?? 0, loadedAt: r.rows[0]?.newest ?? null };
}
