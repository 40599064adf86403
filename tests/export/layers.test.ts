/**
 * The layer registry and the export service, without a database: layers defined here
 * (as a colleague would define the coverage-gap layer) yield synthetic features, and a
 * stub `Queryable` answers the one shared query (`dataset_meta`). Checks what a gap layer
 * needs — polygons with holes, category/mode/distance/norm in the metadata, a red QGIS
 * style — that streamed formats really stream, and that temporary files go away.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { strFromU8, unzipSync } from 'fflate';
import type { Polygon, Position } from 'geojson';
import type { Queryable } from '../../server/db/adapter';
import { createLayerRegistry, defineLayer, type ExportLayer } from '../../server/features/export/layer';
import { prepareExport } from '../../server/features/export/service';
import { EXPORT_LAYERS } from '../../server/features/export/layers';
import { GAP_STYLE } from '../../core/export/qml';
import { categoryById } from '../../core/catalogue';
import { categoriesSchema, districtCodeSchema } from '../../server/http/schemas';
import { crsNameOf, distanceM, epsgOf, itWithGdal, ogrFeatures, ogrSummary, sortedVertices } from './gdal';
import gcoord from 'gcoord';

/** A Queryable with an empty `dataset_meta` and nothing else: these layers read no tables. */
const stubDb: Queryable = {
  async query<T>(sql: string) {
    if (/FROM dataset_meta/.test(sql)) return { rows: [] as T[] };
    throw new Error(`unexpected query: ${sql}`);
  },
  async exec() {},
};

/** A square ring around (x, y) of half-size h, counter-clockwise (RFC 7946 outer ring). */
const square = (x: number, y: number, h: number): Position[] => [
  [x - h, y - h],
  [x + h, y - h],
  [x + h, y + h],
  [x - h, y + h],
  [x - h, y - h],
];

/** A stand-in for the coverage-gap layer: what registering the real one looks like. */
const gapsLike = defineLayer({
  id: 'gaps',
  name: { zh: '服务缺口', en: 'Coverage gaps' },
  description: { zh: '未覆盖的居住区域', en: 'Populated areas beyond the service distance' },
  geometryType: 'MultiPolygon',
  fields: [
    { name: 'district_code', type: 'string', zh: '区县代码', en: 'District code', dbf: 'dist_code' },
    { name: 'uncovered_children', type: 'real', zh: '未覆盖儿童', en: 'Uncovered children', decimals: 1 },
    { name: 'area_km2', type: 'real', zh: '面积（km²）', en: 'Area (km²)', decimals: 3 },
  ],
  params: z.object({
    category: categoriesSchema,
    district: districtCodeSchema.optional(),
    mode: z.enum(['network', 'euclidean']).default('network'),
  }),
  style: GAP_STYLE,
  async *rows() {
    // a polygon with a hole (written clockwise, the "wrong" way for GeoJSON) and a two-part multipolygon
    const outer = square(106.55, 29.55, 0.01).reverse();
    const hole = square(106.55, 29.55, 0.004);
    yield {
      id: 1,
      geometry: { type: 'Polygon', coordinates: [outer, hole] } as Polygon,
      properties: { district_code: '500103', uncovered_children: 812.5, area_km2: 4.02 },
      labelPoint: [106.541, 29.55],
    };
    yield {
      id: 2,
      geometry: { type: 'MultiPolygon', coordinates: [[square(106.6, 29.6, 0.002)], [square(106.61, 29.6, 0.002)]] },
      properties: { district_code: '500103', uncovered_children: 96, area_km2: 0.19 },
      labelPoint: [106.6, 29.6],
    };
  },
  metadata: (p) => {
    const c = categoryById(p.category[0]);
    return {
      title: { zh: `${c.name.zh}服务缺口`, en: `${c.name.en} coverage gaps` },
      category: { id: c.id, zh: c.name.zh, en: c.name.en },
      mode: p.mode,
      distanceM: 300,
      norm: { source: 'GB 50180-2018', citation: '表4.0.1 五分钟生活圈 300 m' },
      fileNameParts: [c.id, p.district],
    };
  },
});

/** Points generated lazily, counting how many have been produced. */
function countingLayer(total: number, counter: { produced: number }): ExportLayer {
  return defineLayer({
    id: 'many',
    name: { zh: '大量点', en: 'Many points' },
    description: { zh: '测试', en: 'test' },
    geometryType: 'Point',
    fields: [{ name: 'n', type: 'integer', zh: '序号', en: 'Number' }],
    params: z.object({}),
    async *rows() {
      for (let i = 0; i < total; i++) {
        counter.produced++;
        yield { id: i, geometry: { type: 'Point', coordinates: [106 + (i % 1000) / 1000, 29 + i / total] }, properties: { n: i } };
      }
    },
    metadata: () => ({ title: { zh: '大量点', en: 'Many points' }, fileNameParts: [] }),
  });
}

