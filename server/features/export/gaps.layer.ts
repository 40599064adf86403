/**
 * Export layer `gaps`: the coverage gaps of one facility category — uncovered populated
 * cells dissolved per district into polygons, with the people and children in them — the
 * very features `GET /api/coverage/gaps` answers (same `analyse`, same `gapsJson`, same
 * rounding), so a file and the API never disagree.
 *
 * Also the shared machinery of the coverage layers (`served`, `cells`): the parameters (the
 * coverage API's zod schemas, mode limited to euclidean|network), one analysis per export
 * (computed in `metadata()` so that a 400/409 is a JSON answer, reused by `rows()`), the
 * metadata (category, mode, distance, norm with its GB 50180-2018 citation, population
 * method) and the sources.
 */
import { z } from 'zod';
import type { Db, Queryable } from '../../db/adapter';
import { categoryById, type CategoryId } from '../../../core/catalogue';
import type { ExportField } from '../../../core/export/types';
import { GAP_STYLE } from '../../../core/export/qml';
import { normFor } from '../../../core/coverage/index';
import { analyse, requireUniform, type Analysis, type CoverageParams } from '../coverage/analysis';
import { AGE_GROUP_LABEL, COVERAGE_METHOD, gapsJson } from '../coverage/respond';
import { areaOf, CoverageQuery } from '../coverage/schemas';
import { defineLayer, type DataSource, type LayerMetadata } from './layer';
import { isoUtc } from './sources';

// ---------- shared by the coverage layers (gaps, served, cells) ----------

const F = CoverageQuery.shape;

/**
 * The coverage API's parameters and validation (server/features/coverage/schemas.ts), with
 * `mode` one of euclidean|network (a file holds one answer; default euclidean).
 */
export const CoverageLayerParams = z
  .object({
    category: F.category,
    mode: z.enum(['euclidean', 'network'], { message: 'must be euclidean or network' }).default('euclidean'),
    radiusM: F.radiusM,
    district: F.district,
    bbox: F.bbox,
    cellSizeM: F.cellSizeM,
    stepPenalty: F.stepPenalty,
  })
  // exactly one of district and bbox, with the coverage API's messages
  .superRefine((v, ctx) => {
    if (v.district && v.bbox) ctx.addIssue({ code: 'custom', path: ['bbox'], message: 'give either district or bbox, not both' });
    else if (!v.district && !v.bbox)
      ctx.addIssue({ code: 'custom', path: ['district'], message: 'required: district=code[,code] or bbox=west,south,east,north' });
  });
export type CoverageLayerParams = z.output<typeof CoverageLayerParams>;

/** One analysis per export: `metadata()` starts it (errors become JSON answers), `rows()` reuses it. */
const analyses = new WeakMap<object, Promise<Analysis>>();

/**
 * The coverage analysis for these parameters (cached in the coverage feature too).
 * @throws ValidationError (400) for an unknown district / too many cells; NoNetworkError (409) for mode=network without a network
 */
export function coverageAnalysis(db: Queryable, p: CoverageLayerParams): Promise<Analysis> {
  let a = analyses.get(p);
  if (!a) {
    const params: CoverageParams = {
      category: p.category as CategoryId,
      mode: p.mode,
      radiusM: p.radiusM,
      area: areaOf(p),
      cellSizeM: p.cellSizeM,
      walkSpeedMps: 1,
      stepPenalty: p.stepPenalty,
    };
    // the export is handed the app's database (server/db/adapter.ts `Db`)
    a = analyse(db as Db, params).then((x) => {
      requireUniform(x.surface, 'an export of gaps, served areas or cells');
      return x;
    });
    analyses.set(p, a);
  }
  return a;
}

/** `500103`, `500103-500104`, `5-districts` or `bbox`: for file names, from validated values only. */
export function areaPart(p: CoverageLayerParams): string {
  if (!p.district) return 'bbox';
  return p.district.length <= 3 ? p.district.join('-') : `${p.district.length}-districts`;
}

/** Area and mode in words: "渝中区" / "Yuzhong District", or the bbox. */
function areaTitle(a: Analysis): { zh: string; en: string } {
  const s = a.surface;
  if (s.area.kind === 'bbox') return { zh: `范围 ${s.area.bbox.join(',')}`, en: `bbox ${s.area.bbox.join(',')}` };
  return { zh: s.districts.map((d) => d.name_zh).join('、'), en: s.districts.map((d) => d.name_en).join(', ') };
}

