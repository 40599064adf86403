-- 007: elevation of walking-network edges, sampled from an imported DEM (`npm run import -- dem.tif`,
-- server/features/imports/elevation.ts), for slope-aware walking effort (Tobler 1993, core/coverage/slope.ts).
-- NULL = no elevation (outside the DEM, or none imported): the edge is priced flat.
-- ele_profile: elevations (m) equally spaced along the edge from from_node to to_node, every ≤ 15 m
-- (bridges and tunnels: their two ends only, the DEM shows the ground under/over them).
-- rise_m / fall_m: climb and descent walking from → to, summed over the profile.
-- Where the elevations came from is in dataset_meta under the key 'dem_source'.
ALTER TABLE network_edges ADD COLUMN ele_from_m  real;
ALTER TABLE network_edges ADD COLUMN ele_to_m    real;
ALTER TABLE network_edges ADD COLUMN rise_m      real;
ALTER TABLE network_edges ADD COLUMN fall_m      real;
ALTER TABLE network_edges ADD COLUMN ele_profile real[];
