import { describe, expect, it } from 'vitest';
import { aggregateIndicatorInputs, isGuidanceCentre, isMchInstitution, paediatricianCount, type IndicatorInputs } from './aggregate';

function inputs(): IndicatorInputs {
  return {
    districts: [
      {
        code: '500001',
        name_zh: '甲区',
        name_en: 'Jia',
        population: 100_000,
        children_0_2: 3_000,
        children_3_5: 3_000,
        children_0_14: 15_000,
      },
      {
        code: '500002',
        name_zh: '乙区',
        name_en: 'Yi',
        population: 50_000,
        children_0_2: 1_500,
        children_3_5: 1_500,
        children_0_14: 7_000,
      },
    ],
    facilities: [
      {
        category: 'nursery',
        district_code: '500001',
        name_zh: '甲区婴幼儿照护服务指导中心',
        capacity: 150,
        ownership: 'public',
        inclusive: true,
      },
      { category: 'nursery', district_code: '500001', name_zh: '小太阳托育园', capacity: 60, ownership: 'private', inclusive: false },
      { category: 'nursery', district_code: '500001', name_zh: '无托位托育园', capacity: null, ownership: 'private', inclusive: null },
      {
        category: 'nursery',
        district_code: '500002',
        name_zh: '乙区托育园',
        capacity: 80,
        ownership: 'private',
        inclusive: null,
        guidance_centre: true,
      },
      { category: 'kindergarten', district_code: '500001', name_zh: '公办园', capacity: 300, ownership: 'public', inclusive: true },
      { category: 'kindergarten', district_code: '500001', name_zh: '民办普惠园', capacity: 200, ownership: 'private', inclusive: true },
      { category: 'kindergarten', district_code: '500001', name_zh: '未知园', capacity: 100, ownership: 'unknown', inclusive: null },
      { category: 'kindergarten', district_code: '500001', name_zh: '无学位园', capacity: null, ownership: 'public', inclusive: true },
      {
        category: 'special_school',
        district_code: '500002',
        name_zh: '乙区特殊教育学校',
        capacity: 120,
        ownership: 'public',
        inclusive: null,
      },
      {
        category: 'child_health',
        district_code: '500001',
        name_zh: '甲区妇幼保健院',
        capacity: null,
        ownership: 'public',
        inclusive: null,
        paediatricians: 12,
      },
      {
        category: 'child_health',
        district_code: '500001',
        name_zh: '甲区人民医院儿科',
        capacity: null,
        ownership: 'public',
        inclusive: null,
        paediatricians: '3',
      },
      {
        category: 'child_health',
        district_code: '500002',
        name_zh: '乙区儿童医院',
        capacity: null,
        ownership: 'public',
        inclusive: null,
        kind: 'mch',
        paediatricians: 'n/a',
      },
      { category: 'nursery', district_code: null, name_zh: '区外托育园', capacity: 999, ownership: 'private', inclusive: null },
    ],
    largeVenues: [
      {
        kind: 'venue',
        id: 7,
        name: { zh: '商场', en: 'Mall' },
        venueKind: 'mall',
        point: [106.5, 29.5],
        hasMotherBabyRoom: false,
        district_code: '500002',
      },
    ],
    streets: [
      { code: '500001001', name_zh: '一街道', district_code: '500001', has_station: true },
      { code: '500001002', name_zh: '二镇', district_code: '500001', has_station: false },
    ],
    communities: [{ district_code: '500001', total: 12, child_friendly: 2 }],
    categoryCounts: { nursery: 5, kindergarten: 4, special_school: 1, child_health: 3 },
    venueRecords: 3,
  };
}

describe('aggregateIndicatorInputs', () => {
  it('sums each district by hand-checked rules', () => {
    const input = inputs();
    const before = JSON.stringify(input);
    const { districts, context } = aggregateIndicatorInputs(input);
    expect(JSON.stringify(input)).toBe(before); // inputs untouched
    const [a, b] = districts;
    expect(a.nursery).toEqual({ facilities: 3, withCapacity: 2, places: 210, guidanceCentres: 1 });
    expect(b.nursery).toEqual({ facilities: 1, withCapacity: 1, places: 80, guidanceCentres: 1 });
    // 300 public+普惠, 200 private+普惠, 100 unknown ownership and 普惠; the one without capacity counts nowhere
    expect(a.kindergarten).toEqual({
      facilities: 4,
      withCapacity: 3,
      places: 600,
      inclusiveKnownPlaces: 500,
      inclusivePlaces: 500,
      ownershipKnownPlaces: 500,
      publicPlaces: 300,
    });
    expect(b.specialSchools).toBe(1);
    expect(a.childHealth).toEqual({ facilities: 2, mch: 1, withPaediatricians: 2, paediatricians: 15 });
    expect(b.childHealth).toEqual({ facilities: 1, mch: 1, withPaediatricians: 0, paediatricians: 0 });
    expect(b.largeVenues).toEqual([
      { kind: 'venue', id: 7, name: { zh: '商场', en: 'Mall' }, venueKind: 'mall', point: [106.5, 29.5], hasMotherBabyRoom: false },
    ]);
    expect(a.streets).toEqual({ total: 2, withStation: 1, withoutStation: [{ code: '500001002', name_zh: '二镇' }] });
    expect(a.communities).toEqual({ total: 12, childFriendly: 2 });
    expect(context).toEqual({
      cityFacilities: { nursery: 5, kindergarten: 4, special_school: 1, child_health: 3 },
      venueRecords: 3,
      streetRecords: 2,
      communityRecords: 12,
    });
  });
});

describe('classification rules', () => {
  it('guidance centres: flag first, then the name', () => {
    expect(isGuidanceCentre({ category: 'nursery', name_zh: '渝中区婴幼儿照护服务指导中心' })).toBe(true);
    expect(isGuidanceCentre({ category: 'nursery', name_zh: '某托育园', guidance_centre: true })).toBe(true);
    expect(isGuidanceCentre({ category: 'nursery', name_zh: '某托育园', guidance_centre: 'true' })).toBe(true);
    expect(isGuidanceCentre({ category: 'nursery', name_zh: '某指导中心', guidance_centre: false })).toBe(false);
    expect(isGuidanceCentre({ category: 'kindergarten', name_zh: '某指导中心' })).toBe(false);
  });

  it('MCH institutions: kind = mch or 妇幼保健 in the name', () => {
    expect(isMchInstitution({ category: 'child_health', name_zh: '万州区妇幼保健院' })).toBe(true);
    expect(isMchInstitution({ category: 'child_health', name_zh: '儿童医院', kind: 'mch' })).toBe(true);
    expect(isMchInstitution({ category: 'child_health', name_zh: '万州区人民医院儿科' })).toBe(false);
  });

  it('paediatrician counts: finite, non-negative numbers only', () => {
    expect(paediatricianCount(4)).toBe(4);
    expect(paediatricianCount('4')).toBe(4);
    expect(paediatricianCount(0)).toBe(0);
    expect(paediatricianCount(-1)).toBeNull();
    expect(paediatricianCount('')).toBeNull();
    expect(paediatricianCount(null)).toBeNull();
    expect(paediatricianCount('many')).toBeNull();
  });
});
