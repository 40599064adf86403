import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import type { LngLat } from '../datum';
import { offsetKm, placePoint, planAnchors, sampleAround, seatSigmaKm, townshipFromName, MAIN_URBAN_CORE } from './placement';
import { bboxOf, createDistrictIndex, pointInMultiPolygon } from './pip';

/** A 20 km × 20 km square around a seat, and a neighbour to its east. */
function squareKm(centre: LngLat, halfKm: number): number[][][][] {
  const sw = offsetKm(centre, -halfKm, -halfKm);
  const ne = offsetKm(centre, halfKm, halfKm);
  return [[[sw, [ne[0], sw[1]], ne, [sw[0], ne[1]], sw]]];
}
const SEAT: LngLat = [108.0, 30.0];
const A = squareKm(SEAT, 10);
const B = squareKm(offsetKm(SEAT, 20, 0), 10);

describe('pip', () => {
  it('tests points in multi-part polygons with holes (even–odd)', () => {
    const outer = [
      [0, 0],
      [10, 0],
      [10, 10],
      [0, 10],
      [0, 0],
    ];
    const hole = [
      [4, 4],
      [4, 6],
      [6, 6],
      [6, 4],
      [4, 4],
    ];
    const island = [
      [20, 20],
      [21, 20],
      [21, 21],
      [20, 21],
      [20, 20],
    ];
    const mp = [[outer, hole], [island]];
    expect(pointInMultiPolygon([1, 1], mp)).toBe(true);
    expect(pointInMultiPolygon([5, 5], mp)).toBe(false);
    expect(pointInMultiPolygon([20.5, 20.5], mp)).toBe(true);
    expect(pointInMultiPolygon([15, 15], mp)).toBe(false);
    expect(bboxOf(mp)).toEqual([0, 0, 21, 21]);
  });

  it('knows which district a point is in, and only that one', () => {
    const index = createDistrictIndex([
      { code: 'A', polygons: A },
      { code: 'B', polygons: B },
    ]);
    expect(index.codesAt(SEAT)).toEqual(['A']);
    expect(index.insideOnly('A', SEAT)).toBe(true);
    expect(index.insideOnly('B', SEAT)).toBe(false);
    expect(index.codesAt([0, 0])).toEqual([]);
  });
});

describe('placement', () => {
  it('spreads wider for large, rural districts', () => {
    expect(seatSigmaKm(3458.8, 0.6892)).toBeCloseTo(2.38, 1); // 万州
    expect(seatSigmaKm(22.8, 1)).toBe(0.8); // 渝中: clamped
    expect(seatSigmaKm(5185.9, 0.4219)).toBeGreaterThan(seatSigmaKm(3458.8, 0.6892)); // 酉阳 > 万州
  });

  it('offsets by kilometres', () => {
    const p = offsetKm(SEAT, 0, 110.574);
    expect(p[1]).toBeCloseTo(31, 6);
  });

  it('samples inside the accepted area, rounded to 6 decimals, deterministically', () => {
    const accept = (p: LngLat) => pointInMultiPolygon(p, A);
    const a = Array.from({ length: 50 }, (_, i) => sampleAround(createRng(i), SEAT, 3, accept));
    const b = Array.from({ length: 50 }, (_, i) => sampleAround(createRng(i), SEAT, 3, accept));
    expect(a).toEqual(b);
    for (const p of a) {
      expect(p).not.toBeNull();
      expect(accept(p!)).toBe(true);
      expect(Math.round(p![0] * 1e6) / 1e6).toBe(p![0]);
    }
    expect(sampleAround(createRng(1), [0, 0], 1, accept, 10)).toBeNull();
  });

  it('clusters urban points near the seat and rural ones around township anchors', () => {
    const rng = createRng(7);
    const accept = (p: LngLat) => pointInMultiPolygon(p, A);
    const townships = ['甲镇', '乙乡', '丙镇', '城东街道'].map((n, i) => townshipFromName(`50010100${i}`, n));
    const anchors = planAnchors(
      rng,
      { code: 'A', centralUrban: false, labelPoint: SEAT, areaKm2: 400, urbanShare: 0.6, bbox: bboxOf(A) },
      townships,
      accept,
    );
    expect(anchors.rural).toHaveLength(3); // 街道 are urban
    expect(anchors.streets.map((t) => t.name)).toEqual(['城东街道']);
    const urban = Array.from({ length: 200 }, () => placePoint(rng, anchors, 1, accept));
    const rural = Array.from({ length: 200 }, () => placePoint(rng, anchors, 0, accept));
    const meanKm = (ps: { point: LngLat }[]) =>
      ps.reduce((s, { point }) => s + Math.hypot((point[0] - SEAT[0]) * 96.4, (point[1] - SEAT[1]) * 110.6), 0) / ps.length;
    expect(meanKm(urban)).toBeLessThan(meanKm(rural));
    expect(rural.every((p) => p.township && p.township.kind !== 'street')).toBe(true);
    expect([...urban, ...rural].every((p) => accept(p.point))).toBe(true);
  });

  it('gives central districts an anchor on the main urban core', () => {
    const anchors = planAnchors(
      createRng(1),
      { code: 'X', centralUrban: true, labelPoint: SEAT, areaKm2: 400, urbanShare: 0.9, bbox: bboxOf(A) },
      [],
      () => true,
    );
    expect(anchors.urban[0].centre).toEqual(MAIN_URBAN_CORE);
    expect(anchors.urban[0].weight).toBeGreaterThan(anchors.urban[1].weight);
  });

  it('reads township names: kind and short name', () => {
    expect(townshipFromName('1', '大坪街道')).toMatchObject({ short: '大坪', kind: 'street' });
    expect(townshipFromName('2', '黄水镇')).toMatchObject({ short: '黄水', kind: 'town' });
    expect(townshipFromName('3', '地宝土家族乡')).toMatchObject({ short: '地宝', kind: 'township' });
    expect(townshipFromName('4', '石桥苗族土家族乡')).toMatchObject({ short: '石桥', kind: 'township' });
    expect(townshipFromName('5', '浩口苗族仡佬族乡')).toMatchObject({ short: '浩口', kind: 'township' });
    expect(townshipFromName('6', '龙镇')).toMatchObject({ short: '龙镇', kind: 'town' });
  });
});
