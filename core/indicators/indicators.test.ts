/**
 * The formulas on hand-computed fixtures: targets exactly met, shortfalls rounded up,
 * missing data and zero denominators as `no_data`, city totals as sums.
 */
import { describe, expect, it } from 'vitest';
import {
  CITY_CODE,
  computeIndicators,
  coverageInputFromSummary,
  indicatorById,
  INDICATOR_IDS,
  INDICATORS,
  meetsRate,
  unitsShort,
  emptyAggregates,
  type DatasetContext,
  type DistrictAggregates,
  type IndicatorId,
  type IndicatorResult,
} from './index';

/** A district with nothing in it; each test adds what it needs (a factory: no shared state). */
function district(code: string, over: Partial<DistrictAggregates> = {}): DistrictAggregates {
  return {
    ...emptyAggregates({
      code,
      name_zh: `区${code}`,
      name_en: `District ${code}`,
      population: 100_000,
      children_0_2: 3_000,
      children_3_5: 3_000,
      children_0_14: 15_000,
    }),
    ...over,
  };
}

/** Every category loaded city-wide, venues, streets and communities too. */
function fullContext(over: Partial<DatasetContext> = {}): DatasetContext {
  return {
    cityFacilities: { nursery: 10, kindergarten: 10, special_school: 3, child_health: 5, protection_station: 7, mother_baby_room: 4 },
    venueRecords: 5,
    streetRecords: 10,
    communityRecords: 10,
    ...over,
  };
}

const one = (id: IndicatorId, a: DistrictAggregates, ctx = fullContext()): IndicatorResult => indicatorById(id).district(a, ctx);

describe('ratio helpers', () => {
  it('decide the boundary exactly: a rate on target is met', () => {
    expect(meetsRate(450, 100_000, 1000, 4.5)).toBe(true);
    expect(meetsRate(449, 100_000, 1000, 4.5)).toBe(false);
    expect(meetsRate(90, 100, 100, 90)).toBe(true);
    // 0.9 × 30 = 27.000000000000004 in floating point: 27 of 30 is still met
    expect(meetsRate(27, 30, 100, 90)).toBe(true);
    expect(unitsShort(27, 30, 100, 90)).toBe(0);
  });

  it('round shortfalls up to whole units', () => {
    expect(unitsShort(400, 100_000, 1000, 4.5)).toBe(50);
    // 0.55 × 333 = 183.15 public places needed → 1 more
    expect(unitsShort(183, 333, 100, 55)).toBe(1);
    expect(unitsShort(0, 1, 1000, 4.5)).toBe(1); // 0.0045 places needed → 1 whole place
  });
});

