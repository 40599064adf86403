import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../catalogue';
import { facilityCounts, SPECIAL_SCHOOL_GAPS } from './rates';

describe('facilityCounts', () => {
  const yubei = facilityCounts({ code: '500112', population: 2_191_493, townshipCount: 30 });
  const chengkou = facilityCounts({ code: '500229', population: 197_497, townshipCount: 25 });

  it('grows with population', () => {
    for (const c of ['kindergarten', 'primary_school', 'nursery', 'playground', 'park', 'mother_baby_room'] as const) {
      expect(yubei[c]).toBeGreaterThan(chengkou[c]);
    }
    expect(chengkou.kindergarten).toBe(11); // 197,497 / 5,500 × 0.3 = 10.8
  });

  it('gives every district at least one of each per-capita category, and per-district ones in range', () => {
    for (const c of CATEGORY_IDS) if (c !== 'special_school') expect(chengkou[c]).toBeGreaterThanOrEqual(1);
    expect(yubei.library).toBe(3);
    expect(yubei.child_health).toBeLessThanOrEqual(6);
    expect(yubei.activity_centre).toBeLessThanOrEqual(4);
  });

  it('requires a special school over 200,000 people, except the deliberate gaps', () => {
    expect(yubei.special_school).toBe(1);
    expect(chengkou.special_school).toBe(0); // under the threshold
    for (const code of SPECIAL_SCHOOL_GAPS) expect(facilityCounts({ code, population: 400_000, townshipCount: 20 }).special_school).toBe(0);
    expect(SPECIAL_SCHOOL_GAPS.size).toBeGreaterThanOrEqual(2);
    expect(SPECIAL_SCHOOL_GAPS.size).toBeLessThanOrEqual(3);
  });

  it('caps protection stations at one per 街道/乡镇', () => {
    expect(facilityCounts({ code: '500103', population: 588_717, townshipCount: 11 }).protection_station).toBe(11);
    expect(chengkou.protection_station).toBe(6);
  });
});
