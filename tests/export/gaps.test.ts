/**
 * The coverage, route and indicator export layers (issue #7) on the demo seed: the
 * kindergarten gaps of 渝中区 (500103) as GeoPackage in CGCS2000 and as a zipped shapefile,
 * read back by GDAL — the same features and children as GET /api/coverage/gaps, Chinese
 * values and the field mapping intact, the red QML style inside; the same layer in GCJ-02
 * within 1 cm of gcoord's transform of the WGS84 export; bad parameters as 400s naming the
 * field, network mode without a network as the coverage API's 409. One PGlite with the demo
 * seed; with TEST_DATABASE_URL, the GeoPackage once more on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import { startDemoApi, type TestApi } from '../api/harness';
import { distanceM, epsgOf, itWithGdal, ogrFeatures, ogrSummary, vertices } from './gdal';
import { downloadExport } from './download';

const KG = 'category=kindergarten&district=500103';

const sum = (xs: unknown[]) => xs.reduce<number>((s, x) => s + Number(x ?? 0), 0);
const byRank = (fc: FeatureCollection, key: string) => new Map(fc.features.map((f) => [Number(f.properties![key]), f]));

describe('coverage, route and indicator export layers on the demo seed (PGlite)', () => {
  let api: TestApi;
  let dir: string;
  let gaps: FeatureCollection<Polygon> & { method?: string };
  let apiChildren: number;

  beforeAll(async () => {
    api = await startDemoApi({ name: 'pglite' });
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-gaps-export-'));
    const r = await api.json(`/api/coverage/gaps?${KG}&mode=euclidean`);
    expect(r.status).toBe(200);
    gaps = r.body;
    apiChildren = sum(gaps.features.map((f) => f.properties!.uncoveredChildren));
    expect(gaps.features.length).toBeGreaterThan(1);
    expect(apiChildren).toBeGreaterThan(1000);
  }, 240_000); // may wait for another file making the run's demo dump (tests/support/seededTemplate.ts)
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the new layers with their parameters', async () => {
    const { body } = await api.json('/api/export');
    const ids = body.layers.map((l: { id: string }) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['gaps', 'served', 'cells', 'school_routes', 'route_segments', 'indicators']));
    const g = body.layers.find((l: { id: string }) => l.id === 'gaps');
    expect(Object.keys(g.params.properties)).toEqual(
      expect.arrayContaining(['category', 'mode', 'radiusM', 'district', 'bbox', 'cellSizeM']),
    );
  });

  itWithGdal(
    'gaps as GeoPackage in CGCS2000: the API’s features and children, Chinese values and titles, red style, norm metadata',
    async () => {
      const { file, name } = await downloadExport(api, dir, `/api/export/gaps?${KG}&format=gpkg&crs=cgcs2000`);
      expect(name).toMatch(/^gaps_kindergarten_500103_cgcs2000_\d{4}-\d\d-\d\d\.gpkg$/);
      const fc = ogrFeatures(file, { layer: 'gaps' });
      expect(fc.features).toHaveLength(gaps.features.length);
      expect(sum(fc.features.map((f) => f.properties!.uncovered_children))).toBeCloseTo(apiChildren, 6);
      expect(sum(fc.features.map((f) => f.properties!.uncovered_population))).toBeCloseTo(
        sum(gaps.features.map((f) => f.properties!.uncoveredPopulation)),
        6,
      );
      const first = fc.features.find((f) => f.properties!.gap_rank === 1)!;
      expect(first.properties).toMatchObject({
        mode: 'euclidean',
        district_code: '500103',
        district_zh: '渝中区',
        age_group: 'children_3_5',
        age_group_zh: '3–5 岁儿童',
      });
      expect(first.properties!.uncovered_children).toBe(gaps.features[0].properties!.uncoveredChildren);
      expect(first.properties!.area_km2).toBe(gaps.features[0].properties!.areaKm2);
      expect(epsgOf(ogrSummary(file, 'gaps'))).toBe(4490);
      // field titles (aliases) in gpkg_data_columns
      const titles = ogrFeatures(file, {
        args: ['-sql', "SELECT column_name, name, title FROM gpkg_data_columns WHERE table_name = 'gaps'"],
      }).features.map((f) => f.properties!);
      expect(titles).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            column_name: 'uncovered_children',
            name: '未覆盖儿童 Uncovered children',
            title: 'Uncovered children',
          }),
        ]),
      );
      expect(titles).toEqual(
        expect.arrayContaining([expect.objectContaining({ column_name: 'district_zh', name: '区县 District (Chinese)' })]),
      );
      // the QGIS default style: the red gap fill
      const styles = ogrFeatures(file, { layer: 'layer_styles' }).features.map((f) => f.properties!);
      expect(styles).toHaveLength(1);
      expect(styles[0]).toMatchObject({ f_table_name: 'gaps', useAsDefault: true });
      expect(styles[0].styleQML).toContain('220,38,38'); // #dc2626
      // metadata: category, mode, distance, norm citation, population method
      const meta = ogrFeatures(file, { layer: 'atlas_metadata' }).features.map((f) => f.properties!);
      const raw = meta.find((m) => m.key === 'metadata.json')!.value;
      const json = typeof raw === 'string' ? JSON.parse(raw) : raw;
      expect(json).toMatchObject({
        mode: 'euclidean',
        distance_m: 300,
        category: { id: 'kindergarten', zh: '幼儿园' },
        feature_count: gaps.features.length,
      });
      expect(json.norm.source).toBe('GB 50180-2018');
      expect(json.norm.citation).toContain('表4.0.1');
      expect(JSON.stringify(json.notes)).toContain(gaps.method!);
      expect(json.sources.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(['districts.geom', 'districts.population']));
    },
  );

  itWithGdal('gaps as a zipped shapefile: .qml inside, fields.csv maps the 10-character names, Chinese intact, same sum', async () => {
    const { file, name } = await downloadExport(api, dir, `/api/export/gaps?${KG}&format=shp&crs=cgcs2000`);
    const base = name.replace(/\.zip$/, '');
    const entries = unzipSync(readFileSync(file));
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining([`${base}.shp`, `${base}.dbf`, `${base}.prj`, `${base}.cpg`, `${base}.qml`, 'fields.csv']),
    );
    const qml = strFromU8(entries[`${base}.qml`]);
    expect(qml).toContain('220,38,38');
    expect(qml).toContain('field="uncov_chil"');
    const mapping = ogrFeatures(`/vsizip/${file}/fields.csv`).features.map(
      (f) => f.properties as { name: string; dbf_name: string; title_zh: string },
    );
    expect(mapping.find((m) => m.name === 'uncovered_children')).toMatchObject({ dbf_name: 'uncov_chil', title_zh: '未覆盖儿童' });
    expect(mapping.find((m) => m.name === 'district_zh')).toMatchObject({ dbf_name: 'dist_zh', title_zh: '区县' });
    const shp = `/vsizip/${file}/${base}.shp`;
    expect(epsgOf(ogrSummary(shp))).toBe(4490);
    const fc = ogrFeatures(shp);
    expect(fc.features).toHaveLength(gaps.features.length);
    expect(sum(fc.features.map((f) => f.properties!.uncov_chil))).toBeCloseTo(apiChildren, 6);
    expect(new Set(fc.features.map((f) => f.properties!.dist_zh))).toEqual(new Set(['渝中区']));
    expect(fc.features.find((f) => f.properties!.gap_rank === 1)!.properties!.age_zh).toBe('3–5 岁儿童');
  });

  itWithGdal('gaps in GCJ-02: every vertex within 1 cm of gcoord’s transform of the WGS84 export', async () => {
    const wgs = await downloadExport(api, dir, `/api/export/gaps?${KG}&format=geojson&crs=wgs84`);
    const gcj = await downloadExport(api, dir, `/api/export/gaps?${KG}&format=gpkg&crs=gcj02`);
    expect(gcj.name).toMatch(/^gaps_kindergarten_500103_gcj02_/);
    const ref = JSON.parse(wgs.body.toString('utf8')) as FeatureCollection;
    expect(ref.features).toHaveLength(gaps.features.length);
    const got = byRank(ogrFeatures(gcj.file, { layer: 'gaps' }), 'gap_rank');
    const toGcj = (p: Position) => gcoord.transform([p[0], p[1]] as [number, number], gcoord.WGS84, gcoord.GCJ02) as Position;
    let checked = 0,
      worst = 0,
      shift = 0;
    for (const f of ref.features as Feature[]) {
      const g = got.get(Number(f.properties!.gap_rank))!;
      const a = vertices(f.geometry),
        b = vertices(g.geometry);
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) {
        worst = Math.max(worst, distanceM(toGcj(a[i]), b[i]));
        shift = Math.max(shift, distanceM(a[i], b[i]));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(worst).toBeLessThan(0.01);
    expect(shift).toBeGreaterThan(300); // the offset is real: hundreds of metres
  });

  it('bad parameters are 400s naming the field; network mode without a network is the coverage API’s 409', async () => {
    const cases: [string, string][] = [
      ['district=500103', 'category'],
      [`${KG}&mode=both`, 'mode'],
      [`${KG}&cellSizeM=10`, 'cellSizeM'],
      [`${KG}&radiusM=abc`, 'radiusM'],
      ['category=kindergarten', 'district'],
      [`${KG}&bbox=106.5,29.5,106.6,29.6`, 'bbox'],
      ['category=spaceport&district=500103', 'category'],
      [`${KG}&walkSpeedMps=1`, 'walkSpeedMps'],
    ];
    for (const [q, field] of cases) {
      const r = await api.json(`/api/export/gaps?${q}&format=gpkg`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.field, q).toBe(field);
    }
    const viaApi = await api.json(`/api/coverage/gaps?${KG}&mode=network`);
    const viaExport = await api.json(`/api/export/gaps?${KG}&mode=network&format=shp`);
    expect(viaApi.status).toBe(409);
    expect(viaExport.status).toBe(409);
    expect(viaExport.body.error.code).toBe('no_network');
    expect(viaExport.body.error.message).toBe(viaApi.body.error.message);
  });

  it('served areas and gaps add up to the district’s children; cells carry the same totals as squares', async () => {
    const cov = (await api.json(`/api/coverage?${KG}&mode=euclidean`)).body;
    const served = JSON.parse(
      (await downloadExport(api, dir, `/api/export/served?${KG}&format=geojson`)).body.toString('utf8'),
    ) as FeatureCollection;
    expect(served.features.length).toBeGreaterThan(0);
    expect(sum(served.features.map((f) => f.properties!.covered_children))).toBeCloseTo(cov.euclidean.total.coveredChildren, 0);
    const cells = JSON.parse(
      (await downloadExport(api, dir, `/api/export/cells?${KG}&format=geojson&cellSizeM=200`)).body.toString('utf8'),
    ) as FeatureCollection;
    const cov200 = (await api.json(`/api/coverage?${KG}&mode=euclidean&cellSizeM=200`)).body;
    expect(cells.features).toHaveLength(cov200.area.cellCount);
    expect(cells.features[0].geometry.type).toBe('MultiPolygon'); // squares, promoted to the layer's MultiPolygon
    expect(vertices(cells.features[0].geometry)).toHaveLength(5);
    const covered = cells.features.filter((f) => f.properties!.covered);
    expect(sum(covered.map((f) => f.properties!.children))).toBeCloseTo(cov200.euclidean.total.coveredChildren, -1);
    const badCovered = covered.filter((f) => !(f.properties!.distance_m <= 300)).map((f) => f.properties);
    const badUncovered = cells.features
      .filter((f) => !f.properties!.covered && f.properties!.distance_m !== null && f.properties!.distance_m < 300)
      .map((f) => f.properties);
    expect(badCovered).toEqual([]);
    expect(badUncovered).toEqual([]);
  });

  itWithGdal('indicators: CSV and XLSX tables, GeoPackage with district polygons', async () => {
    const csv = await downloadExport(api, dir, '/api/export/indicators?format=csv&geom=none');
    const text = csv.body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('kindergarten_places_per_1000_children_status');
    expect(text).toContain('渝中区');
    const xlsx = await downloadExport(api, dir, '/api/export/indicators?format=xlsx&geom=none');
    expect(xlsx.body.subarray(0, 2).toString('latin1')).toBe('PK');
    const one = await downloadExport(api, dir, '/api/export/indicators?format=gpkg&district=500103');
    expect(one.name).toMatch(/^indicators_500103_wgs84_/);
    // The export waited for the walking-coverage results; the API now serves the same finished set.
    const set = (await api.json('/api/indicators')).body;
    const yz = set.districts.find((d: { code: string }) => d.code === '500103');
    expect(yz.indicators.find((r: { id: string }) => r.id === 'coverage_kindergarten_300m').value).toBeGreaterThan(0);
    const fc = ogrFeatures(one.file, { layer: 'indicators' });
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].geometry.type).toMatch(/Polygon/);
    const want = set.districts.find((d: { code: string }) => d.code === '500103');
    const p = fc.features[0].properties!;
    expect(p.name_zh).toBe('渝中区');
    for (const r of want.indicators) {
      expect(p[`${r.id}_status`], r.id).toBe(r.status);
      if (r.value === null) expect(p[r.id]).toBeNull();
      else expect(p[r.id]).toBeCloseTo(r.value, 3);
    }
    const all = ogrFeatures(csv.file);
    expect(all.features).toHaveLength(set.districts.length);
  });

  itWithGdal('school routes: published routes as LineStrings with attributes; route segments need a network', async () => {
    const school = (
      await api.db.query<{ id: number; name_zh: string }>(
        "SELECT id, name_zh FROM facilities WHERE category = 'primary_school' ORDER BY id LIMIT 1",
      )
    ).rows[0];
    await api.db.query(
      `INSERT INTO routes (school_id, name_zh, name_en, kind, status, length_m, walk_minutes, safety_score, facts, notes, created_by, geom)
       VALUES ($1, '解放碑上学路线', 'Jiefangbei route', 'drawn', 'published', 420, 7, 82, '{"steps": 1}', '经过人行横道', 'editor1',
               ST_GeomFromText('LINESTRING(106.575 29.557, 106.577 29.558, 106.579 29.5585)', 4326)),
              ($1, '草稿路线', NULL, 'drawn', 'draft', 100, 2, 50, '{}', NULL, 'editor1', ST_GeomFromText('LINESTRING(106.57 29.55, 106.571 29.551)', 4326))`,
      [school.id],
    );
    const { file } = await downloadExport(api, dir, `/api/export/school_routes?format=shp&school=${school.id}`);
    {
      const fc = ogrFeatures(`/vsizip/${file}`);
      expect(fc.features).toHaveLength(1); // the draft is not public
      expect(fc.features[0].geometry.type).toBe('LineString');
      expect(fc.features[0].properties).toMatchObject({
        name_zh: '解放碑上学路线',
        school_zh: school.name_zh,
        safety: 82,
        notes: '经过人行横道',
      });
      expect(JSON.stringify(fc.features[0].properties)).not.toContain('editor1');
    }
    const seg = await api.json(`/api/export/route_segments?school=${school.id}&format=geojson`);
    expect(seg.status).toBe(422);
    expect(seg.body.error.code).toBe('no_walking_route');
    expect((await api.json('/api/export/route_segments?format=geojson')).body.error.field).toBe('school');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('gaps export on PostgreSQL', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    api = await startDemoApi({ name: 'postgres' });
    dir = mkdtempSync(path.join(tmpdir(), 'atlas-gaps-export-pg-'));
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  itWithGdal('GeoPackage in CGCS2000: the API’s feature count and children', async () => {
    const gaps = (await api.json(`/api/coverage/gaps?${KG}&mode=euclidean`)).body as FeatureCollection;
    const { file } = await downloadExport(api, dir, `/api/export/gaps?${KG}&format=gpkg&crs=cgcs2000`);
    const fc = ogrFeatures(file, { layer: 'gaps' });
    expect(fc.features).toHaveLength(gaps.features.length);
    expect(sum(fc.features.map((f) => f.properties!.uncovered_children))).toBeCloseTo(
      sum(gaps.features.map((f) => f.properties!.uncoveredChildren)),
      6,
    );
    expect(new Set(fc.features.map((f) => f.properties!.district_zh))).toEqual(new Set(['渝中区']));
  });
});
