/**
 * The dashboard module without a browser: its pure parts (choropleth expression, legend,
 * sorting, sparkline geometry, strings) and its markup rendered to HTML (a real table
 * with caption and header scopes, status in words, "show on map" links).
 */
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import {
  CITY_CODE,
  computeIndicators,
  definitionView,
  emptyAggregates,
  INDICATORS,
  indicatorById,
  type DatasetContext,
  type DistrictAggregates,
  type DistrictIndicatorsView,
  type IndicatorsResponse,
  type SnapshotPoint,
} from '../../core/indicators';
import { choroplethFillColor, legendItems, CHOROPLETH_COLOURS } from '../../client/src/dashboard/choropleth';
import { formatValue, sortDistricts, summarise } from '../../client/src/dashboard/format';
import { sparklinePoints } from '../../client/src/dashboard/sparkline';
import { translator } from '../../client/src/dashboard/i18n';
import { IndicatorTable } from '../../client/src/dashboard/IndicatorTable';
import { DistrictPage } from '../../client/src/dashboard/DistrictPage';
import { ChoroplethLegend } from '../../client/src/dashboard/Legend';
import Dashboard from '../../client/src/dashboard';

function agg(
  code: string,
  nameZh: string,
  population: number | null,
  places: number,
  venues: { id: number; has: boolean }[] = [],
): DistrictAggregates {
  return {
    ...emptyAggregates({
      code,
      name_zh: nameZh,
      name_en: `${code} District`,
      population,
      children_0_2: 3_000,
      children_3_5: 3_000,
      children_0_14: 15_000,
    }),
    nursery: { facilities: 2, withCapacity: 2, places, guidanceCentres: 0 },
    largeVenues: venues.map((v) => ({
      kind: 'venue',
      id: v.id,
      name: { zh: `场所${v.id}`, en: `Venue ${v.id}` },
      venueKind: 'mall',
      point: [106.5, 29.5],
      hasMotherBabyRoom: v.has,
    })),
  };
}

/** An API response built by the core formulas, as the server builds it. */
function response(): IndicatorsResponse {
  const aggs = [
    agg('500101', '万州区', 100_000, 450), // 4.5: met
    agg('500102', '涪陵区', 200_000, 500, [
      { id: 1, has: false },
      { id: 2, has: false },
      { id: 3, has: false },
      { id: 4, has: true },
    ]), // 2.5: 2.5/4.5 = 56 % → mid
    agg('500103', '渝中区', 100_000, 400), // 4.0: 89 % → near
    agg('500104', '大渡口区', 100_000, 100), // 1.0: 22 % → far
    agg('500105', '江北区', null, 0), // no data
  ];
  const ctx: DatasetContext = { cityFacilities: { nursery: 10 }, venueRecords: 4, streetRecords: 0, communityRecords: 0 };
  const out = computeIndicators(aggs, ctx);
  const at = '2025-06-30T08:00:00.000Z';
  const view = (
    code: string,
    name: { zh: string; en: string },
    population: number | null,
    results: typeof out.city.results,
    city: boolean,
  ): DistrictIndicatorsView => ({
    code,
    name_zh: name.zh,
    name_en: name.en,
    population,
    indicators: results.map((r) => {
      const d = indicatorById(r.id);
      return { ...r, name: d.name, unit: city ? d.cityUnit : d.unit, clause: d.clause, computed_at: at };
    }),
  });
  return {
    computed_at: at,
    definitions: INDICATORS.map(definitionView),
    districts: out.districts.map((d, i) => view(d.code, aggs[i].name, aggs[i].population, d.results, false)),
    city: view(CITY_CODE, { zh: '重庆市（全市）', en: 'Chongqing' }, 500_000, out.city.results, true),
  };
}

