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
 * Computed by a worker (./handlers.ts) and stored by the request thread *after* it has replied
 * ({@link storeAfterReply}: the stamp travels with the body, so the answer stays exact), and for
 * the central districts in the background after start ({@link precomputeAnswers}).
 *
 * After an edit the stored answer misses on its digest alone; the same query that found that
 * out then reads the stamp and the facilities in the stored bbox ({@link lookupAnswer}), so the
 * worker that computes the new answer asks the database nothing (issue 13: an edit's answer
 * within a tenth of the PostGIS baseline).
 */
import { CATEGORIES, type CategoryId } from '../../../core/catalogue';
import type { CoverageResponse } from '../../../core/api';
import type { Db, Queryable } from '../../db/adapter';
import type { JobOutput } from '../../analysis/jobFile';
import type { CoverageParams } from './analysis';
import { isDefaultAnalysis } from './cost';
import { SURFACE_FORMAT } from './persist';
import { DEFAULT_CELL_SIZE_M } from './schemas';
import { CATEGORY_FACILITIES_SQL, type Bbox, type FacilityRow } from './sql';

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

/** What a stored answer was computed from: today's inputs and the facility digest. */
export interface AnswerStamp {
  inputs: string;
  facilities: string;
}

/**
 * An analysis's inputs read in one statement (one snapshot): the answer stamp, the newest finished
 * import (the caches' freshness stamp, ./cache.ts) and the facilities themselves, at most `cap + 1`.
 */
export interface AnswerRead {
  bbox: Bbox;
  stamp: AnswerStamp;
  importStamp: string | null;
  rows: FacilityRow[];
}

/** The newest finished import, as ./sql.ts `latestImportFinished` reads it. */
const IMPORT_SQL = `(SELECT max(finished_at)::text FROM import_runs WHERE status = 'done')`;

/**
 * The facilities of {@link CATEGORY_FACILITIES_SQL} as one JSON array of `[id, name_zh, name_en,
 * capacity, lng, lat]` in id order: one value to send and parse instead of a row each (float8 goes
 * to JSON in its shortest exact form, so the positions are the same numbers).
 */
const FACILITIES_JSON_SQL = (category: string, w: string, s: string, e: string, n: string, limit: string) =>
  `(SELECT coalesce(json_agg(json_build_array(f.id, f.name_zh, f.name_en, f.capacity, f.lng, f.lat) ORDER BY f.id), '[]'::json)
      FROM (${CATEGORY_FACILITIES_SQL(category, w, s, e, n, limit)}) f)`;

type ReadRow = {
  inputs: string;
  digest: string;
  import_stamp: string | null;
  w: number;
  s: number;
  e: number;
  n: number;
  rows: [number, string, string | null, number | null, number, number][];
};

function readOf(r: ReadRow): AnswerRead {
  return {
    bbox: [r.w, r.s, r.e, r.n],
    stamp: { inputs: r.inputs, facilities: r.digest },
    importStamp: r.import_stamp,
    rows: r.rows.map(([id, name_zh, name_en, capacity, lng, lat]) => ({ id, name_zh, name_en, capacity, lng, lat })),
  };
}

/**
 * The stamp and the facilities of an analysis of `category` whose facilities are read in `bbox`,
 * in one round trip: the digest and the rows come from the same snapshot, so the stamp is exactly
 * that of the facilities the answer is computed from.
 */
export async function readAnswerInputs(db: Queryable, category: CategoryId, bbox: Bbox, cap: number): Promise<AnswerRead> {
  const r = await db.query<ReadRow>(
    `SELECT ${INPUTS_SQL} AS inputs, ${DIGEST_SQL('$2', '$3', '$4', '$5', '$6')} AS digest, ${IMPORT_SQL} AS import_stamp,
            $2::float8 AS w, $3::float8 AS s, $4::float8 AS e, $5::float8 AS n, ${FACILITIES_JSON_SQL('$6', '$2', '$3', '$4', '$5', '$7')} AS rows`,
    [formats(), ...bbox, category, cap + 1],
  );
  return readOf(r.rows[0]);
}

/**
 * One query for a default analysis: its stored answer if still exact (`body`, with `timings.stored`
 * set and `computedMs` the time of this lookup); else, when only the facilities changed since it
 * was stored (an edit), what the worker needs to compute the new one (`read`, in the stored bbox);
 * else null (nothing stored, an import since, or not a default analysis).
 * @param cap most facilities the analysis takes ({@link readAnswerInputs})
 */
