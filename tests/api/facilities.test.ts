import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { distance, point } from '@turf/turf';
import { apiTargets, startTestApi, type TestApi } from './harness';
import { FIXTURE_FACILITIES, loadFixture } from './fixture';
import { CATEGORIES } from '../../core/catalogue';
import { facilityTileEncoded, facilityTileMvt } from '../../server/features/tiles/sql';

const ids = (fc: { features: { id: number }[] }) => fc.features.map((f) => f.id).sort((a, b) => a - b);

/** Tile x/y at zoom z containing lng/lat (slippy-map tiling). */
function tileOf(lng: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lng + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { x, y };
}

for (const target of apiTargets()) {
  describe(`facility API on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, loadFixture);
    });
    afterAll(async () => api?.close());

    it('reports health with the database kind and PostGIS version', async () => {
      const { status, body } = await api.json('/api/health');
      expect(status).toBe(200);
      expect(body.status).toBe('ok');
      expect(body.db).toBe(target.name);
      expect(body.postgis).toMatch(/^3\.\d+/);
      expect(body.facilities).toBe(6); // 7 minus the retired one
      expect(body.demo).toBe(false);
      expect(body.osm).toBe(false);
    });

    it('serves the catalogue', async () => {
      const { body } = await api.json('/api/categories');
      expect(body.categories.map((c: { id: string }) => c.id)).toEqual(CATEGORIES.map((c) => c.id));
      expect(body.categories.find((c: { id: string }) => c.id === 'mother_baby_room').name.zh).toBe('母婴室');
    });

    it('serves districts as GeoJSON with names and population', async () => {
      const { body } = await api.json('/api/districts');
      expect(body.type).toBe('FeatureCollection');
      expect(body.features).toHaveLength(2);
      const yz = body.features.find((f: { id: string }) => f.id === '500103');
      expect(yz.properties).toMatchObject({ name_zh: '渝中区', name_en: 'Yuzhong District', population: 588717 });
      expect(yz.geometry.type).toBe('MultiPolygon');
      expect(yz.properties.label_point[0]).toBeCloseTo(106.55, 9);
      expect(yz.properties.label_point[1]).toBeCloseTo(29.55, 9);
    });

    it('bounds facilities by bbox, leaves retired ones out and assigns districts by point-in-polygon', async () => {
      const { status, body } = await api.json('/api/facilities?bbox=106.5,29.5,106.6,29.6');
      expect(status).toBe(200);
      expect(ids(body)).toEqual([1, 2, 3]);
      const f1 = body.features.find((f: { id: number }) => f.id === 1);
      expect(f1.geometry).toEqual({ type: 'Point', coordinates: [106.55, 29.55] });
      expect(f1.properties).toMatchObject({ category: 'kindergarten', district_code: '500103', district_name_zh: '渝中区', capacity: 270 });
      // nearest to the bbox centre first, so a truncated list is the middle of the view
      const around = await api.json('/api/facilities?bbox=106.54,29.5,106.6,29.6&limit=2');
      expect(around.body.features.map((f: { id: number }) => f.id)).toEqual([2, 3]);
      expect(around.body.truncated).toBe(true);
      const outside = await api.json('/api/facilities/7');
      expect(outside.body.properties.district_code).toBeNull();
    });

    it('filters by several categories and by a name substring in Chinese or English', async () => {
      expect(ids((await api.json('/api/facilities?category=mother_baby_room,playground')).body)).toEqual([2, 3, 4, 6]);
      expect(ids((await api.json(`/api/facilities?q=${encodeURIComponent('母婴')}`)).body)).toEqual([2, 3, 4]);
      expect(ids((await api.json(`/api/facilities?q=${encodeURIComponent('解放碑')}`)).body)).toEqual([2]);
      expect(ids((await api.json('/api/facilities?q=riverside')).body)).toEqual([6]);
      expect(ids((await api.json(`/api/facilities?q=${encodeURIComponent('%_')}`)).body)).toEqual([]);
    });

    it('says when the limit truncated the result', async () => {
      const { body } = await api.json('/api/facilities?limit=2');
      expect(body.features).toHaveLength(2);
      expect(body.truncated).toBe(true);
      expect((await api.json('/api/facilities?limit=100')).body.truncated).toBe(false);
    });

    it('returns one facility or a JSON 404', async () => {
      const ok = await api.json('/api/facilities/2');
      expect(ok.status).toBe(200);
      expect(ok.body.id).toBe(2);
      const missing = await api.json('/api/facilities/999');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      // retired (fixture id 5): not public, the same 404 as a missing one (issue 12 §4)
      const retired = await api.json('/api/facilities/5');
      expect(retired.status).toBe(404);
      expect(retired.body.error.message).toBe('no facility with id 5');
    });

    it('finds the nearest mother-and-baby rooms sorted by geodesic distance in metres', async () => {
      const from = [106.55, 29.55] as const;
      const { status, body } = await api.json(`/api/nearby?lng=${from[0]}&lat=${from[1]}&category=mother_baby_room&limit=5`);
      expect(status).toBe(200);
      expect(body.features.map((f: { id: number }) => f.id)).toEqual([2, 3, 4]);
      for (const f of body.features) {
        const fx = FIXTURE_FACILITIES.find((x) => x.id === f.id)!;
        // Independent check: Turf's haversine on a sphere is within 0.5 % of PostGIS's spheroid.
        const expected = distance(point([...from]), point([fx.lng, fx.lat]), { units: 'meters' });
        expect(Math.abs(f.properties.distance_m - expected) / expected).toBeLessThan(0.005);
      }
      const d = body.features.map((f: { properties: { distance_m: number } }) => f.properties.distance_m);
      expect(d).toEqual([...d].sort((a, b) => a - b));
      // 0.01° of longitude at 29.55° N is about 969 m
      expect(d[0]).toBeGreaterThan(960);
      expect(d[0]).toBeLessThan(975);
    });

    it('nearby across all categories includes the closest facility first and honours limit', async () => {
      const { body } = await api.json('/api/nearby?lng=106.62&lat=29.53&limit=2');
      expect(body.features).toHaveLength(2);
      expect(body.features[0].id).toBe(6);
      expect(body.features[0].properties.distance_m).toBeLessThan(1);
    });

    it('serves facility vector tiles bounded to the tile, with a category filter', async () => {
      const z = 14;
      const { x, y } = tileOf(106.55, 29.55, z);
      const res = await api.get(`/api/tiles/facilities/${z}/${x}/${y}.pbf`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      const tile = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer())));
      const layer = tile.layers.facilities;
      const got = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
      // 1 and 2 are in this tile (5 is retired); 3 at 106.58 is in the next tile east.
      expect(got.map((f) => f.id).sort()).toEqual([1, 2]);
      const kg = got.find((f) => f.id === 1)!;
      expect(kg.properties).toMatchObject({ category: 'kindergarten', name_zh: '大坪第一幼儿园' });
      // Its position decodes back to the right place (within one tile pixel ≈ 2.4 m at z14).
      const [[p]] = kg.loadGeometry();
      const lng = ((x + p.x / layer.extent) / 2 ** z) * 360 - 180;
      expect(Math.abs(lng - 106.55)).toBeLessThan(360 / 2 ** z / layer.extent);

      const filtered = await api.get(`/api/tiles/facilities/${z}/${x}/${y}.pbf?category=mother_baby_room`);
      const ft = new VectorTile(new Pbf(new Uint8Array(await filtered.arrayBuffer())));
      expect(ft.layers.facilities.length).toBe(1);
      expect(ft.layers.facilities.feature(0).id).toBe(2);

      const empty = await api.get('/api/tiles/facilities/14/0/0.pbf');
      expect(empty.status).toBe(200);
      expect((await empty.arrayBuffer()).byteLength).toBe(0);
    });

    // PGlite's PostGIS has no ST_AsMVT (built without protobuf-c): only our encoder exists there, tested above
    it.skipIf(target.name === 'pglite')('encodes the same tile in TypeScript as ST_AsMVT does (where PostGIS has it)', async () => {
      expect(api.db.capabilities.mvt).toBe(true);
      for (const z of [8, 11, 14]) {
        const { x, y } = tileOf(106.56, 29.55, z);
        const req = { z, x, y, cap: 5000 };
        const decodeAll = (b: Buffer) => {
          const l = new VectorTile(new Pbf(new Uint8Array(b))).layers.facilities;
          return Array.from({ length: l?.length ?? 0 }, (_, i) => {
            const f = l.feature(i);
            return { id: f.id, props: f.properties, geom: f.loadGeometry() };
          }).sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
        };
        const ours = decodeAll(await facilityTileEncoded(api.db, req));
        const theirs = decodeAll(await facilityTileMvt(api.db, req));
        expect(ours.map((f) => f.id)).toEqual(theirs.map((f) => f.id));
        expect(ours.map((f) => f.props)).toEqual(theirs.map((f) => f.props));
        ours.forEach((f, i) => {
          expect(Math.abs(f.geom[0][0].x - theirs[i].geom[0][0].x)).toBeLessThanOrEqual(1);
          expect(Math.abs(f.geom[0][0].y - theirs[i].geom[0][0].y)).toBeLessThanOrEqual(1);
        });
      }
    });

    it('orders name search by relevance (exact, prefix, contains, address), then by distance from near', async () => {
      // Four parks named so that each relevance class is met once, the exact one farthest away.
      const extra = [
        { id: 101, name: '公园', lng: 107.4, lat: 30.4, address: null },
        { id: 102, name: '公园路小游园', lng: 106.7, lat: 29.7, address: null },
        { id: 103, name: '人民公园', lng: 106.552, lat: 29.552, address: null },
        { id: 104, name: '滨江广场', lng: 106.551, lat: 29.551, address: '公园路1号' },
      ];
      for (const f of extra)
        await api.db.query(
          `INSERT INTO facilities (id, category, name_zh, address, status, source, source_id, geom)
           VALUES ($1::int, 'park', $2, $3, 'active', 'test', $1::text, ST_SetSRID(ST_MakePoint($4, $5), 4326))`,
          [f.id, f.name, f.address, f.lng, f.lat],
        );
      try {
        const order = async (query: string) => (await api.json(`/api/facilities?${query}`)).body.features.map((f: { id: number }) => f.id);
        // 7 '市外公园' (107.5, 30.5) contains the word too: after 103, which is nearer to near.
        expect(await order(`q=${encodeURIComponent('公园')}&near=106.55,29.55`)).toEqual([101, 102, 103, 7, 104]);
        // From near 7 instead, the two "contains" swap; relevance still comes first.
        expect(await order(`q=${encodeURIComponent('公园')}&near=107.5,30.5`)).toEqual([101, 102, 7, 103, 104]);
        const bad = await api.json(`/api/facilities?q=x&near=200,10`);
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body)).toContain('near');
      } finally {
        await api.db.query('DELETE FROM facilities WHERE id = ANY($1::int[])', [extra.map((f) => f.id)]);
      }
    });
  });
}