const NOW = new Date('2026-11-29T01:00:00Z');

async function exportToFile(registry: ReturnType<typeof createLayerRegistry>, layer: string, query: Record<string, string>, dir: string) {
  const out = await prepareExport(stubDb, registry, layer, query, { appVersion: '9.9.9', now: NOW });
  const parts: Uint8Array[] = [];
  for await (const c of out.body) parts.push(c);
  const file = path.join(dir, out.fileName);
  writeFileSync(file, Buffer.concat(parts));
  return { file, out };
}

describe('export layer registry', () => {
  it('refuses malformed layers at start', () => {
    const base = { ...gapsLike };
    expect(() => createLayerRegistry([base, base])).toThrow(/registered twice/);
    expect(() => createLayerRegistry([{ ...base, id: 'Gaps!' }])).toThrow(/must match/);
    expect(() => createLayerRegistry([{ ...base, fields: [{ name: 'wkt', type: 'string', zh: '', en: '' }] }])).toThrow(/reserved/);
    expect(() => createLayerRegistry([{ ...base, params: z.object({ crs: z.string() }) }])).toThrow(/shared/);
    expect(() => createLayerRegistry([{ ...base, titleField: 'nope' }])).toThrow(/titleField/);
  });

  it('the shipped registry holds every layer the atlas makes, and no stubs', () => {
    expect(EXPORT_LAYERS.all().map((l) => l.id)).toEqual([
      'facilities',
      'districts',
      'feedback',
      'gaps',
      'served',
      'cells',
      'school_routes',
      'route_segments',
      'indicators',
    ]);
  });
});

