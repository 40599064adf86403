/**
 * Where the atlas holds data: the bounds of districts, facilities and walking networks,
 * the imported areas (from `import_runs`), and which districts a walking network covers.
 * Whole-table extents are aggregates, not spatial look-ups, so they are computed once per
 * state of the data and cached by {@link ExtentsCache}; the per-box question
 * ({@link networkInBox}) is a bounded `&&` query on the GiST index.
 */
import type { Queryable } from '../../db/adapter';
import { DEFAULT_WALK_PARAMS } from '../../../core/coverage/index';
import type { DataExtents, ImportedArea, LngLat, NearestStreet, NetworkCoverage } from '../../../core/api';

type Bbox = [number, number, number, number];

/** A district counts as covered by a network when at least this share of its area lies inside a network's extent. */
export const NETWORK_DISTRICT_SHARE = 0.9;

interface BoxRow {
  xmin: number | null;
  ymin: number | null;
  xmax: number | null;
  ymax: number | null;
}

const toBox = (r: BoxRow | undefined): Bbox | null =>
  r && r.xmin !== null && r.ymin !== null && r.xmax !== null && r.ymax !== null ? [r.xmin, r.ymin, r.xmax, r.ymax] : null;

const EXTENT_COLUMNS = `ST_XMin(ST_Extent(geom)) AS xmin, ST_YMin(ST_Extent(geom)) AS ymin, ST_XMax(ST_Extent(geom)) AS xmax, ST_YMax(ST_Extent(geom)) AS ymax`;

