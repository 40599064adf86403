/**
 * Persisted population surfaces (issue 13, migration 008) on the demo seed, on PGlite always
 * and on PostgreSQL when TEST_DATABASE_URL is set: the nine central districts at 100 m built
 * from scratch and stored, then read back from `population_surfaces`, give the same surface
 * and the same coverage and 2SFCA answers; stale rows (an import since) are rebuilt. Default
 * coverage answers are stored (migration 009) and served with the same numbers until an edit or
 * an import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startDemoApi, type TestApi } from '../api/harness';
import { analyse, capacityOf, type Analysis, type CoverageParams } from '../../server/features/coverage/analysis';
import { cachesFor, invalidateCoverageCache } from '../../server/features/coverage/cache';
import { precomputeSurfaces } from '../../server/features/coverage/population';
import { countSurfaces, deleteSurfaces } from '../../server/features/coverage/persist';
import { centralDistrictCodes } from '../../server/features/coverage/sql';
import { answersSaved, storedAnswer } from '../../server/features/coverage/answers';
import { runCoverageTask } from '../../server/features/coverage/handlers';
import { CELL_CAP } from '../../server/features/coverage/population';
import type { CoverageResponse } from '../../core/api';
import { coverageJson } from '../../server/features/coverage/respond';
import { normFor } from '../../core/coverage/index';

/** First index where two arrays differ (-1: none); deep equality on 556 k elements is slow. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

/** Relative difference, 0 when both are 0. */
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

function expectSameAnswers(a: Analysis, b: Analysis): void {
  const ca = a.surface.cells,
    cb = b.surface.cells;
  expect(cb.count).toBe(ca.count);
  expect(firstDiff(cb.population, ca.population)).toBe(-1);
  expect(firstDiff(cb.children.children_3_5, ca.children.children_3_5)).toBe(-1);
  expect(firstDiff(cb.lng, ca.lng)).toBe(-1);
  expect(firstDiff(cb.areaM2, ca.areaM2)).toBe(-1);
  expect(firstDiff(cb.grid!.col, ca.grid!.col)).toBe(-1);
  expect(b.surface.population.text).toBe(a.surface.population.text);
  expect(b.surface.population.details).toEqual(a.surface.population.details);
  const sa = a.euclidean!.summary,
    sb = b.euclidean!.summary;
  expect(sb.districts.length).toBe(sa.districts.length);
  for (let d = 0; d < sa.districts.length; d++) {
    // coverage within 0.1 % of the uncached path (issue 13); by construction it is exact
    expect(rel(sb.districts[d].coveredPopulation, sa.districts[d].coveredPopulation)).toBeLessThanOrEqual(0.001);
    expect(rel(sb.districts[d].coveredChildren, sa.districts[d].coveredChildren)).toBeLessThanOrEqual(0.001);
  }
  expect(rel(sb.total.coveredPopulation, sa.total.coveredPopulation)).toBeLessThanOrEqual(0.001);
  const fa = capacityOf(a)!.fca,
    fb = capacityOf(b)!.fca;
  for (let d = 0; d < fa.districts.length; d++)
    expect(rel(fb.districts[d].placesPer1000Children ?? 0, fa.districts[d].placesPer1000Children ?? 0)).toBeLessThanOrEqual(0.001);
}

/**
 * Every number of two JSON values equal up to float rounding: within 1e-9 relative, or one step of
 * the wire's rounding (people to 0.1, shares to 1e-4: server/features/coverage/respond.ts).
 */
