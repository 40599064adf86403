/**
 * Indicators on the live database: compute the current set (core formulas on facts read
 * by ./sql.ts), save it as an append-only snapshot, and read trends back.
 *
 * `snapshotIndicators(db, reason)` is the hook for importers: call it after an import has
 * committed, e.g.
 *
 * ```ts
 * import { snapshotIndicators } from '../indicators';
 * await snapshotIndicators(db, 'import', { importRunId: run.id });
 * ```
 *
 * It computes every indicator for every district and the city and appends them under one
 * new moment; it never overwrites an earlier snapshot. `ensureBaselineSnapshot(db)` before
 * the import's writes gives the trend a "before" point on a freshly seeded database.
 */
import type { Db, Queryable } from '../../db/adapter';
import { ConflictError } from '../../errors';
import {
  aggregateIndicatorInputs,
  CITY_CODE,
  computeIndicators,
  COVERAGE_PLUG_POINTS,
  definitionView,
  INDICATORS,
  indicatorById,
  type CoverageBasis,
  type DatasetContext,
  type DistrictIndicatorsView,
  type IndicatorId,
  type IndicatorResult,
  type IndicatorResultView,
  type IndicatorsResponse,
  type SnapshotPoint,
  type SnapshotsResponse,
} from '../../../core/indicators';
import { INSERT_SNAPSHOT, loadIndicatorInputs, NEXT_SNAPSHOT_TIME, SNAPSHOT_TREND, type SnapshotRow } from './sql';

/**
 * Walking-coverage results handed to the indicators, with how and when they were made.
 * `status`: `ready` (fresh), `stale` (the last finished results while newer data is being
 * computed), `computing` (none yet), `failed`.
 */
export interface CoverageResults {
  status: 'ready' | 'stale' | 'computing' | 'failed';
  /** Per category: the engine's per-district results; absent = no facility of the category in the city. */
  inputs?: DatasetContext['coverage'];
  /** Per category, per district code: the mode used there. */
  modes?: Record<string, Record<string, 'network' | 'euclidean'>>;
  /** When the results were computed (ISO 8601): the coverage rows' `computed_at`. */
  computedAt?: string;
  cellSizeM?: number;
  /** Why there are no results (status `failed`). */
  message?: string;
}

/**
 * Where walking-coverage results come from (per category, per district): see
 * ./coverageSource.ts. Without one the coverage indicators say no_data.
 */
export type CoverageSource = (db: Queryable) => Promise<CoverageResults | undefined>;

export interface ComputeOptions {
  /** Only this district (the city total is then left out). */
  district?: string;
  coverage?: CoverageSource;
  /** The moment to stamp on the results; default now. */
  now?: Date;
}

function view(r: IndicatorResult, city: boolean, computedAt: string, coverage?: CoverageResults): IndicatorResultView {
  const d = indicatorById(r.id);
  const isCoverage = COVERAGE_IDS.has(r.id);
  const at = coverage?.computedAt && isCoverage && r.status !== 'no_data' ? coverage.computedAt : computedAt;
  const out: IndicatorResultView = { ...r, name: d.name, unit: city ? d.cityUnit : d.unit, clause: d.clause, computed_at: at };
  if (coverage && isCoverage) out.coverage = coverageBasis(r, coverage);
  return out;
}

/** The walking-coverage result's state and how its distance was measured (core/indicators `CoverageBasis`). */
function coverageBasis(r: IndicatorResult, c: CoverageResults): CoverageBasis {
  const spec = COVERAGE_SPEC.get(r.id)!;
  if (r.value === null) return { state: c.status, measure: null };
  const modes = c.modes?.[spec.category] ?? {};
  const used = r.district === CITY_CODE ? [...new Set(Object.values(modes))] : [modes[r.district] ?? c.inputs?.[spec.category]?.mode];
  const measure = used.length > 1 ? 'mixed' : used[0] === 'network' ? 'network' : 'straight_line';
  return { state: c.status, measure };
}

const COVERAGE_IDS: ReadonlySet<string> = new Set(COVERAGE_PLUG_POINTS.map((p) => p.id));
const COVERAGE_SPEC = new Map(COVERAGE_PLUG_POINTS.map((p) => [p.id as string, p]));

const MODE_TEXT = {
  network: { zh: '沿步行路网', en: 'along the walking network' },
  euclidean: { zh: '直线距离（未导入路网）', en: 'straight-line (no street network imported)' },
} as const;

