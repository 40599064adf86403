-- 010: mixed-resolution population surfaces (issue 13: all 38 districts at 100 m). A part whose
-- area is asked for with more cells than the limit is stored with block_squares > 1: grid records
-- where people live stay cell_size_m squares, the others are merged into blocks of
-- block_squares × block_squares squares (core/coverage/sparse.ts); the uniform part has 1. Both may
-- be stored for one district and cell size.
ALTER TABLE population_surfaces ADD COLUMN block_squares integer NOT NULL DEFAULT 1 CHECK (block_squares >= 1);
ALTER TABLE population_surfaces DROP CONSTRAINT population_surfaces_pkey;
ALTER TABLE population_surfaces ADD PRIMARY KEY (district_code, cell_size_m, block_squares);
