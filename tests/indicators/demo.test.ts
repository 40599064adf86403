/**
 * The indicators on the seeded demo dataset (real districts and 2020 census, synthetic
 * facilities and venues, the official 街道/乡镇 list), on PGlite and on PostgreSQL when
 * TEST_DATABASE_URL is set; and the census figures they divide by, checked against the
 * published municipal totals in the shared census files (skipped when those are absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startDemoApi, type TestApi } from '../api/harness';
import { DEMO_DISTRICTS_FILE, DEMO_FACILITIES_FILE } from '../../server/seed/demo';
import { seedStreets } from '../../server/seed/streets';
import { planDemoVenues, seedDemoVenues, type VenueAnchor } from '../../server/seed/venues';
import { PROJECT_ROOT } from '../../server/config';
import { childGroupsFromShares } from '../../core/population';
import type { IndicatorsResponse, IndicatorResultView } from '../../core/indicators';

const SHARED_CENSUS = path.resolve(PROJECT_ROOT, '..', 'shared', 'data', 'census');
const hasShared =
  existsSync(path.join(SHARED_CENSUS, 'chongqing_2020_population.csv')) && existsSync(path.join(SHARED_CENSUS, 'chongqing_2020_ages.csv'));

function readCsv(file: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

interface DemoDistrict {
  code: string;
  population: number;
  children_0_2: number;
  children_3_5: number;
  children_6_11: number;
  children_12_14: number;
  children_0_14: number;
}
const demoDistricts: DemoDistrict[] = JSON.parse(readFileSync(DEMO_DISTRICTS_FILE, 'utf8')).features.map(
  (f: { properties: DemoDistrict }) => f.properties,
);
const demoFacilities: { category: string; capacity: number | null }[] = JSON.parse(readFileSync(DEMO_FACILITIES_FILE, 'utf8')).facilities;

const CENSUS_TOTAL = 32_054_159; // 重庆市第七次全国人口普查公报（第一号）
const CENSUS_SHARE_0_14 = 15.91; // the same bulletin: 0–14 岁人口占 15.91%

describe.skipIf(!hasShared)('census figures behind the indicators (shared 2020 census files)', () => {
  const pop = hasShared ? readCsv(path.join(SHARED_CENSUS, 'chongqing_2020_population.csv')) : [];
  const ages = hasShared ? new Map(readCsv(path.join(SHARED_CENSUS, 'chongqing_2020_ages.csv')).map((r) => [r.CODE, r])) : new Map();

  it('adds up to the published municipal total and 0–14 share', () => {
    expect(pop).toHaveLength(38);
    const total = pop.reduce((s, r) => s + Number(r.POPU), 0);
    expect(total).toBe(CENSUS_TOTAL);
    const children = pop.reduce((s, r) => s + Number(r.POPU) * Number(ages.get(r.CODE)['AGES_0-14']), 0);
    expect((100 * children) / total).toBeCloseTo(CENSUS_SHARE_0_14, 1); // ±0.05 percentage points
  });

  it('gives every demo district its census population and the child groups the indicators divide by', () => {
    const byCode = new Map(demoDistricts.map((d) => [d.code, d]));
    for (const r of pop) {
      const d = byCode.get(r.CODE)!;
      expect(d, r.CODE).toBeDefined();
      expect(d.population, r.CODE).toBe(Number(r.POPU));
      const a = ages.get(r.CODE);
      const groups = childGroupsFromShares(Number(r.POPU), {
        ages0: Number(a.AGES_0),
        ages1to4: Number(a['AGES_1-4']),
        ages5to9: Number(a['AGES_5-9']),
        ages10to14: Number(a['AGES_10-14']),
        ages0to14: Number(a['AGES_0-14']),
      });
      expect({ ...d, code: undefined }, r.CODE).toMatchObject(groups);
      // the four service groups add up to the census's own 0–14 within its share rounding (< 1 %)
      const sum = d.children_0_2 + d.children_3_5 + d.children_6_11 + d.children_12_14;
      expect(Math.abs(sum - d.children_0_14) / d.children_0_14, r.CODE).toBeLessThan(0.01);
    }
    const c014 = demoDistricts.reduce((s, d) => s + d.children_0_14, 0);
    expect((100 * c014) / CENSUS_TOTAL).toBeCloseTo(CENSUS_SHARE_0_14, 1);
  });
});

describe('demo venues are deterministic', () => {
  it('gives the same venues whatever the order of the anchors, and marks them as samples', () => {
    const anchors: VenueAnchor[] = [
      {
        source_id: 'demo-mother_baby_room-2',
        category: 'mother_baby_room',
        name_zh: '某站母婴室',
        name_en: 'Wanzhou Room No. 2',
        district_code: '500101',
        lng: 108.3,
        lat: 30.8,
        venue: 'station',
      },
      {
        source_id: 'demo-mother_baby_room-10',
        category: 'mother_baby_room',
        name_zh: '某商场2号母婴室',
        name_en: 'Wanzhou Room No. 10',
        district_code: '500101',
        lng: 108.31,
        lat: 30.8,
        venue: 'mall',
      },
      {
        source_id: 'demo-child_health-1',
        category: 'child_health',
        name_zh: '万州区人民医院儿科',
        name_en: 'Wanzhou',
        district_code: '500101',
        lng: 108.4,
        lat: 30.8,
        venue: null,
      },
      {
        source_id: 'demo-park-3',
        category: 'park',
        name_zh: '某公园',
        name_en: 'Wanzhou Park No. 3',
        district_code: '500101',
        lng: 108.5,
        lat: 30.8,
        venue: null,
      },
    ];
    const a = planDemoVenues(anchors);
    const b = planDemoVenues([...anchors].reverse());
    expect(b).toEqual(a);
    expect(a.map((v) => [v.name_zh, v.kind])).toEqual([
      ['某站（示例）', 'station'],
      ['某商场（示例）', 'mall'],
      ['万州区人民医院（示例）', 'hospital'],
      ['某公园（示例）', 'park'],
    ]);
    expect(a.every((v) => v.source === 'demo' && v.attributes.synthetic)).toBe(true);
  });
});

for (const target of apiTargets()) {
  describe(`indicators on the seeded demo dataset (${target.name})`, () => {
    let api: TestApi;
    let body: IndicatorsResponse;
    const cityResult = (id: string) => body.city!.indicators.find((r) => r.id === id)!;
    const districtsWith = (id: string, status: IndicatorResultView['status']) =>
      body.districts.filter((d) => d.indicators.find((r) => r.id === id)!.status === status).map((d) => d.code);

    beforeAll(async () => {
      api = await startDemoApi(target);
      body = (await api.json<IndicatorsResponse>('/api/indicators')).body;
    });
    afterAll(async () => api?.close());

    it('loads the 1,031 streets/townships and links every demo station to the street it is named after', async () => {
      const r = await api.db.query<{ streets: number; stations: number; linked: number; wrong: number; streets_served: number }>(
        `SELECT (SELECT count(*)::int FROM streets) AS streets,
                (SELECT count(*)::int FROM facilities WHERE category = 'protection_station') AS stations,
                (SELECT count(*)::int FROM facilities WHERE category = 'protection_station' AND street_code IS NOT NULL) AS linked,
                (SELECT count(*)::int FROM facilities f JOIN streets s ON s.code = f.street_code
                  WHERE f.category = 'protection_station' AND (s.district_code <> f.district_code OR f.name_zh <> s.name_zh || '未成年人保护工作站')) AS wrong,
                (SELECT count(DISTINCT street_code)::int FROM facilities WHERE category = 'protection_station') AS streets_served`,
      );
      expect(r.rows[0]).toEqual({ streets: 1031, stations: 745, linked: 745, wrong: 0, streets_served: 745 });
      expect(cityResult('protection_station_street_share')).toMatchObject({
        numerator: 745,
        denominator: 1031,
        value: 72.2599,
        shortfall: { amount: 286 },
      });
    });

    it('seeds synthetic large venues, each inside a district and labelled as a sample; idempotently', async () => {
      const r = await api.db.query<{ n: number; outside: number; unlabelled: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE district_code IS NULL)::int AS outside,
                count(*) FILTER (WHERE source <> 'demo' OR name_zh NOT LIKE '%（示例）')::int AS unlabelled FROM venues`,
      );
      expect(r.rows[0].n).toBeGreaterThan(100);
      expect(r.rows[0]).toMatchObject({ outside: 0, unlabelled: 0 });
      expect(await seedStreets(api.db)).toEqual({ streets: 0, stationsLinked: 0 });
      expect(await seedDemoVenues(api.db)).toEqual({ venues: 0 });
    });

    it('finds the three districts the demo leaves without a special school, and 城口 under the threshold', () => {
      expect(districtsWith('special_school', 'not_met')).toEqual(['500104', '500156', '500238']); // 大渡口, 武隆, 巫溪
      expect(districtsWith('special_school', 'not_applicable')).toEqual(['500229']); // 城口: 197,497 residents
      expect(districtsWith('mch_institution', 'met')).toHaveLength(38);
    });

    it('divides by the census: the city nursery rate is all demo nursery places over 32,054,159 residents', () => {
      const places = demoFacilities.filter((f) => f.category === 'nursery').reduce((s, f) => s + (f.capacity ?? 0), 0);
      const nursery = cityResult('nursery_places_per_1000');
      expect(nursery).toMatchObject({ numerator: places, denominator: CENSUS_TOTAL, target: 4.5 });
      expect(nursery.value).toBeCloseTo((1000 * places) / CENSUS_TOTAL, 4);
      const c35 = demoDistricts.reduce((s, d) => s + d.children_3_5, 0);
      expect(cityResult('kindergarten_places_per_1000_children').denominator).toBe(c35);
      const meeting = districtsWith('nursery_places_per_1000', 'met');
      console.log(
        `[demo] nursery places per 1,000: city ${nursery.value} (${places.toLocaleString('en')} places), ${meeting.length}/38 districts ≥ 4.5; ` +
          `city shortfall ${nursery.shortfall?.amount.toLocaleString('en') ?? 0} places`,
      );
    });

    it('says no_data where the demo has no data: paediatricians, communities, walking coverage', () => {
      for (const id of ['paediatricians_per_1000_children', 'child_friendly_communities', 'coverage_kindergarten_300m']) {
        expect(districtsWith(id as never, 'no_data'), id).toHaveLength(38);
        expect(cityResult(id)).toMatchObject({ status: 'no_data', value: null });
      }
    });
  });
}
