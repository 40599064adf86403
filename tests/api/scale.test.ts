/**
 * Issue 13: the fast paths give the same answers as the plain SQL. On the demo dataset
 * (~8,000 facilities), on PGlite and (with TEST_DATABASE_URL) PostgreSQL:
 * - `/api/nearby` ids and order equal the geography-KNN baseline's (the SQL of the bench's bare
 *   server, written out here independently), with and without `fields=`;
 * - `/api/facilities?bbox` is the `limit` facilities nearest the box's centre, nearest first;
 * - thinned tiles (z < 15) carry counts that add up to the facilities in the tile, and the
 *   clusters they are read from (`facility_clusters`, kept by triggers) stay equal to a count
 *   from scratch through inserts, moves, category and status changes and deletes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { apiTargets, startDemoApi, type TestApi } from './harness';
import { createRng } from '../../core/random';
import { FULL_DETAIL_ZOOM } from '../../server/features/tiles/sql';
import { FACILITY_FIELDS } from '../../core/api';
import { nearestFacilities } from '../../server/features/nearby/sql';
import { rowToFeature, type FacilityRow } from '../../server/features/facilities/sql';

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

/** Features of a facility tile. */
async function tileFeatures(api: TestApi, z: number, x: number, y: number, category: string | null) {
  const res = await api.get(`/api/tiles/facilities/${z}/${x}/${y}.pbf${category ? `?category=${category}` : ''}`);
  expect(res.status).toBe(200);
  const layer = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer()))).layers.facilities;
  return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)) : [];
}

