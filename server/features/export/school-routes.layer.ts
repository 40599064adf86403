/**
 * Export layer `school_routes`: the stored, curated walking routes to school (migration
 * 005, `GET /api/routes`), as LineStrings with their attributes. Public data only: published
 * routes, without who created or edited them (the export route needs no login).
 */
import { z } from 'zod';
import { bboxValues, type Queryable } from '../../db/adapter';
import { bboxSchema } from '../../http/schemas';
import { idSchema } from '../../http/params';
import type { ExportField, FieldValue } from '../../../core/export/types';
import { defineLayer, type DataSource } from './layer';
import { keysetPages } from './paging';
import { isoUtc, tableSource } from './sources';

const Params = z.object({
  /** Routes to this school (facility id). */
  school: idSchema.optional(),
  bbox: bboxSchema.optional(),
});
type Params = z.output<typeof Params>;

const FIELDS: readonly ExportField[] = [
  { name: 'id', type: 'integer', zh: '编号', en: 'ID' },
  { name: 'school_id', type: 'integer', zh: '学校编号', en: 'School ID', dbf: 'school_id' },
  { name: 'school_zh', type: 'string', zh: '学校', en: 'School (Chinese)', dbf: 'school_zh' },
  { name: 'school_en', type: 'string', zh: '学校（英文）', en: 'School', dbf: 'school_en' },
  { name: 'name_zh', type: 'string', zh: '路线名称', en: 'Route name (Chinese)' },
  { name: 'name_en', type: 'string', zh: '路线英文名称', en: 'Route name' },
  { name: 'kind', type: 'string', zh: '来源（计算/手绘）', en: 'Kind (computed/drawn)' },
  { name: 'profile', type: 'string', zh: '计算方式', en: 'Profile' },
  { name: 'length_m', type: 'real', zh: '长度（米）', en: 'Length (m)', decimals: 1 },
  { name: 'walk_minutes', type: 'real', zh: '步行时间（分钟）', en: 'Walk (minutes)', dbf: 'walk_min', decimals: 1 },
  { name: 'safety_score', type: 'integer', zh: '安全评分（0–100）', en: 'Safety score (0–100)', dbf: 'safety' },
  { name: 'facts', type: 'string', zh: '路线要素（JSON）', en: 'Route facts (JSON)' },
  { name: 'notes', type: 'string', zh: '备注', en: 'Notes' },
  { name: 'updated_at', type: 'datetime', zh: '更新时间', en: 'Updated at', dbf: 'updated' },
];

const FILTER = `r.status = 'published'
  AND ($1::int IS NULL OR r.school_id = $1)
  AND ($2::float8 IS NULL OR r.geom && ST_MakeEnvelope($2, $3, $4, $5, 4326))`;
const filterValues = (p: Params) => [p.school ?? null, ...bboxValues(p.bbox)];

const PAGE_SQL = `
SELECT r.id, r.school_id, f.name_zh AS school_zh, f.name_en AS school_en, r.name_zh, r.name_en, r.kind, r.profile,
       r.length_m, r.walk_minutes, r.safety_score, r.facts, r.notes, ${isoUtc('r.updated_at')} AS updated_at,
       ST_AsGeoJSON(r.geom, 9)::json AS geometry
  FROM routes r LEFT JOIN facilities f ON f.id = r.school_id
 WHERE ${FILTER} AND ($6::int IS NULL OR r.id > $6)
 ORDER BY r.id
 LIMIT $7`;

type Row = Record<string, FieldValue> & { id: number; facts: unknown; geometry: { type: 'LineString'; coordinates: number[][] } };

export const schoolRoutesLayer = defineLayer({
  id: 'school_routes',
  name: { zh: '上学路线', en: 'Walking routes to school' },
  description: {
    zh: '规划人员审定并发布的上学步行路线（实施方案 §十九），附长度、步行时间、安全评分与路线要素。',
    en: 'Walking routes to school curated and published by planners (implementation plan §十九), with length, walking time, safety score and route facts.',
  },
  geometryType: 'LineString',
  fields: FIELDS,
  titleField: 'name_zh',
  params: Params,
  style: {
    kind: 'single',
    geometry: 'line',
    fill: '#2563eb',
    fillOpacity: 1,
    stroke: '#2563eb',
    strokeWidthMm: 0.8,
    labelField: 'name_zh',
  },

  async available(db: Queryable) {
    const r = await db.query<{ ok: boolean }>("SELECT to_regclass('routes') IS NOT NULL AS ok");
    return r.rows[0]?.ok === true;
  },

  rows(db: Queryable, p: Params) {
    return (async function* () {
      const pages = keysetPages(
        async (after: number | null, limit: number) => (await db.query<Row>(PAGE_SQL, [...filterValues(p), after, limit])).rows,
        (r) => r.id,
        200,
      );
      for await (const { geometry, facts, ...r } of pages) {
        yield {
          id: r.id,
          geometry,
          properties: { ...r, facts: facts == null ? null : typeof facts === 'string' ? facts : JSON.stringify(facts) },
        };
      }
    })();
  },

  metadata(p: Params) {
    return {
      title: {
        zh: p.school ? `上学路线 · 学校 ${p.school}` : '上学路线',
        en: p.school ? `Walking routes to school ${p.school}` : 'Walking routes to school',
      },
      fileNameParts: [p.school ? `school-${p.school}` : null, p.bbox ? 'bbox' : null],
      notes: [{ zh: '仅含已发布的路线，不含编辑人员信息。', en: 'Published routes only, without who created or edited them.' }],
    };
  },

  async sources(db: Queryable, p: Params): Promise<DataSource[]> {
    return [
      await tableSource(db, {
        id: 'routes',
        description: 'Curated routes stored by planners (POST /api/routes; computed on the imported walking network or drawn)',
        from: 'routes r',
        updatedAt: 'max(r.updated_at)',
        where: FILTER,
        values: filterValues(p),
      }),
    ];
  },
});