export async function lookupAnswer(
  db: Queryable,
  p: CoverageParams,
  cap: number,
): Promise<{ body: CoverageResponse; read?: undefined } | { body?: undefined; read: AnswerRead } | null> {
  const key = answerKey(p);
  if (!key) return null;
  const t0 = performance.now();
  const r = await db.query<ReadRow & { body: string | null }>(
    // MATERIALIZED: the digest is computed once, not once per use of the column
    `WITH cur AS MATERIALIZED (SELECT a.inputs, a.facilities, a.category, a.w, a.s, a.e, a.n, ${INPUTS_SQL} AS cur_inputs,
                         ${DIGEST_SQL('a.w', 'a.s', 'a.e', 'a.n', 'a.category')} AS digest, ${IMPORT_SQL} AS import_stamp
                    FROM coverage_answers a WHERE a.key = $2)
     -- the body (large, TOASTed) is read only when it is served, the facilities only when it is not
     SELECT CASE WHEN cur.facilities = cur.digest THEN (SELECT a.body FROM coverage_answers a WHERE a.key = $2) END AS body,
            cur.cur_inputs AS inputs, cur.digest, cur.import_stamp, cur.w, cur.s, cur.e, cur.n,
            CASE WHEN cur.facilities <> cur.digest THEN ${FACILITIES_JSON_SQL('cur.category', 'cur.w', 'cur.s', 'cur.e', 'cur.n', '$3')} END AS rows
       FROM cur WHERE cur.inputs = cur.cur_inputs`,
    [formats(), key, cap + 1],
  );
  if (!r.rows.length) return null;
  const row = r.rows[0];
  if (row.body === null) return { read: readOf(row) };
  const body = JSON.parse(row.body) as CoverageResponse;
  body.computedMs = Math.round((performance.now() - t0) * 10) / 10;
  body.timings = { ...body.timings, stored: true };
  return { body };
}

/**
 * The stored answer of these parameters if it is still exact (one query), with `timings.stored`
 * set and `computedMs` the time of this lookup; null otherwise.
 */
export async function storedAnswer(db: Queryable, p: CoverageParams): Promise<CoverageResponse | null> {
  await pendingSaves.get(answerKey(p) ?? '');
  return (await lookupAnswer(db, p, 0))?.body ?? null;
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

/** Stores an answer (its JSON text) computed from the inputs of `stamp` (read with, or before, its facilities). */
export async function saveAnswer(db: Queryable, p: CoverageParams, bbox: Bbox, stamp: AnswerStamp, bodyJson: string): Promise<void> {
  const key = answerKey(p);
  if (!key) return;
  await db.query(
    `INSERT INTO coverage_answers (key, inputs, category, w, s, e, n, facilities, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (key) DO UPDATE SET inputs = EXCLUDED.inputs, category = EXCLUDED.category, w = EXCLUDED.w, s = EXCLUDED.s,
       e = EXCLUDED.e, n = EXCLUDED.n, facilities = EXCLUDED.facilities, body = EXCLUDED.body, created_at = now()`,
    [key, stamp.inputs, p.category, ...bbox, stamp.facilities, bodyJson],
  );
}

/** What a coverage job asks the request thread to store once it has replied (JobOutput `after`). */
export interface AnswerToStore {
  params: CoverageParams;
  bbox: Bbox;
  stamp: AnswerStamp;
}

/** Saves in progress by key: a lookup of the same key waits for it (the next request sees the answer just computed). */
const pendingSaves = new Map<string, Promise<void>>();

/** Resolves when every answer being stored now is written (tests, and a shutdown that wants them). */
export async function answersSaved(): Promise<void> {
  await Promise.all(pendingSaves.values());
}

/**
 * Stores the answer a coverage job computed (its bytes are the body), if it asked for that. Called
 * after the reply has been sent; a failed write only costs a later request a computation. A job
 * shared by several requests is stored once.
 */
export function storeAfterReply(db: Queryable, out: JobOutput): Promise<void> {
  const a = out.after as AnswerToStore | undefined;
  if (!a) return Promise.resolve();
  out.after = undefined;
  const key = answerKey(a.params)!;
  const json = Buffer.from(out.bytes.buffer, out.bytes.byteOffset, out.bytes.byteLength).toString('utf8');
  const save = saveAnswer(db, a.params, a.bbox, a.stamp, json)
    .catch(() => undefined)
    .finally(() => {
      if (pendingSaves.get(key) === save) pendingSaves.delete(key);
    });
  pendingSaves.set(key, save);
  return save;
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
  compute: (p: CoverageParams) => Promise<JobOutput>,
  stopped: () => boolean,
): Promise<number> {
  await pruneAnswers(db);
  const params = precomputedAnswerParams(codes);
  const have = await exactAnswerKeys(db, params);
  let n = 0;
  for (const p of params) {
    if (stopped()) break;
    if (have.has(answerKey(p)!)) continue;
    await storeAfterReply(db, await compute(p));
    n++;
  }
  return n;
}
