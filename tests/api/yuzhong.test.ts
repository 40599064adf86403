/**
 * HEAVY (≈ 1 min per database): the app out of the box — the demo seed plus the real 渝中
 * OpenStreetMap data seeded as on first start (server/seed/osm.ts) — on PGlite, and on
 * PostgreSQL when TEST_DATABASE_URL is set:
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run tests/api/yuzhong.test.ts
 *
 * Walking coverage for 渝中区 answers in both modes (figures printed per category), a
 * route across 渝中 and a school's route network answer, the extents and the network
 * coverage say where streets are; after importing Monaco (../shared, skipped when absent)
 * the map's bounds, the imported areas, name search and routing reach Monaco.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startTestApi, type TestApi } from './harness';
import { seedDemo } from '../../server/seed/demo';
import { OSM_SEED_META_KEY, OSM_SEED_SOURCE, seedOsmIfAbsent } from '../../server/seed/osm';
import { importFile } from '../../server/features/imports';
import { invalidateRoutingGraph } from '../../server/features/routes/index';
import { CATEGORY_IDS } from '../../core/catalogue';
import { point, pointToLineDistance } from '@turf/turf';
import type { DataExtents, NearestStreetResponse, NetworkCoverage, SuggestResponse } from '../../core/api';

const MONACO = path.resolve(__dirname, '../../../shared/data/osm/monaco.osm.pbf');
const JIEFANGBEI = '106.5775,29.5580';
const YUZHONG_WEST = '106.5520,29.5560';
const FULING_BBOX = '107.35,29.68,107.45,29.76';

const inBox = (b: number[], lng: number, lat: number) => lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3];

for (const target of apiTargets()) {
  describe(`渝中 out of the box on ${target.name} (heavy)`, () => {
    let api: TestApi;
    let seededTwice: boolean;
    beforeAll(async () => {
      api = await startTestApi(target, async (db) => {
        await seedDemo(db);
        const log = { info: () => {} };
        const t0 = performance.now();
        expect(await seedOsmIfAbsent(db, log)).toBe(true);
        console.log(`[yuzhong] ${target.name}: OSM seed ${Math.round(performance.now() - t0)} ms`);
        seededTwice = await seedOsmIfAbsent(db, log);
      });
    }, 600_000); // heavy: demo + OSM seed; minutes on a busy shared machine
    afterAll(async () => api?.close());

    it('seeds once: three import runs, the walking network with its stairways, recorded in dataset_meta', async () => {
      expect(seededTwice).toBe(false);
      const runs = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_runs WHERE source = $1 AND status = 'done'`, [
        OSM_SEED_SOURCE,
      ]);
      expect(runs.rows[0].n).toBe(3);
      const e = await api.db.query<{ n: number; steps: number; km: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE is_steps)::int AS steps, (sum(length_m) / 1000)::int AS km FROM network_edges WHERE source = $1`,
        [OSM_SEED_SOURCE],
      );
      expect(e.rows[0].n).toBeGreaterThan(6000);
      expect(e.rows[0].steps).toBe(412);
      expect(e.rows[0].km).toBeGreaterThan(600);
      const meta = await api.db.query(`SELECT 1 FROM dataset_meta WHERE key = $1`, [OSM_SEED_META_KEY]);
      expect(meta.rows).toHaveLength(1);
      // the demo is still flagged as such
      const demo = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE source = 'demo'`);
      expect(demo.rows[0].n).toBe(7990);
    });

    it('extents: data bounds hold Chongqing, 渝中 is a network district and an imported area', async () => {
      const { status, body } = await api.json<DataExtents>('/api/extents');
      expect(status).toBe(200);
      expect(inBox(body.dataBounds!, 106.5775, 29.558)).toBe(true);
      expect(inBox(body.dataBounds!, 108.4, 31.16)).toBe(true); // 开州, far north-east
      expect(body.networkDistricts).toContain('500103');
      expect(body.networkDistricts).not.toContain('500102'); // 涪陵
      const yz = body.areas.find((a) => a.source === OSM_SEED_SOURCE);
      expect(yz).toMatchObject({ hasNetwork: true, name_zh: '渝中区（OpenStreetMap）' });
      expect(inBox(yz!.bbox, 106.5775, 29.558)).toBe(true);
    });

    it('network coverage: streets around 解放碑, none in 涪陵, 400 naming bbox', async () => {
      const yz = await api.json<NetworkCoverage>('/api/network/coverage?bbox=106.57,29.55,106.58,29.56');
      expect(yz.body).toMatchObject({ hasNetwork: true, capped: true });
      const fl = await api.json<NetworkCoverage>(`/api/network/coverage?bbox=${FULING_BBOX}`);
      expect(fl.body).toEqual({ hasNetwork: false, edges: 0, capped: false });
      const bad = await api.json('/api/network/coverage?bbox=1,2,3');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('bbox');
    });

    /** The nearest named street to `at`, derived apart from the server's SQL: every named edge near it, planar distance on the local tangent plane. */
    async function nearestNamedByHand(at: [number, number]): Promise<{ name: string; distanceM: number }> {
      const r = await api.db.query<{ name: string; g: string }>(
        `SELECT name, ST_AsGeoJSON(geom) AS g FROM network_edges
          WHERE name IS NOT NULL AND geom && ST_MakeEnvelope($1 - 0.006, $2 - 0.005, $1 + 0.006, $2 + 0.005, 4326)`,
        at,
      );
      expect(r.rows.length).toBeGreaterThan(0);
      let best = { name: '', distanceM: Number.POSITIVE_INFINITY };
      for (const row of r.rows) {
        const d = pointToLineDistance(point(at), JSON.parse(row.g), { units: 'meters' });
        if (d < best.distanceM || (d === best.distanceM && row.name < best.name)) best = { name: row.name, distanceM: d };
      }
      return best;
    }

    it('names the nearest street of a point and of each suggested site (GET /api/network/street, POST /api/coverage/suggest)', async () => {
      const at: [number, number] = [106.5775, 29.558]; // 解放碑
      const byHand = await nearestNamedByHand(at);
      const { status, body } = await api.json<NearestStreetResponse>(`/api/network/street?at=${at.join(',')}`);
      expect(status).toBe(200);
      expect(body.maxDistanceM).toBe(500);
      expect(body.street!.name).toBe(byHand.name);
      // geodesic (server) and tangent-plane (turf) distances agree within a metre at this range
      expect(Math.abs(body.street!.distanceM - byHand.distanceM)).toBeLessThanOrEqual(1);
      console.log(`[yuzhong] ${target.name}: nearest street to 解放碑 ${body.street!.name} at ${body.street!.distanceM} m`);
      // 涪陵 has no imported network: no street, not a made-up one
      const fl = await api.json<NearestStreetResponse>('/api/network/street?at=107.39,29.72');
      expect(fl.body).toEqual({ street: null, maxDistanceM: 500 });
      const bad = await api.json('/api/network/street?at=106.5');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('at');

      const res = await fetch(`${api.url}/api/coverage/suggest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'kindergarten', district: '500103', k: 2, mode: 'network' }),
      });
      expect(res.status).toBe(200);
      const suggest = (await res.json()) as SuggestResponse;
      expect(suggest.sites).toHaveLength(2);
      for (const site of suggest.sites) {
        const hand = await nearestNamedByHand([site.lng, site.lat]);
        expect(site.street, `site ${site.rank}`).not.toBeNull();
        expect(site.street!.name, `site ${site.rank}`).toBe(hand.name);
        expect(Math.abs(site.street!.distanceM - hand.distanceM)).toBeLessThanOrEqual(1);
      }
      console.log(
        `[yuzhong] ${target.name}: suggested kindergarten sites in 渝中: ${suggest.sites.map((s) => `${s.street!.name} (${s.street!.distanceM} m; ${s.lng}, ${s.lat})`).join('; ')}`,
      );
    }, 120_000);

    it('walking coverage of 渝中 answers in both modes for every category with a norm (figures printed)', async () => {
      const lines: string[] = [];
      let kindergarten: { e: number; n: number } | null = null;
      for (const category of CATEGORY_IDS) {
        const { status, body } = await api.json(`/api/coverage?category=${category}&district=500103&mode=both`);
        if (status !== 200) {
          lines.push(`${category}: ${status} ${body.error?.code}`);
          continue;
        }
        expect(body.network, `${category}: ${body.networkReason ?? ''}`).not.toBeNull();
        const e = body.euclidean.total;
        const n = body.network.total;
        expect(n.coveredChildren).toBeLessThanOrEqual(e.coveredChildren + 1e-6);
        lines.push(
          `${category} (${body.norm.radiusM} m, ${body.norm.ageGroup}, ${body.facilities.count} facilities): ` +
            `straight ${(100 * e.shareCoveredChildren).toFixed(1)} % (${Math.round(e.coveredChildren)} of ${Math.round(e.children)}), ` +
            `walking ${(100 * n.shareCoveredChildren).toFixed(1)} % (${Math.round(n.coveredChildren)})`,
        );
        if (category === 'kindergarten') kindergarten = { e: e.shareCoveredChildren, n: n.shareCoveredChildren };
      }
      console.log(`[yuzhong] ${target.name} coverage of 渝中区 (children within the norm distance):\n  ${lines.join('\n  ')}`);
      expect(kindergarten).not.toBeNull();
      // streets with stairways and rivers: walking reaches fewer children than straight lines
      expect(kindergarten!.n).toBeLessThan(kindergarten!.e);
    }, 300_000);

    it('a child route across 渝中 (解放碑 → west) answers 200', async () => {
      const { status, body } = await api.json(`/api/route?from=${JIEFANGBEI}&to=${YUZHONG_WEST}&profile=child`);
      expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
      expect(JSON.stringify(body)).toMatch(/"length_?[mM]"|"lengthM"/);
    });

    it('the route network of a primary school in 渝中 answers', async () => {
      const s = await api.db.query<{ id: number }>(
        `SELECT f.id FROM facilities f WHERE f.category = 'primary_school' AND f.district_code = '500103' AND f.status = 'active'
          ORDER BY f.geom <-> ST_SetSRID(ST_MakePoint(106.5775, 29.558), 4326) LIMIT 1`,
      );
      expect(s.rows).toHaveLength(1);
      const { status, body } = await api.json(`/api/routes/school/${s.rows[0].id}`);
      expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    });

    describe.skipIf(!existsSync(MONACO))('after importing Monaco (../shared/data/osm/monaco.osm.pbf)', () => {
      // biome-ignore lint/suspicious/noDuplicateTestHooks: Biome does not see describe.skipIf(...)(...) as a scope of its own
      beforeAll(async () => {
        const s = await importFile(api.db, MONACO, {});
        expect(s.status).toBe('done');
        // in-process import: drop the routing graph now rather than wait for its fingerprint recheck
        invalidateRoutingGraph(api.db);
      }, 180_000);

      // The start point lies next to a small disconnected piece of Monaco's network: snapping
      // to a component with enough reachable nodes (core/routing) makes this a route, not a 422.
      it('routes 7.4196,43.7311 → 7.4268,43.7396 with 200 (snapping skips islands)', async () => {
        const { status, body } = await api.json('/api/route?from=7.4196,43.7311&to=7.4268,43.7396&profile=child');
        expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
      });

      it('data bounds and the imported areas include Monaco; name search finds its facilities', async () => {
        const { body } = await api.json<DataExtents>('/api/extents');
        expect(inBox(body.dataBounds!, 7.4196, 43.7311)).toBe(true);
        expect(inBox(body.dataBounds!, 106.5775, 29.558)).toBe(true);
        const mc = body.areas.find((a) => a.name_en === 'monaco');
        expect(mc).toMatchObject({ source: 'osm', hasNetwork: true });
        expect(inBox(mc!.bbox, 7.4196, 43.7311)).toBe(true);
        expect((await api.json<NetworkCoverage>('/api/network/coverage?bbox=7.41,43.72,7.44,43.75')).body.hasNetwork).toBe(true);
        const named = await api.db.query<{ name_zh: string }>(
          `SELECT name_zh FROM facilities WHERE source = 'osm' AND ST_X(geom) BETWEEN 7.3 AND 7.5 AND length(name_zh) > 3 ORDER BY id LIMIT 1`,
        );
        expect(named.rows).toHaveLength(1);
        const q = named.rows[0].name_zh.slice(0, 12);
        const found = await api.json(`/api/facilities?q=${encodeURIComponent(q)}`);
        expect(found.status).toBe(200);
        expect(found.body.features.some((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates[0] < 8)).toBe(true);
      });
    });
  });
}
