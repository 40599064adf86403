/**
 * Export layer `indicators`: every district with one column per indicator value and one
 * for its status (met / not_met / no_data / not_applicable) — the current set from
 * `computeIndicatorSet` — on the district polygons. The walking-coverage indicators come
 * from the same background source as `/api/indicators`; a file waits for fresh results
 * rather than writing "computing". CSV/XLSX give the table (with the label point, or
 * `geom=none` for attributes only).
 */
import { z } from 'zod';
import type { Queryable } from '../../db/adapter';
import { districtCodeSchema } from '../../http/schemas';
import { INDICATORS, type IndicatorResultView, type IndicatorsResponse } from '../../../core/indicators';
import type { ExportField, FieldValue } from '../../../core/export/types';
import { DISTRICT_STYLE } from '../../../core/export/qml';
import { computeIndicatorSet } from '../indicators/service';
import { coverageSourceFor } from '../indicators/coverageSource';
import type { Db } from '../../db/adapter';
import { NotFoundError } from '../../errors';
import { defineLayer, type DataSource } from './layer';
import { keysetPages } from './paging';
import { districtName } from './districts.layer';
import { tableSource } from './sources';

const Params = z.object({ district: districtCodeSchema.optional() });
type Params = z.output<typeof Params>;

/** Readable DBF names (≤ 10 characters; the status column adds `_s`). */
const SHORT: Record<string, string> = {
  nursery_places_per_1000: 'nurs_p1k',
  infant_care_guidance_centre: 'care_ctr',
  kindergarten_places_per_1000_children: 'kg_p1k',
  kindergarten_inclusive_share: 'kg_incl',
  kindergarten_public_share: 'kg_pub',
  special_school: 'spec_sch',
  mch_institution: 'mch_inst',
  paediatricians_per_1000_children: 'paed_p1k',
  mother_baby_room_large_venues: 'mb_rooms',
  protection_station_street_share: 'prot_stn',
  child_friendly_communities: 'cf_comm',
  coverage_nursery_300m: 'cov_nurs',
  coverage_kindergarten_300m: 'cov_kg',
  coverage_primary_500m: 'cov_prim',
  coverage_middle_1000m: 'cov_mid',
  coverage_playground_300m: 'cov_play',
};

const FIELDS: readonly ExportField[] = [
  { name: 'code', type: 'string', zh: '区划代码', en: 'Code (GB/T 2260)' },
  { name: 'name_zh', type: 'string', zh: '区县', en: 'Name (Chinese)' },
  { name: 'name_en', type: 'string', zh: '英文名称', en: 'Name' },
  { name: 'population', type: 'integer', zh: '常住人口', en: 'Resident population' },
  ...INDICATORS.flatMap((d): ExportField[] => [
    { name: d.id, type: 'real', zh: `${d.name.zh}（${d.unit.zh}）`, en: `${d.name.en} (${d.unit.en})`, dbf: SHORT[d.id], decimals: 4 },
    {
      name: `${d.id}_status`,
      type: 'string',
      zh: `${d.name.zh}：状态`,
      en: `${d.name.en}: status`,
      dbf: SHORT[d.id] ? `${SHORT[d.id]}_s` : undefined,
    },
  ]),
  { name: 'computed_at', type: 'datetime', zh: '计算时间', en: 'Computed at', dbf: 'computed' },
];

const PAGE_SQL = `
SELECT code, ST_X(label_point) AS label_lng, ST_Y(label_point) AS label_lat, ST_AsGeoJSON(geom, 9)::json AS geometry
  FROM districts
 WHERE ($1::text IS NULL OR code = $1) AND ($2::text IS NULL OR code > $2)
 ORDER BY code
 LIMIT $3`;

/** One computation per export: `metadata()` computes (an unknown district is a 404 answer), `rows()` reuses. */
const sets = new WeakMap<object, Promise<IndicatorsResponse>>();
function indicatorSet(db: Queryable, p: Params): Promise<IndicatorsResponse> {
  let s = sets.get(p);
  if (!s) {
    s = computeIndicatorSet(db, { district: p.district, coverage: coverageSourceFor(db as Db).wait }).then((set) => {
      if (!set) throw new NotFoundError(`no district with code ${p.district}`);
      return set;
    });
    sets.set(p, s);
  }
  return s;
}

