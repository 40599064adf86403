/**
 * Export layer `districts`: the 38 district (区县) boundaries of Chongqing with the 2020
 * census population and the child age groups derived from it (data/census/README.md).
 * Full-resolution boundaries by default; `simplify` (degrees) thins them for light files.
 */
import { z } from 'zod';
import type { Queryable } from '../../db/adapter';
import { districtCodeSchema, numberParam } from '../../http/schemas';
import type { ExportField, FieldValue } from '../../../core/export/types';
import { DISTRICT_STYLE } from '../../../core/export/qml';
import { defineLayer, type DataSource } from './layer';
import { keysetPages } from './paging';
import { isoUtc } from './sources';

const Params = z.object({
  district: districtCodeSchema.optional(),
  /** Only the nine central urban districts (主城中心城区). */
  central: z
    .enum(['true', 'false'], { message: "must be 'true' or 'false'" })
    .optional()
    .transform((v) => v === 'true'),
  /** Douglas–Peucker tolerance in degrees (0.0005° ≈ 50 m); 0 = the stored boundary. */
  simplify: numberParam(z.number({ message: 'must be a number' }).min(0, 'must be ≥ 0').max(0.05, 'must be ≤ 0.05')).default(0),
});
type Params = z.output<typeof Params>;

const FIELDS: readonly ExportField[] = [
  { name: 'code', type: 'string', zh: '区划代码', en: 'Code (GB/T 2260)' },
  { name: 'name_zh', type: 'string', zh: '区县', en: 'Name (Chinese)' },
  { name: 'name_en', type: 'string', zh: '英文名称', en: 'Name' },
  { name: 'central_urban', type: 'boolean', zh: '中心城区', en: 'Central urban district', dbf: 'central' },
  { name: 'population', type: 'integer', zh: '常住人口（2020）', en: 'Resident population (2020)', dbf: 'population' },
  { name: 'children_0_2', type: 'integer', zh: '0–2岁儿童', en: 'Children aged 0–2', dbf: 'child_0_2' },
  { name: 'children_3_5', type: 'integer', zh: '3–5岁儿童', en: 'Children aged 3–5', dbf: 'child_3_5' },
  { name: 'children_6_11', type: 'integer', zh: '6–11岁儿童', en: 'Children aged 6–11', dbf: 'child_6_11' },
  { name: 'children_12_14', type: 'integer', zh: '12–14岁儿童', en: 'Children aged 12–14', dbf: 'child12_14' },
  { name: 'children_0_14', type: 'integer', zh: '0–14岁儿童', en: 'Children aged 0–14', dbf: 'child_0_14' },
  { name: 'urban_share', type: 'real', zh: '城镇化率', en: 'Urban share', dbf: 'urban_shr', decimals: 4 },
  { name: 'area_km2', type: 'real', zh: '面积（km²）', en: 'Area (km²)', decimals: 2 },
];

/** Polygons are large: a handful per page keeps a page's memory small. */
const PAGE_SIZE = 8;

const PAGE_SQL = `
SELECT code, name_zh, name_en, central_urban, population, children_0_2, children_3_5,
       children_6_11, children_12_14, children_0_14, urban_share, area_km2,
       ST_X(label_point) AS label_lng, ST_Y(label_point) AS label_lat,
       ST_AsGeoJSON(CASE WHEN $3::float8 > 0 THEN ST_Multi(ST_SimplifyPreserveTopology(geom, $3)) ELSE geom END, 9)::json AS geometry
  FROM districts
 WHERE ($1::text IS NULL OR code = $1) AND (NOT $2::boolean OR central_urban)
   AND ($4::text IS NULL OR code > $4)
 ORDER BY code
 LIMIT $5`;

type Row = Record<string, FieldValue> & {
  code: string;
  label_lng: number;
  label_lat: number;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
};

/** A district's names, or null when the code is not in the table. */
export async function districtName(db: Queryable, code: string): Promise<{ zh: string; en: string } | null> {
  const r = await db.query<{ zh: string; en: string }>('SELECT name_zh AS zh, name_en AS en FROM districts WHERE code = $1', [code]);
  return r.rows[0] ?? null;
}

export const districtsLayer = defineLayer({
  id: 'districts',
  name: { zh: '区县人口与儿童', en: 'Districts: population and children' },
  description: {
    zh: '重庆市区县边界，附 2020 年第七次人口普查常住人口及按年龄组估算的儿童人数。',
    en: 'Chongqing’s district boundaries with the 2020 census resident population and children by age group (estimated from census age shares).',
  },
  geometryType: 'MultiPolygon',
  fields: FIELDS,
  titleField: 'name_zh',
  params: Params,
  style: DISTRICT_STYLE,

  rows(db: Queryable, p: Params) {
    return (async function* () {
      const pages = keysetPages(
        async (after: string | null, limit: number) =>
          (await db.query<Row>(PAGE_SQL, [p.district ?? null, p.central, p.simplify, after, limit])).rows,
        (r) => r.code,
        PAGE_SIZE,
      );
      for await (const r of pages) {
        const { label_lng, label_lat, geometry, ...properties } = r;
        yield { id: r.code, geometry, properties, labelPoint: [label_lng, label_lat] as [number, number] };
      }
    })();
  },

  async metadata(p: Params, db: Queryable) {
    const d = p.district ? await districtName(db, p.district) : null;
    const scope = d ?? (p.central ? { zh: '中心城区', en: 'central urban districts' } : { zh: '重庆市', en: 'Chongqing' });
    return {
      title: { zh: `区县人口与儿童 · ${scope.zh}`, en: `Districts: population and children · ${scope.en}` },
      fileNameParts: [p.district ?? (p.central ? 'central' : null)],
      notes:
        p.simplify > 0 ? [{ zh: `边界已按 ${p.simplify}° 容差简化。`, en: `Boundaries simplified with a ${p.simplify}° tolerance.` }] : [],
    };
  },

  async sources(db: Queryable, p: Params): Promise<DataSource[]> {
    const r = await db.query<{ source: string; population_source: string | null; records: number; loaded_at: string | null }>(
      `SELECT source, population_source, count(*)::int AS records, ${isoUtc('max(updated_at)')} AS loaded_at
         FROM districts
        WHERE ($1::text IS NULL OR code = $1) AND (NOT $2::boolean OR central_urban)
        GROUP BY source, population_source ORDER BY source LIMIT 20`,
      [p.district ?? null, p.central],
    );
    const out: DataSource[] = [];
    for (const x of r.rows) {
      out.push({ id: 'districts.geom', description: `Boundaries: ${x.source}`, records: x.records, loadedAt: x.loaded_at });
      if (x.population_source)
        out.push({
          id: 'districts.population',
          description: `Population: ${x.population_source}`,
          records: x.records,
          sourceDate: '2020-11-01',
        });
    }
    return out;
  },
});
