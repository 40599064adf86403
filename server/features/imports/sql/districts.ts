/**
 * District writes: boundaries upserted on `code` (area and label point computed by
 * PostGIS), census figures updated in place, and population cells re-assigned.
 */
import type { Queryable } from '../../../db/adapter';
import type { WriteCounts } from '../../../../core/import/types';

export interface DistrictRow {
  code: string;
  name_zh: string;
  name_en: string;
  central_urban: boolean;
  /** GeoJSON Polygon/MultiPolygon, WGS84. */
  geometry: string;
}

/**
 * Upsert districts. Geometries are repaired (`ST_MakeValid`, polygons kept) and made
 * multi; `area_km2` is geodesic, `label_point` is `ST_PointOnSurface`.
 */
export async function upsertDistricts(tx: Queryable, rows: readonly DistrictRow[], source: string): Promise<WriteCounts> {
  const r = await tx.query<{ inserted: number; updated: number }>(
    `WITH r AS (
       SELECT r.code, r.name_zh, r.name_en, r.central_urban,
              ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)), 3)) AS geom
         FROM json_to_recordset($1::json) AS r(code text, name_zh text, name_en text, central_urban boolean, geometry text)
     ), up AS (
       INSERT INTO districts AS d (code, name_zh, name_en, central_urban, area_km2, label_point, geom, source)
       SELECT code, name_zh, name_en, central_urban, ST_Area(geom::geography) / 1e6, ST_PointOnSurface(geom), geom, $2 FROM r
       ON CONFLICT (code) DO UPDATE SET
         name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, central_urban = EXCLUDED.central_urban,
         area_km2 = EXCLUDED.area_km2, label_point = EXCLUDED.label_point, geom = EXCLUDED.geom,
         source = EXCLUDED.source, updated_at = now()
       WHERE (d.name_zh, d.name_en, d.central_urban) IS DISTINCT FROM (EXCLUDED.name_zh, EXCLUDED.name_en, EXCLUDED.central_urban)
          OR ST_AsEWKB(d.geom) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geom)
       RETURNING (d.xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`,
    [JSON.stringify(rows), source],
  );
  const { inserted, updated } = r.rows[0];
  return { inserted, updated, unchanged: rows.length - inserted - updated, retired: 0 };
}

export interface DistrictPopulation {
  code: string;
  population: number | null;
  children_0_2: number | null;
  children_3_5: number | null;
  children_6_11: number | null;
  children_12_14: number | null;
  children_0_14: number | null;
  urban_share: number | null;
}

export async function loadDistrictPopulation(q: Queryable): Promise<Map<string, DistrictPopulation & { name_zh: string }>> {
  const r = await q.query<DistrictPopulation & { name_zh: string }>(
    `SELECT code, name_zh, population, children_0_2, children_3_5, children_6_11, children_12_14, children_0_14, urban_share FROM districts`,
  );
  return new Map(r.rows.map((d) => [d.code, d]));
}

/** Update census figures; returns how many districts changed. */
export async function updateDistrictPopulation(
  tx: Queryable,
  rows: readonly DistrictPopulation[],
  populationSource: string,
): Promise<number> {
  const r = await tx.query<{ n: number }>(
    `WITH r AS (
       SELECT * FROM json_to_recordset($1::json) AS r(code text, population integer, children_0_2 integer, children_3_5 integer,
              children_6_11 integer, children_12_14 integer, children_0_14 integer, urban_share real)
     ), upd AS (
       UPDATE districts d SET population = r.population, children_0_2 = r.children_0_2, children_3_5 = r.children_3_5,
              children_6_11 = r.children_6_11, children_12_14 = r.children_12_14, children_0_14 = r.children_0_14,
              urban_share = r.urban_share, population_source = $2, updated_at = now()
         FROM r
        WHERE d.code = r.code
          AND (d.population, d.children_0_2, d.children_3_5, d.children_6_11, d.children_12_14, d.children_0_14, d.urban_share)
              IS DISTINCT FROM
              (r.population, r.children_0_2, r.children_3_5, r.children_6_11, r.children_12_14, r.children_0_14, r.urban_share)
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM upd`,
    [JSON.stringify(rows), populationSource],
  );
  return r.rows[0].n;
}