export const indicatorsLayer = defineLayer({
  id: 'indicators',
  name: { zh: '儿童友好城市指标（区县）', en: 'Child-friendly city indicators by district' },
  description: {
    zh: '各区县的儿童友好城市建设指标：每项指标一列数值、一列状态（met 达标 / not_met 未达标 / no_data 无数据 / not_applicable 不适用），与 GET /api/indicators 一致。',
    en: 'The child-friendly city indicators of each district: one column per indicator value and one for its status (met / not_met / no_data / not_applicable), as GET /api/indicators answers.',
  },
  geometryType: 'MultiPolygon',
  fields: FIELDS,
  titleField: 'name_zh',
  params: Params,
  style: { ...DISTRICT_STYLE },

  rows(db: Queryable, p: Params) {
    return (async function* () {
      const set = await indicatorSet(db, p);
      const byCode = new Map(set.districts.map((d) => [d.code, d]));
      type Row = { code: string; label_lng: number; label_lat: number; geometry: { type: 'MultiPolygon'; coordinates: number[][][][] } };
      const pages = keysetPages(
        async (after: string | null, limit: number) => (await db.query<Row>(PAGE_SQL, [p.district ?? null, after, limit])).rows,
        (r) => r.code,
        8,
      );
      for await (const r of pages) {
        const d = byCode.get(r.code);
        if (!d) continue;
        const properties: Record<string, FieldValue> = {
          code: d.code,
          name_zh: d.name_zh,
          name_en: d.name_en,
          population: d.population,
          computed_at: set.computed_at,
        };
        const results = new Map<string, IndicatorResultView>(d.indicators.map((x) => [x.id, x]));
        for (const def of INDICATORS) {
          const x = results.get(def.id);
          properties[def.id] = x?.value ?? null;
          properties[`${def.id}_status`] = x?.status ?? null;
        }
        yield { id: r.code, geometry: r.geometry, properties, labelPoint: [r.label_lng, r.label_lat] as [number, number] };
      }
    })();
  },

  async metadata(p: Params, db: Queryable) {
    const set = await indicatorSet(db, p);
    const d = p.district ? await districtName(db, p.district) : null;
    return {
      title: {
        zh: `儿童友好城市指标 · ${d?.zh ?? '重庆市各区县'}`,
        en: `Child-friendly city indicators · ${d?.en ?? 'districts of Chongqing'}`,
      },
      fileNameParts: [p.district ?? null],
      notes: [
        {
          zh: `计算时间 ${set.computed_at}；状态：met 达标，not_met 未达标，no_data 无数据，not_applicable 不适用。`,
          en: `Computed at ${set.computed_at}; status: met, not_met, no_data, not_applicable.`,
        },
        ...INDICATORS.map((def) => ({
          zh: `${def.id}：${def.name.zh}（${def.unit.zh}），依据 ${def.clause}`,
          en: `${def.id}: ${def.name.en} (${def.unit.en}), clause ${def.clause}`,
        })),
      ],
    };
  },

  async sources(db: Queryable, p: Params): Promise<DataSource[]> {
    const facilities = await tableSource(db, {
      id: 'facilities',
      description: 'Active facilities counted by the indicators (core/indicators, server/features/indicators/sql.ts)',
      from: 'facilities',
      updatedAt: 'max(updated_at)',
      where: "status = 'active'",
    });
    const ds = await db.query<{ source: string; population_source: string | null; records: number }>(
      `SELECT source, population_source, count(*)::int AS records FROM districts WHERE ($1::text IS NULL OR code = $1) GROUP BY source, population_source ORDER BY source LIMIT 20`,
      [p.district ?? null],
    );
    return [
      facilities,
      ...ds.rows.map((x) => ({
        id: 'districts',
        description: `Boundaries: ${x.source}; population: ${x.population_source ?? 'none'}`,
        records: x.records,
        sourceDate: x.population_source ? '2020-11-01' : null,
      })),
    ];
  },
});
