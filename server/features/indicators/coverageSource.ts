/**
 * Walking-coverage results for the coverage indicators (`coverage_*`), from the coverage
 * feature's own engine: per district and per category, `analyse(...)` (server/features/
 * coverage/analysis.ts) on the district alone, with its population surface, facility read
 * and caches — no second implementation here.
 *
 * - **Mode:** along the walking network where the district's window has an imported street
 *   network, else straight-line. The mode used is stated per district in the indicator's note.
 * - **Cell size:** {@link INDICATOR_CELL_SIZE_M} (200 m) instead of the map's 100 m: a quarter
 *   of the cells, so the whole city (82,000 km², ~2.1 M records at 200 m) is a background job
 *   of tens of seconds rather than minutes. A cell counts as covered when its centre is within
 *   the radius, so a district's share can differ from the 100 m map by a few points.
 * - **Lazy, in the background:** the first request after a change starts one computation (a
 *   job of the analysis worker pool, {@link computeCoverageRunInPool}) and answers at once — with the last finished results (and their `computed_at`) when there are
 *   any, else `no_data` "computing". A request never waits for it. Work yields to the event
 *   loop between analyses.
 * - **Freshness:** results are keyed by the newest finished `import_runs.id` plus the
 *   facilities' `max(updated_at)` and count; any import or edit changes the key, and the next
 *   request starts a recompute.
 * - **Waiting:** `source.wait` is the same source but awaits fresh results — for the import
 *   CLI's snapshot, which can wait.
 *
 * @example
 * const coverage = coverageSourceFor(ctx.db);            // one per database
 * indicatorRoutes(api, ctx, { coverage });
 * await snapshotIndicators(db, 'import', { coverage: coverage.wait });
 */
import { isMainThread } from 'node:worker_threads';
import type { Db, Queryable } from '../../db/adapter';
import { COVERAGE_PLUG_POINTS, coverageInputFromSummary, type CoverageInput } from '../../../core/indicators';
import type { CategoryId } from '../../../core/catalogue';
import { analyse, NoNetworkError, type Analysis } from '../coverage/analysis';
import type { CoverageResults } from './service';
import { analysisPoolFor } from '../../analysis/pool';

/** Grid cell size of the indicator computation, metres (the coverage map defaults to 100). */
export const INDICATOR_CELL_SIZE_M = 200;
/** Steps count this many times their length (the coverage API's default). */
export const INDICATOR_STEP_PENALTY = 2;

export type CoverageMode = 'network' | 'euclidean';

/** One finished computation. */
export interface CoverageRun {
  key: string;
  computedAt: string;
  ms: number;
  cellSizeM: number;
  /** Per category: the indicators' input (absent = no facility of the category in the city). */
  inputs: Partial<Record<string, CoverageInput>>;
  /** Per category, per district code: the mode used. */
  modes: Record<string, Record<string, CoverageMode>>;
  /** Districts whose analysis failed, with the reason (their rows say no result). */
  failures: { district: string; category: string; message: string }[];
}

export interface CoverageSourceOptions {
  cellSizeM?: number;
  stepPenalty?: number;
  /** Called with a failed background run's error (the results stay absent or stale). */
  onError?: (e: unknown) => void;
  /** Called when a run finishes. */
  onDone?: (run: CoverageRun) => void;
  /** Test hook: awaited before each district's analyses. */
  beforeDistrict?: (code: string) => Promise<void>;
  /** How a run is computed; default {@link computeCoverageRun} here ({@link coverageSourceFor}: in the analysis pool). */
  compute?: (db: Db) => Promise<CoverageRun>;
}

/**
 * Time budget of one whole-city run in the analysis pool: it is tens of seconds on 2 cores
 * (see above), far beyond an interactive request's 30 s, and nobody waits on it but the CLI.
 */
export const INDICATOR_RUN_BUDGET_MS = 10 * 60_000;