describe('choropleth', () => {
  it('builds a match expression keyed by district code, grouped by class', () => {
    const r = response();
    expect(choroplethFillColor(r.districts, 'nursery_places_per_1000')).toEqual([
      'match',
      ['to-string', ['get', 'code']],
      ['500101'],
      CHOROPLETH_COLOURS.met,
      ['500103'],
      CHOROPLETH_COLOURS.near,
      ['500102'],
      CHOROPLETH_COLOURS.mid,
      ['500104'],
      CHOROPLETH_COLOURS.far,
      ['500105'],
      CHOROPLETH_COLOURS.no_data,
      CHOROPLETH_COLOURS.no_data,
    ]);
    expect((choroplethFillColor(r.districts, 'nursery_places_per_1000', { property: 'adcode' }) as unknown[]).slice(0, 2)).toEqual([
      'match',
      ['to-string', ['get', 'adcode']],
    ]);
    expect(choroplethFillColor([], 'nursery_places_per_1000')).toBe(CHOROPLETH_COLOURS.no_data);
  });

  it('lists only the classes that occur, with counts, and a legend in words', () => {
    const r = response();
    expect(legendItems(r.districts, 'mother_baby_room_large_venues').map((l) => [l.cls, l.count])).toEqual([
      ['far', 1],
      ['not_applicable', 4],
    ]);
    const html = renderToStaticMarkup(
      createElement(ChoroplethLegend, { lang: 'en', districts: r.districts, indicator: 'nursery_places_per_1000', name: 'Nursery places' }),
    );
    expect(html).toContain('Legend: Nursery places');
    expect(html).toContain('Not met (under 50 %)');
    expect(html).toContain('No data');
    expect(html).toMatch(/aria-hidden="true"/);
  });
});

describe('sorting and summaries', () => {
  it('sorts by an indicator with districts without data last in both directions', () => {
    const r = response();
    const codes = (dir: 'ascending' | 'descending') => sortDistricts(r.districts, 'nursery_places_per_1000', dir, 'zh').map((d) => d.code);
    expect(codes('descending')).toEqual(['500101', '500103', '500102', '500104', '500105']);
    expect(codes('ascending')).toEqual(['500104', '500102', '500103', '500101', '500105']);
    expect(sortDistricts(r.districts, 'code', 'descending', 'zh').map((d) => d.code)).toEqual([
      '500105',
      '500104',
      '500103',
      '500102',
      '500101',
    ]);
    const before = r.districts.map((d) => d.code);
    sortDistricts(r.districts, 'population', 'ascending', 'en');
    expect(r.districts.map((d) => d.code)).toEqual(before); // not mutated
  });

  it('counts districts meeting each target', () => {
    expect(summarise(response().districts, ['nursery_places_per_1000'])).toEqual([
      { id: 'nursery_places_per_1000', met: 1, judged: 4, noData: 1 },
    ]);
  });

  it('formats values for cells', () => {
    expect(formatValue(null, 'zh')).toBe('—');
    expect(formatValue(4.5, 'en')).toBe('4.5');
    expect(formatValue(3.73449, 'en')).toBe('3.73');
    expect(formatValue(72.2599, 'en')).toBe('72.3');
    expect(formatValue(523.5448, 'en')).toBe('524');
  });
});

describe('sparkline geometry', () => {
  it('maps values into the box, skipping nulls, with the target line', () => {
    expect(sparklinePoints([1, null, 3], { width: 100, height: 20, padding: 0 })).toEqual({
      points: '0,20 100,0',
      last: [100, 0],
      targetY: null,
    });
    expect(sparklinePoints([1, 2], { width: 10, height: 10, padding: 0, target: 3 })).toEqual({
      points: '0,10 10,5',
      last: [10, 5],
      targetY: 0,
    });
    expect(sparklinePoints([null], { width: 10, height: 10 })).toEqual({ points: '', last: null, targetY: null });
  });
});

