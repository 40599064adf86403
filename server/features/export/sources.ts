/**
 * Facts about where exported data comes from: the `dataset_meta` table (demo seed version
 * and date, and whatever importers record there), read once per export.
 */
import type { Queryable } from '../../db/adapter';

/** Every `dataset_meta` entry (a small key/value table), keyed by key. */
export async function datasetMeta(db: Queryable): Promise<Record<string, unknown>> {
  const r = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM dataset_meta ORDER BY key LIMIT 200');
  return Object.fromEntries(r.rows.map((x) => [x.key, x.value]));
}

/** ISO 8601 UTC text of a timestamptz column, as the SQL of every feature formats it. */
export const isoUtc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