/** One run as a background job of the analysis worker pool (server/analysis), off the request thread. */
export async function computeCoverageRunInPool(
  db: Db,
  opts: Pick<CoverageSourceOptions, 'cellSizeM' | 'stepPenalty'> = {},
): Promise<CoverageRun> {
  const out = await analysisPoolFor(db).run(
    'indicatorCoverage',
    { cellSizeM: opts.cellSizeM ?? INDICATOR_CELL_SIZE_M, stepPenalty: opts.stepPenalty ?? INDICATOR_STEP_PENALTY },
    { client: 'app:indicators', background: true, budgetMs: INDICATOR_RUN_BUDGET_MS },
  );
  return JSON.parse(Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength).toString('utf8')) as CoverageRun;
}

/** A non-blocking {@link CoverageSource} with a waiting variant and some control. */
export interface BackgroundCoverageSource {
  (q: Queryable): Promise<CoverageResults>;
  /** The same results, but waits for a fresh computation (CLI, scripts). */
  wait: (q: Queryable) => Promise<CoverageResults>;
  /** Starts a computation when the data changed; resolves when results are fresh. */
  refresh: () => Promise<CoverageRun>;
  /** The last finished run, if any. */
  last: () => CoverageRun | null;
  /** True while a computation runs. */
  busy: () => boolean;
}