/** Active facilities inside tile z/x/y (x in [west, east), y in (south, north]), counted from the table. */
async function facilitiesInTile(api: TestApi, z: number, x: number, y: number, category: string | null): Promise<number> {
  const r = await api.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM facilities f, ST_TileEnvelope($1, $2, $3) e, LATERAL (SELECT ST_Transform(f.geom, 3857) AS m) t
      WHERE f.status = 'active' AND ($4::text IS NULL OR f.category = $4)
        AND ST_X(t.m) >= ST_XMin(e) AND ST_X(t.m) < ST_XMax(e) AND ST_Y(t.m) > ST_YMin(e) AND ST_Y(t.m) <= ST_YMax(e)`,
    [z, x, y, category],
  );
  return r.rows[0].n;
}

const sumOfCounts = (feats: { properties: Record<string, unknown> }[]) => feats.reduce((s, f) => s + Number(f.properties.count), 0);

for (const target of apiTargets()) {
  describe(`serving at scale on ${target.name} (demo data)`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startDemoApi(target);
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

    it('sends /api/nearby as JSON.stringify of the features rowToFeature builds, byte for byte', async () => {
      const rng = createRng(17);
      for (let k = 0; k < 6; k++) {
        const lng = +rng.uniform(106.35, 106.75).toFixed(5),
          lat = +rng.uniform(29.4, 29.75).toFixed(5);
        for (const fields of [
          FACILITY_FIELDS,
          ['category', 'name_zh', 'name_en'] as const,
          ['capacity', 'inclusive', 'amenities'] as const,
        ]) {
          const rows = await nearestFacilities(api.db, lng, lat, undefined, 10, fields);
          const want = JSON.stringify({ type: 'FeatureCollection', features: rows.map((r) => rowToFeature(r as FacilityRow)) });
          const res = await api.get(
            `/api/nearby?lng=${lng}&lat=${lat}&limit=10${fields === FACILITY_FIELDS ? '' : `&fields=${fields.join(',')}`}`,
          );
          expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
          expect(await res.text()).toBe(want);
        }
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
          const feats = await tileFeatures(api, z, x, y, category);
          const real = await facilitiesInTile(api, z, x, y, category);
          if (z < FULL_DETAIL_ZOOM) {
            expect(feats.length).toBeLessThanOrEqual(real);
            if (z <= 12) expect(feats.length).toBeLessThan(real); // thinned: fewer markers than facilities
            expect(sumOfCounts(feats)).toBe(real);
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

    it('keeps the clusters equal to a count from scratch through inserts, moves, category and status changes and deletes', async () => {
      const db = api.db;
      const at = (lng: number, lat: number) => `ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;
      const ids = (
        await db.query<{ id: number }>(
          `INSERT INTO facilities (category, name_zh, source, source_id, geom) VALUES
             ('playground', '测试一', 'test-clusters', 'a', ${at(106.5601, 29.5601)}),
             ('playground', '测试二', 'test-clusters', 'b', ${at(106.5602, 29.5602)}),
             ('library', '测试三', 'test-clusters', 'c', ${at(106.9, 29.9)}),
             ('library', '测试四', 'test-clusters', 'd', ${at(106.5603, 29.5603)})
           RETURNING id`,
        )
      ).rows.map((r) => r.id);
      await db.query(`UPDATE facilities SET geom = ${at(106.7, 29.45)} WHERE id = $1`, [ids[0]]); // a move
      await db.query(`UPDATE facilities SET category = 'kindergarten' WHERE id = $1`, [ids[1]]);
      await db.query(`UPDATE facilities SET status = 'retired' WHERE id = $1`, [ids[2]]);
      await db.query(`UPDATE facilities SET name_zh = '测试四号' WHERE id = $1`, [ids[3]]); // no cluster change
      await db.query(`DELETE FROM facilities WHERE id = $1`, [ids[3]]);
      // one statement moving many rows, some of them across cell and tile borders
      await db.query(
        `UPDATE facilities SET geom = ST_Translate(geom, 0.003, -0.002) WHERE category = 'playground' AND district_code = '500103'`,
      );
      await db.query(`UPDATE facilities SET status = 'active' WHERE id = $1`, [ids[2]]);

      // every tile around the edits, at every clustered zoom, adds up to the facilities in it
      for (const [lng, lat] of [
        [106.7, 29.45],
        [106.5602, 29.5602],
        [106.9, 29.9],
        [106.56, 29.56],
      ]) {
        for (const z of [3, 9, 12, FULL_DETAIL_ZOOM - 1]) {
          const { x, y } = tileOf(lng, lat, z);
          for (const category of [null, 'playground', 'library', 'kindergarten']) {
            expect(sumOfCounts(await tileFeatures(api, z, x, y, category))).toBe(await facilitiesInTile(api, z, x, y, category));
          }
        }
      }
      const lone = (await tileFeatures(api, 14, tileOf(106.7, 29.45, 14).x, tileOf(106.7, 29.45, 14).y, 'playground')).find(
        (f) => f.id === ids[0],
      );
      expect(lone?.properties).toMatchObject({ count: 1, name_zh: '测试一' });

      // the table kept by the triggers equals one built from scratch
      const kept = await db.query<{ k: string; count: number; sum_id: number }>(
        `SELECT z || '/' || cx || '/' || cy || '/' || category AS k, count, sum_id FROM facility_clusters ORDER BY 1`,
      );
      await db.transaction(async (tx) => {
        await tx.query('DELETE FROM facility_clusters');
        await tx.query(
          `SELECT facility_clusters_delta(array_agg(1), array_agg(id), array_agg(category), array_agg(ST_X(geom)), array_agg(ST_Y(geom)))
             FROM facilities WHERE status = 'active'`,
        );
        const fresh = await tx.query<{ k: string; count: number; sum_id: number }>(
          `SELECT z || '/' || cx || '/' || cy || '/' || category AS k, count, sum_id FROM facility_clusters ORDER BY 1`,
        );
        expect(kept.rows.length).toBeGreaterThan(1000);
        expect(kept.rows).toEqual(fresh.rows);
      });
      await db.query(`DELETE FROM facilities WHERE source = 'test-clusters'`);
    });
  });
}