/** The coverage layers' metadata: title, category, mode, distance, norm, population method. */
export async function coverageMetadata(
  db: Queryable,
  p: CoverageLayerParams,
  what: { zh: string; en: string },
  extraNotes: { zh: string; en: string }[] = [],
): Promise<LayerMetadata> {
  const a = await coverageAnalysis(db, p);
  const c = categoryById(p.category);
  const n = a.norm;
  const base = normFor(p.category as CategoryId);
  const area = areaTitle(a);
  const age = AGE_GROUP_LABEL[n.ageGroup];
  const modeText = p.mode === 'network' ? { zh: '步行路网', en: 'walking network' } : { zh: '直线距离', en: 'straight line' };
  const notes = [
    {
      zh: `距离：${n.radiusM} 米（${modeText.zh}）${n.radiusM !== base.radiusM ? `，规范值为 ${base.radiusM} 米` : ''}；儿童：${age.zh}；依据：${n.source} ${n.citation}。`,
      en: `Distance: ${n.radiusM} m (${modeText.en})${n.radiusM !== base.radiusM ? `; the norm is ${base.radiusM} m` : ''}; children ${age.en}; norm: ${n.source} ${n.citation}.`,
    },
    { zh: `人口方法：${a.surface.population.text}`, en: `Population method: ${a.surface.population.text}` },
    ...a.surface.population.details.map((d) => ({ zh: d, en: d })),
    { zh: `覆盖计算：${COVERAGE_METHOD[p.mode].zh}`, en: `Coverage method: ${COVERAGE_METHOD[p.mode].en}` },
    { zh: `局限：${COVERAGE_METHOD.limitations.zh}`, en: `Limitations: ${COVERAGE_METHOD.limitations.en}` },
    ...extraNotes,
  ];
  return {
    title: { zh: `${c.name.zh}${what.zh} · ${area.zh}`, en: `${c.name.en} ${what.en} · ${area.en}` },
    category: { id: c.id, zh: c.name.zh, en: c.name.en },
    mode: p.mode,
    distanceM: n.radiusM,
    norm: { source: n.source, citation: n.citation },
    fileNameParts: [c.id, areaPart(p), p.mode === 'network' ? 'network' : null],
    notes,
  };
}

/** Where a coverage layer's numbers come from: facilities counted, district boundaries and census, population cells, network. */
export async function coverageSources(db: Queryable, p: CoverageLayerParams): Promise<DataSource[]> {
  const a = await coverageAnalysis(db, p);
  const out: DataSource[] = [];
  const fac = await db.query<{ source: string; records: number; source_date: string | null; loaded_at: string | null }>(
    `SELECT source, count(*)::int AS records, ${isoUtc('max(source_updated_at)')} AS source_date, ${isoUtc('max(updated_at)')} AS loaded_at
       FROM facilities WHERE id = ANY($1::int[]) GROUP BY source ORDER BY source LIMIT 100`,
    [a.facilities.map((f) => f.id)],
  );
  for (const x of fac.rows) {
    out.push({
      id: `facilities:${x.source}`,
      description: `Active ${p.category} facilities counted (in the area or within ${a.norm.radiusM} m of it), facilities.source = '${x.source}'`,
      records: x.records,
      sourceDate: x.source_date,
      loadedAt: x.loaded_at,
    });
  }
  const codes = a.surface.districts.map((d) => d.code);
  const ds = await db.query<{ source: string; population_source: string | null; records: number; loaded_at: string | null }>(
    `SELECT source, population_source, count(*)::int AS records, ${isoUtc('max(updated_at)')} AS loaded_at
       FROM districts WHERE code = ANY($1::text[]) GROUP BY source, population_source ORDER BY source LIMIT 20`,
    [codes],
  );
  for (const x of ds.rows) {
    out.push({ id: 'districts.geom', description: `District boundaries: ${x.source}`, records: x.records, loadedAt: x.loaded_at });
    if (x.population_source)
      out.push({
        id: 'districts.population',
        description: `Population and child age groups: ${x.population_source}`,
        records: x.records,
        sourceDate: '2020-11-01',
      });
  }
  out.push({ id: `population:${a.surface.population.source}`, description: a.surface.population.text });
  if (p.mode === 'network' && a.graph) {
    const r = await db.query<{ source: string; finished: string | null }>(
      `SELECT source, ${isoUtc('finished_at')} AS finished FROM import_runs WHERE status = 'done' ORDER BY finished_at DESC NULLS LAST LIMIT 1`,
    );
    out.push({
      id: 'network_edges',
      description: `Walkable street network (${a.graph.graph.edgeCount} edges in the window)${r.rows[0] ? `, last import: ${r.rows[0].source}` : ''}`,
      loadedAt: r.rows[0]?.finished ?? null,
    });
  }
  return out;
}

/** A polygon's point for the CSV/XLSX lng/lat columns: the mean of its outer ring's vertices. */
export function ringMean(ring: number[][]): [number, number] {
  let x = 0,
    y = 0;
  const n = Math.max(1, ring.length - 1); // closed ring: skip the repeated last vertex
  for (let i = 0; i < n; i++) {
    x += ring[i][0];
    y += ring[i][1];
  }
  return [x / n, y / n];
}

