/**
 * Export layer `facilities`: the facility points, filtered by category, district, bbox and
 * status, with bilingual category and district names and the amenities as one yes/no
 * column each (so GIS tools can filter on them).
 */
import { z } from 'zod';
import { bboxValues, type Queryable } from '../../db/adapter';
import { bboxSchema, categoriesSchema, districtCodeSchema } from '../../http/schemas';
import { categoryById, type CategoryId } from '../../../core/catalogue';
import type { ExportField, FieldValue } from '../../../core/export/types';
import { facilityStyle } from '../../../core/export/qml';
import { defineLayer, type DataSource } from './layer';
import { keysetPages } from './paging';
import { datasetMeta, isoUtc } from './sources';
import { districtName } from './districts.layer';

const STATUSES = ['active', 'retired', 'proposed'] as const;

/** `active` (default), a comma list of statuses, or `all`. */
const statusSchema = z.string().transform((s, ctx) => {
  if (s.trim() === 'all') return [...STATUSES];
  const parts = [
    ...new Set(
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  const bad = parts.filter((p) => !(STATUSES as readonly string[]).includes(p));
  if (!parts.length || bad.length) {
    ctx.addIssue({ code: 'custom', message: `must be 'all' or a comma list of ${STATUSES.join(', ')}` });
    return z.NEVER;
  }
  return parts as (typeof STATUSES)[number][];
});

const Params = z.object({
  category: categoriesSchema.optional(),
  district: districtCodeSchema.optional(),
  bbox: bboxSchema.optional(),
  status: statusSchema.optional().transform((s) => s ?? (['active'] as (typeof STATUSES)[number][])),
});
type Params = z.output<typeof Params>;

/** Amenity keys of `facilities.amenities` (core/api.ts `Amenities`), each exported as a boolean column. */
const AMENITIES: readonly { key: string; dbf: string; zh: string; en: string }[] = [
  { key: 'changing_table', dbf: 'changing', zh: '尿布台', en: 'Changing table' },
  { key: 'nursing_room', dbf: 'nursing', zh: '哺乳间', en: 'Nursing room' },
  { key: 'accessible_entrance', dbf: 'accessible', zh: '无障碍入口', en: 'Accessible entrance' },
  { key: 'drinking_water', dbf: 'water', zh: '饮水处', en: 'Drinking water' },
  { key: 'toilets', dbf: 'toilets', zh: '卫生间', en: 'Toilets' },
  { key: 'shade', dbf: 'shade', zh: '遮阴', en: 'Shade' },
  { key: 'childrens_area', dbf: 'kids_area', zh: '儿童区', en: 'Children’s area' },
  { key: 'stroller_access', dbf: 'stroller', zh: '婴儿车通行', en: 'Stroller access' },
];

const FIELDS: readonly ExportField[] = [
  { name: 'id', type: 'integer', zh: '编号', en: 'ID' },
  { name: 'category', type: 'string', zh: '类别代码', en: 'Category code' },
  { name: 'category_zh', type: 'string', zh: '类别', en: 'Category (Chinese)', dbf: 'cat_zh' },
  { name: 'category_en', type: 'string', zh: '类别（英文）', en: 'Category', dbf: 'cat_en' },
  { name: 'name_zh', type: 'string', zh: '名称', en: 'Name (Chinese)' },
  { name: 'name_en', type: 'string', zh: '英文名称', en: 'Name' },
  { name: 'address', type: 'string', zh: '地址', en: 'Address' },
  { name: 'district_code', type: 'string', zh: '区县代码', en: 'District code', dbf: 'dist_code' },
  { name: 'district_zh', type: 'string', zh: '区县', en: 'District (Chinese)', dbf: 'dist_zh' },
  { name: 'district_en', type: 'string', zh: '区县（英文）', en: 'District', dbf: 'dist_en' },
  { name: 'opening_hours', type: 'string', zh: '开放时间', en: 'Opening hours', dbf: 'open_hours' },
  { name: 'capacity', type: 'integer', zh: '学位/座位数', en: 'Capacity (places)' },
  { name: 'age_min_years', type: 'real', zh: '最小年龄（岁）', en: 'Minimum age (years)', dbf: 'age_min', decimals: 1 },
  { name: 'age_max_years', type: 'real', zh: '最大年龄（岁）', en: 'Maximum age (years)', dbf: 'age_max', decimals: 1 },
  { name: 'ownership', type: 'string', zh: '所有制', en: 'Ownership' },
  { name: 'inclusive', type: 'boolean', zh: '普惠', en: 'Inclusive (普惠)' },
  ...AMENITIES.map((a): ExportField => ({ name: a.key, type: 'boolean', zh: a.zh, en: a.en, dbf: a.dbf })),
  { name: 'phone', type: 'string', zh: '电话', en: 'Phone' },
  { name: 'source', type: 'string', zh: '数据来源', en: 'Source' },
  { name: 'source_id', type: 'string', zh: '来源编号', en: 'Source ID' },
  { name: 'status', type: 'string', zh: '状态', en: 'Status' },
  { name: 'version', type: 'integer', zh: '版本', en: 'Version' },
  { name: 'updated_at', type: 'datetime', zh: '更新时间', en: 'Updated at', dbf: 'updated' },
  { name: 'source_updated_at', type: 'datetime', zh: '来源更新时间', en: 'Source updated at', dbf: 'src_update' },
];

// The filters, as $1…$7, shared by the rows and the sources query.
const FILTER = `
  ($1::float8 IS NULL OR f.geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))
  AND ($5::text[] IS NULL OR f.category = ANY($5::text[]))
  AND ($6::text IS NULL OR f.district_code = $6)
  AND f.status = ANY($7::text[])`;

function filterValues(p: Params): unknown[] {
  return [...bboxValues(p.bbox), p.category ?? null, p.district ?? null, p.status];
}

const PAGE_SQL = `
SELECT f.id, f.category, f.name_zh, f.name_en, f.address, f.district_code,
       d.name_zh AS district_zh, d.name_en AS district_en, f.opening_hours, f.capacity,
       f.age_min_years, f.age_max_years, f.ownership, f.inclusive, f.amenities, f.phone,
       f.source, f.source_id, f.status, f.version,
       ${isoUtc('f.updated_at')} AS updated_at, ${isoUtc('f.source_updated_at')} AS source_updated_at,
       ST_X(f.geom) AS lng, ST_Y(f.geom) AS lat
  FROM facilities f LEFT JOIN districts d ON d.code = f.district_code
 WHERE ${FILTER}
   AND ($8::int IS NULL OR f.id > $8)
 ORDER BY f.id
 LIMIT $9`;

type Row = Record<string, FieldValue> & {
  id: number;
  category: string;
  amenities: Record<string, unknown> | null;
  lng: number;
  lat: number;
};

function toFeature(r: Row) {
  const { lng, lat, amenities, ...rest } = r;
  const c = categoryById(r.category);
  const properties: Record<string, FieldValue> = { ...rest, category_zh: c.name.zh, category_en: c.name.en };
  for (const a of AMENITIES) {
    const v = amenities?.[a.key];
    properties[a.key] = typeof v === 'boolean' ? v : null;
  }
  return { id: r.id, geometry: { type: 'Point' as const, coordinates: [lng, lat] }, properties };
}

function categoryTitle(ids: readonly CategoryId[] | undefined): { zh: string; en: string } {
  if (!ids?.length) return { zh: '儿童友好设施', en: 'Child-friendly facilities' };
  const cs = ids.map((id) => categoryById(id));
  return { zh: cs.map((c) => c.name.zh).join('、'), en: cs.map((c) => c.name.en).join(', ') };
}

export const facilitiesLayer = defineLayer({
  id: 'facilities',
  name: { zh: '儿童友好设施', en: 'Child-friendly facilities' },
  description: {
    zh: '服务儿童的设施点位（幼儿园、托育、学校、游乐场、母婴室等），按类别着色。',
    en: 'Places that serve children (kindergartens, nurseries, schools, playgrounds, mother-and-baby rooms…), coloured by category.',
  },
  geometryType: 'Point',
  fields: FIELDS,
  titleField: 'name_zh',
  params: Params,
  style: facilityStyle(),

  rows(db: Queryable, p: Params) {
    return (async function* () {
      const pages = keysetPages(
        async (after: number | null, limit: number) => (await db.query<Row>(PAGE_SQL, [...filterValues(p), after, limit])).rows,
        (r) => r.id,
      );
      for await (const r of pages) yield toFeature(r);
    })();
  },

  async metadata(p: Params, db: Queryable) {
    const t = categoryTitle(p.category);
    const d = p.district ? await districtName(db, p.district) : null;
    const single = p.category?.length === 1 ? categoryById(p.category[0]) : null;
    return {
      title: { zh: d ? `${t.zh} · ${d.zh}` : t.zh, en: d ? `${t.en} · ${d.en}` : t.en },
      category: single ? { id: single.id, zh: single.name.zh, en: single.name.en } : null,
      fileNameParts: [
        p.category && (p.category.length <= 3 ? p.category.join('-') : `${p.category.length}-categories`),
        p.district ?? null,
      ],
    };
  },

  async sources(db: Queryable, p: Params): Promise<DataSource[]> {
    const r = await db.query<{ source: string; records: number; source_date: string | null; loaded_at: string | null }>(
      `SELECT f.source, count(*)::int AS records,
              ${isoUtc('max(f.source_updated_at)')} AS source_date,
              ${isoUtc(`greatest(max(f.updated_at), (SELECT max(r.finished_at) FROM import_runs r WHERE r.source = f.source AND r.status = 'done'))`)} AS loaded_at
         FROM facilities f
        WHERE ${FILTER}
        GROUP BY f.source ORDER BY f.source LIMIT 100`,
      filterValues(p),
    );
    const meta = r.rows.some((x) => x.source === 'demo') ? await datasetMeta(db) : {};
    return r.rows.map((x) => {
      const s: DataSource = {
        id: x.source,
        description: `facilities.source = '${x.source}'`,
        records: x.records,
        sourceDate: x.source_date,
        loadedAt: x.loaded_at,
      };
      if (x.source === 'demo') {
        const seed = meta.demo_seed as { version?: number; seededAt?: string } | undefined;
        s.description = `Synthetic demo facilities${seed?.version ? `, dataset version ${seed.version}` : ''} (scripts/build-demo-data.ts)`;
        s.loadedAt = seed?.seededAt ?? s.loadedAt;
        s.note = 'SYNTHETIC sample data: names, addresses, positions and attributes are made up (示例数据，非真实设施)';
      }
      return s;
    });
  },
});