describe('nursery places per 1,000 residents (§五)', () => {
  it('is met exactly at 4.5: 450 places for 100,000 residents', () => {
    const r = one(
      'nursery_places_per_1000',
      district('500001', { nursery: { facilities: 3, withCapacity: 3, places: 450, guidanceCentres: 0 } }),
    );
    expect(r).toMatchObject({ value: 4.5, target: 4.5, status: 'met', numerator: 450, denominator: 100_000, shortfall: null, note: null });
  });

  it('counts the places still missing: 500 places for 200,000 residents → 2.5, needs 400', () => {
    const r = one(
      'nursery_places_per_1000',
      district('500002', { population: 200_000, nursery: { facilities: 4, withCapacity: 4, places: 500, guidanceCentres: 0 } }),
    );
    expect(r.value).toBe(2.5);
    expect(r.status).toBe('not_met');
    expect(r.shortfall).toEqual({ amount: 400, unit: 'places', text: { zh: '还需增加 400 个托位', en: 'needs 400 more nursery places' } });
  });

  it('formats large shortfalls with separators: 1,240 places', () => {
    // 4.5 × 1,000,000 / 1,000 = 4,500 needed; 3,260 there → 1,240
    const r = one(
      'nursery_places_per_1000',
      district('500003', { population: 1_000_000, nursery: { facilities: 30, withCapacity: 30, places: 3_260, guidanceCentres: 0 } }),
    );
    expect(r.value).toBe(3.26);
    expect(r.shortfall?.text.en).toBe('needs 1,240 more nursery places');
  });

  it('is no_data for zero or missing population, never 0 or Infinity', () => {
    const zero = one(
      'nursery_places_per_1000',
      district('500004', { population: 0, nursery: { facilities: 1, withCapacity: 1, places: 50, guidanceCentres: 0 } }),
    );
    expect(zero).toMatchObject({ value: null, status: 'no_data', numerator: null, denominator: null });
    expect(zero.note?.en).toMatch(/population is zero/);
    const missing = one('nursery_places_per_1000', district('500005', { population: null }));
    expect(missing).toMatchObject({ value: null, status: 'no_data' });
    expect(missing.note?.en).toMatch(/no resident population/);
  });

  it('is no_data when no nursery is loaded anywhere, or none records its capacity', () => {
    const ctx = fullContext({ cityFacilities: { kindergarten: 3 } });
    expect(one('nursery_places_per_1000', district('500006'), ctx)).toMatchObject({ status: 'no_data', value: null });
    const noCap = one(
      'nursery_places_per_1000',
      district('500007', { nursery: { facilities: 2, withCapacity: 0, places: 0, guidanceCentres: 0 } }),
    );
    expect(noCap.status).toBe('no_data');
    expect(noCap.note?.en).toBe('none of the 2 nurseries has a recorded capacity');
  });

  it('counts a district with no nursery (while the city has some) as 0 places, not met', () => {
    const r = one('nursery_places_per_1000', district('500008'));
    expect(r).toMatchObject({ value: 0, status: 'not_met', numerator: 0, denominator: 100_000 });
    expect(r.shortfall?.amount).toBe(450);
  });

  it('says when the value is a lower bound (some capacities unknown)', () => {
    const r = one(
      'nursery_places_per_1000',
      district('500009', { nursery: { facilities: 5, withCapacity: 4, places: 300, guidanceCentres: 0 } }),
    );
    expect(r.value).toBe(3);
    expect(r.note?.en).toBe('1 of 5 have no recorded capacity: the value is a lower bound');
  });
});

describe('infant-care guidance centre (§五)', () => {
  it('is met with one centre and not met without', () => {
    expect(
      one(
        'infant_care_guidance_centre',
        district('500001', { nursery: { facilities: 2, withCapacity: 2, places: 100, guidanceCentres: 1 } }),
      ),
    ).toMatchObject({
      value: 1,
      target: 1,
      status: 'met',
    });
    const r = one(
      'infant_care_guidance_centre',
      district('500002', { nursery: { facilities: 2, withCapacity: 2, places: 100, guidanceCentres: 0 } }),
    );
    expect(r).toMatchObject({ value: 0, status: 'not_met' });
    expect(r.shortfall?.text.en).toBe('needs a demonstration infant-care guidance centre');
  });

  it('is no_data when there is no nursery data at all', () => {
    expect(one('infant_care_guidance_centre', district('500003'), fullContext({ cityFacilities: {} })).status).toBe('no_data');
  });
});

