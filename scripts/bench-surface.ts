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
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-coverage';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '..');
const RADIUS_M = 300;

/** The PostGIS uncovered-area query over the central districts (the same as scripts/bench.ts section 2). */
export const POSTGIS_UNCOVERED_SQL = `
WITH d AS (SELECT ST_Union(geom) AS g FROM districts WHERE central_urban),
f AS (SELECT f.geom FROM facilities f, d
       WHERE f.status = 'active' AND f.category = ANY($1::text[]) AND f.geom && ST_Expand(d.g, 0.01)),
b AS (SELECT ST_Union(ST_Buffer(f.geom::geography, $2, $3)::geometry) AS g FROM f)
SELECT (SELECT count(*) FROM f)::int AS n, ST_Area(d.g::geography) AS total_m2,
       ST_Area(ST_Difference(d.g, b.g)::geography) AS uncovered_m2
  FROM d, b`;

async function serveAtlas(url: string, schema: string): Promise<void> {
  const { startServer } = await import('../server/main');
  const running = await startServer({
    schema,
    config: { DATABASE_URL: url, PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'silent', SEED_DEMO: 'never', PRECOMPUTE_SURFACES: 'auto' },
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
  const schema = await createScratchSchema(pgUrl, 'benchsurface');
  const out: BenchResult[] = [];
  try {
    const { db } = await openDatabase({ databaseUrl: pgUrl, postgres: { schema, max: 2 } });
    try {
      await seedDemo(db);
      const codes = (await db.query<{ code: string }>(`SELECT code FROM districts WHERE central_urban ORDER BY code`)).rows.map(
        (r) => r.code,
      );
      const query = `/api/coverage?category=kindergarten&district=${codes.join(',')}&mode=euclidean&cellSizeM=100`;
      const stored = async () =>
        (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM population_surfaces WHERE cell_size_m = 100`)).rows[0].n;

      // 1. a first start stores the surfaces in the background
      let t0 = performance.now();
      const first = await startAtlas(pgUrl, schema);
      const readyMs = performance.now() - t0;
      t0 = performance.now();
      while ((await stored()) < codes.length) {
        if (performance.now() - t0 > 600_000) throw new Error('the surfaces were not stored within 10 minutes');
        await new Promise((r) => setTimeout(r, 200));
      }
      const precomputeMs = performance.now() - t0;
      await stopAtlas(first.child);
      log(
        `first start ready in ${readyMs.toFixed(0)} ms; ${codes.length} surfaces stored ${precomputeMs.toFixed(0)} ms later, in the background`,
      );

      // 2. the baseline, on the same database
      const pg: number[] = [];
      for (let k = 0; k < 4; k++) {
        const t = performance.now();
        await db.query(POSTGIS_UNCOVERED_SQL, [['kindergarten'], RADIUS_M, 'quad_segs=8']);
        if (k > 0) pg.push(performance.now() - t);
      }
      const pgMs = median(pg);

      // 3. a fresh start: cold, warm, after an edit
      const atlas = await startAtlas(pgUrl, schema);
      try {
        const get = async () => {
          const t = performance.now();
          const r = await fetch(atlas.url + query);
          const body = (await r.json()) as { capacity?: unknown; euclidean?: { total?: { coveredPopulation?: number } } };
          if (r.status !== 200) throw new Error(`GET /api/coverage: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
          return { ms: performance.now() - t, body };
        };
        const cold = await get();
        const warm: number[] = [];
        for (let k = 0; k < 5; k++) warm.push((await get()).ms);
        const edits: number[] = [];
        for (let k = 0; k < 5; k++) {
          // one kindergarten of 渝中 moved ~50 m east and back: a real change of catchment each time
          await db.query(
            `UPDATE facilities SET geom = ST_Translate(geom, $1, 0)
              WHERE id = (SELECT min(id) FROM facilities WHERE category = 'kindergarten' AND district_code = '500103' AND status = 'active')`,
            [k % 2 === 0 ? 0.0005 : -0.0005],
          );
          edits.push((await get()).ms);
        }
        const load = os
          .loadavg()
          .map((x) => x.toFixed(2))
          .join(' ');
        const note = `PostgreSQL, 9 central districts @100 m, kindergartens, mode=euclidean with 2SFCA; load average ${load}`;
        out.push(row('GET /api/coverage, first request after start (surfaces stored)', cold.ms, pgMs, note));
        out.push(row('… identical repeat (median of 5)', median(warm), pgMs, note));
        out.push(row('… after one facility edit (median of 5 edits)', median(edits), pgMs, `${note}; incremental 2SFCA`));
        log(
          `cold ${cold.ms.toFixed(0)} ms, warm ${median(warm).toFixed(1)} ms, after an edit ${median(edits).toFixed(1)} ms (${edits.map((x) => x.toFixed(0)).join(', ')}) vs PostGIS ${pgMs.toFixed(0)} ms; load ${load}`,
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
