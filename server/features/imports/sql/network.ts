/**
 * Walking-network writes: edges upserted on `(source, way_id, seq)`, nodes on
 * `(source, id)`, both counting unchanged rows; pieces of re-imported ways that no longer
 * exist (a way now split into fewer pieces) are deleted, and with `--full` every edge of
 * the source whose way is gone. Network rows are derived from the source and carry no
 * history, so deleting stale ones loses nothing (facilities, by contrast, are retired).
 */
import type { Queryable } from '../../../db/adapter';
import type { EdgeDraft, NetworkNodeDraft } from '../../../../core/osm/extract';
import type { WriteCounts } from '../../../../core/import/types';

export const NETWORK_BATCH = 4000;

const EDGE_UPSERT = `
WITH r AS (
  SELECT * FROM json_to_recordset($1::json) AS r(
    way_id bigint, seq integer, from_node bigint, to_node bigint, length_m double precision, highway text, name text,
    is_steps boolean, step_count integer, footway text, crossing text, sidewalk text, lit text, incline text,
    surface text, oneway_foot boolean, tags jsonb, wkt text)
), up AS (
  INSERT INTO network_edges AS e (source, way_id, seq, from_node, to_node, length_m, highway, name, is_steps, step_count,
                                  footway, crossing, sidewalk, lit, incline, surface, oneway_foot, tags, geom)
  SELECT $2, r.way_id, r.seq, r.from_node, r.to_node, r.length_m, r.highway, r.name, r.is_steps, r.step_count,
         r.footway, r.crossing, r.sidewalk, r.lit, r.incline, r.surface, r.oneway_foot, r.tags, ST_GeomFromText(r.wkt, 4326)
    FROM r
  ON CONFLICT (source, way_id, seq) DO UPDATE SET
    from_node = EXCLUDED.from_node, to_node = EXCLUDED.to_node, length_m = EXCLUDED.length_m, highway = EXCLUDED.highway,
    name = EXCLUDED.name, is_steps = EXCLUDED.is_steps, step_count = EXCLUDED.step_count, footway = EXCLUDED.footway,
    crossing = EXCLUDED.crossing, sidewalk = EXCLUDED.sidewalk, lit = EXCLUDED.lit, incline = EXCLUDED.incline,
    surface = EXCLUDED.surface, oneway_foot = EXCLUDED.oneway_foot, tags = EXCLUDED.tags, geom = EXCLUDED.geom
  WHERE (e.from_node, e.to_node, e.length_m, e.highway, e.name, e.is_steps, e.step_count, e.footway, e.crossing,
         e.sidewalk, e.lit, e.incline, e.surface, e.oneway_foot, e.tags)
        IS DISTINCT FROM
        (EXCLUDED.from_node, EXCLUDED.to_node, EXCLUDED.length_m, EXCLUDED.highway, EXCLUDED.name, EXCLUDED.is_steps,
         EXCLUDED.step_count, EXCLUDED.footway, EXCLUDED.crossing, EXCLUDED.sidewalk, EXCLUDED.lit, EXCLUDED.incline,
         EXCLUDED.surface, EXCLUDED.oneway_foot, EXCLUDED.tags)
     OR ST_AsEWKB(e.geom) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geom)
  RETURNING (e.xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

const NODE_UPSERT = `
WITH r AS (
  SELECT * FROM json_to_recordset($1::json) AS r(id bigint, lng double precision, lat double precision, tags jsonb)
), up AS (
  INSERT INTO network_nodes AS n (id, source, tags, geom)
  SELECT r.id, $2, r.tags, ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326) FROM r
  ON CONFLICT (source, id) DO UPDATE SET tags = EXCLUDED.tags, geom = EXCLUDED.geom
  WHERE n.tags IS DISTINCT FROM EXCLUDED.tags OR ST_AsEWKB(n.geom) IS DISTINCT FROM ST_AsEWKB(EXCLUDED.geom)
  RETURNING (n.xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up`;

function wkt(flat: readonly number[]): string {
  let s = 'LINESTRING(';
  for (let i = 0; i < flat.length; i += 2) s += `${(i ? ',' : '') + flat[i]} ${flat[i + 1]}`;
  return `${s})`;
}

function edgeJson(e: EdgeDraft) {
  const a = e.attrs;
  return {
    way_id: e.way_id,
    seq: e.seq,
    from_node: e.from_node,
    to_node: e.to_node,
    length_m: e.length_m,
    highway: a.highway,
    name: a.name,
    is_steps: a.is_steps,
    step_count: a.step_count,
    footway: a.footway,
    crossing: a.crossing,
    sidewalk: a.sidewalk,
    lit: a.lit,
    incline: a.incline,
    surface: a.surface,
    oneway_foot: a.oneway_foot,
    tags: a.tags,
    wkt: wkt(e.coords),
  };
}

/** Upsert one batch of edges. */
export async function upsertEdges(tx: Queryable, source: string, batch: readonly EdgeDraft[], counts: WriteCounts): Promise<void> {
  if (!batch.length) return;
  const r = await tx.query<{ inserted: number; updated: number }>(EDGE_UPSERT, [JSON.stringify(batch.map(edgeJson)), source]);
  counts.inserted += r.rows[0].inserted;
  counts.updated += r.rows[0].updated;
  counts.unchanged += batch.length - r.rows[0].inserted - r.rows[0].updated;
}

/** Upsert one batch of nodes. */
export async function upsertNodes(tx: Queryable, source: string, batch: readonly NetworkNodeDraft[], counts: WriteCounts): Promise<void> {
  if (!batch.length) return;
  const r = await tx.query<{ inserted: number; updated: number }>(NODE_UPSERT, [JSON.stringify(batch), source]);
  counts.inserted += r.rows[0].inserted;
  counts.updated += r.rows[0].updated;
  counts.unchanged += batch.length - r.rows[0].inserted - r.rows[0].updated;
}

/**
 * Delete stale edges: pieces beyond a re-imported way's new piece count, and with
 * `full` every edge of the source whose way is not in this import. Then nodes of the
 * source no longer at the end of any edge. Returns [edges, nodes] deleted.
 *
 * @param pieces way id → number of pieces (max seq + 1) in this import
 */
export async function deleteStaleNetwork(
  tx: Queryable,
  source: string,
  pieces: Map<number, number>,
  full: boolean,
): Promise<[number, number]> {
  const wayIds = [...pieces.keys()];
  const counts = wayIds.map((w) => pieces.get(w)!);
  // A join (not a correlated EXISTS, which PGlite's planner runs per row) and an anti-join.
  const r = await tx.query<{ n: number }>(
    `WITH p AS (SELECT * FROM unnest($2::bigint[], $3::integer[]) AS p(way_id, n)),
     shorter AS (
       DELETE FROM network_edges e USING p
        WHERE e.source = $1 AND e.way_id = p.way_id AND e.seq >= p.n
       RETURNING 1),
     gone AS (
       DELETE FROM network_edges e
        WHERE $4::boolean AND e.source = $1 AND NOT EXISTS (SELECT 1 FROM p WHERE p.way_id = e.way_id)
       RETURNING 1)
     SELECT (SELECT count(*) FROM shorter)::int + (SELECT count(*) FROM gone)::int AS n`,
    [source, wayIds, counts, full],
  );
  const edges = r.rows[0].n;
  if (edges === 0 && !full) return [0, 0];
  const n = await tx.query<{ n: number }>(
    `WITH del AS (
       DELETE FROM network_nodes n
        WHERE n.source = $1
          AND n.id NOT IN (SELECT from_node FROM network_edges WHERE source = $1
                           UNION SELECT to_node FROM network_edges WHERE source = $1)
       RETURNING 1)
     SELECT count(*)::int AS n FROM del`,
    [source],
  );
  return [edges, n.rows[0].n];
}
