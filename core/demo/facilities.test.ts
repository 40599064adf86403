import { describe, expect, it } from 'vitest';
import type { LngLat } from '../datum';
import { generateDemoFacilities, type DemoDistrictInput } from './facilities';
import { offsetKm } from './placement';
import { pointInMultiPolygon } from './pip';

/** Two made-up square districts side by side (factory: no shared mutable state). */
function fixture(): { districts: DemoDistrictInput[]; townships: { code: string; name: string; districtCode: string }[] } {
  const square = (c: LngLat, halfKm: number) => {
    const sw = offsetKm(c, -halfKm, -halfKm);
    const ne = offsetKm(c, halfKm, halfKm);
    return [[[sw, [ne[0], sw[1]], ne, [sw[0], ne[1]], sw]]];
  };
  const a: LngLat = [108, 30];
  const b = offsetKm(a, 40, 0);
  return {
    districts: [
      {
        code: '500101',
        nameZh: '甲区',
        nameEn: 'Jia District',
        centralUrban: false,
        labelPoint: a,
        areaKm2: 1600,
        population: 1_000_000,
        urbanShare: 0.7,
        polygons: square(a, 20),
      },
      {
        code: '500229',
        nameZh: '乙县',
        nameEn: 'Yi County',
        centralUrban: false,
        labelPoint: b,
        areaKm2: 1600,
        population: 200_001,
        urbanShare: 0.4,
        polygons: square(b, 20),
      },
    ],
    townships: [
      { code: '500101001', name: '城南街道', districtCode: '500101' },
      { code: '500101101', name: '东山镇', districtCode: '500101' },
      { code: '500229001', name: '城关街道', districtCode: '500229' },
      { code: '500229201', name: '西岭乡', districtCode: '500229' },
    ],
  };
}

describe('generateDemoFacilities', () => {
  it('is deterministic for a seed and different for another', () => {
    const a = generateDemoFacilities({ ...fixture(), seed: 1 });
    const b = generateDemoFacilities({ ...fixture(), seed: 1 });
    const c = generateDemoFacilities({ ...fixture(), seed: 2 });
    expect(a).toEqual(b);
    expect(a.map((f) => f.point)).not.toEqual(c.map((f) => f.point));
  });

  it('does not modify its inputs', () => {
    const input = fixture();
    const before = JSON.stringify(input);
    generateDemoFacilities({ ...input, seed: 1 });
    expect(JSON.stringify(input)).toBe(before);
  });

  it('keeps one district unchanged when another changes (per-district streams)', () => {
    const base = fixture();
    const changed = fixture();
    changed.districts[1] = { ...changed.districts[1], population: 300_000 };
    const of = (fs: ReturnType<typeof generateDemoFacilities>) =>
      fs.filter((f) => f.district_code === '500101').map(({ source_id: _id, ...f }) => f);
    expect(of(generateDemoFacilities({ ...changed, seed: 1 }))).toEqual(of(generateDemoFacilities({ ...base, seed: 1 })));
  });

  it('labels every record as demo, with unique ids, inside its district, with sensible attributes', () => {
    const input = fixture();
    const fs = generateDemoFacilities({ ...input, seed: 3 });
    const poly = new Map(input.districts.map((d) => [d.code, d.polygons]));
    expect(new Set(fs.map((f) => f.source_id)).size).toBe(fs.length);
    for (const f of fs) {
      expect(f.source).toBe('demo');
      expect(f.source_id).toMatch(new RegExp(`^demo-${f.category}-\\d+$`));
      expect(pointInMultiPolygon(f.point, poly.get(f.district_code)!)).toBe(true);
      expect(f.address).toContain('示例');
      if (f.category === 'kindergarten') expect(f.capacity).toBeGreaterThanOrEqual(90);
      if (f.category === 'kindergarten') expect(f.capacity).toBeLessThanOrEqual(450);
      if (f.category === 'nursery') expect(f.capacity! >= 20 && f.capacity! <= 150).toBe(true);
      if (f.category === 'park' || f.category === 'playground') expect(f.capacity).toBeNull();
      if (f.category === 'mother_baby_room') {
        expect(['mall', 'station', 'hospital', 'park']).toContain(f.attributes.venue);
        expect(f.attributes.venue).not.toBe('station'); // no metro outside the central districts
        expect(f.amenities.nursing_room).toBe(true);
      }
      if (f.category !== 'kindergarten' && f.category !== 'nursery') expect(f.inclusive).toBeNull();
    }
    expect(fs.filter((f) => f.district_code === '500101' && f.category === 'kindergarten').length).toBeGreaterThan(
      fs.filter((f) => f.district_code === '500229' && f.category === 'kindergarten').length,
    );
  });
});
