/**
 * Export layer `served`: the served areas of one facility category — the grid cells within
 * the service distance (straight line or walking), dissolved per district into polygons
 * with the people and children in them. Same analysis and dissolve as the gaps (core
 * `coverageGaps` on the covered cells instead of the uncovered), every covered cell
 * (populated or not: the land within reach).
 */
import type { Queryable } from '../../db/adapter';
import { coverageGaps } from '../../../core/coverage/index';
import { defineLayer } from './layer';
import {
  AGE_GROUP_ZH,
  CoverageLayerParams,
  coverageAnalysis,
  dissolvedCellFields,
  coverageMetadata,
  coverageSources,
  ringMean,
} from './gaps.layer';
import { r1, r4, r6 } from '../../../core/round';

const FIELDS = dissolvedCellFields(
  { name: 'area_rank', type: 'integer', zh: '序号（按覆盖儿童排序）', en: 'Rank (most children first)', dbf: 'area_rank' },
  [
    { name: 'covered_population', type: 'real', zh: '覆盖人口', en: 'Covered population', dbf: 'cov_pop', decimals: 1 },
    { name: 'covered_children', type: 'real', zh: '覆盖儿童', en: 'Covered children', dbf: 'cov_child', decimals: 1 },
  ],
);

export const servedLayer = defineLayer({
  id: 'served',
  name: { zh: '服务覆盖范围', en: 'Served areas' },
  description: {
    zh: '规划服务距离（GB 50180-2018）以内的区域：覆盖的网格按区县合并成面，附覆盖人口与相应年龄组儿童数。',
    en: 'Areas within the planning service distance (GB 50180-2018): covered grid cells dissolved per district, with the people and children of the age group served in them.',
  },
  geometryType: 'MultiPolygon',
  fields: FIELDS,
  titleField: 'district_zh',
  params: CoverageLayerParams,
  style: { kind: 'single', geometry: 'polygon', fill: '#16a34a', fillOpacity: 0.35, stroke: '#166534', strokeWidthMm: 0.3 },

  rows(db: Queryable, p: CoverageLayerParams) {
    return (async function* () {
      const a = await coverageAnalysis(db, p);
      const s = a.surface;
      const cov = p.mode === 'network' ? a.network?.cells : a.euclidean?.cells;
      if (!cov) return;
      // the covered cells, dissolved like the gaps: invert the flags
      const served = new Uint8Array(cov.covered.length);
      for (let i = 0; i < served.length; i++) served[i] = cov.covered[i] ? 0 : 1;
      const fc = coverageGaps(s.cells, { covered: served, noAccess: null }, { ageGroup: a.norm.ageGroup, include: 'all' });
      let rank = 0;
      for (const f of fc.features) {
        const q = f.properties;
        const d = s.districts[q.district];
        rank++;
        const coordinates = f.geometry.coordinates.map((ring) => ring.map(([x, y]) => [r6(x), r6(y)]));
        yield {
          id: rank,
          geometry: { type: 'Polygon' as const, coordinates },
          labelPoint: ringMean(coordinates[0]),
          properties: {
            area_rank: rank,
            mode: p.mode,
            district_code: d?.code ?? null,
            district_zh: d?.name_zh ?? null,
            district_en: d?.name_en ?? null,
            age_group: q.ageGroup,
            age_group_zh: AGE_GROUP_ZH(q.ageGroup),
            covered_population: s.population.available ? r1(q.uncoveredPopulation) : null,
            covered_children: s.population.childrenAvailable ? r1(q.uncoveredChildren) : null,
            area_km2: r4(q.areaKm2),
            square_count: q.squareCount,
          },
        };
      }
    })();
  },

  metadata: (p: CoverageLayerParams, db: Queryable) =>
    coverageMetadata(db, p, { zh: '服务覆盖范围', en: 'served areas' }, [
      {
        zh: '含服务距离内的全部网格（有人口与无人口），人数之和等于 GET /api/coverage 的覆盖人口/儿童。',
        en: 'Every grid cell within the distance (populated or not); the people add up to the covered population/children of GET /api/coverage.',
      },
    ]),
  sources: coverageSources,
});
