-- 008: persisted population surfaces (issue 13): the grid cells of one district at one cell size
-- with their dasymetric or imported people, built once (in the background after start, or by the
-- first request that needs them) and read by coverage instead of being rebuilt per request.
-- Derived data: every import that writes deletes them all (server/features/imports/context.ts),
-- and `inputs` (format version + newest finished import) is checked on every read as a safety net.
-- Grid: squares of cell_size_m on the Lambert cylindrical equal-area projection with standard
-- parallel lat0 and central meridian lng0 (core/coverage/geo.ts), shared by every district so
-- that the surfaces of several districts line up; origin_x/origin_y (projected metres) is the
-- lower-left corner of square (0, 0), cols × rows squares.
-- cells: zlib-deflated little-endian arrays, cell_count values each, in this order:
--   float64 lng, lat, area_m2, population, children_0_2, children_3_5, children_6_11,
--   children_12_14, children_0_14; int32 col, row (server/features/coverage/persist.ts).
-- meta: how the people were placed (method, one line per district, notes for the statement).
CREATE TABLE population_surfaces (
  district_code  text NOT NULL REFERENCES districts (code) ON DELETE CASCADE,
  cell_size_m    integer NOT NULL CHECK (cell_size_m > 0),
  lng0           double precision NOT NULL,
  lat0           double precision NOT NULL,
  origin_x       double precision NOT NULL,
  origin_y       double precision NOT NULL,
  cols           integer NOT NULL,
  rows           integer NOT NULL,
  cell_count     integer NOT NULL,
  cells          bytea NOT NULL,
  meta           jsonb NOT NULL,
  inputs         text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, cell_size_m)
);
