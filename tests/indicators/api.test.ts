/**
 * The indicators API on the hand-built fixture (tests/indicators/fixture.ts), on PGlite
 * always and on PostgreSQL when TEST_DATABASE_URL is set. Every expected value below is
 * worked out by hand from the fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { loadIndicatorFixture } from './fixture';
import {
  CITY_CODE,
  INDICATOR_IDS,
  type DistrictIndicatorsView,
  type IndicatorResultView,
  type IndicatorsResponse,
} from '../../core/indicators';

type Expect = Partial<Pick<IndicatorResultView, 'value' | 'target' | 'status' | 'numerator' | 'denominator'>> & { short?: number | null };

function check(d: DistrictIndicatorsView, expected: Partial<Record<(typeof INDICATOR_IDS)[number], Expect>>) {
  for (const [id, e] of Object.entries(expected)) {
    const r = d.indicators.find((x) => x.id === id)!;
    const { short, ...fields } = e;
    expect(r, `${d.code} ${id}`).toMatchObject(fields);
    if (short !== undefined) expect(r.shortfall?.amount ?? null, `${d.code} ${id} shortfall`).toBe(short);
  }
}

for (const target of apiTargets()) {
  describe(`indicators API on ${target.name}`, () => {
    let api: TestApi;
    let body: IndicatorsResponse;
    const byCode = (code: string) => body.districts.find((d) => d.code === code)!;

    beforeAll(async () => {
      api = await startTestApi(target, loadIndicatorFixture);
      const r = await api.json<IndicatorsResponse>('/api/indicators');
      expect(r.status).toBe(200);
      body = r.body;
    });
    afterAll(async () => api?.close());

    it('lists every district and the city total, every indicator with its definition fields', () => {
      expect(body.districts.map((d) => d.code)).toEqual(['500101', '500102', '500103']);
      expect(body.city?.code).toBe(CITY_CODE);
      expect(body.city?.population).toBe(400_000);
      expect(body.definitions.map((d) => d.id)).toEqual([...INDICATOR_IDS]);
      const r = byCode('500101').indicators[0];
      expect(Object.keys(r).sort()).toEqual(
        [
          'clause',
          'computed_at',
          'denominator',
          'district',
          'id',
          'name',
          'note',
          'numerator',
          'shortfall',
          'status',
          'target',
          'unit',
          'value',
        ].sort(),
      );
      expect(r).toMatchObject({
        id: 'nursery_places_per_1000',
        name: { zh: '每千人口托位数' },
        unit: { zh: '个/千人' },
        clause: '实施方案 §五',
        computed_at: body.computed_at,
      });
    });

    it('甲区: targets exactly met are met (4.5 places per 1,000; 930 places per 1,000 children)', () => {
      check(byCode('500101'), {
        nursery_places_per_1000: { value: 4.5, target: 4.5, status: 'met', numerator: 450, denominator: 100_000, short: null },
        infant_care_guidance_centre: { value: 1, status: 'met' },
        kindergarten_places_per_1000_children: { value: 930, status: 'met', numerator: 1_860, denominator: 2_000 },
        kindergarten_inclusive_share: { value: 100, status: 'met' },
        // 1,000 / 1,860 = 53.76 %; 0.55 × 1,860 = 1,023 → 23 places short
        kindergarten_public_share: { value: 53.7634, status: 'not_met', short: 23 },
        special_school: { value: 0, status: 'not_applicable', target: null },
        mch_institution: { value: 1, status: 'met' },
        // 7 / 15,000 × 1,000 = 0.4667; 0.7 × 15 = 10.5 → 4 short
        paediatricians_per_1000_children: { value: 0.4667, status: 'not_met', numerator: 7, denominator: 15_000, short: 4 },
        mother_baby_room_large_venues: { value: 100, status: 'met', numerator: 1, denominator: 1 },
        protection_station_street_share: { value: 100, status: 'met', numerator: 1, denominator: 1 },
        child_friendly_communities: { value: 2, status: 'not_applicable', numerator: 2, denominator: 3 },
        coverage_kindergarten_300m: { value: null, status: 'no_data' },
      });
    });

    it('乙区: shortfalls in places, venues and streets; a retired nursery does not count', () => {
      const d = byCode('500102');
      check(d, {
        // 500 / 300,000 × 1,000 = 1.6667; 1,350 needed → 850 short
        nursery_places_per_1000: { value: 1.6667, status: 'not_met', numerator: 500, denominator: 300_000, short: 850 },
        infant_care_guidance_centre: { value: 0, status: 'not_met', short: 1 },
        // 4,000 / 6,000 × 1,000 = 666.67; 5,580 needed → 1,580 short
        kindergarten_places_per_1000_children: { value: 666.6667, status: 'not_met', short: 1_580 },
        // only the 3,000 places whose 普惠 status is known: 0 %, 2,700 short
        kindergarten_inclusive_share: { value: 0, status: 'not_met', numerator: 0, denominator: 3_000, short: 2_700 },
        // 1,000 / 4,000 = 25 %; 0.55 × 4,000 = 2,200 → 1,200 short
        kindergarten_public_share: { value: 25, status: 'not_met', short: 1_200 },
        special_school: { value: 1, status: 'met' },
        mch_institution: { value: 0, status: 'not_met' },
        paediatricians_per_1000_children: { value: null, status: 'no_data' },
        // the station (20,000 visitors; its nearest room 150 m away) and the park (12,000; room at 80 m)
        mother_baby_room_large_venues: { value: 50, status: 'not_met', numerator: 1, denominator: 2, short: 1 },
        protection_station_street_share: { value: 50, status: 'not_met', numerator: 1, denominator: 2, short: 1 },
        child_friendly_communities: { value: null, status: 'no_data' },
      });
      const find = (id: string) => d.indicators.find((r) => r.id === id)!;
      expect(find('nursery_places_per_1000').shortfall?.text).toEqual({ zh: '还需增加 850 个托位', en: 'needs 850 more nursery places' });
      expect(find('mother_baby_room_large_venues').shortfall?.items).toMatchObject([{ kind: 'venue', name: { zh: '乙区火车站' } }]);
      expect(find('mother_baby_room_large_venues').shortfall?.text.en).toBe('1 large venue without a mother-and-baby room');
      expect(find('protection_station_street_share').shortfall?.items).toEqual([
        { kind: 'street', id: '500102002', name: { zh: '三号镇', en: '三号镇' } },
      ]);
      expect(find('kindergarten_inclusive_share').note?.en).toBe('1,000 places without a recorded 普惠 (inclusive) status left out');
    });

    it('丙区: zero population and no streets give no_data, never a number', () => {
      check(byCode('500103'), {
        nursery_places_per_1000: { value: null, status: 'no_data', numerator: null },
        kindergarten_places_per_1000_children: { value: null, status: 'no_data' },
        kindergarten_inclusive_share: { value: null, status: 'no_data' },
        special_school: { status: 'not_applicable' },
        mother_baby_room_large_venues: { value: null, status: 'not_applicable' },
        protection_station_street_share: { value: null, status: 'no_data' },
      });
      expect(byCode('500103').indicators[0].note?.en).toBe('the resident population is zero');
    });

    it('the city total sums the districts that have data', () => {
      check(body.city!, {
        // (450 + 500) / 400,000 × 1,000 = 2.375; 1,800 needed → 850 short
        nursery_places_per_1000: { value: 2.375, status: 'not_met', numerator: 950, denominator: 400_000, short: 850 },
        infant_care_guidance_centre: { value: 33.3333, status: 'not_met', numerator: 1, denominator: 3, short: 2 },
        // 5,860 / 8,000 × 1,000 = 732.5; 7,440 needed → 1,580 short
        kindergarten_places_per_1000_children: { value: 732.5, status: 'not_met', short: 1_580 },
        // 1,860 / 4,860 = 38.27 %; 0.9 × 4,860 = 4,374 → 2,514 short
        kindergarten_inclusive_share: { value: 38.2716, status: 'not_met', short: 2_514 },
        // 2,000 / 5,860 = 34.13 %; 0.55 × 5,860 = 3,223 → 1,223 short
        kindergarten_public_share: { value: 34.1297, status: 'not_met', short: 1_223 },
        special_school: { value: 100, status: 'met', numerator: 1, denominator: 1 },
        mch_institution: { value: 33.3333, status: 'not_met', short: 2 },
        paediatricians_per_1000_children: { value: 0.4667, status: 'not_met', short: 4 },
        mother_baby_room_large_venues: { value: 66.6667, status: 'not_met', numerator: 2, denominator: 3, short: 1 },
        protection_station_street_share: { value: 66.6667, status: 'not_met', numerator: 2, denominator: 3, short: 1 },
        child_friendly_communities: { value: 2, target: 100, status: 'not_met', short: 98 },
      });
      const nursery = body.city!.indicators[0];
      expect(nursery.note?.en).toBe('1 district without data left out; 1 district below target, together: needs 850 more nursery places');
      expect(body.city!.indicators.find((r) => r.id === 'infant_care_guidance_centre')!.unit.en).toBe('% of districts');
    });

    it('serves one district on ?district=, 404 for an unknown one and 400 for a malformed one', async () => {
      const one = await api.json<IndicatorsResponse>('/api/indicators?district=500102');
      expect(one.status).toBe(200);
      expect(one.body.districts.map((d) => d.code)).toEqual(['500102']);
      expect(one.body.city).toBeNull();
      expect(one.body.districts[0].indicators[0].value).toBe(1.6667);
      expect((await api.json('/api/indicators?district=500199')).status).toBe(404);
      const bad = await api.json('/api/indicators?district=abc');
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('district');
    });

    it('lists large venues as GeoJSON with whether each has a room', async () => {
      const { status, body: fc } = await api.json('/api/indicators/venues?district=500102');
      expect(status).toBe(200);
      const props = fc.features.map((f: { properties: { name_zh: string; has_mother_baby_room: boolean; record: string } }) => [
        f.properties.record,
        f.properties.name_zh,
        f.properties.has_mother_baby_room,
      ]);
      expect(props).toEqual([
        ['facility', '乙区中央公园', true],
        ['venue', '乙区火车站', false],
      ]);
    });

    it('downloads CSV: UTF-8 with BOM, Chinese headers, the city first', async () => {
      const res = await api.get('/api/indicators.csv');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename=.*\.csv/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      const lines = text.slice(1).split('\r\n');
      expect(lines[0]).toBe('区县,指标,数值,目标,状态,缺口,依据条款,计算时间');
      expect(lines[1]).toMatch(
        /^重庆市（全市）,每千人口托位数（个\/千人）,2\.375,4\.5,未达标,还需增加 850 个托位,实施方案 §五,\d{4}-\d{2}-\d{2}T/,
      );
      expect(lines.filter((l) => l.startsWith('乙区,每千人口托位数'))).toEqual([
        expect.stringMatching(/^乙区,每千人口托位数（个\/千人）,1\.6667,4\.5,未达标,还需增加 850 个托位,实施方案 §五,\d{4}-/),
      ]);
      // (3 districts + city) × indicators + header + the final empty line
      expect(lines).toHaveLength(4 * INDICATOR_IDS.length + 2);
      expect(text).toContain('丙区,每千人口托位数（个/千人）,,4.5,无数据：常住人口为零,');
    });

    it('downloads CSV in English with lang=en', async () => {
      const text = await (await api.get('/api/indicators.csv?lang=en')).text();
      expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('District,Indicator,Value,Target,Status,Shortfall,Clause,Computed at');
      expect(text).toContain(
        'Yi District,"Nursery places per 1,000 residents (places per 1,000 residents)",1.6667,4.5,Not met,needs 850 more nursery places,实施方案 §五,',
      );
      expect((await api.get('/api/indicators.csv?lang=fr')).status).toBe(400);
    });

    it('downloads XLSX with Chinese headers, read back with exceljs', async () => {
      const res = await api.get('/api/indicators.xlsx?district=500101');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const ws = wb.worksheets[0];
      expect(ws.name).toBe('指标');
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['区县', '指标', '数值', '目标', '状态', '缺口', '依据条款', '计算时间']);
      expect(ws.rowCount).toBe(1 + INDICATOR_IDS.length);
      const first = (ws.getRow(2).values as unknown[]).slice(1);
      expect(first.slice(0, 5)).toEqual(['甲区', '每千人口托位数（个/千人）', 4.5, 4.5, '达标']);
      const en = new ExcelJS.Workbook();
      await en.xlsx.load(await (await api.get('/api/indicators.xlsx?lang=en')).arrayBuffer());
      expect((en.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual([
        'District',
        'Indicator',
        'Value',
        'Target',
        'Status',
        'Shortfall',
        'Clause',
        'Computed at',
      ]);
    });
  });
}
