/**
 * The basemap tiles (server/features/basemap) end to end, on PGlite and (with
 * TEST_DATABASE_URL) PostgreSQL: OSM imports feed the tiles, tiles follow the Protomaps
 * schema and the zoom rules, ETags change with the data, and — on PostgreSQL — our
 * encoder and ST_AsMVT agree.
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Pbf from 'pbf';
import { VectorTile, type VectorTileFeature } from '@mapbox/vector-tile';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { importFile } from '../../server/features/imports';
import { basemapTileEncoded, basemapTileMvt } from '../../server/features/basemap/sql';

const FIXTURE = path.resolve('tests/fixtures/basemap/jiefangbei.osm');
const TINY = path.resolve('tests/fixtures/import/tiny.osm');
const SHARED = path.resolve('../shared/data');
const WALK = path.join(SHARED, 'chongqing/yuzhong_walk.overpass.json');
const BUILDINGS = path.join(SHARED, 'chongqing/yuzhong_buildings.overpass.json');
const MONACO = path.join(SHARED, 'osm/monaco.osm.pbf');
const haveYuzhong = existsSync(WALK) && existsSync(BUILDINGS);

function tileOf(lng: number, lat: number, z: number) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

function features(bytes: ArrayBuffer | Uint8Array, layer: string): VectorTileFeature[] {
  // Always a fresh copy: pbf reads doubles through `new DataView(buf.buffer)`, ignoring the
  // byteOffset of a pooled Buffer (pg hands bytea back as such), which turns doubles into noise.
  const l = new VectorTile(new Pbf(new Uint8Array(bytes))).layers[layer];
  return Array.from({ length: l?.length ?? 0 }, (_, i) => l.feature(i));
}

async function tile(api: TestApi, lng: number, lat: number, z: number): Promise<{ bytes: Uint8Array; res: Response }> {
  const { x, y } = tileOf(lng, lat, z);
  const res = await api.get(`/api/tiles/basemap/${z}/${x}/${y}.pbf`);
  expect(res.status).toBe(200);
  return { bytes: new Uint8Array(await res.arrayBuffer()), res };
}

/**
 * Largest distance from a vertex of `a` inside the tile proper (0..4096; the buffer around
 * it is never drawn) to the nearest segment (or point) of `b`, in tile units.
 */
function oneWayDistance(a: { x: number; y: number }[][], b: { x: number; y: number }[][]): number {
  let worst = 0;
  for (const ring of a)
    for (const p of ring) {
      if (p.x < 0 || p.y < 0 || p.x > 4096 || p.y > 4096) continue;
      let best = Infinity;
      for (const other of b) {
        if (other.length === 1) best = Math.min(best, Math.hypot(p.x - other[0].x, p.y - other[0].y));
        for (let i = 1; i < other.length; i++) {
          const s = other[i - 1];
          const e = other[i];
          const dx = e.x - s.x;
          const dy = e.y - s.y;
          const len2 = dx * dx + dy * dy;
          const t = len2 ? Math.max(0, Math.min(1, ((p.x - s.x) * dx + (p.y - s.y) * dy) / len2)) : 0;
          best = Math.min(best, Math.hypot(p.x - (s.x + t * dx), p.y - (s.y + t * dy)));
        }
      }
      worst = Math.max(worst, best);
    }
  return worst;
}

