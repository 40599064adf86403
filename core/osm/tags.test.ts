import { describe, expect, it } from 'vitest';
import { classifyOsm, isMistaggedUniversity, osmAddress, osmAmenities, osmNames, schoolLevel } from './tags';

const cat = (t: Record<string, string>) => classifyOsm(t)?.category ?? null;

describe('OSM tag table', () => {
  it.each([
    [{ amenity: 'baby_hatch' }, 'protection_station'],
    [{ amenity: 'social_facility', 'social_facility:for': 'juvenile' }, 'protection_station'],
    [{ amenity: 'social_facility', 'social_facility:for': 'senior' }, null],
    [{ amenity: 'clinic', 'healthcare:speciality': 'general;paediatrics' }, 'child_health'],
    [{ healthcare: 'midwife' }, 'child_health'],
    [{ amenity: 'hospital', name: '重庆医科大学附属儿童医院' }, 'child_health'],
    [{ amenity: 'hospital', name: '渝中区妇幼保健院' }, 'child_health'],
    [{ amenity: 'doctors', name: 'Детская поликлиника №1' }, 'child_health'],
    [{ amenity: 'hospital', name: '重庆市人民医院' }, null],
    [{ amenity: 'childcare' }, 'nursery'],
    [{ amenity: 'kindergarten', name: '阳光托育中心' }, 'nursery'],
    [{ amenity: 'kindergarten', name: '阳光幼儿园' }, 'kindergarten'],
    [{ amenity: 'school', name: '重庆市特殊教育中心' }, 'special_school'],
    [{ amenity: 'school', 'isced:level': '2;3' }, 'middle_school'],
    [{ amenity: 'school', name: '人和街小学' }, 'primary_school'],
    [{ amenity: 'school', name: '巴蜀中学' }, 'middle_school'],
    [{ amenity: 'school', name: 'École' }, 'primary_school'],
    [{ amenity: 'school', name: '湖南师范大学' }, null],
    [{ amenity: 'library' }, 'library'],
    [{ amenity: 'community_centre', community_centre: 'youth_centre' }, 'activity_centre'],
    [{ amenity: 'community_centre', name: '社区活动中心' }, null],
    [{ building: 'yes', name: '重庆市少年宫' }, 'activity_centre'],
    [{ leisure: 'playground' }, 'playground'],
    [{ leisure: 'playground', access: 'private' }, null],
    [{ leisure: 'park' }, 'park'],
    [{ amenity: 'toilets', baby_feeding: 'room' }, 'mother_baby_room'],
    [{ amenity: 'toilets', changing_table: 'yes' }, null],
    [{ room: 'yes', name: '解放碑母婴室' }, 'mother_baby_room'],
    [{ highway: 'footway' }, null],
  ])('%j → %s', (tags, want) => {
    expect(cat(tags)).toBe(want);
  });

  it('splits schools by isced:level, school, grades and names, defaulting to primary (flagged)', () => {
    expect(schoolLevel({ amenity: 'school', 'isced:level': '1;2' })).toEqual({
      level: 'primary',
      facts: { also_middle: true, school_level_from: 'isced:level' },
    });
    expect(schoolLevel({ amenity: 'school', 'isced:level': '1-3' }).level).toBe('primary');
    expect(schoolLevel({ amenity: 'school', school: 'secondary' }).level).toBe('middle');
    expect(schoolLevel({ amenity: 'school', grades: '7-9' }).level).toBe('middle');
    expect(schoolLevel({ amenity: 'school', grades: '1-9' }).facts).toEqual({ also_middle: true, school_level_from: 'grades' });
    expect(schoolLevel({ amenity: 'school', name: 'Школа №1' })).toEqual({ level: 'primary', facts: { school_level_guessed: true } });
    expect(classifyOsm({ amenity: 'school' })?.attributes).toEqual({ school_level_guessed: true });
  });

  it('flags children’s libraries and keeps the rule id', () => {
    expect(classifyOsm({ amenity: 'library', name: '重庆少年儿童图书馆' })).toEqual({
      category: 'library',
      rule: 'library',
      attributes: { childrens: true },
    });
    expect(classifyOsm({ amenity: 'library', name: 'Stadtbibliothek' })?.attributes).toEqual({ childrens: false });
  });

  it('amenity flags, names and addresses', () => {
    expect(osmAmenities({ changing_table: 'yes', baby_feeding: 'room', wheelchair: 'no', toilets: 'yes' })).toEqual({
      changing_table: true,
      nursing_room: true,
      accessible_entrance: false,
      toilets: true,
    });
    expect(osmAmenities({ leisure: 'park', playground: 'yes' })).toEqual({ childrens_area: true });
    expect(osmNames({ name: 'Marina Bay', 'name:zh': '滨海湾', 'name:en': 'Marina Bay' })).toEqual({
      name_zh: '滨海湾',
      name_en: 'Marina Bay',
    });
    expect(osmNames({ 'name:en': 'Only English' })).toEqual({ name_zh: 'Only English', name_en: 'Only English' });
    expect(osmAddress({ 'addr:city': '重庆市', 'addr:district': '渝中区', 'addr:street': '民族路', 'addr:housenumber': '188' })).toBe(
      '重庆市渝中区民族路188号',
    );
    expect(osmAddress({ 'addr:street': 'Rue Grimaldi', 'addr:housenumber': '5', 'addr:city': 'Monaco' })).toBe('5 Rue Grimaldi, Monaco');
    expect(isMistaggedUniversity({ amenity: 'school', name: '湖南师范大学附属中学' })).toBe(false);
  });

  it('does not mutate its input', () => {
    const t = Object.freeze({ amenity: 'school', name: '人和街小学' });
    expect(() => classifyOsm(t)).not.toThrow();
  });
});
