/**
 * OSM import of the hand-written fixtures (tiny.osm and the same data as Overpass JSON)
 * on every database target: facilities, footprints, the split network, idempotency,
 * --full, --strict, --dry-run and the city-extent check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../server/features/imports/index';
import { dbTargets, fixture, loadFixtureDistricts, openTestDb, type TestDb } from './targets';

describe.each(dbTargets())('OSM import on %s', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(target);
    await loadFixtureDistricts(t.db);
  });
  afterAll(() => t?.close());

  it('imports facilities and the walking network from OSM XML', async () => {
    const s = await importFile(t.db, fixture('tiny.osm'));
    expect(s.status).toBe('done');
    expect(s.format).toBe('xml');
    expect(s.kinds).toEqual(['facilities', 'network']);
    expect(s.extent.from).toBe('districts'); // the extract is in the city: the check is on
    expect(s).toMatchObject({ read: 4, inserted: 4, updated: 0, unchanged: 0, rejected: 0 });
    expect(s.byCategory).toEqual({ kindergarten: 1, playground: 1, park: 1, primary_school: 1 });

    const f = await t.db.query<Record<string, any>>(
      `SELECT source_id, category, name_zh, name_en, capacity, ownership, amenities, district_code, version,
              ST_X(geom) AS lng, ST_Y(geom) AS lat, GeometryType(footprint) AS fp, ST_NumInteriorRings(footprint) AS holes
         FROM facilities WHERE source = 'osm' ORDER BY source_id`,
    );
    const by = Object.fromEntries(f.rows.map((r) => [r.source_id, r]));
    expect(Object.keys(by).sort()).toEqual(['node/1', 'node/2', 'relation/500', 'way/100']);
    expect(by['node/1']).toMatchObject({
      category: 'kindergarten',
      name_zh: '阳光幼儿园',
      name_en: 'Sunshine Kindergarten',
      capacity: 270,
      ownership: 'public',
      district_code: '500103',
      version: 1,
      fp: null,
    });
    expect(by['node/1'].amenities).toEqual({ changing_table: true });
    // an unnamed playground takes the category's name
    expect(by['node/2']).toMatchObject({ category: 'playground', name_zh: '儿童游乐场', name_en: 'Playground' });
    // the park keeps its outline, its marker is inside, and it contains the playground
    expect(by['way/100']).toMatchObject({ category: 'park', fp: 'POLYGON' });
    expect(by['way/100'].amenities).toEqual({ childrens_area: true });
    expect(by['way/100'].lng).toBeGreaterThan(106.54);
    expect(by['way/100'].lng).toBeLessThan(106.545);
    // the multipolygon school: ring assembled from two ways, with its hole; marker not in the hole
    expect(by['relation/500']).toMatchObject({ category: 'primary_school', fp: 'POLYGON', holes: 1 });
    const inHole = await t.db.query<{ inside: boolean }>(
      `SELECT ST_Intersects(geom, ST_MakeEnvelope(106.5565, 29.5515, 106.5585, 29.5525, 4326)) AS inside FROM facilities WHERE source_id = 'relation/500'`,
    );
    expect(inHole.rows[0].inside).toBe(false);

    // network: residential 104 and footway-crossing 103 split at the signalised crossing node 42,
    // the footway split at 45 where the steps start; motorway and foot=no are left out
    expect(s.network).toMatchObject({
      edges: { read: 5, inserted: 5 },
      nodes: { read: 6, inserted: 6 },
      stepsEdges: 1,
      crossingEdges: 2,
      crossingNodes: 1,
      missingNodeRefs: 0,
    });
    const e = await t.db.query<Record<string, any>>(
      `SELECT way_id, seq, from_node, to_node, highway, is_steps, step_count, footway, crossing, sidewalk, lit, incline, length_m
         FROM network_edges WHERE source = 'osm' ORDER BY way_id, seq`,
    );
    expect(e.rows.map((r) => [Number(r.way_id), r.seq, Number(r.from_node), Number(r.to_node)])).toEqual([
      [103, 0, 44, 42],
      [103, 1, 42, 45],
      [104, 0, 41, 42],
      [104, 1, 42, 43],
      [105, 0, 45, 46],
    ]);
    expect(e.rows[0]).toMatchObject({ highway: 'footway', footway: 'crossing', crossing: 'traffic_signals' });
    expect(e.rows[2]).toMatchObject({ highway: 'residential', sidewalk: 'both', lit: 'yes', is_steps: false });
    expect(e.rows[4]).toMatchObject({ highway: 'steps', is_steps: true, step_count: 24, incline: 'up' });
    // 0.003° of longitude at 29.56° N ≈ 290 m (haversine, R = 6,371,008.8 m)
    expect(e.rows[2].length_m).toBeCloseTo(290.1, 0);
    const n = await t.db.query<{ id: string; tags: Record<string, string> }>(
      `SELECT id, tags FROM network_nodes WHERE source = 'osm' AND tags <> '{}'::jsonb`,
    );
    expect(n.rows.map((r) => Number(r.id))).toEqual([42]);
    expect(n.rows[0].tags).toMatchObject({ highway: 'crossing', crossing: 'traffic_signals', 'crossing:signals': 'yes' });

    const run = await t.db.query<{ status: string; summary: any }>(`SELECT status, summary FROM import_runs WHERE id = $1`, [s.runId]);
    expect(run.rows[0].status).toBe('done');
    expect(run.rows[0].summary.inserted).toBe(4);
  });

  it('re-importing the same data (as Overpass JSON) changes nothing', async () => {
    const s = await importFile(t.db, fixture('tiny.overpass.json'));
    expect(s.format).toBe('overpass-json');
    expect(s).toMatchObject({ read: 4, inserted: 0, updated: 0, unchanged: 4, retired: 0, rejected: 0 });
    expect(s.network?.edges).toMatchObject({ read: 5, inserted: 0, updated: 0, unchanged: 5, retired: 0 });
    expect(s.network?.nodes).toMatchObject({ read: 6, inserted: 0, updated: 0, unchanged: 6 });
    const h = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM facility_history h JOIN facilities f ON f.id = h.facility_id WHERE f.source = 'osm'`,
    );
    expect(h.rows[0].n).toBe(4); // one 'import' version each, none added
  });

  it('nothing half-done: a failure while writing the network rolls back the facilities too', async () => {
    // the database refuses the first network write, after the facilities went in
    const failing: typeof t.db = Object.create(t.db);
    failing.transaction = (fn) =>
      t.db.transaction((tx) =>
        fn({
          exec: (sql) => tx.exec(sql),
          query: (sql, params) => (/INSERT INTO network_edges/.test(sql) ? Promise.reject(new Error('disk full')) : tx.query(sql, params)),
        }),
      );
    await expect(importFile(failing, fixture('tiny.osm'), { source: 'half' })).rejects.toThrow('disk full');
    const n = await t.db.query<{ f: number; e: number }>(
      `SELECT (SELECT count(*) FROM facilities WHERE source = 'half')::int AS f, (SELECT count(*) FROM facility_history h JOIN facilities f ON f.id = h.facility_id WHERE f.source = 'half')::int AS e`,
    );
    expect(n.rows[0]).toEqual({ f: 0, e: 0 });
    const run = await t.db.query<{ status: string; summary: any }>(`SELECT status, summary FROM import_runs WHERE source = 'half'`);
    expect(run.rows[0].status).toBe('failed');
    expect(run.rows[0].summary.message).toBe('disk full');
  });

  it('--dry-run validates and writes nothing; --kind network leaves facilities alone', async () => {
    const dry = await importFile(t.db, fixture('tiny.osm'), { source: 'osm-dry', dryRun: true });
    expect(dry).toMatchObject({ status: 'dry-run', read: 4, inserted: 0, runId: null });
    expect(dry.network?.edges.read).toBe(5);
    const c = await t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM facilities WHERE source = 'osm-dry') + (SELECT count(*) FROM network_edges WHERE source = 'osm-dry') AS n`,
    );
    expect(Number(c.rows[0].n)).toBe(0);
    const net = await importFile(t.db, fixture('tiny.osm'), { source: 'osm-net', kind: 'network' });
    expect(net.kinds).toEqual(['network']);
    expect(net.network?.edges.inserted).toBe(5);
    const f = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE source = 'osm-net'`);
    expect(f.rows[0].n).toBe(0);
  });

  it('a changed element bumps its version with history; --full retires what disappeared', async () => {
    // simulate an edit in OSM: rename the kindergarten in the stored row's "previous" state
    await t.db.query(`UPDATE facilities SET name_zh = '旧名字' WHERE source = 'osm' AND source_id = 'node/1'`);
    await t.db.query(
      `INSERT INTO facilities (category, name_zh, source, source_id, geom) VALUES ('park', '已拆除公园', 'osm', 'way/999', ST_SetSRID(ST_MakePoint(106.55, 29.55), 4326))`,
    );
    const s = await importFile(t.db, fixture('tiny.osm'), { full: true });
    expect(s).toMatchObject({ inserted: 0, updated: 1, unchanged: 3, retired: 1 });
    const k = await t.db.query<any>(
      `SELECT name_zh, version, source_updated_at IS NOT NULL AS dated FROM facilities WHERE source = 'osm' AND source_id = 'node/1'`,
    );
    expect(k.rows[0]).toEqual({ name_zh: '阳光幼儿园', version: 2, dated: true });
    const gone = await t.db.query<any>(
      `SELECT status, retired_at IS NOT NULL AS has_retired_at, version FROM facilities WHERE source_id = 'way/999'`,
    );
    expect(gone.rows[0]).toEqual({ status: 'retired', has_retired_at: true, version: 2 });
    const h = await t.db.query<any>(
      `SELECT h.version, h.action, h.changed_by, h.data->>'name_zh' AS name FROM facility_history h JOIN facilities f ON f.id = h.facility_id
        WHERE f.source = 'osm' AND f.source_id IN ('node/1', 'way/999') ORDER BY f.source_id, h.version`,
    );
    expect(h.rows).toEqual([
      { version: 1, action: 'import', changed_by: 'import:osm', name: '阳光幼儿园' },
      { version: 2, action: 'import', changed_by: 'import:osm', name: '阳光幼儿园' },
      { version: 2, action: 'retire', changed_by: 'import:osm', name: '已拆除公园' },
    ]);
    // network --full: edges of ways not in the file are deleted (derived data, no history)
    await t.db.query(
      `INSERT INTO network_edges (source, way_id, seq, from_node, to_node, length_m, highway, geom) VALUES ('osm', 4242, 0, 1, 2, 1, 'footway', ST_GeomFromText('LINESTRING(106.5 29.5, 106.5001 29.5)', 4326))`,
    );
    const again = await importFile(t.db, fixture('tiny.osm'), { full: true });
    expect(again.network?.edges.retired).toBe(1);
    expect(again).toMatchObject({ updated: 0, unchanged: 4, retired: 0 });
  });
  it('the city-extent check rejects an extract of the region outside the city; --no-extent-check lets it in', async () => {
    // Last test: move the districts away (a 0.1° box 1° east) — the extract is now near but outside the city.
    const other = t;
    {
      await other.db.query(`UPDATE facilities SET district_code = NULL`);
      await other.db.query(`DELETE FROM districts`);
      await other.db.query(
        `INSERT INTO districts (code, name_zh, name_en, area_km2, label_point, geom, source)
         VALUES ('500101', '万州区', 'Wanzhou', 1, ST_SetSRID(ST_MakePoint(107.6, 29.6), 4326), ST_Multi(ST_MakeEnvelope(107.55, 29.55, 107.65, 29.65, 4326)), 'test')`,
      );
      const s = await importFile(other.db, fixture('tiny.osm'), { source: 'far' });
      expect(s.extent.from).toBe('districts');
      expect(s.rejected).toBe(4);
      expect(s.rejections.every((r) => r.code === 'outside_extent' && r.row === null && r.source_id)).toBe(true);
      expect(s.network?.outsideExtent).toBe(5);
      const strict = await importFile(other.db, fixture('tiny.osm'), { source: 'strict', strict: true });
      expect(strict.status).toBe('failed');
      const run = await other.db.query<{ status: string }>(`SELECT status FROM import_runs WHERE id = $1`, [strict.runId]);
      expect(run.rows[0].status).toBe('failed');
      const off = await importFile(other.db, fixture('tiny.osm'), { source: 'off', extentCheck: false });
      expect(off).toMatchObject({ inserted: 4, rejected: 0 });
      const d = await other.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM facilities WHERE source = 'off' AND district_code IS NULL`,
      );
      expect(d.rows[0].n).toBe(4); // outside every district: NULL, which is fine
    }
  });
});