for (const target of apiTargets()) {
  describe(`basemap tiles (${target.name})`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target);
    }, 180_000);
    afterAll(async () => {
      await api?.close();
    });

    it('answers 400 naming the field for bad tile addresses, and an empty tile (200, no bytes) where there is no data', async () => {
      const z = await api.json('/api/tiles/basemap/17/0/0.pbf');
      expect(z.status).toBe(400);
      expect(z.body.error.field).toBe('z');
      const x = await api.json('/api/tiles/basemap/2/4/0.pbf');
      expect(x.status).toBe(400);
      expect(x.body.error.field).toBe('x');
      const empty = await api.get('/api/tiles/basemap/14/0/0.pbf');
      expect(empty.status).toBe(200);
      expect((await empty.arrayBuffer()).byteLength).toBe(0);
    });

    it('serves an imported OSM file as Protomaps-schema tiles: names, steps, heights, zoom rules, TileJSON bounds', async () => {
      const s = await importFile(api.db, FIXTURE, {});
      expect(s.status).toBe('done');
      expect(s.basemap!.byLayer).toMatchObject({ roads: 4, buildings: 2, landuse: 1, pois: 2, places: 1, earth: 1 });

      const { bytes, res } = await tile(api, 106.5775, 29.558, 16);
      expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
      const roads = features(bytes, 'roads');
      const byName = Object.fromEntries(roads.filter((f) => f.properties.name).map((f) => [f.properties.name, f.properties]));
      expect(byName.民族路).toMatchObject({
        kind: 'major_road',
        kind_detail: 'secondary',
        'name:en': 'Minzu Road',
        script: 'Han',
        oneway: 'yes',
        min_zoom: 10,
      });
      expect(byName.十八梯).toMatchObject({ kind: 'path', kind_detail: 'steps' });
      expect(byName.八一路).toMatchObject({ kind: 'path', kind_detail: 'pedestrian' });
      expect(roads.some((f) => f.properties.kind_detail === 'footway' && !f.properties.name)).toBe(true);
      const heights = features(bytes, 'buildings')
        .map((f) => f.properties.height)
        .sort();
      expect(heights).toEqual([30, 60]);
      const park = features(bytes, 'landuse')[0];
      expect(park.properties.kind).toBe('park');
      expect(park.loadGeometry().length).toBe(2); // outer ring and its hole
      expect(features(bytes, 'places').map((f) => f.properties.name)).toEqual(['解放碑']);
      expect(
        features(bytes, 'pois')
          .map((f) => f.properties.kind)
          .sort(),
      ).toEqual(['cafe', 'park']);
      expect(features(bytes, 'earth').length).toBeGreaterThan(0);
      expect(features(bytes, 'water').length).toBe(0); // none in the data, none invented

      // z12: major roads only; no footways, steps or buildings
      const z12 = (await tile(api, 106.5775, 29.558, 12)).bytes;
      expect(features(z12, 'roads').map((f) => f.properties.kind_detail)).toEqual(['secondary']);
      expect(features(z12, 'buildings').length).toBe(0);
      // z14: steps and the pedestrian street, buildings; sidewalks would wait for z15
      const z14 = (await tile(api, 106.5775, 29.558, 14)).bytes;
      expect(
        features(z14, 'roads')
          .map((f) => f.properties.kind_detail)
          .sort(),
      ).toEqual(['footway', 'pedestrian', 'secondary', 'steps']);
      expect(features(z14, 'buildings').length).toBe(2);

      const tj = await api.json('/api/tiles/basemap.json');
      expect(tj.status).toBe(200);
      expect(tj.body).toMatchObject({ tilejson: '3.0.0', minzoom: 0, maxzoom: 16, data: true });
      expect(tj.body.attribution).toContain('© OpenStreetMap contributors');
      expect(tj.body.tiles[0]).toBe(`${api.url}/api/tiles/basemap/{z}/{x}/{y}.pbf`);
      // the bounds are those of the data held (the fixture's nodes)
      expect(tj.body.bounds).toEqual([106.574, 29.5555, 106.5778, 29.5588]);
    });

    it('re-importing the same file changes nothing; ETag gives 304 and changes after an import', async () => {
      const count = async () => (await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM basemap_features`)).rows[0].n;
      const before = await count();
      const { x, y } = tileOf(106.5775, 29.558, 16);
      const url = `/api/tiles/basemap/16/${x}/${y}.pbf`;
      const first = await api.get(url);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"bm-\d+-/);
      expect(first.headers.get('cache-control')).toContain('max-age=60');
      const again = await fetch(api.url + url, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);

      await importFile(api.db, FIXTURE, {});
      expect(await count()).toBe(before);
      await importFile(api.db, TINY, {});
      expect(await count()).toBeGreaterThan(before);
      const after = await fetch(api.url + url, { headers: { 'If-None-Match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
    });

    it.skipIf(target.name !== 'postgres')(
      'our encoder and ST_AsMVT give the same tiles (PostgreSQL only: PGlite has no ST_AsMVT)',
      async () => {
        expect(api.db.capabilities.mvt).toBe(true);
        const places: [number, number][] = [
          [106.5775, 29.558],
          [106.55, 29.552],
        ];
        if (haveYuzhong) {
          await importFile(api.db, WALK, {});
          await importFile(api.db, BUILDINGS, {});
          places.push([106.5705, 29.5585], [106.545, 29.56]);
        }
        let compared = 0;
        let differing = 0;
        for (const [lng, lat] of places)
          for (const z of [10, 12, 14, 15, 16]) {
            const { x, y } = tileOf(lng, lat, z);
            const req = { z, x, y, cap: 5000 };
            const ours = new VectorTile(new Pbf(new Uint8Array(await basemapTileEncoded(api.db, req))));
            const theirs = new VectorTile(new Pbf(new Uint8Array(await basemapTileMvt(api.db, req))));
            expect(Object.keys(ours.layers).sort(), `${z}/${x}/${y}`).toEqual(Object.keys(theirs.layers).sort());
            for (const name of Object.keys(theirs.layers)) {
              const a = features(await basemapTileEncoded(api.db, req), name);
              const b = features(await basemapTileMvt(api.db, req), name);
              const byId = new Map(b.map((f) => [f.id, f]));
              const aIds = new Set(a.map((f) => f.id));
              // Features in one tile only: ST_AsMVTGeom drops some lines that collapse onto
              // themselves after snapping (a roundabout simplified to A-B-A at z10) that our
              // path keeps. Allowed only when they are at most 2 units (½ px at 512 px tiles)
              // across, and for at most 1 % of the features.
              const onlyOne = [...a.filter((f) => !byId.has(f.id)), ...b.filter((f) => !aIds.has(f.id))];
              for (const f of onlyOne) {
                const pts = f.loadGeometry().flat();
                const w = Math.max(...pts.map((p) => p.x)) - Math.min(...pts.map((p) => p.x));
                const h = Math.max(...pts.map((p) => p.y)) - Math.min(...pts.map((p) => p.y));
                expect(Math.max(w, h), `${name} ${f.id} in one tile only at ${z}/${x}/${y}`).toBeLessThanOrEqual(2);
              }
              expect(onlyOne.length).toBeLessThanOrEqual(Math.max(1, Math.floor(b.length / 100)));
              differing += onlyOne.length;
              for (const f of a) {
                const g = byId.get(f.id);
                if (!g) continue;
                expect(f.properties, `${name} ${f.id}`).toEqual(g.properties);
                expect(f.type).toBe(g.type);
                const ga = f.loadGeometry();
                const gb = g.loadGeometry();
                // Both snap the same simplified geometry to the integer grid (≤ 0.71 unit each);
                // clipping at the buffer edge differs (PostGIS cuts coordinates already snapped,
                // we cut unsnapped ones), which moves cut points in the undrawn buffer only, so
                // vertices inside the tile are compared: ≤ 1.5 units (two roundings, 1/10 px).
                const d = Math.max(oneWayDistance(ga, gb), oneWayDistance(gb, ga));
                expect(
                  d,
                  `${name} ${f.id} at ${z}/${x}/${y}: ${JSON.stringify(ga).slice(0, 600)} vs ${JSON.stringify(gb).slice(0, 600)}`,
                ).toBeLessThanOrEqual(1.5);
                compared++;
              }
            }
          }
        expect(compared).toBeGreaterThan(haveYuzhong ? 1000 : 20);
        expect(differing).toBeLessThanOrEqual(compared / 100);
      },
      300_000,
    );

    it.skipIf(!haveYuzhong)(
      '渝中 (real OSM walk + buildings): street names in Chinese, stairways, building heights; z14 under 100 kB gzip (needs ../shared)',
      async () => {
        const walk = await importFile(api.db, WALK, {});
        const buildings = await importFile(api.db, BUILDINGS, {});
        expect(walk.basemap!.byLayer.roads).toBeGreaterThan(3000);
        expect(buildings.basemap!.byLayer.buildings).toBeGreaterThan(2000);

        const z16 = (await tile(api, 106.5775, 29.558, 16)).bytes;
        const roads = features(z16, 'roads');
        expect(roads.filter((f) => /[\u4e00-\u9fff]/.test(String(f.properties.name ?? ''))).length).toBeGreaterThan(5);
        expect(roads.some((f) => f.properties.kind_detail === 'steps')).toBe(true);
        const heights = features(z16, 'buildings').filter((f) => typeof f.properties.height === 'number');
        expect(heights.length).toBeGreaterThan(5);

        const z12 = (await tile(api, 106.5775, 29.558, 12)).bytes;
        const kinds = new Set(features(z12, 'roads').map((f) => f.properties.kind));
        expect(kinds.has('path')).toBe(false);
        expect(kinds.has('minor_road')).toBe(false);
        expect(kinds.has('major_road')).toBe(true);

        const z14 = (await tile(api, 106.5775, 29.558, 14)).bytes;
        expect(gzipSync(z14).length).toBeLessThan(100_000);

        const tj = await api.json('/api/tiles/basemap.json');
        const [w, s, e, n] = tj.body.bounds;
        expect(w).toBeLessThan(106.5);
        expect(e).toBeGreaterThan(106.58);
        expect(s).toBeLessThan(29.52);
        expect(n).toBeGreaterThan(29.59);
      },
      300_000,
    );

    it.skipIf(!existsSync(MONACO))(
      'Monaco (PBF): Latin street names without a script (needs ../shared)',
      async () => {
        const s = await importFile(api.db, MONACO, {});
        expect(s.status).toBe('done');
        const roads = features((await tile(api, 7.4196, 43.7311, 16)).bytes, 'roads');
        const named = roads.filter((f) => f.properties.name);
        expect(named.length).toBeGreaterThan(3);
        expect(named.every((f) => f.properties.script === undefined)).toBe(true);
        expect(roads.some((f) => f.properties.kind_detail === 'steps')).toBe(true);
      },
      120_000,
    );
  });
}
