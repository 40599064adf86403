/**
 * Coverage end to end through the HTTP API (issue 13), against the PostGIS baseline measured in
 * the same run. Rows `{ name, ms, baselineMs, ratio, note }`, ratio = baseline ÷ ours.
 *
 * On PostgreSQL (a scratch schema with the demo seed): the atlas (server/main.ts) in its own
 * child process, `GET /api/coverage?category=kindergarten&district=<the 9 central>&mode=euclidean`
 * (100 m cells, 300 m, 2SFCA included):
 * - **cold**: the first request after a fresh start of the process, the population surfaces
 *   stored by an earlier start's background precompute (that start is timed too);
 * - **warm**: the identical request again (median of 5);
 * - **after an edit**: one kindergarten moved ~50 m by SQL (as an edit through the API would),
 *   then the request (median of 5 edits): facilities re-read, coverage and 2SFCA updated.
 * Baseline: the PostGIS uncovered-area query of the same districts and kindergartens,
 * `ST_Area(ST_Difference(districts, ST_Union(ST_Buffer(geom::geography, 300)::geometry)))`
 * (8 segments per quarter circle, the PostGIS default; median of 3), on the same database.
 *
 * Run alone: `TEST_DATABASE_URL=… npx tsx scripts/bench-surface.ts`; `npm run bench` runs it too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-coverage';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '..');
const RADIUS_M = 300;
/** The steady-state edits begin this long after the start (its background checks take a few seconds). */
const EDIT_AFTER_MS = 8000;

/** The PostGIS uncovered-area query over the central districts (the same as scripts/bench.ts section 2). */
export const POSTGIS_UNCOVERED_SQL = `
WITH d AS (SELECT ST_Union(geom) AS g FROM districts WHERE central_urban),
f AS (SELECT f.geom FROM facilities f, d
       WHERE f.status = 'active' AND f.category = ANY($1::text[]) AND f.geom && ST_Expand(d.g, 0.01)),
b AS (SELECT ST_Union(ST_Buffer(f.geom::geography, $2, $3)::geometry) AS g FROM f)
SELECT (SELECT count(*) FROM f)::int AS n, ST_Area(d.g::geography) AS total_m2,
       ST_Area(ST_Difference(d.g, b.g)::geography) AS uncovered_m2
  FROM d, b`;

/** The same query over every district (the whole municipality). */
export const POSTGIS_UNCOVERED_ALL_SQL = POSTGIS_UNCOVERED_SQL.replace('WHERE central_urban', '');

/** Peak resident set of a process, MB (Linux /proc; NaN elsewhere). */
function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function serveAtlas(url: string, schema: string): Promise<void> {
  const { startServer } = await import('../server/main');
  const running = await startServer({
    schema,
    config: {
      DATABASE_URL: url,
      PORT: 0,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'never',
      PRECOMPUTE_SURFACES: (process.env.PRECOMPUTE_SURFACES as 'auto' | 'never' | undefined) ?? 'auto',
    },
    clientDir: path.join(ROOT, 'nonexistent'),
  });
  process.send!({ type: 'ready', url: running.url.replace('localhost', '127.0.0.1') });
  process.on('disconnect', () => void running.close().then(() => process.exit(0)));
}

function startAtlas(url: string, schema: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(HERE, ['--serve', url, schema], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve({ child, url: m.url }));
    child.once('exit', (code) => reject(new Error(`atlas exited (${code}) before it was ready`)));
  });
}