describe('kindergartens (§六)', () => {
  const kg = (over: Partial<DistrictAggregates['kindergarten']>): DistrictAggregates['kindergarten'] => ({
    facilities: 10,
    withCapacity: 10,
    places: 0,
    inclusiveKnownPlaces: 0,
    inclusivePlaces: 0,
    ownershipKnownPlaces: 0,
    publicPlaces: 0,
    ...over,
  });

  it('places per 1,000 children aged 3–5: 2,790 places for 3,000 children is exactly 930 (93 %)', () => {
    const r = one('kindergarten_places_per_1000_children', district('500001', { kindergarten: kg({ places: 2_790 }) }));
    expect(r).toMatchObject({ value: 930, target: 930, status: 'met', numerator: 2_790, denominator: 3_000 });
  });

  it('places shortfall: 2,400 places for 3,000 children → 800, needs 390', () => {
    const r = one('kindergarten_places_per_1000_children', district('500002', { kindergarten: kg({ places: 2_400 }) }));
    expect(r.value).toBe(800);
    expect(r.shortfall?.amount).toBe(390);
  });

  it('no_data with zero children aged 3–5', () => {
    expect(
      one('kindergarten_places_per_1000_children', district('500003', { children_3_5: 0, kindergarten: kg({ places: 100 }) })).status,
    ).toBe('no_data');
  });

  it('inclusive share: 900 of 1,000 places is exactly 90 %; 899 needs 1 more', () => {
    expect(
      one(
        'kindergarten_inclusive_share',
        district('500001', { kindergarten: kg({ places: 1_000, inclusiveKnownPlaces: 1_000, inclusivePlaces: 900 }) }),
      ),
    ).toMatchObject({
      value: 90,
      target: 90,
      status: 'met',
      numerator: 900,
      denominator: 1_000,
    });
    const r = one(
      'kindergarten_inclusive_share',
      district('500002', { kindergarten: kg({ places: 1_000, inclusiveKnownPlaces: 1_000, inclusivePlaces: 899 }) }),
    );
    expect(r).toMatchObject({ value: 89.9, status: 'not_met' });
    expect(r.shortfall?.amount).toBe(1);
  });

  it('inclusive share leaves out places whose status is unknown, and says so', () => {
    const r = one(
      'kindergarten_inclusive_share',
      district('500003', { kindergarten: kg({ places: 1_200, inclusiveKnownPlaces: 1_000, inclusivePlaces: 950 }) }),
    );
    expect(r).toMatchObject({ value: 95, status: 'met', denominator: 1_000 });
    expect(r.note?.en).toMatch(/200 places without a recorded 普惠/);
  });

  it('public share: 550 of 1,000 is exactly 55 %; 183 of 333 needs 1 more (0.55 × 333 = 183.15)', () => {
    expect(
      one(
        'kindergarten_public_share',
        district('500001', { kindergarten: kg({ places: 1_000, ownershipKnownPlaces: 1_000, publicPlaces: 550 }) }),
      ).status,
    ).toBe('met');
    const r = one(
      'kindergarten_public_share',
      district('500002', { kindergarten: kg({ places: 333, ownershipKnownPlaces: 333, publicPlaces: 183 }) }),
    );
    expect(r.value).toBe(54.955); // 183 / 333 × 100 = 54.95495… → 4 decimals
    expect(r.shortfall?.amount).toBe(1);
  });

  it('shares are no_data when no place has a known status', () => {
    const r = one('kindergarten_public_share', district('500004', { kindergarten: kg({ places: 500 }) }));
    expect(r.status).toBe('no_data');
    expect(r.note?.en).toBe('no kindergarten records both its capacity and its ownership');
  });
});

describe('special-education school (§七)', () => {
  it('applies only over 200,000 residents', () => {
    expect(one('special_school', district('500001', { population: 200_000 }))).toMatchObject({
      status: 'not_applicable',
      value: 0,
      target: null,
    });
    expect(one('special_school', district('500002', { population: 200_001 }))).toMatchObject({ status: 'not_met', value: 0, target: 1 });
    expect(one('special_school', district('500003', { population: 200_001, specialSchools: 1 }))).toMatchObject({
      status: 'met',
      value: 1,
    });
  });

  it('city: the share of districts over the threshold that have one', () => {
    const ds = [
      district('500001', { population: 300_000, specialSchools: 1 }),
      district('500002', { population: 300_000 }),
      district('500003', { population: 150_000 }),
    ];
    const r = computeIndicators(ds, fullContext(), ['special_school']).city.results[0];
    expect(r).toMatchObject({ district: CITY_CODE, value: 50, target: 100, status: 'not_met', numerator: 1, denominator: 2 });
    expect(r.shortfall).toMatchObject({ amount: 1, unit: 'districts', items: [{ kind: 'district', id: '500002' }] });
  });
});

describe('child health (§十)', () => {
  it('MCH institution present or missing', () => {
    expect(
      one('mch_institution', district('500001', { childHealth: { facilities: 3, mch: 1, withPaediatricians: 0, paediatricians: 0 } }))
        .status,
    ).toBe('met');
    expect(
      one('mch_institution', district('500002', { childHealth: { facilities: 3, mch: 0, withPaediatricians: 0, paediatricians: 0 } }))
        .status,
    ).toBe('not_met');
  });

  it('paediatricians: 10.5 for 15,000 children is exactly 0.7; no counts is no_data', () => {
    expect(
      one(
        'paediatricians_per_1000_children',
        district('500001', { childHealth: { facilities: 2, mch: 1, withPaediatricians: 2, paediatricians: 10.5 } }),
      ),
    ).toMatchObject({
      value: 0.7,
      status: 'met',
    });
    const short = one(
      'paediatricians_per_1000_children',
      district('500002', { childHealth: { facilities: 2, mch: 1, withPaediatricians: 1, paediatricians: 6 } }),
    );
    // 0.7 × 15 = 10.5 needed, 6 there → 5 more (rounded up); one facility unrecorded
    expect(short).toMatchObject({ value: 0.4, status: 'not_met', shortfall: { amount: 5, unit: 'paediatricians' } });
    expect(short.note?.en).toMatch(/lower bound/);
    const none = one(
      'paediatricians_per_1000_children',
      district('500003', { childHealth: { facilities: 2, mch: 1, withPaediatricians: 0, paediatricians: 0 } }),
    );
    expect(none).toMatchObject({ status: 'no_data', value: null });
    expect(none.note?.en).toBe('paediatrician counts not recorded');
  });
});

