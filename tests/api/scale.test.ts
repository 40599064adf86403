/**
 * Issue 13: the fast paths give the same answers as the plain SQL. On the demo dataset
 * (~8,000 facilities), on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
 * - `/api/nearby` ids and order equal the geography-KNN baseline's (the SQL of the bench's bare
 *   server, written out here independently), with and without `fields=`;
 * - `/api/facilities?bbox` is the `limit` facilities nearest the box's centre, nearest first;
 * - thinned tiles (z < 15) carry counts that add up to the facilities in the tile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { apiTargets, startTestApi, type TestApi } from './harness';
import { seedDemo } from '../../server/seed/demo';
import { createRng } from '../../core/random';
import { FULL_DETAIL_ZOOM } from '../../server/features/tiles/sql';

const BASELINE = `
  WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS pt)
  SELECT id FROM (
    SELECT f.id, ST_Distance(f.geom::geography, p.pt) AS d, f.geom::geography <-> p.pt AS knn
      FROM p, facilities f
     WHERE f.status = 'active' AND ($3::text[] IS NULL OR f.category = ANY($3::text[]))
     ORDER BY f.geom::geography <-> p.pt
     LIMIT $4) k
   ORDER BY d, knn, id`;

function tileOf(lng: number, lat: number, z: number) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

for (const target of apiTargets()) {
  describe(`serving at scale on ${target.name} (demo data)`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, async (db) => void (await seedDemo(db)));
    }, 120_000);
    afterAll(async () => api?.close());

    it('answers /api/nearby with the ids and order of the geography-KNN baseline', async () => {
      const rng = createRng(13);
      const cases: [number, number, string[] | null, number, string][] = [];
      for (let k = 0; k < 12; k++) {
        const lng = +rng.uniform(106.35, 106.75).toFixed(5),
          lat = +rng.uniform(29.4, 29.75).toFixed(5);
        cases.push(
          [lng, lat, null, 10, ''],
          [lng, lat, ['kindergarten', 'playground'], 25, '&fields=name_zh'],
          [lng, lat, null, 100, '&fields=category,name_zh,name_en'],
        );
      }
      for (const [lng, lat, cats, limit, extra] of cases) {
        const want = (await api.db.query<{ id: number }>(BASELINE, [lng, lat, cats, limit])).rows.map((r) => r.id);
        const { status, body } = await api.json(
          `/api/nearby?lng=${lng}&lat=${lat}&limit=${limit}${cats ? `&category=${cats.join(',')}` : ''}${extra}`,
        );
        expect(status).toBe(200);
        expect(body.features.map((f: { id: number }) => f.id)).toEqual(want);
      }
    });

    it('sends only the named fields (plus id and distance) and refuses unknown ones by name', async () => {
      const { body } = await api.json('/api/nearby?lng=106.55&lat=29.55&limit=3&fields=name_zh,district_name_en');
      for (const f of body.features) expect(Object.keys(f.properties).sort()).toEqual(['distance_m', 'district_name_en', 'id', 'name_zh']);
      const full = await api.json('/api/nearby?lng=106.55&lat=29.55&limit=3');
      expect(full.body.features[0].properties).toHaveProperty('amenities');
      expect(full.body.features[0].properties).toHaveProperty('updated_at');
      const bad = await api.json('/api/nearby?lng=106.55&lat=29.55&fields=name_zh,password');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('fields');
    });

    it('orders /api/facilities?bbox by distance to the box centre, the nearest `limit` of the box', async () => {
      const bbox = [106.45, 29.45, 106.65, 29.65];
      const { body } = await api.json(`/api/facilities?bbox=${bbox.join(',')}&limit=50`);
      expect(body.truncated).toBe(true);
      const want = await api.db.query<{ id: number }>(
        `SELECT id FROM facilities WHERE status = 'active' AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)
          ORDER BY ST_Distance(geom, ST_SetSRID(ST_MakePoint(($1::float8 + $3::float8) / 2, ($2::float8 + $4::float8) / 2), 4326)), id LIMIT 50`,
        bbox,
      );
      const cx = (bbox[0] + bbox[2]) / 2,
        cy = (bbox[1] + bbox[3]) / 2;
      const d = body.features.map((f: { geometry: { coordinates: number[] } }) =>
        Math.hypot(f.geometry.coordinates[0] - cx, f.geometry.coordinates[1] - cy),
      );
      expect(d).toEqual([...d].sort((a, b) => a - b));
      expect(body.features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b)).toEqual(
        want.rows.map((r) => r.id).sort((a, b) => a - b),
      );
    });

    it('thins tiles below full detail into per-category counts that add up to the facilities in the tile', async () => {
      for (const z of [11, 12, 13, 14, FULL_DETAIL_ZOOM]) {
        const { x, y } = tileOf(106.56, 29.56, z);
        for (const category of [null, 'kindergarten']) {
          const res = await api.get(`/api/tiles/facilities/${z}/${x}/${y}.pbf${category ? `?category=${category}` : ''}`);
          expect(res.status).toBe(200);
          const layer = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer()))).layers.facilities;
          const feats = Array.from({ length: layer.length }, (_, i) => layer.feature(i));
          const real = (
            await api.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM facilities f, ST_TileEnvelope($1, $2, $3) e, LATERAL (SELECT ST_Transform(f.geom, 3857) AS m) t
              WHERE f.status = 'active' AND ($4::text IS NULL OR f.category = $4)
                AND ST_X(t.m) >= ST_XMin(e) AND ST_X(t.m) < ST_XMax(e) AND ST_Y(t.m) > ST_YMin(e) AND ST_Y(t.m) <= ST_YMax(e)`,
              [z, x, y, category],
            )
          ).rows[0].n;
          if (z < FULL_DETAIL_ZOOM) {
            expect(feats.length).toBeLessThanOrEqual(real);
            if (z <= 12) expect(feats.length).toBeLessThan(real); // thinned: fewer markers than facilities
            expect(feats.reduce((s, f) => s + Number(f.properties.count), 0)).toBe(real);
            for (const f of feats) {
              if (category) expect(f.properties.category).toBe(category);
              // a lone facility keeps its id and name; a group carries only its category and count
              if (f.properties.count === 1) expect(f.id).toBeGreaterThan(0);
              else expect(f.properties.name_zh).toBeUndefined();
            }
          } else {
            expect(feats.every((f) => f.properties.count === undefined && f.id! > 0)).toBe(true);
          }
        }
      }
    });
  });
}
