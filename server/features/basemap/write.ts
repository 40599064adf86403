/**
 * Writing the basemap features of one OSM import, inside the import's one transaction
 * (server/features/imports/osm.ts): the rows of every OSM object the file holds are
 * replaced (deleted, then inserted from the file), so a re-import of the same file
 * changes nothing and an object whose tags changed loses the layers it no longer has;
 * with `--full` every row of the source is replaced. Objects of the source that the file
 * does not hold are kept (as facilities and the walking network are), so several files
 * of one source add up. The area the file covers becomes (or extends) the source's
 * `earth` polygon. Basemap rows are derived data: deleting stale ones loses nothing.
 */
import type { Queryable } from '../../db/adapter';
import type { BasemapFeatureDraft, BasemapGeometry } from '../../../core/osm/basemapExtract';

export const BASEMAP_BATCH = 2000;

const INSERT = `
WITH r AS (
  SELECT * FROM json_to_recordset($1::json) AS r(
    osm_type text, osm_id bigint, layer text, kind text, kind_detail text, name text, name_en text,
    min_zoom smallint, sort_rank integer, height_m double precision, attrs jsonb, wkt text)
), g AS (
  SELECT r.*, ST_GeomFromText(r.wkt, 4326) AS raw FROM r
), v AS (
  -- invalid OSM outlines (self-touching rings …) made valid, so clipping in tiles is sound
  SELECT g.*, CASE WHEN ST_Dimension(raw) < 2 OR ST_IsValid(raw) THEN raw ELSE ST_CollectionExtract(ST_MakeValid(raw), 3) END AS geom FROM g
)
INSERT INTO basemap_features (source, osm_type, osm_id, layer, kind, kind_detail, name, name_en, min_zoom, sort_rank, height_m, attrs, size_m, geom)
SELECT $2, osm_type, osm_id, layer, kind, kind_detail, name, name_en, min_zoom, sort_rank, height_m, attrs,
       CASE WHEN ST_Dimension(geom) = 2 THEN sqrt(ST_Area(ST_Transform(geom, 3857))) END, geom
  FROM v WHERE NOT ST_IsEmpty(geom)`;

export interface BasemapWriteCounts {
  /** Rows written, per layer. */
  byLayer: Record<string, number>;
  /** Rows written, per `layer/kind`. */
  byKind: Record<string, number>;
  /** Rows of the source deleted before writing (replaced, or gone with --full). */
  replaced: number;
}

/**
 * Replace the source's basemap rows for the objects in `features` (grouped by object, as
 * the extractor yields them) and extend its earth by `bbox`.
 */
export async function writeBasemap(
  tx: Queryable,
  source: string,
  features: Iterable<BasemapFeatureDraft>,
  bbox: [number, number, number, number] | null,
  full: boolean,
): Promise<BasemapWriteCounts> {
  const counts: BasemapWriteCounts = { byLayer: {}, byKind: {}, replaced: 0 };
  if (full) {
    const d = await tx.query(`DELETE FROM basemap_features WHERE source = $1`, [source]);
    counts.replaced += d.affectedRows ?? 0;
  }
  let batch: BasemapFeatureDraft[] = [];
  const seen = new Set<string>();
  const flush = async () => {
    if (!batch.length) return;
    if (!full) {
      for (const type of ['node', 'way', 'relation'] as const) {
        const ids = [...new Set(batch.filter((f) => f.osm_type === type).map((f) => f.osm_id))];
        if (!ids.length) continue;
        const d = await tx.query(`DELETE FROM basemap_features WHERE source = $1 AND osm_type = $2 AND osm_id = ANY($3::bigint[])`, [
          source,
          type,
          ids,
        ]);
        counts.replaced += d.affectedRows ?? 0;
      }
    }
    const rows = batch.map((f) => ({
      osm_type: f.osm_type,
      osm_id: f.osm_id,
      layer: f.layer,
      kind: f.kind,
      kind_detail: f.kind_detail,
      name: f.name,
      name_en: f.name_en,
      min_zoom: f.min_zoom,
      sort_rank: f.sort_rank,
      height_m: f.height_m,
      attrs: f.attrs,
      wkt: toWkt(f.geometry),
    }));
    await tx.query(INSERT, [JSON.stringify(rows), source]);
    for (const f of batch) {
      counts.byLayer[f.layer] = (counts.byLayer[f.layer] ?? 0) + 1;
      const k = `${f.layer}/${f.kind}`;
      counts.byKind[k] = (counts.byKind[k] ?? 0) + 1;
    }
    batch = [];
  };
  let lastObject = '';
  for (const f of features) {
    const object = `${f.osm_type}/${f.osm_id}`;
    const key = `${object}/${f.layer}`;
    if (seen.has(key)) continue; // an object listed twice in one file
    seen.add(key);
    // never split one object's rows across batches: each batch first deletes its objects' rows
    if (batch.length >= BASEMAP_BATCH && object !== lastObject) await flush();
    batch.push(f);
    lastObject = object;
  }
  await flush();

  if (bbox) {
    // the area this file covers is land (earth) — there is no coastline or water data to cut it
    const [w, s, e, n] = bbox;
    await tx.query(
      `INSERT INTO basemap_features AS b (source, osm_type, osm_id, layer, kind, min_zoom, sort_rank, size_m, geom)
       SELECT $1, 'extract', 0, 'earth', 'earth', 0, 0, sqrt(ST_Area(ST_Transform(g, 3857))), g
         FROM (SELECT ST_MakeEnvelope($2, $3, $4, $5, 4326) AS g) t
       ON CONFLICT (source, osm_type, osm_id, layer) DO UPDATE
         SET geom = ST_Multi(ST_Union(b.geom, EXCLUDED.geom)), size_m = sqrt(ST_Area(ST_Transform(ST_Union(b.geom, EXCLUDED.geom), 3857)))
       WHERE NOT ST_Covers(b.geom, EXCLUDED.geom)`,
      [source, w, s, e, n],
    );
    counts.byLayer.earth = (counts.byLayer.earth ?? 0) + 1;
    counts.byKind['earth/earth'] = (counts.byKind['earth/earth'] ?? 0) + 1;
  }
  return counts;
}

/** WKT of a draft geometry (PostGIS parses WKT about twice as fast as GeoJSON). */
export function toWkt(g: BasemapGeometry): string {
  const pts = (c: readonly (readonly number[])[]) => c.map((p) => `${p[0]} ${p[1]}`).join(',');
  const rings = (r: readonly (readonly (readonly number[])[])[]) => r.map((c) => `(${pts(c)})`).join(',');
  switch (g.type) {
    case 'Point':
      return `POINT(${g.coordinates[0]} ${g.coordinates[1]})`;
    case 'LineString':
      return `LINESTRING(${pts(g.coordinates)})`;
    case 'MultiLineString':
      return `MULTILINESTRING(${rings(g.coordinates)})`;
    case 'Polygon':
      return `POLYGON(${rings(g.coordinates)})`;
    case 'MultiPolygon':
      return `MULTIPOLYGON(${g.coordinates.map((p) => `(${rings(p)})`).join(',')})`;
  }
}
