/**
 * Export layer `cells`: the population surface of a coverage analysis, one feature per cell
 * record — the cell's grid square as a polygon (squares rather than centre points, so that
 * the file shows the surface the numbers describe), with its people, the children of the
 * norm's age group, whether it is covered, and the distance to the nearest facility
 * (straight line, or walking effort in metres on the network). The same values as
 * `GET /api/coverage/cells`.
 *
 * A grid square on a district border is split between the districts' records: each record
 * is written with the whole square (its people are those of its part); `area_km2` is the
 * part inside the district.
 */
import type { Queryable } from '../../db/adapter';
import type { ExportField } from '../../../core/export/types';
import { unprojectLat, unprojectLng } from '../../../core/coverage/geo';
import { ValidationError } from '../../errors';
import { euclideanDistances } from '../coverage/analysis';
import { CELLS_CAP } from '../coverage/routes';
import { defineLayer } from './layer';
import { AGE_GROUP_ZH, CoverageLayerParams, coverageAnalysis, coverageMetadata, coverageSources } from './gaps.layer';
import { r1, r6 } from '../../../core/round';

const FIELDS: readonly ExportField[] = [
  { name: 'cell', type: 'integer', zh: '网格记录号', en: 'Cell record' },
  { name: 'grid_col', type: 'integer', zh: '网格列', en: 'Grid column', dbf: 'grid_col' },
  { name: 'grid_row', type: 'integer', zh: '网格行', en: 'Grid row', dbf: 'grid_row' },
  { name: 'district_code', type: 'string', zh: '区县代码', en: 'District code', dbf: 'dist_code' },
  { name: 'district_zh', type: 'string', zh: '区县', en: 'District (Chinese)', dbf: 'dist_zh' },
  { name: 'population', type: 'real', zh: '人口', en: 'Population', decimals: 1 },
  { name: 'children', type: 'real', zh: '儿童（规范年龄组）', en: 'Children (the norm’s age group)', dbf: 'children', decimals: 1 },
  { name: 'age_group_zh', type: 'string', zh: '年龄组', en: 'Age group (Chinese)', dbf: 'age_zh' },
  { name: 'covered', type: 'boolean', zh: '已覆盖', en: 'Covered' },
  { name: 'no_access', type: 'boolean', zh: '无路网可达', en: 'No network access', dbf: 'no_access' },
  { name: 'distance_m', type: 'integer', zh: '至最近设施距离（米）', en: 'Distance to the nearest facility (m)', dbf: 'dist_m' },
  { name: 'area_km2', type: 'real', zh: '区内面积（km²）', en: 'Area inside the district (km²)', dbf: 'area_km2', decimals: 6 },
];

export const cellsLayer = defineLayer({
  id: 'cells',
  name: { zh: '人口网格与覆盖', en: 'Population cells and coverage' },
  description: {
    zh: '覆盖分析所用的人口网格（方格面），附人口、相应年龄组儿童、是否覆盖及至最近设施的距离。',
    en: 'The population grid of the coverage analysis (squares as polygons), with people, children of the age group served, coverage status and the distance to the nearest facility.',
  },
  geometryType: 'MultiPolygon',
  fields: FIELDS,
  params: CoverageLayerParams,
  style: { kind: 'single', geometry: 'polygon', fill: '#f59e0b', fillOpacity: 0.2, stroke: '#b45309', strokeWidthMm: 0.1 },

  rows(db: Queryable, p: CoverageLayerParams) {
    return (async function* () {
      const a = await coverageAnalysis(db, p);
      const s = a.surface;
      const c = s.cells;
      const cov = p.mode === 'network' ? a.network?.cells : euclideanDistances(a);
      if (!cov || !c.grid) return;
      const { spec, col, row } = c.grid;
      const ch = c.children[a.norm.ageGroup];
      const size = spec.cellSizeM;
      for (let i = 0; i < c.count; i++) {
        const x0 = spec.originX + col[i] * size,
          y0 = spec.originY + row[i] * size;
        const w = r6(unprojectLng(spec.projection, x0)),
          e = r6(unprojectLng(spec.projection, x0 + size));
        const so = r6(unprojectLat(spec.projection, y0)),
          n = r6(unprojectLat(spec.projection, y0 + size));
        const d = s.districts[c.district[i]];
        const dist = cov.distanceM[i];
        yield {
          id: i + 1,
          geometry: {
            type: 'Polygon' as const,
            coordinates: [
              [
                [w, so],
                [e, so],
                [e, n],
                [w, n],
                [w, so],
              ],
            ],
          },
          labelPoint: [r6(c.lng[i]), r6(c.lat[i])] as [number, number],
          properties: {
            cell: i + 1,
            grid_col: col[i],
            grid_row: row[i],
            district_code: d?.code ?? null,
            district_zh: d?.name_zh ?? null,
            population: s.population.available ? r1(c.population[i]) : null,
            children: s.population.childrenAvailable ? r1(ch[i]) : null,
            age_group_zh: AGE_GROUP_ZH(a.norm.ageGroup),
            covered: cov.covered[i] === 1,
            no_access: cov.noAccess ? cov.noAccess[i] === 1 : null,
            distance_m: Number.isFinite(dist) ? Math.round(dist) : null,
            area_km2: Math.round(c.areaM2[i]) / 1e6,
          },
        };
      }
    })();
  },

  async metadata(p: CoverageLayerParams, db: Queryable) {
    const a = await coverageAnalysis(db, p);
    if (a.surface.cells.count > CELLS_CAP) {
      throw new ValidationError(
        'cellSizeM',
        `cellSizeM: this area has ${a.surface.cells.count.toLocaleString('en-US')} cells, more than the ${CELLS_CAP.toLocaleString('en-US')} this layer exports; use a coarser cellSizeM or fewer districts`,
      );
    }
    return coverageMetadata(db, p, { zh: '人口网格与覆盖', en: 'population cells and coverage' }, [
      {
        zh: `每条记录为一个 ${p.cellSizeM} 米网格方格（面）；跨区县边界的方格按区县各记一条，人数为区内部分，面积 area_km2 为区内面积。距离为${p.mode === 'network' ? '步行路网上的步行当量距离（台阶按 stepPenalty 加权）' : '直线距离'}；空值表示无法到达。`,
        en: `Each record is a ${p.cellSizeM} m grid square (polygon); a square on a district border appears once per district with the people of its part, area_km2 being the part inside. Distance is ${p.mode === 'network' ? 'walking effort on the network (steps weighted by stepPenalty)' : 'the straight-line distance'}; blank = unreachable.`,
      },
    ]);
  },
  sources: coverageSources,
});