/** The data-freshness key: newest finished import, facilities' newest edit and count, cell size. */
export async function coverageFreshnessKey(q: Queryable, cellSizeM: number): Promise<string> {
  const r = await q.query<{ run: number | string | null; f: string | null; n: number | string }>(
    `SELECT (SELECT max(id) FROM import_runs WHERE status = 'done') AS run,
            (SELECT max(updated_at)::text FROM facilities) AS f,
            (SELECT count(*) FROM facilities) AS n`,
  );
  const row = r.rows[0];
  return `run=${row?.run ?? '-'}|fac=${row?.f ?? '-'}|n=${row?.n ?? 0}|cell=${cellSizeM}`;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs every coverage category for every district (one district at a time, so that its
 * population surface is built once and reused by its five categories).
 */
export async function computeCoverageRun(db: Db, opts: CoverageSourceOptions = {}): Promise<CoverageRun> {
  const cellSizeM = opts.cellSizeM ?? INDICATOR_CELL_SIZE_M;
  const stepPenalty = opts.stepPenalty ?? INDICATOR_STEP_PENALTY;
  const t0 = performance.now();
  const key = await coverageFreshnessKey(db, cellSizeM);
  const codes = (await db.query<{ code: string }>('SELECT code FROM districts ORDER BY code')).rows.map((r) => r.code);
  const present = new Set(
    (await db.query<{ category: string }>(`SELECT DISTINCT category FROM facilities WHERE status = 'active'`)).rows.map((r) => r.category),
  );
  const specs = COVERAGE_PLUG_POINTS.filter((s) => present.has(s.category));
  const inputs: CoverageRun['inputs'] = {};
  const modes: CoverageRun['modes'] = {};
  for (const s of specs) {
    inputs[s.category] = { category: s.category, radiusM: s.radiusM, mode: 'euclidean', districts: {} };
    modes[s.category] = {};
  }
  const failures: CoverageRun['failures'] = [];
  for (const code of codes) {
    if (opts.beforeDistrict) await opts.beforeDistrict(code);
    let network = true; // until the first analysis says the district has none
    for (const s of specs) {
      await tick();
      const base = {
        category: s.category as CategoryId,
        radiusM: s.radiusM,
        area: { kind: 'districts' as const, codes: [code] },
        cellSizeM,
        walkSpeedMps: 1,
        stepPenalty,
      };
      let a: Analysis;
      try {
        if (network) {
          try {
            a = await analyse(db, { ...base, mode: 'network' });
          } catch (e) {
            if (!(e instanceof NoNetworkError)) throw e;
            network = false;
            a = await analyse(db, { ...base, mode: 'euclidean' });
          }
        } else {
          a = await analyse(db, { ...base, mode: 'euclidean' });
        }
      } catch (e) {
        failures.push({ district: code, category: s.category, message: e instanceof Error ? e.message : String(e) });
        continue;
      }
      const summary = a.network?.summary ?? a.euclidean?.summary;
      if (!summary) continue;
      const mode: CoverageMode = a.network ? 'network' : 'euclidean';
      const one = coverageInputFromSummary(
        s.category,
        summary,
        a.surface.districts.map((d) => d.code ?? ''),
      );
      const row = one.districts[code];
      if (row) {
        inputs[s.category]!.districts[code] = row;
        modes[s.category][code] = mode;
      }
    }
  }
  for (const s of specs) {
    const m = Object.values(modes[s.category]);
    // core's own note uses one mode per category; the server states each district's (service.ts)
    inputs[s.category]!.mode = m.length > 0 && m.every((x) => x === 'network') ? 'network' : 'euclidean';
  }
  return { key, computedAt: new Date().toISOString(), ms: performance.now() - t0, cellSizeM, inputs, modes, failures };
}

function resultsOf(run: CoverageRun, status: 'ready' | 'stale'): CoverageResults {
  return { status, inputs: run.inputs, modes: run.modes, computedAt: run.computedAt, cellSizeM: run.cellSizeM };
}

/**
 * A background coverage source bound to one database. Computations run one at a time; a
 * change during a run starts another when it ends (if anyone asked meanwhile).
 */
export function createCoverageSource(db: Db, opts: CoverageSourceOptions = {}): BackgroundCoverageSource {
  const cellSizeM = opts.cellSizeM ?? INDICATOR_CELL_SIZE_M;
  let last: CoverageRun | null = null;
  let running: Promise<CoverageRun> | null = null;
  let failure: { key: string; message: string } | null = null;
  /** The newest key a caller has seen: a run that ends on an older one is followed by another. */
  let wanted: string | null = null;

  const start = (): Promise<CoverageRun> => {
    if (running) return running;
    const p = (opts.compute ? opts.compute(db) : computeCoverageRun(db, opts)).then(
      (run) => {
        last = run;
        failure = null;
        running = null;
        opts.onDone?.(run);
        if (wanted !== null && wanted !== run.key) {
          // the data changed during the run: go again, in the background
          start().catch(() => undefined);
        }
        return run;
      },
      (e: unknown) => {
        running = null;
        failure = { key: wanted ?? '', message: e instanceof Error ? e.message : String(e) };
        opts.onError?.(e);
        throw e;
      },
    );
    running = p;
    return p;
  };

  const source = (async (q: Queryable): Promise<CoverageResults> => {
    const key = await coverageFreshnessKey(q, cellSizeM);
    wanted = key;
    if (last && last.key === key) return resultsOf(last, 'ready');
    if (failure && failure.key === key && !running) {
      // do not retry a failing computation on every request; the next data change retries
      return last ? resultsOf(last, 'stale') : { status: 'failed', message: failure.message };
    }
    start().catch(() => undefined);
    return last ? resultsOf(last, 'stale') : { status: 'computing' };
  }) as BackgroundCoverageSource;

  const refresh = async (): Promise<CoverageRun> => {
    for (let i = 0; i < 5; i++) {
      const key = await coverageFreshnessKey(db, cellSizeM);
      wanted = key;
      if (last && last.key === key) return last;
      const run = await start();
      if (run.key === key) return run;
    }
    return start();
  };

  source.wait = async () => resultsOf(await refresh(), 'ready');
  source.refresh = refresh;
  source.last = () => last;
  source.busy = () => running !== null;
  return source;
}

const byDb = new WeakMap<Db, BackgroundCoverageSource>();

/**
 * The shared background source of a database (one computation per database at a time). On the
 * main thread its runs go to the analysis worker pool (issue 12 §2: never on the request thread).
 */
export function coverageSourceFor(db: Db, opts: CoverageSourceOptions = {}): BackgroundCoverageSource {
  let s = byDb.get(db);
  if (!s) {
    s = createCoverageSource(db, isMainThread && !opts.compute ? { ...opts, compute: (d) => computeCoverageRunInPool(d, opts) } : opts);
    byDb.set(db, s);
  }
  return s;
}
