import { describe, expect, it } from 'vitest';
import { haversineM } from './coverage/geo';
import { CRS_IDS, fromWgs84, toWgs84, type LngLat } from './datum';

const distanceM = (a: LngLat, b: LngLat): number => haversineM(a[0], a[1], b[0], b[1]);

// Reference values published with wandergis/coordtransform (the de-facto reference
// implementation, also pinned by hutool's CoordinateUtilTest and coordtransform-rs):
// wgs84_to_gcj02(116.404, 39.915) and gcj02_to_bd09(116.404, 39.915).
const BEIJING: LngLat = [116.404, 39.915];
const BEIJING_WGS84_AS_GCJ02: LngLat = [116.41024449916938, 39.91640428150164];
const BEIJING_GCJ02_AS_BD09: LngLat = [116.41036949371029, 39.92133699351021];

describe('datum', () => {
  it('WGS84 → GCJ-02 matches the published reference point', () => {
    const got = fromWgs84(BEIJING, 'gcj02');
    expect(distanceM(got, BEIJING_WGS84_AS_GCJ02)).toBeLessThan(0.01);
  });

  it('GCJ-02 → BD-09 matches the published reference point (through WGS84)', () => {
    const got = fromWgs84(toWgs84(BEIJING, 'gcj02'), 'bd09');
    expect(distanceM(got, BEIJING_GCJ02_AS_BD09)).toBeLessThan(1);
  });

  it('GCJ-02 → WGS84 inverts the reference point within 1 m', () => {
    expect(distanceM(toWgs84(BEIJING_WGS84_AS_GCJ02, 'gcj02'), BEIJING)).toBeLessThan(1);
  });

  it.each([
    ['解放碑, 渝中', [106.5772, 29.5586]],
    ['城口县城', [108.6649, 31.9463]],
    ['秀山县城', [108.996, 28.4448]],
    ['Beijing', BEIJING],
  ] as [string, LngLat][])('round trip through every datum within 1 m: %s', (_name, p) => {
    for (const crs of CRS_IDS) {
      expect(distanceM(toWgs84(fromWgs84(p, crs), crs), p)).toBeLessThan(1);
      expect(distanceM(fromWgs84(toWgs84(p, crs), crs), p)).toBeLessThan(1);
    }
  });

  it('the GCJ-02 offset in central Chongqing is a few hundred metres', () => {
    // Field reports and the algorithm agree on ~300–600 m around the Yuzhong peninsula.
    const gcj: LngLat = [106.55, 29.56];
    const offsetM = distanceM(toWgs84(gcj, 'gcj02'), gcj);
    expect(offsetM).toBeGreaterThan(300);
    expect(offsetM).toBeLessThan(600);
    // and GCJ-02 is shifted east and south of WGS84 here, so WGS84 lies west and north
    const wgs = toWgs84(gcj, 'gcj02');
    expect(wgs[0]).toBeLessThan(gcj[0]);
    expect(wgs[1]).toBeGreaterThan(gcj[1]);
  });

  it('BD-09 is further offset than GCJ-02 (≈ 1 km in Chongqing)', () => {
    const p: LngLat = [106.55, 29.56];
    const offsetM = distanceM(toWgs84(p, 'bd09'), p);
    expect(offsetM).toBeGreaterThan(600);
    expect(offsetM).toBeLessThan(1500);
  });

  it.each([
    ['Paris', [2.3522, 48.8566]],
    ['New York', [-74.006, 40.7128]],
    ['Tokyo', [139.6917, 35.6895]],
    ['Sydney', [151.2093, -33.8688]],
  ] as [string, LngLat][])('leaves points outside China unchanged: %s', (_name, p) => {
    for (const crs of CRS_IDS) {
      expect(toWgs84(p, crs)).toEqual(p);
      expect(fromWgs84(p, crs)).toEqual(p);
    }
  });

  it('CGCS2000 and WGS84 are identity', () => {
    const p: LngLat = [106.55, 29.56];
    expect(toWgs84(p, 'cgcs2000')).toEqual(p);
    expect(fromWgs84(p, 'wgs84')).toEqual(p);
  });

  it('does not mutate its input and returns a new array', () => {
    const p: [number, number] = [106.55, 29.56];
    const frozen = Object.freeze([...p]) as unknown as [number, number];
    for (const crs of CRS_IDS) {
      const a = toWgs84(frozen, crs);
      const b = fromWgs84(frozen, crs);
      expect(a).not.toBe(frozen);
      expect(b).not.toBe(frozen);
    }
    expect(frozen).toEqual(p);
  });
});