/**
 * States, on each coverage row, the mode actually used in that district (or the mix, for the
 * city), the cell size, and whether the results are being recomputed; and why there is no
 * value when the computation is still running or failed.
 */
function withCoverageNote(r: IndicatorResult, c: CoverageResults): IndicatorResult {
  const spec = COVERAGE_SPEC.get(r.id);
  if (!spec) return r;
  if (r.status === 'no_data') {
    if (c.status === 'computing') {
      return {
        ...r,
        note: {
          zh: '正在后台计算步行覆盖率（全市约半分钟），请稍后刷新',
          en: 'computing walking coverage in the background (about half a minute for the whole city); reload shortly',
        },
      };
    }
    if (c.status === 'failed')
      return {
        ...r,
        note: { zh: `步行覆盖率计算失败：${c.message ?? ''}`, en: `walking-coverage computation failed: ${c.message ?? ''}` },
      };
    if (!c.inputs?.[spec.category])
      return {
        ...r,
        note: { zh: '全市尚无该类设施数据，无法计算覆盖率', en: 'no facility of this category loaded in the city: coverage not computed' },
      };
    return r;
  }
  const modes = c.modes?.[spec.category] ?? {};
  let mode: { zh: string; en: string };
  if (r.district !== CITY_CODE) mode = MODE_TEXT[modes[r.district] ?? c.inputs?.[spec.category]?.mode ?? 'euclidean'];
  else {
    const all = Object.values(modes);
    const n = all.filter((m) => m === 'network').length;
    mode =
      n === all.length
        ? MODE_TEXT.network
        : n === 0
          ? MODE_TEXT.euclidean
          : {
              zh: `${all.length} 个区县中 ${n} 个沿步行路网、${all.length - n} 个直线距离（未导入路网）`,
              en: `along the walking network in ${n} of ${all.length} districts, straight-line (no street network imported) in ${all.length - n}`,
            };
  }
  const cell = c.cellSizeM ? { zh: `，${c.cellSizeM} 米格网`, en: `, ${c.cellSizeM} m grid` } : { zh: '', en: '' };
  const stale =
    c.status === 'stale' && c.computedAt
      ? {
          zh: `；为 ${c.computedAt} 的结果，正在按最新数据重新计算`,
          en: `; results of ${c.computedAt}, being recomputed with the latest data`,
        }
      : { zh: '', en: '' };
  return {
    ...r,
    note: {
      zh: `${mode.zh} ${spec.radiusM} 米${cell.zh}；全市未设数值目标${stale.zh}`,
      en: `${mode.en}, ${spec.radiusM} m${cell.en}; no numeric target in the plan${stale.en}`,
    },
  };
}

/**
 * The current indicators: every district and the city total, or one district.
 * @returns null when `district` names no district in the database.
 */
export async function computeIndicatorSet(db: Queryable, opts: ComputeOptions = {}): Promise<IndicatorsResponse | null> {
  const inputs = await loadIndicatorInputs(db);
  const { districts, context } = aggregateIndicatorInputs(inputs);
  const results = opts.coverage ? await opts.coverage(db) : undefined;
  const coverage = results?.inputs;
  const computed = computeIndicators(districts, coverage ? { ...context, coverage } : context);
  const computedAt = (opts.now ?? new Date()).toISOString();
  if (results) {
    for (const d of computed.districts) d.results = d.results.map((r) => withCoverageNote(r, results));
    computed.city.results = computed.city.results.map((r) => withCoverageNote(r, results));
  }
  const facts = new Map(inputs.districts.map((d) => [d.code, d]));
  const all: DistrictIndicatorsView[] = computed.districts.map((d) => {
    const f = facts.get(d.code)!;
    return {
      code: d.code,
      name_zh: f.name_zh,
      name_en: f.name_en,
      population: f.population,
      indicators: d.results.map((r) => view(r, false, computedAt, results)),
    };
  });
  const definitions = INDICATORS.map(definitionView);
  if (opts.district !== undefined) {
    const one = all.find((d) => d.code === opts.district);
    return one ? { computed_at: computedAt, definitions, districts: [one], city: null } : null;
  }
  const population = inputs.districts.reduce<number | null>((s, d) => (s === null || d.population === null ? null : s + d.population), 0);
  const city: DistrictIndicatorsView = {
    code: CITY_CODE,
    name_zh: '重庆市（全市）',
    name_en: 'Chongqing (whole city)',
    population,
    indicators: computed.city.results.map((r) => view(r, true, computedAt, results)),
  };
  return { computed_at: computedAt, definitions, districts: all, city };
}