describe('mother-and-baby rooms in large venues (§十八)', () => {
  const venue = (id: number, has: boolean) => ({
    kind: 'venue' as const,
    id,
    name: { zh: `场所${id}`, en: `Venue ${id}` },
    venueKind: 'mall',
    point: [106.5, 29.5] as [number, number],
    hasMotherBabyRoom: has,
  });

  it('share with a room and the venues without one', () => {
    const r = one('mother_baby_room_large_venues', district('500001', { largeVenues: [venue(1, true), venue(2, false), venue(3, false)] }));
    expect(r).toMatchObject({ value: 33.3333, target: 100, status: 'not_met', numerator: 1, denominator: 3 });
    expect(r.shortfall?.amount).toBe(2);
    expect(r.shortfall?.text.en).toBe('2 large venues without a mother-and-baby room');
    expect(r.shortfall?.items?.map((i) => i.id)).toEqual([2, 3]);
  });

  it('all venues with a room is met; no large venue is not_applicable; no venue data is no_data', () => {
    expect(one('mother_baby_room_large_venues', district('500001', { largeVenues: [venue(1, true)] })).status).toBe('met');
    expect(one('mother_baby_room_large_venues', district('500002')).status).toBe('not_applicable');
    expect(one('mother_baby_room_large_venues', district('500003'), fullContext({ venueRecords: 0 })).status).toBe('no_data');
  });
});

describe('minor-protection stations per street/township (§二十六)', () => {
  it('share of 街道/乡镇 with a station, naming those without', () => {
    const r = one(
      'protection_station_street_share',
      district('500001', { streets: { total: 4, withStation: 3, withoutStation: [{ code: '500001004', name_zh: '丁镇' }] } }),
    );
    expect(r).toMatchObject({ value: 75, status: 'not_met', numerator: 3, denominator: 4 });
    expect(r.shortfall).toMatchObject({ amount: 1, unit: 'streets', items: [{ kind: 'street', id: '500001004', name: { zh: '丁镇' } }] });
  });

  it('is no_data when the district has no streets loaded', () => {
    expect(one('protection_station_street_share', district('500002')).status).toBe('no_data');
  });
});

describe('child-friendly communities (§三十一)', () => {
  it('no_data while the communities table is empty', () => {
    const out = computeIndicators([district('500001')], fullContext({ communityRecords: 0 }), ['child_friendly_communities']);
    expect(out.districts[0].results[0].status).toBe('no_data');
    expect(out.city.results[0]).toMatchObject({ status: 'no_data', value: null, target: 100 });
  });

  it('counts against the city target of 100; districts have no target of their own', () => {
    const ds = [
      district('500001', { communities: { total: 50, childFriendly: 30 } }),
      district('500002', { communities: { total: 20, childFriendly: 10 } }),
    ];
    const out = computeIndicators(ds, fullContext({ communityRecords: 70 }), ['child_friendly_communities']);
    expect(out.districts[0].results[0]).toMatchObject({ value: 30, target: null, status: 'not_applicable' });
    expect(out.city.results[0]).toMatchObject({
      value: 40,
      target: 100,
      status: 'not_met',
      shortfall: { amount: 60, unit: 'communities' },
    });
  });
});