function union(boxes: (Bbox | null)[]): Bbox | null {
  const b = boxes.filter((x): x is Bbox => x !== null);
  if (!b.length) return null;
  return [
    Math.min(...b.map((x) => x[0])),
    Math.min(...b.map((x) => x[1])),
    Math.max(...b.map((x) => x[2])),
    Math.max(...b.map((x) => x[3])),
  ];
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const roundBox = (b: Bbox): Bbox => [round6(b[0]), round6(b[1]), round6(b[2]), round6(b[3])];

/** Names for the seeded 渝中 source and for areas no district names. */
const KNOWN_SOURCES: Record<string, { zh: string; en: string }> = {
  'osm-yuzhong': { zh: '渝中区（OpenStreetMap）', en: 'Yuzhong (OpenStreetMap)' },
};

interface RunRow {
  source: string;
  file_name: string | null;
  kind: string;
  finished_at: string | null;
  bbox: Bbox | null;
  edges: number | null;
}

/** Compute the extents from the tables (uncached). */
export async function computeExtents(db: Queryable): Promise<DataExtents> {
  const [d, f, nets, runs] = await Promise.all([
    db.query<BoxRow>(`SELECT ${EXTENT_COLUMNS} FROM districts`),
    db.query<BoxRow>(`SELECT ${EXTENT_COLUMNS} FROM facilities WHERE status = 'active'`),
    db.query<BoxRow & { source: string }>(`SELECT source, ${EXTENT_COLUMNS} FROM network_edges GROUP BY source ORDER BY source`),
    db.query<RunRow>(
      `SELECT source, file_name, kind,
              to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_at,
              summary->'dataBbox' AS bbox, (summary->'network'->'edges'->>'read')::int AS edges
         FROM import_runs
        WHERE status = 'done' AND kind IN ('osm', 'network', 'facilities') AND NOT coalesce((summary->>'dryRun')::boolean, false)
        ORDER BY id
        LIMIT 1000`,
    ),
  ]);
  const networkBounds = nets.rows
    .map((r) => toBox(r))
    .filter((b): b is Bbox => b !== null)
    .map(roundBox);

  // imported areas: one per source (per file for the CLI's default source 'osm')
  const groups = new Map<string, { source: string; file: string; bbox: Bbox | null; edges: number; at: string | null }>();
  for (const r of runs.rows) {
    const file = (r.file_name ?? r.source)
      .replace(/(\.overpass)?(\.osm)?\.(pbf|gz|osm|json|geojson|csv|tsv|txt|xlsx|xlsm)$/i, '')
      .replace(/\.(osm|overpass|json)$/i, '');
    const key = r.source === 'osm' ? `osm:${file}` : r.source;
    const g = groups.get(key) ?? { source: r.source, file, bbox: null, edges: 0, at: null };
    g.bbox = union([g.bbox, Array.isArray(r.bbox) && r.bbox.length === 4 ? (r.bbox as Bbox) : null]);
    g.edges += r.edges ?? 0;
    g.at = r.finished_at ?? g.at;
    groups.set(key, g);
  }
  const areas: ImportedArea[] = [];
  for (const [id, g] of groups) {
    if (!g.bbox) continue;
    let name = KNOWN_SOURCES[g.source];
    if (!name) {
      const cx = (g.bbox[0] + g.bbox[2]) / 2;
      const cy = (g.bbox[1] + g.bbox[3]) / 2;
      const at = await db.query<{ name_zh: string; name_en: string }>(
        `SELECT name_zh, name_en FROM districts WHERE geom && ST_SetSRID(ST_MakePoint($1, $2), 4326) AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1`,
        [cx, cy],
      );
      const label = g.source === 'osm' ? g.file : g.source;
      name = at.rows[0] ? { zh: `${at.rows[0].name_zh}（${label}）`, en: `${at.rows[0].name_en} (${label})` } : { zh: label, en: label };
    }
    areas.push({
      id,
      source: g.source,
      name_zh: name.zh,
      name_en: name.en,
      bbox: roundBox(g.bbox),
      hasNetwork: g.edges > 0,
      importedAt: g.at,
    });
  }

  // districts a network covers: edges inside, and most of the district within a network's extent
  let networkDistricts: string[] = [];
  if (networkBounds.length) {
    const r = await db.query<{ code: string }>(
      `SELECT d.code
         FROM districts d
         CROSS JOIN LATERAL (
           SELECT max(ST_Area(ST_Intersection(d.geom, ST_MakeEnvelope((b->>0)::float8, (b->>1)::float8, (b->>2)::float8, (b->>3)::float8, 4326)))) AS inside
             FROM json_array_elements($1::json) AS b
            WHERE d.geom && ST_MakeEnvelope((b->>0)::float8, (b->>1)::float8, (b->>2)::float8, (b->>3)::float8, 4326)
         ) AS s
        WHERE s.inside >= $2 * ST_Area(d.geom)
          AND EXISTS (SELECT 1 FROM network_edges e WHERE e.geom && d.geom AND ST_Intersects(e.geom, d.geom) LIMIT 1)
        ORDER BY d.code`,
      [JSON.stringify(networkBounds), NETWORK_DISTRICT_SHARE],
    );
    networkDistricts = r.rows.map((x) => x.code);
  }
  const dataBounds = union([toBox(d.rows[0]), toBox(f.rows[0]), ...networkBounds]);
  return { dataBounds: dataBounds && roundBox(dataBounds), networkBounds, networkDistricts, areas };
}

/**
 * The extents, recomputed only when the data they depend on changed: the key is the
 * latest finished import run and the number of districts (a cheap indexed read), so
 * every app server sharing the database sees an import at its next request.
 */
export class ExtentsCache {
  private key = '';
  private value: Promise<DataExtents> | null = null;

  async get(db: Queryable): Promise<DataExtents> {
    const k = await db.query<{ k: string }>(
      `SELECT concat_ws('/', (SELECT max(id) FROM import_runs WHERE status <> 'running'),
                             (SELECT count(*) FROM import_runs WHERE status <> 'running'),
                             (SELECT count(*) FROM districts)) AS k`,
    );
    const key = k.rows[0].k;
    if (this.value && key === this.key) return this.value;
    this.key = key;
    this.value = computeExtents(db).catch((e) => {
      this.value = null;
      throw e;
    });
    return this.value;
  }
}

/** Is there a walking network in the box? Counts edges up to `cap` (indexed `&&`, LIMIT). */
export async function networkInBox(db: Queryable, bbox: Bbox, cap: number): Promise<NetworkCoverage> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM network_edges
        WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
        LIMIT $5) AS x`,
    [bbox[0], bbox[1], bbox[2], bbox[3], cap + 1],
  );
  const n = r.rows[0].n;
  return { hasNetwork: n > 0, edges: Math.min(n, cap), capped: n > cap };
}

/**
 * How far a street may be to name a point: the coverage engine's longest straight walk from a
 * cell or facility to the network (core/routing DEFAULT_WALK_PARAMS.maxAccessM, 500 m) — a
 * site farther than that from any street is not reached by the network at all.
 */
export const STREET_MAX_M = DEFAULT_WALK_PARAMS.maxAccessM;

/**
 * The nearest named walking-network edge to each point, within `maxM` metres (geodesic
 * distance to the edge's line), or null: one query for all the points, each a bounded `&&`
 * look-up on the GiST index (the box is `maxM` wide each way) ordered by true distance.
 * Ties (two streets equally near) go to the name that sorts first, so the answer is stable.
 */
export async function nearestStreets(db: Queryable, points: readonly LngLat[], maxM: number): Promise<(NearestStreet | null)[]> {
  if (points.length === 0) return [];
  const r = await db.query<{ i: number | string; name: string | null; distance_m: number | null }>(
    `SELECT p.i, s.name, s.distance_m
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(lng, lat, i)
       LEFT JOIN LATERAL (
         SELECT e.name, ST_Distance(e.geom::geography, ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326)::geography) AS distance_m
           FROM network_edges e
          WHERE e.name IS NOT NULL AND btrim(e.name) <> ''
            AND e.geom && ST_Expand(ST_SetSRID(ST_MakePoint(p.lng, p.lat), 4326),
                                    $3::float8 / (111320 * cos(radians(p.lat))), $3::float8 / 111320)
          ORDER BY distance_m, e.name
          LIMIT 1
       ) AS s ON s.distance_m <= $3::float8
      ORDER BY p.i`,
    [points.map((p) => p[0]), points.map((p) => p[1]), maxM],
  );
  return r.rows.map((row) =>
    row.name !== null && row.distance_m !== null ? { name: row.name, distanceM: Math.round(row.distance_m) } : null,
  );
}
