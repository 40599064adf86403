/**
 * Export layer `feedback`: residents' and children's feedback pins (core/feedback.ts,
 * table from migration 003), offered only when the database has the `feedback` table —
 * the export lists and serves it where the feedback feature is installed, and leaves it
 * out elsewhere.
 *
 * An export is a file that travels and the route needs no login, so it holds exactly what
 * the public API shows: pins that moderators approved or resolved, without who moderated
 * them (GET /api/feedback gives editors the whole queue).
 */
import { z } from 'zod';
import type { Queryable } from '../../db/adapter';
import { districtCodeSchema } from '../../http/schemas';
import {
  AGE_GROUPS,
  FEEDBACK_CATEGORIES,
  FEEDBACK_CATEGORY_IDS,
  PUBLIC_FEEDBACK_STATUSES,
  isFeedbackCategoryId,
  type FeedbackCategoryId,
} from '../../../core/feedback';
import type { ExportField, FieldValue } from '../../../core/export/types';
import { defineLayer, type DataSource } from './layer';
import { keysetPages } from './paging';
import { isoUtc, tableSource } from './sources';
import { districtName } from './districts.layer';

const categoriesSchema = z.string().transform((s, ctx) => {
  const ids = [
    ...new Set(
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  const bad = ids.filter((id) => !isFeedbackCategoryId(id));
  if (!ids.length || bad.length) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown feedback category ${bad.map((b) => `'${b}'`).join(', ')}; known: ${FEEDBACK_CATEGORY_IDS.join(', ')}`,
    });
    return z.NEVER;
  }
  return ids as FeedbackCategoryId[];
});

const Params = z.object({
  category: categoriesSchema.optional(),
  district: districtCodeSchema.optional(),
});
type Params = z.output<typeof Params>;

const FIELDS: readonly ExportField[] = [
  { name: 'id', type: 'integer', zh: '编号', en: 'ID' },
  { name: 'category', type: 'string', zh: '反馈类别代码', en: 'Feedback category code' },
  { name: 'category_zh', type: 'string', zh: '反馈类别', en: 'Feedback category (Chinese)', dbf: 'cat_zh' },
  { name: 'category_en', type: 'string', zh: '反馈类别（英文）', en: 'Feedback category', dbf: 'cat_en' },
  { name: 'text', type: 'string', zh: '内容', en: 'Text' },
  { name: 'age_group', type: 'string', zh: '年龄组', en: 'Age group' },
  { name: 'age_group_zh', type: 'string', zh: '年龄组（中文）', en: 'Age group (Chinese)', dbf: 'age_zh' },
  { name: 'facility_id', type: 'integer', zh: '设施编号', en: 'Facility ID', dbf: 'facility' },
  { name: 'district_code', type: 'string', zh: '区县代码', en: 'District code', dbf: 'dist_code' },
  { name: 'status', type: 'string', zh: '状态', en: 'Status' },
  { name: 'supporters', type: 'integer', zh: '支持人数', en: 'Supporters' },
  { name: 'reply', type: 'string', zh: '答复', en: 'Reply' },
  { name: 'created_at', type: 'datetime', zh: '提交时间', en: 'Submitted at', dbf: 'created' },
  { name: 'resolved_at', type: 'datetime', zh: '解决时间', en: 'Resolved at', dbf: 'resolved' },
];

const FILTER = `fb.status = ANY($1::text[])
  AND ($2::text[] IS NULL OR fb.category = ANY($2::text[]))
  AND ($3::text IS NULL OR fb.district_code = $3)`;

const PAGE_SQL = `
SELECT fb.id, fb.category, fb.text, fb.age_group, fb.facility_id, fb.district_code, fb.status, fb.supporters, fb.reply,
       ${isoUtc('fb.created_at')} AS created_at, ${isoUtc('fb.resolved_at')} AS resolved_at,
       ST_X(fb.geom) AS lng, ST_Y(fb.geom) AS lat
  FROM feedback fb
 WHERE ${FILTER} AND ($4::int IS NULL OR fb.id > $4)
 ORDER BY fb.id
 LIMIT $5`;

const CATEGORY = new Map(FEEDBACK_CATEGORIES.map((c) => [c.id as string, c.name]));
const AGE = new Map(AGE_GROUPS.map((a) => [a.id as string, a.name]));

const filterValues = (p: Params) => [PUBLIC_FEEDBACK_STATUSES, p.category ?? null, p.district ?? null];

export const feedbackLayer = defineLayer({
  id: 'feedback',
  name: { zh: '居民与儿童反馈', en: 'Residents’ and children’s feedback' },
  description: {
    zh: '经审核公开的反馈点位（儿童参与，实施方案 §三），不含审核人信息。',
    en: 'Feedback pins approved for the public (children’s participation, implementation plan §三), without moderator details.',
  },
  geometryType: 'Point',
  fields: FIELDS,
  titleField: 'category_zh',
  params: Params,
  style: { kind: 'single', geometry: 'point', fill: '#f59e0b', fillOpacity: 1, stroke: '#78350f', strokeWidthMm: 0.3 },

  async available(db: Queryable) {
    const r = await db.query<{ ok: boolean }>("SELECT to_regclass('feedback') IS NOT NULL AS ok");
    return r.rows[0]?.ok === true;
  },

  rows(db: Queryable, p: Params) {
    return (async function* () {
      type Row = Record<string, FieldValue> & { id: number; category: string; age_group: string | null; lng: number; lat: number };
      const pages = keysetPages(
        async (after: number | null, limit: number) => (await db.query<Row>(PAGE_SQL, [...filterValues(p), after, limit])).rows,
        (r) => r.id,
      );
      for await (const { lng, lat, ...r } of pages) {
        const cat = CATEGORY.get(r.category);
        const age = r.age_group ? AGE.get(r.age_group) : undefined;
        yield {
          id: r.id,
          geometry: { type: 'Point' as const, coordinates: [lng, lat] },
          properties: { ...r, category_zh: cat?.zh ?? null, category_en: cat?.en ?? null, age_group_zh: age?.zh ?? null },
        };
      }
    })();
  },

  async metadata(p: Params, db: Queryable) {
    const d = p.district ? await districtName(db, p.district) : null;
    return {
      title: { zh: d ? `居民与儿童反馈 · ${d.zh}` : '居民与儿童反馈', en: d ? `Feedback · ${d.en}` : 'Residents’ and children’s feedback' },
      fileNameParts: [p.category && (p.category.length <= 2 ? p.category.join('-') : `${p.category.length}-categories`), p.district],
      notes: [{ zh: '仅含已审核公开（approved、resolved）的反馈。', en: 'Only feedback approved for the public (approved, resolved).' }],
    };
  },

  async sources(db: Queryable, p: Params): Promise<DataSource[]> {
    return [
      await tableSource(db, {
        id: 'feedback',
        description: 'Feedback pins submitted through the atlas (POST /api/feedback), moderated by editors',
        from: 'feedback fb',
        updatedAt: 'max(fb.updated_at)',
        where: FILTER,
        values: filterValues(p),
      }),
    ];
  },
});