describe('a gap-like polygon layer', () => {
  const registry = createLayerRegistry([gapsLike]);

  itWithGdal('GeoPackage in CGCS2000: name, metadata with category, mode, distance and norm, red style', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-gaps-'));
    try {
      const { file, out } = await exportToFile(
        registry,
        'gaps',
        { format: 'gpkg', crs: 'cgcs2000', category: 'kindergarten', district: '500103' },
        dir,
      );
      expect(out.fileName).toBe('gaps_kindergarten_500103_cgcs2000_2026-11-29.gpkg');
      expect(out.metadata).toMatchObject({
        category: { id: 'kindergarten', zh: '幼儿园', en: 'Kindergarten' },
        mode: 'network',
        distance_m: 300,
        norm: { source: 'GB 50180-2018' },
        feature_count: 2,
        app: { version: '9.9.9' },
        created_at: '2026-11-29T01:00:00.000Z',
      });
      expect(epsgOf(ogrSummary(file, 'gaps'))).toBe(4490);
      const fc = ogrFeatures(file, { layer: 'gaps' });
      expect(fc.features.map((f) => f.geometry!.type)).toEqual(['MultiPolygon', 'MultiPolygon']);
      const holed = fc.features[0].geometry as { coordinates: Position[][][] };
      expect(holed.coordinates[0]).toHaveLength(2); // outer ring and hole survive
      const qml = ogrFeatures(file, { layer: 'layer_styles' }).features[0].properties!.styleQML as string;
      expect(qml).toContain('type="singleSymbol"');
      expect(qml).toContain('<Option name="color" type="QString" value="220,38,38,115"/>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itWithGdal('zipped Shapefile: outer rings clockwise and holes counter-clockwise, as ESRI requires; GDAL reads the hole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-gaps-'));
    try {
      const { file, out } = await exportToFile(registry, 'gaps', { format: 'shp', category: 'kindergarten' }, dir);
      expect(out.fileName).toBe('gaps_kindergarten_wgs84_2026-11-29.zip');
      const base = 'gaps_kindergarten_wgs84_2026-11-29';
      const z = unzipSync(readFileSync(file));
      expect(strFromU8(z[`${base}.qml`])).toContain('value="220,38,38,115"');
      // read the first record's rings straight from the .shp bytes
      const shp = z[`${base}.shp`];
      const v = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
      expect(v.getInt32(0, false)).toBe(9994);
      expect(v.getInt32(32, true)).toBe(5); // polygon
      const c = 108; // first record content
      const nParts = v.getInt32(c + 36, true);
      const nPoints = v.getInt32(c + 40, true);
      expect(nParts).toBe(2);
      const starts = [v.getInt32(c + 44, true), v.getInt32(c + 48, true), nPoints];
      const ring = (k: number) => {
        const pts: Position[] = [];
        for (let i = starts[k]; i < starts[k + 1]; i++)
          pts.push([v.getFloat64(c + 52 + 16 * i, true), v.getFloat64(c + 60 + 16 * i, true)]);
        return pts;
      };
      const area2 = (r: Position[]) => r.slice(0, -1).reduce((s, p, i) => s + p[0] * r[i + 1][1] - r[i + 1][0] * p[1], 0);
      expect(area2(ring(0))).toBeLessThan(0); // clockwise
      expect(area2(ring(1))).toBeGreaterThan(0); // counter-clockwise
      const fc = ogrFeatures(`/vsizip/${file}/${base}.shp`);
      const g = fc.features[0].geometry as { type: string; coordinates: Position[][] };
      expect(g.type).toBe('Polygon');
      expect(g.coordinates).toHaveLength(2);
      expect(fc.features[1].geometry!.type).toBe('MultiPolygon');
      expect(fc.features[0].properties).toMatchObject({ dist_code: '500103', uncov_chil: 812.5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  itWithGdal('GCJ-02 for an AMap overlay: every vertex matches gcoord within 1 cm; the CRS is named GCJ-02', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-gaps-'));
    try {
      const { file, out } = await exportToFile(registry, 'gaps', { format: 'gpkg', crs: 'gcj02', category: 'kindergarten' }, dir);
      expect(out.fileName).toBe('gaps_kindergarten_gcj02_2026-11-29.gpkg');
      expect(out.metadata.crs).toMatchObject({ id: 'gcj02', epsg: null });
      expect(crsNameOf(ogrSummary(file, 'gaps'))).toMatch(/^GCJ-02/);
      const got = sortedVertices(ogrFeatures(file, { layer: 'gaps' }).features[0].geometry);
      const want = [...square(106.55, 29.55, 0.01), ...square(106.55, 29.55, 0.004)]
        .map((p) => gcoord.transform(p as [number, number], gcoord.WGS84, gcoord.GCJ02) as Position)
        .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(got).toHaveLength(want.length);
      for (const [i, p] of got.entries()) expect(distanceM(p, want[i])).toBeLessThan(0.01);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GeoJSON follows the right-hand rule whatever order the layer gave', async () => {
    const out = await prepareExport(stubDb, registry, 'gaps', { format: 'geojson', category: 'park' }, { appVersion: 't' });
    const parts: Uint8Array[] = [];
    for await (const c of out.body) parts.push(c);
    const fc = JSON.parse(Buffer.concat(parts).toString('utf8'));
    const [outer, hole] = fc.features[0].geometry.coordinates[0] as Position[][];
    const area2 = (r: Position[]) => r.slice(0, -1).reduce((s, p, i) => s + p[0] * r[i + 1][1] - r[i + 1][0] * p[1], 0);
    expect(area2(outer)).toBeGreaterThan(0);
    expect(area2(hole)).toBeLessThan(0);
    expect(fc.metadata.norm).toEqual({ source: 'GB 50180-2018', citation: '表4.0.1 五分钟生活圈 300 m' });
    expect(fc.feature_count).toBe(2);
  });

  it('CSV of polygons: label point columns and WKT; XLSX needs geom=wkt', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'atlas-gaps-'));
    try {
      const { file } = await exportToFile(registry, 'gaps', { format: 'csv', category: 'park' }, dir);
      const lines = readFileSync(file, 'utf8').split('\r\n');
      expect(lines[0]).toBe('\ufeffdistrict_code,uncovered_children,area_km2,lng,lat,wkt');
      expect(lines[1]).toMatch(/^500103,812\.5,4\.02,106\.541,29\.55,"MULTIPOLYGON \(\(\(106\.54 29\.54, 106\.54 29\.56, /);
      await expect(
        prepareExport(stubDb, registry, 'gaps', { format: 'xlsx', category: 'park' }, { appVersion: 't' }),
      ).rejects.toMatchObject({
        status: 400,
        field: 'format',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('streaming and clean-up', () => {
  it('streamed formats send bytes long before the layer is read to the end', async () => {
    for (const format of ['csv', 'geojson', 'kml', 'fgb']) {
      const counter = { produced: 0 };
      const registry = createLayerRegistry([countingLayer(100_000, counter)]);
      const out = await prepareExport(stubDb, registry, 'many', { format }, { appVersion: 't' });
      const first = await out.body.next();
      expect(first.done).toBe(false);
      expect(counter.produced, format).toBeLessThan(10_000);
      await out.body.return!();
    }
  });

  it('a shapefile export abandoned half-way leaves no temporary files behind', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('atlas-export-')));
    const registry = createLayerRegistry([countingLayer(3000, { produced: 0 })]);
    const out = await prepareExport(stubDb, registry, 'many', { format: 'shp' }, { appVersion: 't' });
    await out.body.next();
    await out.body.return!();
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('atlas-export-') && !before.has(n));
    expect(after).toEqual([]);
  });

  it('an export prepared but never read releases its writer when returned', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('atlas-export-')));
    const registry = createLayerRegistry([countingLayer(10, { produced: 0 })]);
    const out = await prepareExport(stubDb, registry, 'many', { format: 'shp' }, { appVersion: 't' });
    await out.body.return!();
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('atlas-export-') && !before.has(n))).toEqual([]);
  });
});
