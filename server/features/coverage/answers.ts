/**
 * Stored coverage answers (migration 009, issue 13): the body of a default `GET /api/coverage`
 * — whole districts, 100 m cells, the norm's radius — kept in `coverage_answers`, so that the
 * first request after a start is answered by one query on the request thread, without waiting
 * for a worker thread to start, read the population surfaces and compute.
 *
 * Exactness: an answer is served only while its inputs are today's — the surface format, this
 * module's format and the newest finished import (`inputs`), and a digest of every active
 * facility of the category in the bbox the analysis read (id, position, capacity: what the
 * answer depends on). The digest is taken *before* the analysis reads its facilities, so an edit
 * racing a computation can only make the stored answer unused, never wrong. Every import that
 * writes deletes all rows (./persist.ts `deleteSurfaces`).
 *
 * Written by the worker that computed the answer (./handlers.ts), and for the central districts
 * in the background after start ({@link precomputeAnswers}).
 */
import { CATEGORIES, type CategoryId } from '../../../core/catalogue';
import type { CoverageResponse } from '../../../core/api';
import type { Db, Queryable } from '../../db/adapter';
import type { CoverageParams } from './analysis';
import { isDefaultAnalysis } from './cost';
import { SURFACE_FORMAT } from './persist';
import { DEFAULT_CELL_SIZE_M } from './schemas';
import type { Bbox } from './sql';

/** Bumped when the engine's answers change (a stored answer of an older engine is then unused). */
export const ANSWER_FORMAT = 1;
/** Most stored answers; the oldest beyond it are deleted at start ({@link pruneAnswers}). */
export const ANSWER_CAP = 2000;

/** The stored answer's key: the request's parameters, canonical; null when answers of these parameters are not stored. */
export function answerKey(p: CoverageParams): string | null {
  if (p.area.kind !== 'districts' || !isDefaultAnalysis(p)) return null;
  return JSON.stringify([
    p.category,
    p.mode,
    [...p.area.codes].sort(),
    p.cellSizeM,
    p.radiusM ?? null,
    p.walkSpeedMps,
    p.stepPenalty,
    p.slope ?? 'on',
  ]);
}

/** Today's `inputs`, in SQL (`$1` = the formats): compared in the same query that reads the answer. */
const INPUTS_SQL = `$1::text || '|' || coalesce((SELECT max(finished_at)::text FROM import_runs WHERE status = 'done'), 'no-import')`;
const formats = () => `a${ANSWER_FORMAT}|v${SURFACE_FORMAT}`;

/**
 * The digest of the active facilities of a category in a bbox: their count and the sum of a 64-bit
 * hash of each one's id, exact position (float8 text is exact) and capacity — order-free, one pass
 * over the index, ~1 ms for 600 kindergartens.
 */
const DIGEST_SQL = (w: string, s: string, e: string, n: string, category: string) => `(
  SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(
           f.id::text || ',' || ST_X(f.geom)::text || ',' || ST_Y(f.geom)::text || ',' || coalesce(f.capacity::text, '-'), 0))::text, '0')
    FROM facilities f
   WHERE f.status = 'active' AND f.category = ${category} AND f.geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326))`;

/** Today's inputs and facility digest for an analysis of `category` whose facilities are read in `bbox`. */
export async function answerStamp(db: Queryable, category: CategoryId, bbox: Bbox): Promise<{ inputs: string; facilities: string }> {
  const r = await db.query<{ inputs: string; facilities: string }>(
    `SELECT ${INPUTS_SQL} AS inputs, ${DIGEST_SQL('$2', '$3', '$4', '$5', '$6')} AS facilities`,
    [formats(), ...bbox, category],
  );
  return r.rows[0];
}

/**
 * The stored answer of these parameters if it is still exact (one query), with `timings.stored`
 * set and `computedMs` the time of this lookup; null otherwise.
 */
