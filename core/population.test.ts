import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { childGroupsFromShares } from './population';
import { CENTRAL_URBAN_CODES, parseCensusCsv } from './demo/districts';

const CENSUS_CSV = new URL('../data/census/chongqing_2020_districts.csv', import.meta.url);

describe('childGroupsFromShares', () => {
  it('splits the census bins evenly by single year (hand-computed)', () => {
    // pop 100,000; AGES_0 1 %, AGES_1-4 4 %, AGES_5-9 5 %, AGES_10-14 5 %, AGES_0-14 15 %
    // 0–2:  100,000 × (0.01 + 0.5 × 0.04)           = 3,000
    // 3–5:  100,000 × (0.5 × 0.04 + 0.2 × 0.05)     = 3,000
    // 6–11: 100,000 × (0.8 × 0.05 + 0.4 × 0.05)     = 6,000
    // 12–14: 100,000 × 0.6 × 0.05                   = 3,000
    expect(childGroupsFromShares(100_000, { ages0: 0.01, ages1to4: 0.04, ages5to9: 0.05, ages10to14: 0.05, ages0to14: 0.15 })).toEqual({
      children_0_2: 3000,
      children_3_5: 3000,
      children_6_11: 6000,
      children_12_14: 3000,
      children_0_14: 15000,
    });
  });

  it('computes 渝中区 from its census row (hand-computed)', () => {
    // 588,717 × (0.0055 + 0.5 × 0.0312) = 588,717 × 0.0211 = 12,421.93 → 12,422
    // 588,717 × (0.5 × 0.0312 + 0.2 × 0.0396) = 588,717 × 0.02352 = 13,846.62 → 13,847
    // 588,717 × (0.8 × 0.0396 + 0.4 × 0.0322) = 588,717 × 0.04456 = 26,233.23 → 26,233
    // 588,717 × 0.6 × 0.0322 = 588,717 × 0.01932 = 11,374.01 → 11,374
    // 588,717 × 0.1086 = 63,934.67 → 63,935
    expect(
      childGroupsFromShares(588_717, { ages0: 0.0055, ages1to4: 0.0312, ages5to9: 0.0396, ages10to14: 0.0322, ages0to14: 0.1086 }),
    ).toEqual({
      children_0_2: 12_422,
      children_3_5: 13_847,
      children_6_11: 26_233,
      children_12_14: 11_374,
      children_0_14: 63_935,
    });
  });

  it('returns zeros for no population, and does not mutate the shares', () => {
    const shares = Object.freeze({ ages0: 0.01, ages1to4: 0.04, ages5to9: 0.05, ages10to14: 0.05, ages0to14: 0.15 });
    expect(childGroupsFromShares(0, shares)).toEqual({
      children_0_2: 0,
      children_3_5: 0,
      children_6_11: 0,
      children_12_14: 0,
      children_0_14: 0,
    });
  });
});

describe('committed census facts (data/census/chongqing_2020_districts.csv)', () => {
  const rows = parseCensusCsv(readFileSync(CENSUS_CSV, 'utf8'));

  it('has the 38 districts and the official totals', () => {
    expect(rows).toHaveLength(38);
    // 重庆市第七次全国人口普查公报（第一号）: 32,054,159 residents
    expect(rows.reduce((s, r) => s + r.population, 0)).toBe(32_054_159);
    expect(rows.filter((r) => CENTRAL_URBAN_CODES.has(r.code)).reduce((s, r) => s + r.population, 0)).toBe(10_343_462);
    expect(rows.find((r) => r.code === '500112')?.population).toBe(2_191_493); // 渝北
    expect(rows.find((r) => r.code === '500103')?.population).toBe(588_717); // 渝中
  });

  it('gives ≈ 5.1 M children aged 0–14 (official 15.91 %), and groups that add up', () => {
    let total = 0;
    let groups = 0;
    for (const r of rows) {
      const g = childGroupsFromShares(r.population, r.shares);
      total += g.children_0_14;
      groups += g.children_0_2 + g.children_3_5 + g.children_6_11 + g.children_12_14;
    }
    expect(total / 32_054_159).toBeGreaterThan(0.155);
    expect(total / 32_054_159).toBeLessThan(0.163);
    // the groups partition ages 0–14; only the census's rounding of shares separates them
    expect(Math.abs(groups - total) / total).toBeLessThan(0.01);
  });
});