export const AGE_GROUP_ZH = (g: keyof typeof AGE_GROUP_LABEL) => `${AGE_GROUP_LABEL[g].zh}儿童`;

// ---------- the gaps layer ----------

/**
 * The fields of a dissolved-cells layer (gaps, served): its rank field, the mode, district and
 * age group, then `counts` (the people in the polygon), then area and grid squares.
 */
export function dissolvedCellFields(rank: ExportField, counts: readonly ExportField[]): readonly ExportField[] {
  return [
    rank,
    { name: 'mode', type: 'string', zh: '距离方式', en: 'Distance mode' },
    { name: 'district_code', type: 'string', zh: '区县代码', en: 'District code', dbf: 'dist_code' },
    { name: 'district_zh', type: 'string', zh: '区县', en: 'District (Chinese)', dbf: 'dist_zh' },
    { name: 'district_en', type: 'string', zh: '区县（英文）', en: 'District', dbf: 'dist_en' },
    { name: 'age_group', type: 'string', zh: '年龄组代码', en: 'Age group code', dbf: 'age_group' },
    { name: 'age_group_zh', type: 'string', zh: '年龄组', en: 'Age group (Chinese)', dbf: 'age_zh' },
    ...counts,
    { name: 'area_km2', type: 'real', zh: '面积（km²）', en: 'Area (km²)', dbf: 'area_km2', decimals: 4 },
    { name: 'square_count', type: 'integer', zh: '网格数', en: 'Grid squares', dbf: 'squares' },
  ];
}

const FIELDS = dissolvedCellFields(
  {
    name: 'gap_rank',
    type: 'integer',
    zh: '缺口序号（按未覆盖儿童排序）',
    en: 'Gap rank (most uncovered children first)',
    dbf: 'gap_rank',
  },
  [
    { name: 'uncovered_population', type: 'real', zh: '未覆盖人口', en: 'Uncovered population', dbf: 'uncov_pop', decimals: 1 },
    { name: 'uncovered_children', type: 'real', zh: '未覆盖儿童', en: 'Uncovered children', dbf: 'uncov_chil', decimals: 1 },
    {
      name: 'no_access_population',
      type: 'real',
      zh: '无路网可达人口',
      en: 'Population without network access',
      dbf: 'noacc_pop',
      decimals: 1,
    },
  ],
);

export const gapsLayer = defineLayer({
  id: 'gaps',
  name: { zh: '服务覆盖缺口', en: 'Coverage gaps' },
  description: {
    zh: '规划服务距离（GB 50180-2018）以外的有人居住区域：未覆盖的人口网格按区县合并成面，附未覆盖人口与相应年龄组儿童数。',
    en: 'Populated areas beyond the planning service distance (GB 50180-2018): uncovered population cells dissolved per district, with the uncovered people and children of the age group served.',
  },
  geometryType: 'MultiPolygon',
  fields: FIELDS,
  titleField: 'district_zh',
  params: CoverageLayerParams,
  style: GAP_STYLE,

  rows(db: Queryable, p: CoverageLayerParams) {
    return (async function* () {
      const a = await coverageAnalysis(db, p);
      // exactly GET /api/coverage/gaps (include=populated), without its feature limit
      const fc = gapsJson(a, { limit: Number.MAX_SAFE_INTEGER, include: 'populated' });
      let rank = 0;
      for (const f of fc.features) {
        const q = f.properties;
        rank++;
        yield {
          id: rank,
          geometry: f.geometry,
          labelPoint: ringMean(f.geometry.coordinates[0]),
          properties: {
            gap_rank: rank,
            mode: q.mode,
            district_code: q.districtCode,
            district_zh: q.name_zh,
            district_en: q.name_en,
            age_group: q.ageGroup,
            age_group_zh: AGE_GROUP_ZH(q.ageGroup),
            uncovered_population: q.uncoveredPopulation,
            uncovered_children: q.uncoveredChildren,
            no_access_population: p.mode === 'network' ? q.noAccessPopulation : null,
            area_km2: q.areaKm2,
            square_count: q.squareCount,
          },
        };
      }
    })();
  },

  metadata: (p: CoverageLayerParams, db: Queryable) =>
    coverageMetadata(db, p, { zh: '服务缺口', en: 'coverage gaps' }, [
      {
        zh: '与 GET /api/coverage/gaps（include=populated）的要素、人数一致；人数保留一位小数。',
        en: 'The same features and numbers as GET /api/coverage/gaps (include=populated); people rounded to 0.1.',
      },
    ]),
  sources: coverageSources,
});
