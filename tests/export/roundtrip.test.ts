/**
 * Export round trips through the HTTP API, on PGlite and (with TEST_DATABASE_URL) on
 * PostgreSQL: every format is downloaded, written to disk under the name the server gave
 * it, and read back by GDAL — an independent reader — to check feature counts, attribute
 * values (Chinese included), coordinates (within 1 cm, or the stated transform: PROJ for
 * Web Mercator, gcoord for GCJ-02/BD-09) and the CRS GDAL understood. The expected values
 * come from the facility API and the fixture, not from the export code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { unzipSync, strFromU8 } from 'fflate';
import gcoord from 'gcoord';
import type { Feature, FeatureCollection, Position } from 'geojson';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { client } from '../security/harness';
import { downloadExport } from './download';
import { createUser } from '../../server/features/users/sql';
import { FIXTURE_DISTRICTS, FIXTURE_FACILITIES, loadFixture } from '../api/fixture';
import type { Db } from '../../server/db/adapter';
import { categoryById } from '../../core/catalogue';
import { byProperty, crsNameOf, distanceM, epsgOf, itWithGdal, ogrFeatures, ogrSummary, prop, sameValue, sortedVertices } from './gdal';

/** Every layer but feedback, whose table one test drops. */
const LAYERS_WITHOUT_FEEDBACK = ['facilities', 'districts', 'gaps', 'served', 'cells', 'school_routes', 'route_segments', 'indicators'];

const ACTIVE_IDS = FIXTURE_FACILITIES.filter((f) => f.status === 'active').map((f) => f.id);
const TODAY = /_\d{4}-\d\d-\d\d\./;

/** The fixture plus attributes worth checking: Chinese text, CSV-hostile text, amenities, a '+' phone. */
async function prepare(db: Db): Promise<void> {
  await loadFixture(db);
  await db.query(
    `UPDATE facilities SET address = '重庆市渝中区大坪正街1号', amenities = '{"changing_table": true, "nursing_room": false}'::jsonb,
            inclusive = true, age_min_years = 3, age_max_years = 6, opening_hours = 'Mo-Fr 07:30-17:30', phone = '+86 23 6380 0000'
      WHERE id = 1`,
  );
  await db.query(`UPDATE facilities SET address = '解放碑步行街"A"区, 2楼' WHERE id = 2`);
  await db.query(
    `UPDATE districts SET children_0_14 = 60000, children_3_5 = 15000, central_urban = true, urban_share = 1 WHERE code = '500103'`,
  );
  await db.query(`UPDATE districts SET population_source = '2020 census (test fixture)'`);
  await createUser(db, { username: 'export-editor', password: 'export-editor-pass-1', role: 'editor' });
}

/** Field types of the facilities layer, from the export listing (what the API says it writes). */
type FieldInfo = { name: string; type: string };