describe('walking coverage: the plug-in point', () => {
  it('is no_data until the coverage engine hands in results', () => {
    const out = computeIndicators([district('500001')], fullContext());
    for (const r of out.districts[0].results.filter((x) => x.id.startsWith('coverage_'))) {
      expect(r).toMatchObject({ status: 'no_data', value: null });
      expect(r.note?.en).toMatch(/not computed yet/);
    }
  });

  it('takes per-district coverage summaries keyed by district code', () => {
    const input = coverageInputFromSummary(
      'kindergarten',
      {
        mode: 'network',
        radiusM: 300,
        districts: [
          { district: 0, children: 3_000, coveredChildren: 2_400 },
          { district: 1, children: 1_000, coveredChildren: 100 },
        ],
      },
      ['500001', '500002'],
    );
    const out = computeIndicators([district('500001'), district('500002')], fullContext({ coverage: { kindergarten: input } }), [
      'coverage_kindergarten_300m',
    ]);
    expect(out.districts[0].results[0]).toMatchObject({ value: 80, status: 'not_applicable', numerator: 2_400, denominator: 3_000 });
    expect(out.districts[0].results[0].shortfall?.text.en).toBe('600 children aged 3–5 have no kindergarten within 300 m');
    expect(out.city.results[0]).toMatchObject({ value: 62.5, numerator: 2_500, denominator: 4_000 });
  });
});

describe('city totals', () => {
  it('sum numerators and denominators (population-weighted), leaving no_data districts out', () => {
    const ds = [
      district('500001', { population: 100_000, nursery: { facilities: 3, withCapacity: 3, places: 450, guidanceCentres: 1 } }),
      district('500002', { population: 200_000, nursery: { facilities: 4, withCapacity: 4, places: 500, guidanceCentres: 0 } }),
      district('500003', { population: 0 }),
    ];
    const out = computeIndicators(ds, fullContext(), ['nursery_places_per_1000']);
    expect(out.districts.map((d) => d.results[0].status)).toEqual(['met', 'not_met', 'no_data']);
    const city = out.city.results[0];
    // 950 places / 300,000 residents × 1000 = 3.1667; 1,350 needed → 400 short
    expect(city).toMatchObject({
      district: CITY_CODE,
      value: 3.1667,
      status: 'not_met',
      numerator: 950,
      denominator: 300_000,
      shortfall: { amount: 400 },
    });
    expect(city.note?.en).toBe('1 district without data left out; 1 district below target, together: needs 400 more nursery places');
    expect(city.note?.zh).toBe('1 个区县缺少数据，未计入；1 个区县未达标，合计还需增加 400 个托位');
  });

  it('a district above target does not hide the places the others need', () => {
    const ds = [
      district('500001', { population: 100_000, nursery: { facilities: 9, withCapacity: 9, places: 900, guidanceCentres: 0 } }), // 9.0
      district('500002', { population: 100_000, nursery: { facilities: 1, withCapacity: 1, places: 100, guidanceCentres: 0 } }), // 1.0, needs 350
    ];
    const city = computeIndicators(ds, fullContext(), ['nursery_places_per_1000']).city.results[0];
    expect(city).toMatchObject({ value: 5, status: 'met', shortfall: null });
    expect(city.note?.en).toBe('1 district below target, together: needs 350 more nursery places');
  });

  it('the whole city is no_data when no district can be judged', () => {
    const out = computeIndicators([district('500001', { population: null })], fullContext(), ['nursery_places_per_1000']);
    expect(out.city.results[0]).toMatchObject({ status: 'no_data', value: null });
  });

  it('returns every indicator in registry order and never mutates its inputs', () => {
    const ds = [Object.freeze(district('500001'))];
    const ctx = Object.freeze(fullContext());
    const out = computeIndicators(ds, ctx);
    expect(out.districts[0].results.map((r) => r.id)).toEqual([...INDICATOR_IDS]);
    expect(out.city.results.map((r) => r.id)).toEqual([...INDICATOR_IDS]);
    expect(INDICATORS.every((d) => d.clause.length > 0 && d.formula.zh && d.formula.en && d.dataNeeded.zh && d.dataNeeded.en)).toBe(true);
  });

  it('never reports a number as no_data, nor NaN or Infinity as a value', () => {
    const ds = [
      district('500001', { population: 0, children_0_2: 0, children_3_5: 0, children_0_14: 0 }),
      district('500002', { population: null, children_0_2: null, children_3_5: null, children_0_14: null }),
    ];
    const out = computeIndicators(ds, fullContext());
    for (const r of [...out.districts.flatMap((d) => d.results), ...out.city.results]) {
      if (r.status === 'no_data') expect(r.value).toBeNull();
      if (r.value !== null) expect(Number.isFinite(r.value)).toBe(true);
    }
  });
});