async function stopAtlas(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function row(name: string, ms: number, baselineMs: number, note: string): BenchResult {
  return { name, ms: +ms.toFixed(1), baselineMs: +baselineMs.toFixed(1), ratio: +(baselineMs / ms).toFixed(2), note };
}

export interface SurfaceBenchOptions {
  log?: (line: string) => void;
}

type CoverageBody = {
  euclidean?: { total?: { coveredPopulation?: number; coveredChildren?: number } };
  capacity?: { total?: { placesPer1000Children?: number | null } } | null;
  timings?: { stored?: boolean; cached?: boolean };
};

/** Largest relative difference of the headline numbers of two answers (covered people, children, 2SFCA places). */
function answerDiff(a: CoverageBody, b: CoverageBody): number {
  const pairs: [number | null | undefined, number | null | undefined][] = [
    [a.euclidean?.total?.coveredPopulation, b.euclidean?.total?.coveredPopulation],
    [a.euclidean?.total?.coveredChildren, b.euclidean?.total?.coveredChildren],
    [a.capacity?.total?.placesPer1000Children, b.capacity?.total?.placesPer1000Children],
  ];
  let worst = 0;
  for (const [x, y] of pairs) {
    if (x == null || y == null) return Infinity;
    if (x !== y) worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
  }
  return worst;
}

/** The end-to-end coverage rows (PostgreSQL only: needs BENCH_DATABASE_URL or TEST_DATABASE_URL). */
export async function runSurfaceBench(opts: SurfaceBenchOptions = {}): Promise<BenchResult[]> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    log('skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
    return [];
  }
  const { createScratchSchema, dropScratchSchema } = await import('../server/db/scratch');
  const { openDatabase } = await import('../server/db/open');
  const { seedDemo } = await import('../server/seed/demo');
  const { precomputedAnswerParams } = await import('../server/features/coverage/answers');
  const schema = await createScratchSchema(pgUrl, 'benchsurface');
  const out: BenchResult[] = [];
  const loadavg = () =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  try {
    const { db } = await openDatabase({ databaseUrl: pgUrl, postgres: { schema, max: 2 } });
    try {
      await seedDemo(db);
      const codes = (await db.query<{ code: string }>(`SELECT code FROM districts WHERE central_urban ORDER BY code`)).rows.map(
        (r) => r.code,
      );
      const query = `/api/coverage?category=kindergarten&district=${codes.join(',')}&mode=euclidean&cellSizeM=100`;
      const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
      const answersWanted = precomputedAnswerParams(codes).length;
      const get = async (url: string) => {
        const t = performance.now();
        const r = await fetch(url + query);
        const body = (await r.json()) as CoverageBody;
        if (r.status !== 200) throw new Error(`GET /api/coverage: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
        return { ms: performance.now() - t, body };
      };

      // 1. the first start on a database with nothing stored (as after an import): a request right
      //    after the listen, while the background precompute runs; then the precompute to its end
      let t0 = performance.now();
      const first = await startAtlas(pgUrl, schema);
      const readyMs = performance.now() - t0;
      const fresh = await get(first.url);
      const freshLoad = loadavg();
      t0 = performance.now();
      while ((await count('population_surfaces')) < codes.length) {
        if (performance.now() - t0 > 600_000) throw new Error('the surfaces were not stored within 10 minutes');
        await new Promise((r) => setTimeout(r, 200));
      }
      const surfacesMs = performance.now() - t0;
      while ((await count('coverage_answers')) < answersWanted) {
        if (performance.now() - t0 > 600_000) throw new Error('the answers were not stored within 10 minutes');
        await new Promise((r) => setTimeout(r, 200));
      }
      const answersMs = performance.now() - t0;
      await stopAtlas(first.child);
      log(
        `first start ready in ${readyMs.toFixed(0)} ms; request right after the listen, nothing stored: ${fresh.ms.toFixed(0)} ms; ` +
          `background precompute after that request: ${codes.length} surfaces stored at ${surfacesMs.toFixed(0)} ms, ${answersWanted} answers at ${answersMs.toFixed(0)} ms`,
      );

      // 2. the baseline, on the same database
      const pg: number[] = [];
      for (let k = 0; k < 4; k++) {
        const t = performance.now();
        await db.query(POSTGIS_UNCOVERED_SQL, [['kindergarten'], RADIUS_M, 'quad_segs=8']);
        if (k > 0) pg.push(performance.now() - t);
      }
      const pgMs = median(pg);

      // 3. a start with the surfaces stored but no answer (the worker's whole path from stored surfaces)
      await db.query(`DELETE FROM coverage_answers`);
      const noAnswers = await startAtlas(pgUrl, schema);
      let fromSurfaces: Awaited<ReturnType<typeof get>>;
      try {
        fromSurfaces = await get(noAnswers.url);
      } finally {
        await stopAtlas(noAnswers.child);
      }
      // … whose precompute may have stored some answers again before it was stopped: complete them
      // … and every district's mixed-resolution part (the whole municipality at 100 m), so that the
      // next start's background work is only checks
      const all = (await db.query<{ code: string }>(`SELECT code FROM districts ORDER BY code`)).rows.map((r) => r.code);
      const blocked = async () =>
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM population_surfaces WHERE block_squares > 1`)).rows[0].n;
      const filler = await startAtlas(pgUrl, schema);
      t0 = performance.now();
      while ((await count('coverage_answers')) < answersWanted || (await blocked()) < all.length) {
        if (performance.now() - t0 > 900_000) throw new Error('the answers and parts were not stored within 15 minutes');
        await new Promise((r) => setTimeout(r, 500));
      }
      const blocksMs = performance.now() - t0;
      await stopAtlas(filler.child);
      log(
        `a start's background precompute stored the missing answers and ${all.length} mixed-resolution parts in ${(blocksMs / 1000).toFixed(0)} s`,
      );

      // 4. a fresh start with the answers stored by an earlier start: cold right after the listen, warm, after an edit
      const atlas = await startAtlas(pgUrl, schema);
      try {
        const cold = await get(atlas.url);
        const warm: number[] = [];
        for (let k = 0; k < 5; k++) warm.push((await get(atlas.url)).ms);
        // one kindergarten of 渝中 moved ~50 m east per edit: every edit puts it where it has not
        // been, so no cached analysis of an earlier position can answer (the incremental path runs);
        // `moved` counts the steps, undone at the end
        let moved = 0;
        const move = (steps: number) => {
          moved += steps;
          return db.query(
            `UPDATE facilities SET geom = ST_Translate(geom, $1, 0)
              WHERE id = (SELECT min(id) FROM facilities WHERE category = 'kindergarten' AND district_code = '500103' AND status = 'active')`,
            [steps * 0.0005],
          );
        };
        // an edit right after the start: no worker thread yet (nothing needed one)
        await move(1);
        const firstEdit = await get(atlas.url);
        // the later edits once the start's background work (only checks: all is stored) has ended
        // and the worker holds the central surface: the steady state of a running server
        await new Promise((r) => setTimeout(r, EDIT_AFTER_MS));
        const edits: number[] = [];
        let edited: CoverageBody | null = null;
        for (let k = 0; k < 5; k++) {
          await move(1);
          const e = await get(atlas.url);
          edits.push(e.ms);
          edited = e.body;
        }
        // the uncached path at the last edited position, to compare the incremental answer with
        // (after the last answer's save, which follows its reply)
        await new Promise((r) => setTimeout(r, 1000));
        await db.query(`DELETE FROM coverage_answers`);
        // (a new process: nothing cached in memory, the answer computed from the stored surfaces)
        const check = await startAtlas(pgUrl, schema);
        let uncachedEdited: Awaited<ReturnType<typeof get>>;
        try {
          uncachedEdited = await get(check.url);
        } finally {
          await stopAtlas(check.child);
        }
        if (uncachedEdited.body.timings?.stored) throw new Error('the check after the edits was answered from a stored answer');
        await move(-moved);
        const load = loadavg();
        // the same answers on every path (issue 13: within 0.1 % of the uncached path)
        const diffStored = answerDiff(cold.body, fresh.body);
        const diffSurfaces = answerDiff(fromSurfaces.body, fresh.body);
        const diffEdited = answerDiff(edited!, uncachedEdited.body);
        if (!(diffStored <= 0.001) || !(diffSurfaces <= 0.001) || !(diffEdited <= 0.001))
          throw new Error(
            `answers differ from the uncached path: stored ${diffStored}, from surfaces ${diffSurfaces}, after edits ${diffEdited}`,
          );
        if (!cold.body.timings?.stored) throw new Error('the cold request after a start was not answered from the stored answer');
        const note = `PostgreSQL, 9 central districts @100 m, kindergartens, mode=euclidean with 2SFCA; load average ${load}`;
        out.push(
          row(
            'GET /api/coverage, first request right after start, answer stored by an earlier start’s background precompute',
            cold.ms,
            pgMs,
            `${note}; stored answer, one query on the request thread; same numbers as the uncached path (max rel. diff ${diffStored})`,
          ),
        );
        out.push(
          row(
            '… first request right after start, surfaces stored, answer not (worker start + surfaces + analysis)',
            fromSurfaces.ms,
            pgMs,
            `${note}; max rel. diff ${diffSurfaces}`,
          ),
        );
        out.push(
          row(
            '… first request right after the first start, nothing stored (as after an import; waits for the background surface build)',
            fresh.ms,
            pgMs,
            `PostgreSQL, same query; load average then ${freshLoad}`,
          ),
        );
        out.push(row('… identical repeat (median of 5)', median(warm), pgMs, `${note}; stored answer`));
        out.push(
          row(
            `… after one facility edit (median of 5 edits, from ${EDIT_AFTER_MS / 1000} s after the start)`,
            median(edits),
            pgMs,
            `${note}; each edit to a position not seen before: stored answer unused (facility digest), incremental coverage and 2SFCA in the warm worker; same numbers as a new process computing from the stored surfaces (max rel. diff ${diffEdited})`,
          ),
        );
        out.push(
          row(
            '… the first edit right after the start (worker thread started by it)',
            firstEdit.ms,
            pgMs,
            `${note}; worker start + central surface from its stored parts + full 2SFCA`,
          ),
        );
        log(
          `cold (stored answer) ${cold.ms.toFixed(0)} ms, cold from stored surfaces ${fromSurfaces.ms.toFixed(0)} ms, cold with nothing stored ${fresh.ms.toFixed(0)} ms, ` +
            `warm ${median(warm).toFixed(1)} ms, first edit ${firstEdit.ms.toFixed(0)} ms, after an edit ${median(edits).toFixed(1)} ms (${edits.map((x) => x.toFixed(0)).join(', ')}) vs PostGIS ${pgMs.toFixed(0)} ms; load ${load}`,
        );
        // 5. all 38 districts at 100 m (mixed resolution), on the same atlas: the first request after its
        //    background precompute stored every district's part, then warm, then a what-if (an edit)
        const wholeQuery = `/api/coverage?category=kindergarten&district=${all.join(',')}&mode=euclidean&cellSizeM=100`;
        const getWhole = async () => {
          const t = performance.now();
          const r = await fetch(atlas.url + wholeQuery);
          const body = (await r.json()) as CoverageBody & { method?: { population?: { cellCount?: number; blocks?: unknown } } };
          if (r.status !== 200) throw new Error(`GET /api/coverage (38 districts): ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
          return { ms: performance.now() - t, body };
        };
        const wholeFirst = await getWhole();
        // the stored answer serves repeats; a what-if is an edit, so each repeat below is computed
        const whatIf: number[] = [];
        for (let k = 0; k < 5; k++) {
          await move(1);
          whatIf.push((await getWhole()).ms);
        }
        await move(-moved);
        const rssMb = peakRssMb(atlas.child.pid!);
        const wholePg: number[] = [];
        for (let k = 0; k < 2; k++) {
          const t = performance.now();
          await db.query(POSTGIS_UNCOVERED_ALL_SQL, [['kindergarten'], RADIUS_M, 'quad_segs=8']);
          wholePg.push(performance.now() - t);
        }
        const wholePgMs = Math.min(...wholePg);
        const pop = wholeFirst.body.method?.population;
        const wholeNote = `PostgreSQL, all ${all.length} districts @100 m at mixed resolution (${pop?.cellCount} records: ${JSON.stringify(pop?.blocks)}); load average ${loadavg()}`;
        out.push(
          row(
            `GET /api/coverage, all ${all.length} districts @100 m, first request (parts stored by an earlier start's background precompute, ${(blocksMs / 1000).toFixed(0)} s)`,
            wholeFirst.ms,
            wholePgMs,
            `${wholeNote}; computed (no stored answer for this area yet); baseline: the PostGIS uncovered-area query over all districts`,
          ),
        );
        out.push(
          row(
            '… what-if after that: one kindergarten moved, the answer again (median of 5)',
            median(whatIf),
            wholePgMs,
            `${wholeNote}; peak RSS of the atlas process ${rssMb} MB (goal < 1,500 MB)`,
          ),
        );
        log(
          `all ${all.length} districts: first ${wholeFirst.ms.toFixed(0)} ms, ` +
            `what-if ${median(whatIf).toFixed(1)} ms (${whatIf.map((x) => x.toFixed(0)).join(', ')}) vs PostGIS ${wholePgMs.toFixed(0)} ms; peak RSS ${rssMb} MB; ${wholeNote}`,
        );
      } finally {
        await stopAtlas(atlas.child);
      }
    } finally {
      await db.close();
    }
  } finally {
    await dropScratchSchema(pgUrl, schema);
  }
  return out;
}

if (process.argv[2] === '--serve') {
  void serveAtlas(process.argv[3], process.argv[4]);
} else if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  runSurfaceBench()
    .then((rows) => console.table(rows))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
