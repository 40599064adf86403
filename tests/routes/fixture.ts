/**
 * The routing fixtures of core/routing/fixtures, written into `network_edges` /
 * `network_nodes` as the OSM importer would, each shifted east by a whole number of
 * hundredths of a degree so that they lie side by side (a shift in longitude keeps every
 * length), plus their schools and population cells.
 */
import type { Feature, LineString, Point } from 'geojson';
import type { Db } from '../../server/db/adapter';
import { readRoutingFixture } from '../../core/routing/fixtures/load';

/** Where each fixture is placed: longitude shift, degrees. */
export const PLACED = {
  'signalised-crossing-detour': 0,
  'school-grid': 0.03,
  islands: -0.03,
  'steps-shortcut': 0.06,
} as const;
export type PlacedFixture = keyof typeof PLACED;

/** A fixture point of `kind`, shifted as placed. */
export function placedPoint(name: PlacedFixture, kind: string, i = 0): [number, number] {
  const p = readRoutingFixture('in', name).features.filter((f) => f.geometry?.type === 'Point' && f.properties?.kind === kind)[i];
  if (!p) throw new Error(`${name} has no ${kind} #${i}`);
  const [lng, lat] = (p.geometry as Point).coordinates;
  return [lng + PLACED[name], lat];
}

/** Ids of the facilities inserted for the fixtures' schools. */
export interface SchoolIds {
  signal: number;
  grid: number;
  gridRival: number;
  islands: number;
}

/** Writes the fixtures' networks, schools and cells; returns the schools' facility ids. */
export async function loadRoutingFixtures(db: Db): Promise<SchoolIds> {
  for (const name of Object.keys(PLACED) as PlacedFixture[]) {
    const dx = PLACED[name];
    const fc = readRoutingFixture('in', name);
    const source = `fixture:${name}`;
    const nodes = new Map<number, { lng: number; lat: number; tags: Record<string, string> }>();
    const edges: unknown[] = [];
    for (const f of fc.features as Feature[]) {
      const p = f.properties ?? {};
      if (p.kind === 'edge') {
        const line = (f.geometry as LineString).coordinates.map(([x, y]) => [x + dx, y]);
        nodes.set(p.from_node, { lng: line[0][0], lat: line[0][1], tags: nodes.get(p.from_node)?.tags ?? {} });
        nodes.set(p.to_node, { lng: line[line.length - 1][0], lat: line[line.length - 1][1], tags: nodes.get(p.to_node)?.tags ?? {} });
        edges.push({
          way_id: p.id,
          from_node: p.from_node,
          to_node: p.to_node,
          length_m: p.length_m,
          highway: p.highway,
          name: p.name ?? null,
          step_count: p.step_count ?? null,
          footway: p.footway ?? null,
          crossing: p.crossing ?? null,
          sidewalk: p.sidewalk ?? null,
          lit: p.lit ?? null,
          wkt: `LINESTRING(${line.map(([x, y]) => `${x} ${y}`).join(',')})`,
        });
      }
    }
    for (const f of fc.features as Feature[]) {
      const p = f.properties ?? {};
      if (p.kind === 'node') nodes.get(p.node_id)!.tags = p.tags;
    }
    await db.query(
      `INSERT INTO network_edges (source, way_id, seq, from_node, to_node, length_m, highway, name, is_steps, step_count, footway, crossing, sidewalk, lit, geom)
       SELECT $2, r.way_id, 0, r.from_node, r.to_node, r.length_m, r.highway, r.name, r.highway = 'steps', r.step_count, r.footway, r.crossing, r.sidewalk, r.lit,
              ST_GeomFromText(r.wkt, 4326)
         FROM json_to_recordset($1::json) AS r(way_id bigint, from_node bigint, to_node bigint, length_m double precision, highway text, name text,
              step_count integer, footway text, crossing text, sidewalk text, lit text, wkt text)`,
      [JSON.stringify(edges), source],
    );
    await db.query(
      `INSERT INTO network_nodes (id, source, tags, geom)
       SELECT r.id, $2, r.tags, ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)
         FROM json_to_recordset($1::json) AS r(id bigint, lng double precision, lat double precision, tags jsonb)`,
      [JSON.stringify([...nodes].map(([id, n]) => ({ id, ...n }))), source],
    );
  }
  await db.query("SELECT setval(pg_get_serial_sequence('facilities', 'id'), GREATEST(1, (SELECT COALESCE(max(id), 0) FROM facilities)))");
  const school = async (name: string, at: [number, number]) =>
    (
      await db.query<{ id: number }>(
        `INSERT INTO facilities (category, name_zh, source, source_id, geom) VALUES ('primary_school', $1, 'test-routes', $1, ST_SetSRID(ST_MakePoint($2, $3), 4326)) RETURNING id`,
        [name, at[0], at[1]],
      )
    ).rows[0].id;
  const ids: SchoolIds = {
    signal: await school('解放路小学', placedPoint('signalised-crossing-detour', 'school')),
    grid: await school('中山路小学', placedPoint('school-grid', 'school')),
    gridRival: await school('西北小学', placedPoint('school-grid', 'competitor')),
    islands: await school('北岸小学', placedPoint('islands', 'school')),
  };
  const cells = readRoutingFixture('in', 'school-grid').features.filter((f) => f.properties?.kind === 'cell');
  await db.query(
    `INSERT INTO population_cells (source, cell_id, population, children_6_11, method, geom, centroid)
     SELECT 'fixture-grid', r.cell_id, r.children * 10, r.children, 'test fixture',
            ST_Expand(ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326), 0.0004)::geometry(Polygon, 4326), ST_SetSRID(ST_MakePoint(r.lng, r.lat), 4326)
       FROM json_to_recordset($1::json) AS r(cell_id text, lng double precision, lat double precision, children double precision)`,
    [
      JSON.stringify(
        cells.map((c, i) => {
          const [lng, lat] = (c.geometry as Point).coordinates;
          return { cell_id: `c${i}`, lng: lng + PLACED['school-grid'], lat, children: c.properties!.children_6_11 };
        }),
      ),
    ],
  );
  return ids;
}
