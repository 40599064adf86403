-- 009: facility clusters for the tiles below z15 (issue 13: tiles flat at ten times the facilities).
-- A tile z < 15 shows one feature per category per 1/16-tile cell (server/features/tiles/sql.ts
-- FULL_DETAIL_ZOOM, CLUSTER_GRID = 16 = 2^4) with its count. Counting them per request read every
-- facility in the tile's envelope — at z11, most of a city — so the tile cost grew with the data.
-- Here every active facility counts once in its cell of every grid zoom z = tile zoom + 4
-- (tile zooms 0–14, grid zooms 4–18; cells of the Web Mercator tile scheme, cx from the west, cy
-- from the north), kept up to date by statement triggers on facilities from the changed rows only
-- (inserts add, deletes subtract, updates do both for rows whose status, category or point
-- changed). A tile then reads at most 256 cells × categories rows by the (z, tx, ty) index.
-- sum_id is the facility's own id when count = 1 (the tile shows its name); sum_mx, sum_my (Web
-- Mercator metres) give the mean position. A cell whose count falls to 0 is deleted.
CREATE TABLE facility_clusters (
  z         smallint NOT NULL,
  cx        integer NOT NULL,
  cy        integer NOT NULL,
  category  text NOT NULL,
  count     integer NOT NULL,
  sum_id    bigint NOT NULL,
  sum_mx    double precision NOT NULL,
  sum_my    double precision NOT NULL,
  tx        integer GENERATED ALWAYS AS (cx >> 4) STORED,
  ty        integer GENERATED ALWAYS AS (cy >> 4) STORED,
  PRIMARY KEY (z, cx, cy, category)
);
CREATE INDEX facility_clusters_tile_idx ON facility_clusters (z, tx, ty);
-- the cells emptied by the last change, deleted right after it
CREATE INDEX facility_clusters_empty_idx ON facility_clusters (z) WHERE count = 0;

-- Add (s = 1) or subtract (s = -1) facilities (id, category, lng, lat) in every grid zoom.
-- Latitudes are clamped to Web Mercator's ±85.0511° so that any stored point has a cell.
CREATE FUNCTION facility_clusters_delta(s integer[], ids integer[], cats text[], xs double precision[], ys double precision[])
RETURNS void LANGUAGE sql AS $$
  INSERT INTO facility_clusters AS c (z, cx, cy, category, count, sum_id, sum_mx, sum_my)
  SELECT l.z,
         least(greatest(floor((m.mx + 20037508.342789244) / (40075016.68557849 / (1 << l.z)))::integer, 0), (1 << l.z) - 1),
         least(greatest(floor((20037508.342789244 - m.my) / (40075016.68557849 / (1 << l.z)))::integer, 0), (1 << l.z) - 1),
         u.cat, sum(u.s)::integer, sum(u.s::bigint * u.id), sum(u.s * m.mx), sum(u.s * m.my)
    FROM unnest(s, ids, cats, xs, ys) AS u(s, id, cat, x, y)
         CROSS JOIN LATERAL (
           SELECT ST_X(p) AS mx, ST_Y(p) AS my
             FROM ST_Transform(ST_SetSRID(ST_MakePoint(u.x, greatest(-85.0511287798, least(85.0511287798, u.y))), 4326), 3857) AS p
         ) m
         CROSS JOIN generate_series(4, 18) AS l(z)
   GROUP BY 1, 2, 3, 4
   ORDER BY 1, 2, 3, 4 -- every writer locks the cells in one order: concurrent edits wait, never deadlock
  ON CONFLICT (z, cx, cy, category) DO UPDATE
     SET count = c.count + EXCLUDED.count, sum_id = c.sum_id + EXCLUDED.sum_id,
         sum_mx = c.sum_mx + EXCLUDED.sum_mx, sum_my = c.sum_my + EXCLUDED.sum_my;
  DELETE FROM facility_clusters WHERE count = 0;
$$;

CREATE FUNCTION facility_clusters_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM facility_clusters_delta(array_agg(1), array_agg(n.id), array_agg(n.category), array_agg(ST_X(n.geom)), array_agg(ST_Y(n.geom)))
       FROM new_rows n WHERE n.status = 'active' HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM facility_clusters_delta(array_agg(-1), array_agg(o.id), array_agg(o.category), array_agg(ST_X(o.geom)), array_agg(ST_Y(o.geom)))
       FROM old_rows o WHERE o.status = 'active' HAVING count(*) > 0;
  ELSE
    PERFORM facility_clusters_delta(array_agg(d.s), array_agg(d.id), array_agg(d.category), array_agg(d.x), array_agg(d.y))
       FROM (
         SELECT -1 AS s, o.id, o.category, ST_X(o.geom) AS x, ST_Y(o.geom) AS y
           FROM old_rows o JOIN new_rows n USING (id)
          WHERE o.status = 'active'
            AND (n.status, n.category, ST_X(n.geom), ST_Y(n.geom)) IS DISTINCT FROM (o.status, o.category, ST_X(o.geom), ST_Y(o.geom))
         UNION ALL
         SELECT 1, n.id, n.category, ST_X(n.geom), ST_Y(n.geom)
           FROM new_rows n JOIN old_rows o USING (id)
          WHERE n.status = 'active'
            AND (n.status, n.category, ST_X(n.geom), ST_Y(n.geom)) IS DISTINCT FROM (o.status, o.category, ST_X(o.geom), ST_Y(o.geom))
       ) d HAVING count(*) > 0;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER facility_clusters_insert AFTER INSERT ON facilities
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION facility_clusters_changed();
CREATE TRIGGER facility_clusters_update AFTER UPDATE ON facilities
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION facility_clusters_changed();
CREATE TRIGGER facility_clusters_delete AFTER DELETE ON facilities
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION facility_clusters_changed();

CREATE FUNCTION facility_clusters_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM facility_clusters;
  RETURN NULL;
END $$;
CREATE TRIGGER facility_clusters_truncate AFTER TRUNCATE ON facilities
  FOR EACH STATEMENT EXECUTE FUNCTION facility_clusters_truncated();

-- the facilities already there
SELECT facility_clusters_delta(array_agg(1), array_agg(id), array_agg(category), array_agg(ST_X(geom)), array_agg(ST_Y(geom)))
  FROM facilities WHERE status = 'active' HAVING count(*) > 0;
