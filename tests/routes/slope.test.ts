/**
 * Slope-aware routes and snapping on real data: the 渝中 OSM walking network
 * (../shared/data/chongqing/yuzhong_walk.overpass.json) and the small 渝中 DEM
 * (yuzhong_elevation_utm48n.tif, source not stated: labelled "unknown-source DEM (test data)"),
 * and the Monaco extract. Skipped cleanly when ../shared is absent (a fresh clone).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { importFile } from '../../server/features/imports/index';
import { invalidateRoutingGraph } from '../../server/features/routes/index';
import { PROJECT_ROOT } from '../../server/config';
import { sharedOsm } from '../import/targets';

const CQ = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'chongqing');
const WALK = path.join(CQ, 'yuzhong_walk.overpass.json');
const DEM = path.join(CQ, 'yuzhong_elevation_utm48n.tif');
const MONACO = sharedOsm('monaco.osm.pbf');
const haveData = existsSync(WALK) && existsSync(DEM) && existsSync(MONACO);
const LABEL = 'elevation: unknown-source DEM (test data)';
const JIEFANGBEI = '106.5775,29.5580';
const WEST = '106.5520,29.5560';

describe.skipIf(!haveData).each(apiTargets())('slope-aware routes on 渝中 and Monaco ($name; needs ../shared/data)', (target) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(target, async (db) => {
      expect((await importFile(db, WALK, { extentCheck: false })).status).toBe('done');
      expect((await importFile(db, MONACO, { source: 'monaco', extentCheck: false })).status).toBe('done');
    });
  }, 240_000);
  afterAll(() => api?.close());

  it('without a DEM: 200, slope not used, no climb sentence', async () => {
    const r = await api.json(`/api/route?from=${JIEFANGBEI}&to=${WEST}`);
    expect(r.status).toBe(200);
    expect(r.body.slope).toMatchObject({ used: false, source: null });
    expect(r.body.slope.note).toMatch(/no elevation/);
    expect(r.body.climbText).toBeNull();
    expect(r.body.route.climb).toEqual({ riseM: 0, fallM: 0 });
    expect(r.body.from.distanceM).toBeLessThan(100);
    expect(typeof r.body.from.highway).toBe('string');
  });

  it('the DEM import samples the 渝中 edges and says which stayed flat', async () => {
    const s = await importFile(api.db, DEM, { source: 'unknown-source DEM (test data)' });
    invalidateRoutingGraph(api.db);
    expect(s.status).toBe('done');
    expect(s.kinds).toEqual(['elevation']);
    const d = s.details as { edgesSampled: number; edgesOutside: number; epsg: number; label: string };
    expect(d.epsg).toBe(32648);
    expect(d.label).toBe(LABEL);
    expect(d.edgesSampled).toBeGreaterThan(4000); // most of 渝中's ~6,000 walking edges
    expect(d.edgesOutside).toBeGreaterThan(0); // Monaco's edges and 渝中's edges past the raster stay flat
    const meta = await api.db.query<{ value: { label: string; edgesSampled: number } }>(
      `SELECT value FROM dataset_meta WHERE key = 'dem_source'`,
    );
    expect(meta.rows[0].value).toMatchObject({ label: LABEL, edgesSampled: d.edgesSampled });
  }, 120_000);

  it('解放碑 → west: 200 with a climb, slope used and labelled; walking up costs more than the length', async () => {
    const r = await api.json(`/api/route?from=${JIEFANGBEI}&to=${WEST}`);
    expect(r.status).toBe(200);
    expect(r.body.slope).toMatchObject({ used: true, source: LABEL });
    expect(r.body.route.climb.riseM).toBeGreaterThan(0);
    expect(r.body.route.climb.fallM).toBeGreaterThan(0);
    expect(r.body.route.effortM).toBeGreaterThan(r.body.route.lengthM);
    expect(r.body.climbText.zh).toMatch(/^上坡 \d+ 米，下坡 \d+ 米$/);
    expect(r.body.climbText.en).toMatch(/^climb \d+ m, descent \d+ m$/);
    // the reverse walk: the west end is higher (DEM ≈ 314 m vs ≈ 256 m), so going back climbs less
    const back = await api.json(`/api/route?from=${WEST}&to=${JIEFANGBEI}`);
    expect(back.status).toBe(200);
    expect(back.body.route.climb.riseM).toBeLessThan(r.body.route.climb.riseM);
    expect(back.body.route.climb.riseM - back.body.route.climb.fallM).toBeLessThan(0);
  });

  it('re-importing the DEM replaces (same counts, one dem_source)', async () => {
    const s = await importFile(api.db, DEM, { source: 'unknown-source DEM (test data)' });
    const n = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM network_edges WHERE ele_profile IS NOT NULL`);
    expect(n.rows[0].n).toBe((s.details as { edgesSampled: number }).edgesSampled);
  }, 120_000);

  it('Monaco 7.4196,43.7311 → 7.4268,43.7396 routes (snapped onto the main network; Monaco is outside the DEM)', async () => {
    invalidateRoutingGraph(api.db);
    const r = await api.json('/api/route?from=7.4196,43.7311&to=7.4268,43.7396');
    expect(r.status).toBe(200);
    expect(r.body.route.lengthM).toBeGreaterThan(1000);
    expect(r.body.from.distanceM).toBeLessThan(200);
    expect(r.body.slope.used).toBe(false);
    expect(r.body.slope.note).toMatch(/outside the imported DEM/);
  });
});
