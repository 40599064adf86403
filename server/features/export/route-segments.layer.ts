/**
 * Export layer `route_segments`: one school's route network (`GET /api/routes/school/:id`,
 * `schoolNetwork`): the street segments its children walk on their safe routes, each with
 * the children using it and its safety score, grade and reasons. Needs the imported walking
 * network; the same errors as the API (404 unknown school, 422 not a school or no network).
 */
import { z } from 'zod';
import type { Db, Queryable } from '../../db/adapter';
import { idSchema } from '../../http/params';
import type { ExportField } from '../../../core/export/types';
import { schoolNetwork, type SchoolNetworkResult } from '../routes/service';
import { schoolNetworkError } from '../routes/routes';
import { defineLayer, type DataSource } from './layer';

const Params = z.object({ school: idSchema });
type Params = z.output<typeof Params>;

const FIELDS: readonly ExportField[] = [
  { name: 'edge_id', type: 'integer', zh: '路段编号', en: 'Edge ID', dbf: 'edge_id' },
  { name: 'school_id', type: 'integer', zh: '学校编号', en: 'School ID', dbf: 'school_id' },
  { name: 'street', type: 'string', zh: '道路名称', en: 'Street name' },
  { name: 'highway', type: 'string', zh: '道路类型（OSM）', en: 'Highway (OSM)' },
  { name: 'road_class', type: 'string', zh: '道路等级', en: 'Road class', dbf: 'road_class' },
  { name: 'children', type: 'real', zh: '使用儿童数', en: 'Children using it', decimals: 1 },
  { name: 'length_m', type: 'real', zh: '长度（米）', en: 'Length (m)', decimals: 1 },
  { name: 'safety_score', type: 'real', zh: '安全评分（100/系数）', en: 'Safety score (100/factor)', dbf: 'safety', decimals: 1 },
  { name: 'factor', type: 'real', zh: '风险系数', en: 'Risk factor', decimals: 3 },
  { name: 'grade', type: 'string', zh: '安全等级', en: 'Safety grade' },
  { name: 'reasons', type: 'string', zh: '原因', en: 'Reasons' },
  { name: 'risk_m', type: 'real', zh: '风险当量（米）', en: 'Risk (metre-equivalents)', dbf: 'risk_m', decimals: 1 },
];

const results = new WeakMap<object, Promise<SchoolNetworkResult>>();
function networkOf(db: Queryable, p: Params): Promise<SchoolNetworkResult> {
  let r = results.get(p);
  if (!r) {
    r = schoolNetwork(db as Db, p.school).then((out) => {
      if (out.ok) return out.result;
      throw schoolNetworkError(out, p.school, 'school');
    });
    results.set(p, r);
  }
  return r;
}

export const routeSegmentsLayer = defineLayer({
  id: 'route_segments',
  name: { zh: '上学路网路段', en: 'School route network segments' },
  description: {
    zh: '一所学校学生安全上学路线所经路段：使用儿童数、安全评分、等级与原因（GET /api/routes/school/:id）。',
    en: 'The street segments of one school’s safe routes: children using each, safety score, grade and reasons (GET /api/routes/school/:id).',
  },
  geometryType: 'LineString',
  fields: FIELDS,
  titleField: 'street',
  params: Params,
  style: { kind: 'single', geometry: 'line', fill: '#7c3aed', fillOpacity: 1, stroke: '#7c3aed', strokeWidthMm: 0.6 },

  rows(db: Queryable, p: Params) {
    return (async function* () {
      const r = await networkOf(db, p);
      for (const f of r.network.segments.features) {
        const q = f.properties;
        yield {
          id: q.edgeId,
          geometry: f.geometry,
          properties: {
            edge_id: q.edgeId,
            school_id: r.school.id,
            street: q.name,
            highway: q.highway,
            road_class: String(q.roadClass),
            children: q.children,
            length_m: q.lengthM,
            safety_score: q.score,
            factor: q.factor,
            grade: q.grade,
            reasons: q.reasons.join(', '),
            risk_m: q.riskM,
          },
        };
      }
    })();
  },

  async metadata(p: Params, db: Queryable) {
    const r = await networkOf(db, p);
    return {
      title: { zh: `上学路网 · ${r.school.name_zh}`, en: `School route network · ${r.school.name_en ?? r.school.name_zh}` },
      category: null,
      distanceM: r.norm.radiusM,
      norm: { source: 'GB 50180-2018', citation: r.norm.citation },
      fileNameParts: [`school-${p.school}`],
      notes: [r.population.note],
    };
  },

  async sources(_db: Queryable, p: Params): Promise<DataSource[]> {
    const r = await networkOf(_db, p);
    return [
      { id: 'network_edges', description: `Walking network graph (${r.graph.edges} edges)`, loadedAt: r.graph.builtAt },
      { id: `population:${r.population.method}`, description: r.population.note.en, records: r.population.cells || undefined },
    ];
  },
});
