import { describe, expect, it } from 'vitest';
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { toWkt } from './wkt';
import { gpkgGeometry, toWkb } from './wkb';
import { DbfPlanner, dbfHeader, dbfRecord, shortenFieldNames, utf8Clip } from './dbf';
import { shpHeader, shpRecordContent } from './shp';
import { mapPositions, promote, rightHandRule, ringArea2 } from './geometry';
import type { ExportField } from './types';

const ring = (x: number, y: number, h: number): Position[] => [
  [x - h, y - h],
  [x + h, y - h],
  [x + h, y + h],
  [x - h, y + h],
  [x - h, y - h],
];
const withHole: Polygon = { type: 'Polygon', coordinates: [ring(0, 0, 2), ring(0, 0, 1)] };

describe('WKT', () => {
  it('writes every geometry type, x before y', () => {
    expect(toWkt({ type: 'Point', coordinates: [106.55, 29.56] })).toBe('POINT (106.55 29.56)');
    expect(
      toWkt({
        type: 'MultiPoint',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toBe('MULTIPOINT ((1 2), (3 4))');
    expect(
      toWkt({
        type: 'LineString',
        coordinates: [
          [1, 2],
          [3, 4],
        ],
      }),
    ).toBe('LINESTRING (1 2, 3 4)');
    expect(toWkt(withHole)).toBe('POLYGON ((-2 -2, 2 -2, 2 2, -2 2, -2 -2), (-1 -1, 1 -1, 1 1, -1 1, -1 -1))');
    expect(toWkt({ type: 'MultiPolygon', coordinates: [[ring(0, 0, 1)]] })).toBe('MULTIPOLYGON (((-1 -1, 1 -1, 1 1, -1 1, -1 -1)))');
    expect(toWkt({ type: 'MultiPolygon', coordinates: [] })).toBe('MULTIPOLYGON EMPTY');
    expect(toWkt(null)).toBe('');
  });
});

describe('WKB and the GeoPackage geometry blob', () => {
  it('encodes a point as little-endian WKB (OGC 06-103r4 §8.2)', () => {
    const wkb = toWkb({ type: 'Point', coordinates: [1, 2] });
    expect(Buffer.from(wkb).toString('hex')).toBe('01' + '01000000' + '000000000000f03f' + '0000000000000040');
  });

  it('sizes nested geometries exactly', () => {
    const mp: MultiPolygon = { type: 'MultiPolygon', coordinates: [withHole.coordinates, [ring(5, 5, 1)]] };
    const wkb = toWkb(mp);
    // header 9 + per polygon 9 + per ring 4 + 16 per point
    expect(wkb.length).toBe(9 + (9 + 2 * (4 + 5 * 16)) + (9 + (4 + 5 * 16)));
    const v = new DataView(wkb.buffer);
    expect(v.getUint32(1, true)).toBe(6);
    expect(v.getUint32(5, true)).toBe(2);
  });

  it('wraps WKB in GeoPackageBinary: magic, version, flags, srs_id, envelope', () => {
    const blob = gpkgGeometry(withHole, 4490);
    const v = new DataView(blob.buffer);
    expect(String.fromCharCode(blob[0], blob[1])).toBe('GP');
    expect(blob[2]).toBe(0);
    expect(blob[3]).toBe(0b0000_0011); // little-endian, envelope [minx, maxx, miny, maxy]
    expect(v.getInt32(4, true)).toBe(4490);
    expect([8, 16, 24, 32].map((o) => v.getFloat64(o, true))).toEqual([-2, 2, -2, 2]);
    expect(blob.subarray(40)).toEqual(toWkb(withHole));
    const point = gpkgGeometry({ type: 'Point', coordinates: [1, 2] }, 4326);
    expect(point[3]).toBe(1); // no envelope for points
    expect(point.length).toBe(8 + 21);
    const empty = gpkgGeometry({ type: 'MultiPolygon', coordinates: [] }, 4326);
    expect(empty[3] & 0b1_0000).toBe(0b1_0000); // empty flag
  });
});

describe('DBF field names', () => {
  it('shortens to ten characters, readably and deterministically', () => {
    const names = shortenFieldNames(
      ['id', 'district_name_zh', 'opening_hours', 'uncovered_children', 'source_updated_at', 'children_0_14', 'children_0_2'].map(
        (name) => ({ name }),
      ),
    );
    expect(Object.fromEntries(names)).toEqual({
      id: 'id',
      district_name_zh: 'dis_nam_zh',
      opening_hours: 'openi_hour',
      uncovered_children: 'uncov_chil',
      source_updated_at: 'sou_upd_at',
      children_0_14: 'child_0_14',
      children_0_2: 'childr_0_2',
    });
    for (const v of names.values()) expect(v.length).toBeLessThanOrEqual(10);
  });

  it('keeps names unique ignoring case, and preferred names first', () => {
    const names = shortenFieldNames([{ name: 'population_total' }, { name: 'population_totals' }, { name: 'pop', dbf: 'popu_total' }]);
    const values = [...names.values()].map((v) => v.toLowerCase());
    expect(new Set(values).size).toBe(3);
    expect(names.get('pop')).toBe('popu_total');
    expect(values.every((v) => v.length <= 10)).toBe(true);
  });

  it('refuses a bad preferred name', () => {
    expect(() => shortenFieldNames([{ name: 'a', dbf: 'much_too_long' }])).toThrow(/1–10 ASCII/);
    expect(() => shortenFieldNames([{ name: 'a', dbf: '名称' }])).toThrow(/ASCII/);
    expect(() =>
      shortenFieldNames([
        { name: 'a', dbf: 'x' },
        { name: 'b', dbf: 'X' },
      ]),
    ).toThrow(/twice/);
  });
});

describe('DBF records', () => {
  const fields: ExportField[] = [
    { name: 'name_zh', type: 'string', zh: '名称', en: 'Name' },
    { name: 'capacity', type: 'integer', zh: '学位', en: 'Places' },
    { name: 'share', type: 'real', zh: '比例', en: 'Share', decimals: 2 },
    { name: 'inclusive', type: 'boolean', zh: '普惠', en: 'Inclusive' },
    { name: 'opened', type: 'date', zh: '开办', en: 'Opened' },
  ];

  it('cuts UTF-8 at a character boundary, never inside a Chinese character', () => {
    const s = '重庆'.repeat(100); // 600 bytes
    const { bytes, clipped } = utf8Clip(s, 254);
    expect(clipped).toBe(true);
    expect(bytes.length).toBe(252); // 84 characters × 3 bytes
    expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe('重庆'.repeat(42));
    expect(utf8Clip('abc', 254)).toEqual({ bytes: new TextEncoder().encode('abc'), clipped: false });
  });

  it('plans widths from the data and writes fixed-width records', () => {
    const names = shortenFieldNames(fields);
    const plan = new DbfPlanner(fields, names);
    const rows = [
      { name_zh: '大坪幼儿园', capacity: 270, share: 0.5, inclusive: true, opened: '2020-09-01' },
      { name_zh: null, capacity: null, share: -12.345, inclusive: null, opened: null },
      { name_zh: '长'.repeat(200), capacity: 5, share: 1, inclusive: false, opened: null },
    ];
    for (const r of rows) plan.observe(r);
    const cols = plan.columns();
    expect(cols.map((c) => [c.name, c.type, c.length, c.decimals])).toEqual([
      ['name_zh', 'C', 252, 0],
      ['capacity', 'N', 3, 0],
      ['share', 'N', 6, 2],
      ['inclusive', 'N', 1, 0],
      ['opened', 'D', 8, 0],
    ]);
    expect(plan.clipped()).toEqual({ name_zh: 1 });
    const rec = dbfRecord(cols, rows[0]);
    expect(rec.length).toBe(1 + 252 + 3 + 6 + 1 + 8);
    const text = new TextDecoder().decode(rec);
    expect(text.startsWith(' 大坪幼儿园')).toBe(true);
    expect(text.endsWith('270  0.501' + '20200901')).toBe(true);
    const blank = new TextDecoder().decode(dbfRecord(cols, rows[1]));
    expect(blank.endsWith('-12.35' + ' ' + '        ')).toBe(true); // null boolean and date stay blank
  });

  it('writes a dBASE III header with the record count and lengths', () => {
    const cols = new DbfPlanner(fields, shortenFieldNames(fields)).columns();
    const h = dbfHeader(cols, 12345, new Date('2026-11-29T00:00:00Z'));
    const v = new DataView(h.buffer);
    expect(h[0]).toBe(3);
    expect([h[1], h[2], h[3]]).toEqual([126, 11, 29]);
    expect(v.getUint32(4, true)).toBe(12345);
    expect(v.getUint16(8, true)).toBe(32 + 32 * 5 + 1);
    expect(v.getUint16(10, true)).toBe(1 + cols.reduce((s, c) => s + c.length, 0));
    expect(h[h.length - 1]).toBe(0x0d);
    expect(String.fromCharCode(...h.subarray(32, 39))).toBe('name_zh');
  });
});

describe('shapefile records', () => {
  it('orients outer rings clockwise and holes counter-clockwise whatever the input', () => {
    const ccwOuter = withHole; // RFC 7946 order: outer counter-clockwise? ring() is counter-clockwise
    expect(ringArea2(ccwOuter.coordinates[0])).toBeGreaterThan(0);
    for (const g of [
      ccwOuter,
      rightHandRule(ccwOuter),
      { type: 'Polygon', coordinates: ccwOuter.coordinates.map((r) => [...r].reverse()) } as Polygon,
    ]) {
      const { content } = shpRecordContent(g, 'MultiPolygon');
      const v = new DataView(content.buffer);
      expect(v.getInt32(0, true)).toBe(5);
      expect(v.getInt32(36, true)).toBe(2);
      const pts = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => [v.getFloat64(52 + 16 * (from + i), true), v.getFloat64(60 + 16 * (from + i), true)]);
      expect(ringArea2(pts(0, 5))).toBeLessThan(0);
      expect(ringArea2(pts(5, 10))).toBeGreaterThan(0);
    }
  });

  it('does not mutate its input', () => {
    const g = JSON.parse(JSON.stringify(withHole)) as Polygon;
    const before = JSON.stringify(g);
    shpRecordContent(g, 'Polygon');
    rightHandRule(g);
    promote(g, 'MultiPolygon');
    mapPositions(g, ([x, y]) => [x + 1, y]);
    expect(JSON.stringify(g)).toBe(before);
  });

  it('writes points, null shapes and the 100-byte header', () => {
    const { content, bounds } = shpRecordContent({ type: 'Point', coordinates: [1, 2] }, 'Point');
    expect(content.length).toBe(20);
    expect(bounds).toEqual([1, 2, 1, 2]);
    expect(shpRecordContent(null, 'Point').content).toEqual(new Uint8Array(4));
    const h = new DataView(shpHeader(1, 1000, [1, 2, 3, 4]).buffer);
    expect(h.getInt32(0, false)).toBe(9994);
    expect(h.getInt32(24, false)).toBe(500);
    expect(h.getInt32(28, true)).toBe(1000);
    expect([36, 44, 52, 60].map((o) => h.getFloat64(o, true))).toEqual([1, 2, 3, 4]);
  });

  it('refuses a geometry the layer did not declare', () => {
    expect(() =>
      shpRecordContent(
        {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        } as Geometry,
        'Point',
      ),
    ).toThrow(/not a point/);
    expect(() => promote({ type: 'Point', coordinates: [0, 0] }, 'MultiPolygon')).toThrow(/cannot be written/);
  });
});

describe('GeoJSON ring orientation', () => {
  it('follows the right-hand rule: exterior counter-clockwise, holes clockwise', () => {
    const cw: Polygon = { type: 'Polygon', coordinates: withHole.coordinates.map((r) => [...r].reverse()) };
    const fixed = rightHandRule(cw) as Polygon;
    expect(ringArea2(fixed.coordinates[0])).toBeGreaterThan(0);
    expect(ringArea2(fixed.coordinates[1])).toBeLessThan(0);
  });
});