describe('strings', () => {
  it('use the same placeholders in both languages', () => {
    const zh = translator('zh');
    const en = translator('en');
    const keys = ['summaryMet', 'loadError', 'trendLabel', 'shortBy', 'legendShare', 'openDistrict'] as const;
    for (const k of keys) {
      const vars = { met: 1, judged: 2, message: 'm', points: 'p', n: 3, from: 'a', to: 'b', amount: 9, name: 'x' };
      expect(zh(k, vars), k).not.toMatch(/\{\w+\}/);
      expect(en(k, vars), k).not.toMatch(/\{\w+\}/);
    }
    expect(en('summaryMet', { met: 3, judged: 38 })).toBe('3 of 38 districts meet the target');
  });
});

describe('markup', () => {
  const noop = () => undefined;

  it('renders a real table: caption, column and row headers, aria-sort, status in words', () => {
    const r = response();
    const t = translator('zh');
    const html = renderToStaticMarkup(
      createElement(IndicatorTable, {
        lang: 'zh',
        t,
        districts: sortDistricts(r.districts, 'nursery_places_per_1000', 'descending', 'zh'),
        city: r.city,
        definitions: r.definitions,
        sortKey: 'nursery_places_per_1000',
        sortDir: 'descending',
        onSort: noop,
        onOpenDistrict: noop,
      }),
    );
    expect(html).toMatch(/^<div class="ind-scroll" role="region" aria-labelledby="ind-table-caption" tabindex="0"><table/);
    expect(html).toContain('<caption id="ind-table-caption">');
    expect(html.match(/<th scope="col"/g)).toHaveLength(2 + INDICATORS.length);
    expect(html.match(/<th scope="row"/g)).toHaveLength(5 + 1); // districts + the city in <tfoot>
    expect(html.match(/aria-sort="descending"/g)).toHaveLength(1);
    expect(html).toContain('<tfoot>');
    // 涪陵区: 2.5 per 1,000, 400 places short; in words, not colour alone
    expect(html).toContain('未达标 · 缺 400');
    expect(html).toContain('达标');
    expect(html).toContain('无数据');
    expect(html).toContain('data-district="500102"');
  });

  it('renders a district page: what is missing with map links, no-data reasons and the trend', () => {
    const r = response();
    const d = r.districts.find((x) => x.code === '500102')!;
    const snapshots: SnapshotPoint[] = [
      {
        taken_at: '2025-01-01T00:00:00.000Z',
        reason: 'manual',
        indicators: { nursery_places_per_1000: { value: 1.5, target: 4.5, status: 'not_met', numerator: 300, denominator: 200_000 } },
      },
      {
        taken_at: '2025-06-30T00:00:00.000Z',
        reason: 'import',
        indicators: { nursery_places_per_1000: { value: 2.5, target: 4.5, status: 'not_met', numerator: 500, denominator: 200_000 } },
      },
    ];
    const props = {
      lang: 'en' as const,
      t: translator('en'),
      district: d,
      definitions: r.definitions,
      trend: { state: 'ok' as const, snapshots },
      onBack: noop,
    };
    const html = renderToStaticMarkup(createElement(DistrictPage, { ...props, onShowOnMap: noop }));
    expect(html).toContain('<h2 id="ind-district-500102" tabindex="-1"');
    expect(html).toContain('needs 400 more nursery places');
    expect(html).toContain('3 large venues without a mother-and-baby room');
    expect(html).toContain('Venue 1');
    expect(html).toContain('aria-label="Show on map: 3 large venues without a mother-and-baby room"');
    expect(html).toContain('href="/api/indicators.csv?lang=en&amp;district=500102"');
    expect(html).toContain('role="img" aria-label="Trend: 1.5 → 2.5 (2 snapshots, 2025-01-01 to 2025-06-30)"');
    expect(html).toContain('walking-coverage results not computed yet');
    // without a map callback, no map links
    const plain = renderToStaticMarkup(createElement(DistrictPage, props));
    expect(plain).not.toContain('Show on map');
  });

  it('the lazily loadable default export renders its loading state first', () => {
    const html = renderToStaticMarkup(createElement(Dashboard, { lang: 'zh' }));
    expect(html).toContain('role="status"');
    expect(html).toContain('正在计算指标');
  });
});
