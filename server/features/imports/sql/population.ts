/**
 * Population-cell writes: upsert on `(source, cell_id)`, then derived data — the
 * district by point-in-polygon of the centroid, and child groups from the district's
 * census shares for cells whose source gave only totals (`method` says which).
 */
import type { Queryable } from '../../../db/adapter';
import type { PopulationCellInput } from '../../../../core/import/population';
import type { WriteCounts } from '../../../../core/import/types';

export const CELL_BATCH = 4000;

/** Marker in `method` for cells whose child groups are derived from district census shares. */
export const DERIVED_CHILDREN = 'children = cell population × district census child shares (2020 census, core/population.ts)';

const CELL_UPSERT = `
WITH r AS (
  SELECT * FROM json_to_recordset($1::json) AS r(cell_id text, population double precision, children_0_2 double precision,
         children_3_5 double precision, children_6_11 double precision, children_12_14 double precision,
         ring text, lng double precision, lat double precision)
), up AS (
  INSERT INTO population_cells AS c (source, cell_id, population, children_0_2, children_3_5, children_6_11, children_12_14, method, geom, centroid)
  SELECT $2, r.cell_id, r.population, r.children_0_2, r.children_3_5, r.children_6_11, r.children_12_14, $3,
         ST_GeomFromText(r.ring, 4326), ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)
    FROM r
  ON CONFLICT (source, cell_id) DO UPDATE SET
    population = EXCLUDED.population, method = EXCLUDED.method, geom = EXCLUDED.geom, centroid = EXCLUDED.centroid,
    children_0_2 = CASE WHEN EXCLUDED.children_0_2 IS NULL THEN c.children_0_2 ELSE EXCLUDED.children_0_2 END,
    children_3_5 = CASE WHEN EXCLUDED.children_3_5 IS NULL THEN c.children_3_5 ELSE EXCLUDED.children_3_5 END,
    children_6_11 = CASE WHEN EXCLUDED.children_6_11 IS NULL THEN c.children_6_11 ELSE EXCLUDED.children_6_11 END,
    children_12_14 = CASE WHEN EXCLUDED.children_12_14 IS NULL THEN c.children_12_14 ELSE EXCLUDED.children_12_14 END
  WHERE c.population IS DISTINCT FROM EXCLUDED.population OR c.method IS DISTINCT FROM EXCLUDED.method
     OR (EXCLUDED.children_0_2 IS NOT NULL AND (c.children_0_2, c.children_3_5, c.children_6_11, c.children_12_14)
         IS DISTINCT FROM (EXCLUDED.children_0_2, EXCLUDED.children_3_5, EXCLUDED.children_6_11, EXCLUDED.children_12_14))
     OR ST_AsEWKB(c.geom) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geom)
  RETURNING (c.xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

function ringWkt(ring: readonly [number, number][]): string {
  return `POLYGON((${ring.map(([x, y]) => `${x} ${y}`).join(',')}))`;
}

export async function upsertCells(
  tx: Queryable,
  source: string,
  method: string,
  batch: readonly PopulationCellInput[],
  counts: WriteCounts,
): Promise<void> {
  if (!batch.length) return;
  const json = batch.map((c) => ({
    cell_id: c.cell_id,
    population: c.population,
    children_0_2: c.children?.children_0_2 ?? null,
    children_3_5: c.children?.children_3_5 ?? null,
    children_6_11: c.children?.children_6_11 ?? null,
    children_12_14: c.children?.children_12_14 ?? null,
    ring: ringWkt(c.ring),
    lng: c.lng,
    lat: c.lat,
  }));
  const r = await tx.query<{ inserted: number; updated: number }>(CELL_UPSERT, [JSON.stringify(json), source, method]);
  counts.inserted += r.rows[0].inserted;
  counts.updated += r.rows[0].updated;
  counts.unchanged += batch.length - r.rows[0].inserted - r.rows[0].updated;
}

/** `--full`: delete cells of the source not in this import (cells are derived data, without history). */
export async function deleteMissingCells(tx: Queryable, source: string, seen: readonly string[]): Promise<number> {
  const r = await tx.query<{ n: number }>(
    `WITH del AS (DELETE FROM population_cells WHERE source = $1 AND cell_id NOT IN (SELECT unnest($2::text[])) RETURNING 1)
     SELECT count(*)::int AS n FROM del`,
    [source, seen],
  );
  return r.rows[0].n;
}

/**
 * Assign districts to cells (centroid in polygon) and derive child groups where the
 * source gave totals only. For every source when `source` is null (after a boundary or
 * census import). Derived values are not "changes" of the source, so they are not counted.
 */
export async function deriveCells(tx: Queryable, source: string | null): Promise<void> {
  await tx.query(
    `WITH pip AS (
       SELECT c.id, (SELECT d.code FROM districts d WHERE d.geom && c.centroid AND ST_Intersects(d.geom, c.centroid) ORDER BY d.code LIMIT 1) AS code
         FROM population_cells c WHERE $1::text IS NULL OR c.source = $1
     )
     UPDATE population_cells c SET district_code = pip.code FROM pip
      WHERE c.id = pip.id AND c.district_code IS DISTINCT FROM pip.code`,
    [source],
  );
  await tx.query(
    `UPDATE population_cells c SET
       children_0_2 = CASE WHEN d.population > 0 THEN c.population * d.children_0_2 / d.population END,
       children_3_5 = CASE WHEN d.population > 0 THEN c.population * d.children_3_5 / d.population END,
       children_6_11 = CASE WHEN d.population > 0 THEN c.population * d.children_6_11 / d.population END,
       children_12_14 = CASE WHEN d.population > 0 THEN c.population * d.children_12_14 / d.population END
     FROM districts d
     WHERE c.district_code = d.code AND ($1::text IS NULL OR c.source = $1) AND c.method LIKE '%' || $2 || '%'`,
    [source, DERIVED_CHILDREN],
  );
}