for (const target of apiTargets()) {
  describe(`export round trip on ${target.name}`, () => {
    let api: TestApi;
    let dir: string;
    let facilityFields: FieldInfo[];
    let districtFields: FieldInfo[];
    /** The facility API's view of each active facility, plus the catalogue names the export adds. */
    const expected = new Map<string, Record<string, unknown>>();

    beforeAll(async () => {
      api = await startTestApi(target, prepare);
      dir = mkdtempSync(path.join(tmpdir(), 'atlas-export-test-'));
      const list = await api.json('/api/export');
      facilityFields = list.body.layers.find((l: { id: string }) => l.id === 'facilities').fields;
      districtFields = list.body.layers.find((l: { id: string }) => l.id === 'districts').fields;
      const fc = (await api.json('/api/facilities?limit=100')).body as FeatureCollection;
      for (const f of fc.features) {
        const p = f.properties!;
        const c = categoryById(p.category);
        expected.set(String(f.id), {
          ...p,
          district_zh: p.district_name_zh,
          district_en: p.district_name_en,
          category_zh: c.name.zh,
          category_en: c.name.en,
          changing_table: p.amenities.changing_table ?? null,
          nursing_room: p.amenities.nursing_room ?? null,
          accessible_entrance: null,
        });
      }
    });
    afterAll(async () => {
      await api?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** GET an export; save it under the server's file name. */
    const download = (query: string) => downloadExport(api, dir, query);

    /** Check every active facility's attributes in `fc` (names translated by `rename`). */
    function checkFacilityAttributes(fc: FeatureCollection, rename: (k: string) => string = (k) => k, csv = false) {
      expect(fc.features).toHaveLength(ACTIVE_IDS.length);
      const got = byProperty(fc, rename('id'));
      for (const id of ACTIVE_IDS) {
        const f = got.get(String(id));
        expect(f, `facility ${id}`).toBeDefined();
        const want = expected.get(String(id))!;
        for (const field of facilityFields) {
          if (!(field.name in want)) continue;
          let w = want[field.name];
          if (csv && typeof w === 'string' && /^[=+\-@]/.test(w)) w = `'${w}`; // the CSV formula guard
          const actual = prop(f!, rename(field.name));
          expect(
            sameValue(w, actual, field.type),
            `${id}.${field.name}: expected ${JSON.stringify(w)}, got ${JSON.stringify(actual)}`,
          ).toBe(true);
        }
      }
    }

    /** Check positions: each facility's point is within 1 cm of `expect(lng, lat)`. */
    function checkPoints(fc: FeatureCollection, expectAt: (p: Position) => Position, pointOf: (f: Feature) => Position, idKey = 'id') {
      for (const f of fc.features) {
        const id = Number(prop(f, idKey));
        const fx = FIXTURE_FACILITIES.find((x) => x.id === id)!;
        const want = expectAt([fx.lng, fx.lat]);
        expect(distanceM(pointOf(f), want), `facility ${id} position`).toBeLessThan(0.01);
      }
    }
    const geomPoint = (f: Feature) => (f.geometry as { coordinates: Position }).coordinates;
    const identity = (p: Position) => p;

    describe('facilities in WGS84, every format', () => {
      itWithGdal('GeoJSON: RFC 7946 with metadata', async () => {
        const { file, name, res } = await download('/api/export/facilities?format=geojson');
        expect(name).toMatch(/^facilities_wgs84_\d{4}-\d\d-\d\d\.geojson$/);
        expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
        const raw = JSON.parse(readFileSync(file, 'utf8'));
        expect(raw.crs).toBeUndefined();
        expect(raw.feature_count).toBe(ACTIVE_IDS.length);
        expect(raw.metadata.layer.name).toEqual({ zh: '儿童友好设施', en: 'Child-friendly facilities' });
        expect(raw.metadata.app).toEqual({ name: 'child-friendly-city-atlas', version: 'test' });
        expect(raw.metadata.sources).toEqual([expect.objectContaining({ id: 'test', records: ACTIVE_IDS.length })]);
        expect(Date.parse(raw.metadata.created_at)).toBeGreaterThan(Date.now() - 600_000);
        const fc = ogrFeatures(file);
        checkFacilityAttributes(fc);
        checkPoints(fc, identity, geomPoint);
      });

      itWithGdal('GeoPackage: attributes, EPSG:4326, QGIS default style in layer_styles, metadata table', async () => {
        const { file, name } = await download('/api/export/facilities?format=gpkg');
        expect(name).toMatch(/^facilities_wgs84_.*\.gpkg$/);
        expect(readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
        const fc = ogrFeatures(file, { layer: 'facilities' });
        checkFacilityAttributes(fc);
        checkPoints(fc, identity, geomPoint);
        expect(epsgOf(ogrSummary(file, 'facilities'))).toBe(4326);
        const styles = ogrFeatures(file, { layer: 'layer_styles' }).features.map((f) => f.properties!);
        expect(styles).toHaveLength(1);
        expect(styles[0]).toMatchObject({ f_table_name: 'facilities', f_geometry_column: 'geom', useAsDefault: true });
        expect(styles[0].styleQML).toContain('type="categorizedSymbol" attr="category"');
        expect(styles[0].styleQML).toContain('value="kindergarten" label="幼儿园 Kindergarten"');
        expect(styles[0].styleQML).toContain(`value="${[0x1d, 0x4e, 0xd8].join(',')},255"`); // kindergarten blue #1d4ed8
        const meta = ogrFeatures(file, { layer: 'atlas_metadata' }).features.map((f) => f.properties!);
        const value = meta.find((m) => m.key === 'metadata.json')!.value;
        const json = typeof value === 'string' ? JSON.parse(value) : value; // GDAL's GeoJSON writer expands JSON text
        expect(json.feature_count).toBe(ACTIVE_IDS.length);
        expect(json.crs.epsg).toBe(4326);
        // GDAL's own validator, where the Python bindings are installed
        const validator = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
        if (existsSync(validator) && existsSync('/usr/bin/python3')) {
          const v = spawnSync('/usr/bin/python3', [validator, file], { encoding: 'utf8' });
          expect(v.status, v.stderr + v.stdout).toBe(0);
        }
      });

      itWithGdal('Shapefile: zipped with .prj, .cpg, .qml, fields.csv; 10-character names map back', async () => {
        const { file, name, res } = await download('/api/export/facilities?format=shp');
        expect(name).toMatch(/^facilities_wgs84_.*\.zip$/);
        expect(res.headers.get('content-type')).toBe('application/zip');
        const base = name.replace(/\.zip$/, '');
        const entries = unzipSync(readFileSync(file));
        expect(Object.keys(entries).sort()).toEqual(
          [
            `${base}.shp`,
            `${base}.shx`,
            `${base}.dbf`,
            `${base}.prj`,
            `${base}.cpg`,
            `${base}.qml`,
            'fields.csv',
            `${base}.metadata.json`,
          ].sort(),
        );
        expect(strFromU8(entries[`${base}.cpg`])).toBe('UTF-8');
        expect(strFromU8(entries[`${base}.prj`])).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
        const meta = JSON.parse(strFromU8(entries[`${base}.metadata.json`]));
        expect(meta.feature_count).toBe(ACTIVE_IDS.length);
        expect(meta.fields.every((f: { dbf: string }) => f.dbf.length <= 10)).toBe(true);
        const shp = `/vsizip/${file}/${base}.shp`;
        const mapping = ogrFeatures(`/vsizip/${file}/fields.csv`).features.map(
          (f) => f.properties as { name: string; dbf_name: string; title_zh: string },
        );
        expect(mapping.find((m) => m.name === 'district_code')).toMatchObject({ dbf_name: 'dist_code', title_zh: '区县代码' });
        const dbf = new Map(mapping.map((m) => [m.name, m.dbf_name]));
        const summary = ogrSummary(shp);
        for (const m of mapping) expect(summary).toContain(`\n${m.dbf_name}: `);
        expect(epsgOf(summary)).toBe(4326);
        const fc = ogrFeatures(shp);
        checkFacilityAttributes(fc, (k) => dbf.get(k) ?? k);
        checkPoints(fc, identity, geomPoint);
        const qml = strFromU8(entries[`${base}.qml`]);
        expect(qml).toContain('attr="category"');
        expect(qml).toContain(`field="${dbf.get('district_zh')}"`); // aliases use the DBF names
      });

      itWithGdal('KML: typed schema data, Chinese names, category styles', async () => {
        const { file, name } = await download('/api/export/facilities?format=kml');
        expect(name).toMatch(/^facilities_wgs84_.*\.kml$/);
        const text = readFileSync(file, 'utf8');
        expect(text).toContain('<styleUrl>#facilities_c3</styleUrl>'); // kindergarten is the 4th category
        const fc = ogrFeatures(file);
        checkFacilityAttributes(fc);
        checkPoints(fc, identity, geomPoint);
        expect(byProperty(fc).get('1')!.properties!.Name).toBe('大坪第一幼儿园');
      });

      itWithGdal('FlatGeobuf: typed columns, EPSG:4326', async () => {
        const { file, name } = await download('/api/export/facilities?format=fgb');
        expect(name).toMatch(/^facilities_wgs84_.*\.fgb$/);
        const fc = ogrFeatures(file);
        checkFacilityAttributes(fc);
        checkPoints(fc, identity, geomPoint);
        const summary = ogrSummary(file);
        expect(epsgOf(summary)).toBe(4326);
        expect(summary).toContain('name_zh: String (0.0), alternative name="名称"');
      });

      itWithGdal('CSV: UTF-8 with BOM, lng/lat and WKT columns', async () => {
        const { file, name } = await download('/api/export/facilities?format=csv');
        expect(name).toMatch(/^facilities_wgs84_.*\.csv$/);
        const bytes = readFileSync(file);
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const header = bytes.toString('utf8').slice(1).split('\r\n')[0].split(',');
        expect(header.slice(-3)).toEqual(['lng', 'lat', 'wkt']);
        const fc = ogrFeatures(file, { args: ['-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=YES'] });
        checkFacilityAttributes(fc, undefined, true);
        checkPoints(fc, identity, geomPoint);
        checkPoints(fc, identity, (f) => [Number(f.properties!.lng), Number(f.properties!.lat)]);
      });

      itWithGdal('XLSX: a table with lng/lat, a fields sheet and a metadata sheet', async () => {
        const { file, name } = await download('/api/export/facilities?format=xlsx');
        expect(name).toMatch(/^facilities_wgs84_.*\.xlsx$/);
        const fc = ogrFeatures(file, { layer: 'facilities' });
        checkFacilityAttributes(fc);
        checkPoints(fc, identity, (f) => [Number(f.properties!.lng), Number(f.properties!.lat)]);
        const headers = ['--config', 'OGR_XLSX_HEADERS', 'FORCE']; // an all-text sheet: tell GDAL the first row is the header
        const fieldsSheet = ogrFeatures(file, { layer: 'fields', args: headers }).features.map((f) => f.properties!);
        expect(fieldsSheet.find((f) => f.name === 'name_zh')).toMatchObject({ title_zh: '名称', title_en: 'Name (Chinese)' });
        const meta = ogrFeatures(file, { layer: 'metadata', args: headers }).features.map((f) => f.properties!);
        expect(meta.find((m) => m.key === '软件版本 App')!.value).toBe('child-friendly-city-atlas test');
      });
    });

    describe('coordinate reference systems', () => {
      itWithGdal('CGCS2000: the same numbers as WGS84, labelled EPSG:4490 in GPKG, SHP, FGB and GeoJSON', async () => {
        for (const format of ['gpkg', 'shp', 'fgb', 'geojson']) {
          const { file, name } = await download(`/api/export/facilities?format=${format}&crs=cgcs2000`);
          expect(name).toContain('_cgcs2000_');
          const src = format === 'shp' ? `/vsizip/${file}/${name.replace(/\.zip$/, '.shp')}` : file;
          const layer = format === 'gpkg' ? 'facilities' : undefined;
          expect(epsgOf(ogrSummary(src, layer)), format).toBe(4490);
          const fc = ogrFeatures(src, { layer });
          expect(fc.features).toHaveLength(ACTIVE_IDS.length);
          checkPoints(fc, identity, geomPoint);
        }
      });

      itWithGdal('Web Mercator: PROJ (via ogr2ogr -t_srs EPSG:4326) brings every point back within 1 cm', async () => {
        for (const format of ['gpkg', 'shp', 'fgb', 'geojson', 'csv']) {
          const { file, name } = await download(`/api/export/facilities?format=${format}&crs=webmercator`);
          expect(name).toContain('_webmercator_');
          const src = format === 'shp' ? `/vsizip/${file}/${name.replace(/\.zip$/, '.shp')}` : file;
          const layer = format === 'gpkg' ? 'facilities' : undefined;
          if (format !== 'csv') expect(epsgOf(ogrSummary(src, layer)), format).toBe(3857);
          const args =
            format === 'csv' ? ['-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-s_srs', 'EPSG:3857', '-t_srs', 'EPSG:4326'] : ['-t_srs', 'EPSG:4326'];
          const fc = ogrFeatures(src, { layer, args });
          expect(fc.features).toHaveLength(ACTIVE_IDS.length);
          const idKey = 'id';
          checkPoints(fc, identity, geomPoint, idKey);
          // and the raw numbers are metres: 106.55° E is about 11.86 million metres east
          const raw = ogrFeatures(src, format === 'csv' ? { args: ['-oo', 'GEOM_POSSIBLE_NAMES=wkt'] } : { layer });
          expect(Math.abs(geomPoint(byProperty(raw).get('1')!)[0] - 11861091.744)).toBeLessThan(0.01);
        }
      });

      itWithGdal('GCJ-02: matches gcoord’s reference transform within 1 cm, a few hundred metres from WGS84; KML too', async () => {
        const gcj = (p: Position) => gcoord.transform([p[0], p[1]] as [number, number], gcoord.WGS84, gcoord.GCJ02) as Position;
        // the offset is real: about 500 m at the fixture's kindergarten
        expect(distanceM(gcj([106.55, 29.55]), [106.55, 29.55])).toBeGreaterThan(300);
        for (const format of ['gpkg', 'shp', 'kml', 'fgb', 'geojson', 'csv']) {
          const { file, name } = await download(`/api/export/facilities?format=${format}&crs=gcj02`);
          expect(name).toMatch(/^facilities_gcj02_\d{4}-\d\d-\d\d\.(gpkg|zip|kml|fgb|geojson|csv)$/);
          const src = format === 'shp' ? `/vsizip/${file}/${name.replace(/\.zip$/, '.shp')}` : file;
          const layer = format === 'gpkg' ? 'facilities' : undefined;
          if (format === 'gpkg' || format === 'fgb') expect(crsNameOf(ogrSummary(src, layer)), format).toMatch(/^GCJ-02/);
          const fc = ogrFeatures(src, format === 'csv' ? { args: ['-oo', 'GEOM_POSSIBLE_NAMES=wkt'] } : { layer });
          expect(fc.features, format).toHaveLength(ACTIVE_IDS.length);
          checkPoints(fc, gcj, geomPoint);
        }
      });

      itWithGdal('BD-09: matches gcoord’s reference transform within 1 cm', async () => {
        const { file } = await download('/api/export/facilities?format=geojson&crs=bd09');
        const bd = (p: Position) => gcoord.transform([p[0], p[1]] as [number, number], gcoord.WGS84, gcoord.BD09) as Position;
        checkPoints(ogrFeatures(file), bd, geomPoint);
      });
    });

    describe('districts (polygons)', () => {
      const square = (code: string) => {
        const [w, s, e, n] = FIXTURE_DISTRICTS.find((d) => d.code === code)!.box;
        return [
          [w, s],
          [w, n],
          [e, n],
          [e, s],
        ].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      };
      /** The polygon's distinct corners are the fixture square's, within 1 cm. */
      function checkSquare(f: Feature, code: string) {
        const got = sortedVertices(f.geometry).filter((p, i, a) => i === 0 || p[0] !== a[i - 1][0] || p[1] !== a[i - 1][1]);
        const want = square(code);
        expect(got).toHaveLength(4);
        for (const [i, p] of got.entries()) expect(distanceM(p, want[i])).toBeLessThan(0.01);
      }

      const cases: [string, string, { args?: string[] }][] = [
        ['gpkg', '', {}],
        ['shp', '', {}],
        ['kml', '', {}],
        ['fgb', '', {}],
        ['geojson', '', {}],
        ['csv', '', { args: ['-oo', 'GEOM_POSSIBLE_NAMES=wkt'] }],
        ['xlsx', '&geom=wkt', {}],
      ];
      for (const [format, extra, reader] of cases) {
        itWithGdal(`${format}: two districts with population and child groups`, async () => {
          const { file, name } = await download(`/api/export/districts?format=${format}${extra}`);
          expect(name).toMatch(/^districts_wgs84_/);
          const src = format === 'shp' ? `/vsizip/${file}/${name.replace(/\.zip$/, '.shp')}` : file;
          const fc = ogrFeatures(src, { ...reader, ...(format === 'xlsx' || format === 'gpkg' ? { layer: 'districts' } : {}) });
          expect(fc.features).toHaveLength(2);
          const dbfName = (k: string) =>
            format === 'shp'
              ? (({ central_urban: 'central', children_0_14: 'child_0_14', children_3_5: 'child_3_5' } as Record<string, string>)[k] ?? k)
              : k;
          const yz = byProperty(fc, 'code').get('500103')!;
          for (const [k, v] of Object.entries({
            name_zh: '渝中区',
            name_en: 'Yuzhong District',
            population: 588717,
            children_0_14: 60000,
            children_3_5: 15000,
            central_urban: true,
          })) {
            const type = districtFields.find((f) => f.name === k)!.type;
            expect(sameValue(v, yz.properties![dbfName(k)], type), `${format} ${k}: ${JSON.stringify(yz.properties![dbfName(k)])}`).toBe(
              true,
            );
          }
          if (format === 'xlsx') {
            const wkt = String(yz.properties!.wkt);
            expect(wkt).toMatch(/^MULTIPOLYGON \(\(\(/);
            const nums = wkt.match(/-?\d+(\.\d+)?/g)!.map(Number);
            const pts: Position[] = [];
            for (let i = 0; i < nums.length; i += 2) pts.push([nums[i], nums[i + 1]]);
            checkSquare({ type: 'Feature', properties: {}, geometry: { type: 'MultiPoint', coordinates: pts } }, '500103');
          } else {
            checkSquare(yz, '500103');
            checkSquare(byProperty(fc, 'code').get('500105')!, '500105');
          }
        });
      }

      itWithGdal('渝中区 as GPKG in CGCS2000, zipped SHP and GCJ-02: named, labelled and styled', async () => {
        const gpkg = await download('/api/export/districts?format=gpkg&crs=cgcs2000&district=500103');
        expect(gpkg.name).toMatch(/^districts_500103_cgcs2000_\d{4}-\d\d-\d\d\.gpkg$/);
        const shp = await download('/api/export/districts?format=shp&crs=cgcs2000&district=500103');
        expect(shp.name).toMatch(/^districts_500103_cgcs2000_\d{4}-\d\d-\d\d\.zip$/);
        const gcj = await download('/api/export/districts?format=gpkg&crs=gcj02&district=500103');
        expect(gcj.name).toMatch(/^districts_500103_gcj02_/);
        const base = shp.name.replace(/\.zip$/, '');
        const qml = strFromU8(unzipSync(readFileSync(shp.file))[`${base}.qml`]);
        expect(qml).toContain('labelsEnabled="1"');
        expect(qml).toContain('fieldName="name_zh"');
        expect(epsgOf(ogrSummary(gpkg.file, 'districts'))).toBe(4490);
        expect(epsgOf(ogrSummary(`/vsizip/${shp.file}/${base}.shp`))).toBe(4490);
        const g = ogrFeatures(gpkg.file, { layer: 'districts' });
        expect(g.features.map((f) => f.properties!.name_zh)).toEqual(['渝中区']);
        checkSquare(g.features[0], '500103');
        const style = ogrFeatures(gpkg.file, { layer: 'layer_styles' }).features[0].properties!;
        expect(style.styleQML).toContain('class="SimpleFill"');
        const shifted = ogrFeatures(gcj.file, { layer: 'districts' }).features[0];
        const want = square('500103').map((p) => gcoord.transform(p as [number, number], gcoord.WGS84, gcoord.GCJ02) as Position);
        const got = sortedVertices(shifted.geometry);
        for (const p of want) expect(Math.min(...got.map((q) => distanceM(p, q)))).toBeLessThan(0.01);
      });

      it('GeoJSON bundle: the file, its .qml, fields.csv and metadata.json with the count', async () => {
        const { file, name, res } = await download('/api/export/districts?format=geojson&bundle=zip&crs=gcj02');
        expect(name).toMatch(/^districts_gcj02_\d{4}-\d\d-\d\d\.geojson\.zip$/);
        expect(res.headers.get('content-type')).toBe('application/zip');
        const base = name.replace(/\.geojson\.zip$/, '');
        const entries = unzipSync(readFileSync(file));
        expect(Object.keys(entries).sort()).toEqual([`${base}.geojson`, `${base}.metadata.json`, `${base}.qml`, 'fields.csv'].sort());
        const meta = JSON.parse(strFromU8(entries[`${base}.metadata.json`]));
        expect(meta).toMatchObject({ feature_count: 2, format: 'geojson', file_name: name, crs: { id: 'gcj02', epsg: null } });
        expect(meta.crs.note.en).toMatch(/no EPSG code/);
        expect(meta.notes.map((n: { en: string }) => n.en).join(' ')).toMatch(/GCJ02 has no EPSG code/);
        expect(meta.sources.map((s: { id: string }) => s.id)).toEqual(['districts.geom', 'districts.population']);
      });
    });

    describe('refusals and names', () => {
      const bad = async (q: string) =>
        (await api.json(q)) as { status: number; body: { error: { code: string; field?: string; message: string } } };

      it('a format that cannot hold the geometry or the CRS is a 400 naming the problem', async () => {
        let r = await bad('/api/export/facilities?format=kml&crs=webmercator');
        expect(r.status).toBe(400);
        expect(r.body.error).toMatchObject({ code: 'invalid_request', field: 'crs' });
        expect(r.body.error.message).toMatch(/KML coordinates are always longitude,latitude/);
        r = await bad('/api/export/districts?format=xlsx');
        expect(r.status).toBe(400);
        expect(r.body.error.field).toBe('format');
        expect(r.body.error.message).toMatch(/XLSX holds tables, not MultiPolygon geometry; add geom=wkt/);
        r = await bad('/api/export/facilities?format=gpkg&geom=wkt');
        expect(r.body.error.field).toBe('geom');
        expect((await api.get('/api/export/districts?format=xlsx&geom=none')).status).toBe(200);
      });

      it('unknown CRS, format, parameter, category or layer are refused by name', async () => {
        let r = await bad('/api/export/facilities?crs=epsg4326');
        expect(r.status).toBe(400);
        expect(r.body.error.field).toBe('crs');
        expect(r.body.error.message).toContain('wgs84, cgcs2000, webmercator, gcj02, bd09');
        r = await bad('/api/export/facilities?format=dwg');
        expect(r.body.error.field).toBe('format');
        r = await bad('/api/export/facilities?catgory=kindergarten');
        expect(r.body.error).toMatchObject({ field: 'catgory' });
        expect(r.body.error.message).toMatch(/unknown parameter for layer facilities; known: format, crs, bundle, geom, category/);
        r = await bad('/api/export/facilities?category=kindergarden');
        expect(r.body.error.field).toBe('category');
        r = await bad('/api/export/facilities?district=../../etc');
        expect(r.body.error.field).toBe('district');
        r = await bad('/api/export/districts?simplify=1');
        expect(r.body.error.field).toBe('simplify');
        r = await bad('/api/export/nope?format=gpkg');
        expect(r.status).toBe(404);
        expect(r.body.error.message).toMatch(/no export layer 'nope'; layers: facilities, districts/);
      });

      it('file names carry layer, filters, CRS and date, and nothing from raw input', async () => {
        const r = await api.get('/api/export/facilities?format=csv&category=mother_baby_room,kindergarten&district=500103&crs=cgcs2000');
        await r.arrayBuffer();
        const cd = r.headers.get('content-disposition')!;
        expect(cd).toMatch(/^attachment; filename="facilities_mother-baby-room-kindergarten_500103_cgcs2000_\d{4}-\d\d-\d\d\.csv"$/);
        expect(cd).toMatch(TODAY);
        const all = await api.get('/api/export/facilities?format=csv&category=' + 'playground,nursery,kindergarten,park');
        await all.arrayBuffer();
        expect(all.headers.get('content-disposition')).toMatch(/filename="facilities_4-categories_wgs84_/);
      });

      it('filters: category, district, bbox and status', async () => {
        const ids = async (q: string) =>
          ((await api.json(`/api/export/facilities?format=geojson&${q}`)).body as FeatureCollection).features.map((f) => f.id).sort();
        expect(await ids('category=mother_baby_room')).toEqual([2, 3, 4]);
        expect(await ids('district=500103')).toEqual([1, 2, 3]);
        expect(await ids('bbox=106.6,29.5,106.7,29.65')).toEqual([4, 6]);
        // retired and proposed facilities are exported to editors only (issue 12 §4)
        const anonymous = await api.json('/api/export/facilities?format=geojson&status=retired');
        expect(anonymous.status).toBe(403);
        expect(anonymous.body.error.code).toBe('editor_required');
        expect(await ids('status=active')).toEqual([1, 2, 3, 4, 6, 7]);
        const c = client(api.url);
        const editor = await c.login('export-editor', 'export-editor-pass-1');
        const asEditor = async (q: string) =>
          ((await c.request('GET', `/api/export/facilities?format=geojson&${q}`, { session: editor })).body as FeatureCollection).features
            .map((f) => f.id)
            .sort();
        expect(await asEditor('status=retired')).toEqual([5]);
        expect(await asEditor('status=all')).toEqual([1, 2, 3, 4, 5, 6, 7]);
      });

      itWithGdal('feedback: only what the public sees (approved, resolved), and only where the table exists', async () => {
        await api.db.query(
          `INSERT INTO feedback (category, text, status, district_code, geom) VALUES
             ('want_playground', '这里需要一个游乐场', 'approved', '500103', ST_SetSRID(ST_MakePoint(106.552, 29.553), 4326)),
             ('unsafe_crossing', '路口没有红绿灯 <b>危险</b>', 'resolved', '500103', ST_SetSRID(ST_MakePoint(106.57, 29.555), 4326)),
             ('other', '未审核的内容', 'pending', '500103', ST_SetSRID(ST_MakePoint(106.58, 29.556), 4326))`,
        );
        const { file, name } = await download('/api/export/feedback?format=gpkg&district=500103');
        expect(name).toMatch(/^feedback_500103_wgs84_/);
        {
          const fc = ogrFeatures(file, { layer: 'feedback' });
          expect(fc.features.map((f) => f.properties!.text).sort()).toEqual(['路口没有红绿灯 <b>危险</b>', '这里需要一个游乐场']);
          expect(fc.features.map((f) => f.properties!.category_zh)).toContain('这里需要游乐场');
        }
        const wrong = await bad('/api/export/feedback?category=kindergarten');
        expect(wrong.body.error.field).toBe('category');
        // without the table the layer is neither listed nor served
        await api.db.exec('DROP TABLE feedback CASCADE');
        expect((await api.json('/api/export')).body.layers.map((l: { id: string }) => l.id)).toEqual(LAYERS_WITHOUT_FEEDBACK);
        const gone = await bad('/api/export/feedback');
        expect(gone.status).toBe(404);
        expect(gone.body.error.message).toMatch(/not available in this database/);
      });

      it('lists layers with fields and parameters, formats and CRSs', async () => {
        const { body } = await api.json('/api/export');
        expect(body.layers.map((l: { id: string }) => l.id)).toEqual(LAYERS_WITHOUT_FEEDBACK); // feedback's table was dropped above
        expect(body.formats.map((f: { id: string }) => f.id)).toEqual(['geojson', 'gpkg', 'shp', 'kml', 'fgb', 'csv', 'xlsx']);
        expect(body.crs.find((c: { id: string }) => c.id === 'cgcs2000').epsg).toBe(4490);
        const fac = body.layers.find((l: { id: string }) => l.id === 'facilities');
        expect(Object.keys(fac.params.properties)).toEqual(['category', 'district', 'bbox', 'status']);
      });
    });
  });
}