function expectNumbersClose(a: unknown, b: unknown, path = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const step = Math.abs(b) >= 1 ? 0.1 : 1e-4;
    if (!(rel(a, b) <= 1e-9 || Math.abs(a - b) <= step * 1.001)) expect.fail(`${path}: ${a} vs ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a))
      expectNumbersClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toEqual(b);
}

for (const target of apiTargets()) {
  describe(`persisted population surfaces on ${target.name} (demo seed)`, () => {
    let api: TestApi;
    let params: CoverageParams;
    let built: Analysis;
    beforeAll(async () => {
      api = await startDemoApi(target);
      const codes = await centralDistrictCodes(api.db);
      expect(codes).toHaveLength(9);
      params = {
        category: 'kindergarten',
        mode: 'euclidean',
        area: { kind: 'districts', codes },
        cellSizeM: 100,
        walkSpeedMps: 1,
        stepPenalty: 2,
      };
      await deleteSurfaces(api.db);
      invalidateCoverageCache(api.db);
      built = await analyse(api.db, params);
    }, 240_000);
    afterAll(async () => api?.close());
    // answers are stored after the reply (./answers.ts storeAfterReply): count them once written
    const answers = async () => {
      await answersSaved();
      return (await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM coverage_answers`)).rows[0].n;
    };

    it('the first request builds every district and stores it', async () => {
      expect(built.surface.stored).toEqual({ loaded: 0, built: 9 });
      expect(built.surface.cells.count).toBeGreaterThan(400_000);
      expect(await countSurfaces(api.db, 100)).toBe(9);
    });

    it('after the in-memory caches are dropped, the stored surfaces give the same answers', async () => {
      invalidateCoverageCache(api.db);
      const loaded = await analyse(api.db, params);
      expect(loaded.cached).toBe(false);
      expect(loaded.surface.stored).toEqual({ loaded: 9, built: 0 });
      expectSameAnswers(built, loaded);
    }, 120_000);

    it('a subset of the districts reads the same parts (grid squares line up)', async () => {
      invalidateCoverageCache(api.db);
      const one = await analyse(api.db, { ...params, area: { kind: 'districts', codes: ['500103'] } });
      expect(one.surface.stored).toEqual({ loaded: 1, built: 0 });
      const d = built.surface.districts.findIndex((x) => x.code === '500103');
      const inBuilt = [...built.surface.cells.district.keys()].filter((i) => built.surface.cells.district[i] === d);
      expect(one.surface.cells.count).toBe(inBuilt.length);
      expect(
        firstDiff(
          one.surface.cells.population,
          Float64Array.from(inBuilt, (i) => built.surface.cells.population[i]),
        ),
      ).toBe(-1);
      expect(one.euclidean!.summary.total.coveredPopulation).toBeCloseTo(built.euclidean!.summary.districts[d].coveredPopulation, 6);
    }, 120_000);

    it('an import since the surfaces were stored makes them stale: rebuilt, same answers', async () => {
      await api.db.query(
        `INSERT INTO import_runs (kind, source, file_name, status, finished_at) VALUES ('census', 'test', 'x.csv', 'done', now())`,
      );
      const again = await analyse(api.db, params);
      expect(again.surface.stored).toEqual({ loaded: 0, built: 9 });
      expectSameAnswers(built, again);
    }, 240_000);

    it('the background precompute stores what is missing', async () => {
      await deleteSurfaces(api.db);
      expect(await precomputeSurfaces(api.db, cachesFor(api.db), 100)).toEqual({ built: 9, stored: 9 });
      expect(await precomputeSurfaces(api.db, cachesFor(api.db), 100)).toEqual({ built: 0, stored: 9 });
    }, 240_000);

    it('through the API (worker pool): built and stored, then read back, the same answer', async () => {
      const codes = params.area.kind === 'districts' ? params.area.codes.join(',') : '';
      const url = `/api/coverage?category=kindergarten&district=${codes}&mode=euclidean`;
      await deleteSurfaces(api.db);
      invalidateCoverageCache(api.db);
      const first = await api.json(url);
      expect(first.status).toBe(200);
      expect(await countSurfaces(api.db, 100)).toBe(9);
      invalidateCoverageCache(api.db);
      const second = await api.json(url);
      expect(second.status).toBe(200);
      expect(second.body.euclidean).toEqual(first.body.euclidean);
      expect(second.body.capacity).toEqual(first.body.capacity);
    }, 240_000);

    it('over the cell cap, whole districts are answered at mixed resolution: totals exact, stated; gaps refused', async () => {
      // 500243 (3,902 km²) at 50 m is ~1.6 M squares: over the 1.5 M cap
      const wide: CoverageParams = { ...params, area: { kind: 'districts', codes: ['500243'] }, cellSizeM: 50 };
      const a = await analyse(api.db, wide);
      const s = a.surface;
      expect(s.blocks).not.toBeNull();
      expect(s.blocks!.blockSizeM).toBe(1000);
      expect(s.cells.count).toBeLessThanOrEqual(CELL_CAP);
      expect(s.cells.count).toBe(s.blocks!.kept + s.blocks!.blocks);
      expect(s.population.text).toMatch(/Mixed resolution: at 50 m this area would be about [\d,]+ cells/);
      const census = (
        await api.db.query<{ p: number; a: number }>(`SELECT population AS p, area_km2 AS a FROM districts WHERE code = '500243'`)
      ).rows[0];
      const sum = (x: Float64Array) => x.reduce((t, v) => t + v, 0);
      expect(rel(sum(s.cells.population), Number(census.p))).toBeLessThan(1e-9);
      expect(rel(sum(s.cells.areaM2) / 1e6, Number(census.a))).toBeLessThan(0.01);
      expect(a.euclidean!.summary.total.population).toBeCloseTo(Number(census.p), 3);
      // stored with its blocks, and read back the same
      invalidateCoverageCache(api.db);
      const again = await analyse(api.db, wide);
      expect(again.surface.stored).toEqual({ loaded: 1, built: 0 });
      expect(again.euclidean!.summary.total.coveredPopulation).toBe(a.euclidean!.summary.total.coveredPopulation);
      const gaps = runCoverageTask(api.db, { kind: 'gaps', params: wide, limit: 10, include: 'populated' });
      await expect(gaps).rejects.toMatchObject({ field: 'cellSizeM', message: expect.stringMatching(/mixed resolution/) });
    }, 240_000);

    it('a default answer is stored and served from the database with the same numbers; an edit or an import makes it unused', async () => {
      const codes = params.area.kind === 'districts' ? params.area.codes.join(',') : '';
      const url = `/api/coverage?category=kindergarten&district=${codes}&mode=euclidean`;
      await api.db.query(`DELETE FROM coverage_answers`);
      invalidateCoverageCache(api.db);
      const computed = await api.json<CoverageResponse>(url);
      expect(computed.status).toBe(200);
      expect(computed.body.timings.stored).toBe(false);
      expect(await answers()).toBe(1);
      // the next request (as the first after a restart would) is the stored answer: the same numbers
      const stored = await api.json<CoverageResponse>(url);
      expect(stored.body.timings.stored).toBe(true);
      expect(stored.body.euclidean).toEqual(computed.body.euclidean);
      expect(stored.body.capacity).toEqual(computed.body.capacity);
      expect(stored.body.method).toEqual(computed.body.method);
      // … and the uncached path's (built from scratch above), within 0.1 %
      const total = stored.body.euclidean!.total;
      expect(rel(total.coveredPopulation!, built.euclidean!.summary.total.coveredPopulation!)).toBeLessThanOrEqual(0.001);
      expect(rel(total.coveredChildren!, built.euclidean!.summary.total.coveredChildren!)).toBeLessThanOrEqual(0.001);
      expect(
        rel(stored.body.capacity!.total.placesPer1000Children ?? 0, capacityOf(built)!.fca.total.placesPer1000Children ?? 0),
      ).toBeLessThanOrEqual(0.001);
      // non-default parameters are never stored
      const other = await api.json<CoverageResponse>(`/api/coverage?category=kindergarten&district=500103&mode=euclidean&radiusM=250`);
      expect(other.body.timings.stored).toBe(false);
      expect(
        (await api.json<CoverageResponse>(`/api/coverage?category=kindergarten&district=500103&mode=euclidean&radiusM=250`)).body.timings
          .stored,
      ).toBe(false);
      expect(await answers()).toBe(1);

      // an edit (by SQL, as any writer might) moves a kindergarten ~100 m: the stored answer is unused, the new one stored
      const moved = `WHERE id = (SELECT min(id) FROM facilities WHERE category = 'kindergarten' AND district_code = '500103' AND status = 'active')`;
      await api.db.query(`UPDATE facilities SET geom = ST_Translate(geom, 0.001, 0) ${moved}`);
      try {
        const edited = await api.json<CoverageResponse>(url);
        expect(edited.body.timings.stored).toBe(false);
        invalidateCoverageCache(api.db);
        const fresh = await analyse(api.db, params);
        expect(rel(edited.body.euclidean!.total.coveredPopulation!, fresh.euclidean!.summary.total.coveredPopulation!)).toBeLessThanOrEqual(
          0.001,
        );
        // the edit's answer came from the warm worker's incremental state (cover counts, 2SFCA):
        // the same rows as this computation from scratch, to the wire's rounding
        const scratch = coverageJson(fresh, normFor('kindergarten').radiusM);
        expectNumbersClose(edited.body.euclidean, scratch.euclidean);
        expectNumbersClose(edited.body.capacity, scratch.capacity);
        const again = await api.json<CoverageResponse>(url);
        expect(again.body.timings.stored).toBe(true);
        expect(again.body.euclidean).toEqual(edited.body.euclidean);
        expect(again.body.capacity).toEqual(edited.body.capacity);
      } finally {
        await api.db.query(`UPDATE facilities SET geom = ST_Translate(geom, -0.001, 0) ${moved}`);
      }
      // back where it was: the answer stored for the edited state is not the one served
      const back = await storedAnswer(api.db, params);
      expect(back).toBeNull();

      // an import since the answer was stored: unused (and the import itself deletes them all)
      await api.json(url);
      expect(await storedAnswer(api.db, params)).not.toBeNull();
      await api.db.query(
        `INSERT INTO import_runs (kind, source, file_name, status, finished_at) VALUES ('census', 'test', 'y.csv', 'done', now())`,
      );
      expect(await storedAnswer(api.db, params)).toBeNull();
      await deleteSurfaces(api.db);
      expect(await answers()).toBe(0);
    }, 240_000);
  });
}