export async function storedAnswer(db: Queryable, p: CoverageParams): Promise<CoverageResponse | null> {
  const key = answerKey(p);
  if (!key) return null;
  const t0 = performance.now();
  const r = await db.query<{ body: string }>(
    `SELECT a.body FROM coverage_answers a
      WHERE a.key = $2 AND a.inputs = ${INPUTS_SQL} AND a.facilities = ${DIGEST_SQL('a.w', 'a.s', 'a.e', 'a.n', 'a.category')}`,
    [formats(), key],
  );
  if (!r.rows.length) return null;
  const body = JSON.parse(r.rows[0].body) as CoverageResponse;
  body.computedMs = Math.round((performance.now() - t0) * 10) / 10;
  body.timings = { ...body.timings, stored: true };
  return body;
}

/** The keys of `params` whose stored answer is still exact (one query, no body read). */
export async function exactAnswerKeys(db: Queryable, params: readonly CoverageParams[]): Promise<Set<string>> {
  const keys = params.map(answerKey).filter((k): k is string => k !== null);
  if (!keys.length) return new Set();
  const r = await db.query<{ key: string }>(
    `SELECT a.key FROM coverage_answers a
      WHERE a.key = ANY($2::text[]) AND a.inputs = ${INPUTS_SQL} AND a.facilities = ${DIGEST_SQL('a.w', 'a.s', 'a.e', 'a.n', 'a.category')}`,
    [formats(), keys],
  );
  return new Set(r.rows.map((x) => x.key));
}

/** Stores an answer computed from the inputs of `stamp` (taken before the analysis read its facilities). */
export async function saveAnswer(
  db: Queryable,
  p: CoverageParams,
  bbox: Bbox,
  stamp: { inputs: string; facilities: string },
  body: CoverageResponse,
): Promise<void> {
  const key = answerKey(p);
  if (!key) return;
  await db.query(
    `INSERT INTO coverage_answers (key, inputs, category, w, s, e, n, facilities, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (key) DO UPDATE SET inputs = EXCLUDED.inputs, category = EXCLUDED.category, w = EXCLUDED.w, s = EXCLUDED.s,
       e = EXCLUDED.e, n = EXCLUDED.n, facilities = EXCLUDED.facilities, body = EXCLUDED.body, created_at = now()`,
    [key, stamp.inputs, p.category, ...bbox, stamp.facilities, JSON.stringify(body)],
  );
}

/** Deletes the oldest stored answers beyond {@link ANSWER_CAP} (once per start, before the precompute). */
export async function pruneAnswers(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM coverage_answers WHERE key IN (SELECT key FROM coverage_answers ORDER BY created_at DESC OFFSET $1)`, [
    ANSWER_CAP,
  ]);
}

/** The default analyses stored in the background after start: every category, straight line and both modes. */
export function precomputedAnswerParams(codes: readonly string[]): CoverageParams[] {
  const out: CoverageParams[] = [];
  for (const c of CATEGORIES)
    for (const mode of ['euclidean', 'both'] as const)
      out.push({
        category: c.id,
        mode,
        area: { kind: 'districts', codes: [...codes] },
        cellSizeM: DEFAULT_CELL_SIZE_M,
        walkSpeedMps: 1,
        stepPenalty: 2,
        slope: 'on',
      });
  return out;
}

/**
 * Computes (in the analysis pool, one job at a time, so requests interleave) and stores the
 * answers of {@link precomputedAnswerParams} that are not stored and exact. Returns how many were computed.
 */
export async function precomputeAnswers(
  db: Db,
  codes: readonly string[],
  compute: (p: CoverageParams) => Promise<unknown>,
  stopped: () => boolean,
): Promise<number> {
  await pruneAnswers(db);
  const params = precomputedAnswerParams(codes);
  const have = await exactAnswerKeys(db, params);
  let n = 0;
  for (const p of params) {
    if (stopped()) break;
    if (have.has(answerKey(p)!)) continue;
    await compute(p);
    n++;
  }
  return n;
}