export interface SnapshotOptions {
  /** The import run that triggered it (import_runs.id). */
  importRunId?: number;
  /** A chosen moment (a planner's reporting date); default: the next free moment. */
  takenAt?: Date;
  /** Who asked (user name), once there is auth. */
  createdBy?: string;
  coverage?: CoverageSource;
}

export interface SnapshotSummary {
  taken_at: string;
  reason: string;
  /** Rows written: (districts + city) × indicators. */
  rows: number;
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === UNIQUE_VIOLATION;
}

/**
 * Compute every indicator now and append it to `indicator_snapshots` under one moment,
 * in one transaction. The hook for importers (call it after the import's own transaction
 * has committed) and the implementation of `POST /api/indicators/snapshots`.
 *
 * @param reason why: 'manual', 'import', 'seed'…
 * @throws ConflictError when `opts.takenAt` is given and a snapshot already exists at that moment
 *   (nothing is overwritten).
 * @example
 * await snapshotIndicators(db, 'import', { importRunId: 42 });
 */
export async function snapshotIndicators(db: Db, reason: string, opts: SnapshotOptions = {}): Promise<SnapshotSummary> {
  // Coverage results are resolved before the transaction: the source may read through `db`
  // (and PGlite has one connection, which the transaction holds).
  const results = opts.coverage ? await opts.coverage(db) : undefined;
  const coverage: CoverageSource | undefined = results ? async () => results : undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const set = (await computeIndicatorSet(tx, { coverage }))!;
        const takenAt = opts.takenAt ?? (await tx.query<{ t: Date | string }>(NEXT_SNAPSHOT_TIME)).rows[0].t;
        const rows = [...set.districts, ...(set.city ? [set.city] : [])].flatMap((d) =>
          d.indicators.map((r) => ({
            district_code: d.code,
            indicator: r.id,
            value: r.value,
            target: r.target,
            status: r.status,
            numerator: r.numerator,
            denominator: r.denominator,
            // the amount and sentence, not the item lists (they are for the live page)
            shortfall: r.shortfall ? { amount: r.shortfall.amount, unit: r.shortfall.unit, text: r.shortfall.text } : null,
            note: r.note,
          })),
        );
        const t = takenAt instanceof Date ? takenAt.toISOString() : String(takenAt);
        await tx.query(INSERT_SNAPSHOT, [t, reason, opts.importRunId ?? null, opts.createdBy ?? null, JSON.stringify(rows)]);
        return { taken_at: new Date(t).toISOString(), reason, rows: rows.length };
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (opts.takenAt)
        throw new ConflictError(`a snapshot already exists at ${opts.takenAt.toISOString()}; snapshots are never overwritten`);
      // two snapshots raced for the same millisecond: take the next one
      if (attempt >= 3) throw e;
    }
  }
}

/**
 * Take a snapshot only when none exists yet, so that the first import after seeding has
 * a "before" to compare with. Importers may call it before they write; cheap when a
 * snapshot exists (one indexed lookup).
 * @returns the snapshot taken, or null when there already was one.
 */
export async function ensureBaselineSnapshot(db: Db, opts: Omit<SnapshotOptions, 'takenAt'> = {}): Promise<SnapshotSummary | null> {
  const r = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM indicator_snapshots) AS any');
  if (r.rows[0].any) return null;
  return snapshotIndicators(db, 'baseline', opts);
}

/** The trend of one district (or the city, {@link CITY_CODE}): its latest `limit` snapshots, oldest first. */
export async function readSnapshots(
  db: Queryable,
  district: string,
  opts: { limit: number; indicator?: IndicatorId },
): Promise<SnapshotsResponse> {
  const rows = (await db.query<SnapshotRow>(SNAPSHOT_TREND, [district, opts.limit, opts.indicator ?? null])).rows;
  const byMoment = new Map<string, SnapshotPoint>();
  for (const r of rows) {
    const t = r.taken_at instanceof Date ? r.taken_at.toISOString() : new Date(r.taken_at).toISOString();
    let p = byMoment.get(t);
    if (!p) {
      p = { taken_at: t, reason: r.reason, indicators: {} };
      byMoment.set(t, p);
    }
    p.indicators[r.indicator as IndicatorId] = {
      value: r.value,
      target: r.target,
      status: r.status as IndicatorResult['status'],
      numerator: r.numerator,
      denominator: r.denominator,
    };
  }
  return { district, snapshots: [...byMoment.values()] };
}
