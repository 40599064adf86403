/**
 * Where the time of a coverage request after one facility edit goes (issue 13): the stages of
 * the worker's path timed in this process, then the request end to end on an in-process server,
 * beside the PostGIS baseline of scripts/bench-surface.ts. A development aid, not part of `npm run bench`.
 *
 * `TEST_DATABASE_URL=… npx tsx scripts/time-edit.ts`
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSTGIS_UNCOVERED_SQL } from './bench-surface';
import type { AnswerToStore } from '../server/features/coverage/answers';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL!;
  const { createScratchSchema, dropScratchSchema } = await import('../server/db/scratch');
  const { openDatabase } = await import('../server/db/open');
  const { seedDemo } = await import('../server/seed/demo');
  const { analyse, capacityOf } = await import('../server/features/coverage/analysis');
  const { lookupAnswer, saveAnswer } = await import('../server/features/coverage/answers');
  const { FACILITY_CAP } = await import('../server/features/coverage/sql');
  const { coverageJson } = await import('../server/features/coverage/respond');
  const { runCoverageTask } = await import('../server/features/coverage/handlers');
  const { normFor } = await import('../core/coverage/index');
  const schema = await createScratchSchema(url, 'timeedit');
  try {
    const { db } = await openDatabase({ databaseUrl: url, postgres: { schema, max: 2 } });
    try {
      await seedDemo(db);
      const codes = (await db.query<{ code: string }>(`SELECT code FROM districts WHERE central_urban ORDER BY code`)).rows.map(
        (r) => r.code,
      );
      const params = {
        category: 'kindergarten' as const,
        mode: 'euclidean' as const,
        area: { kind: 'districts' as const, codes },
        cellSizeM: 100,
        walkSpeedMps: 1,
        stepPenalty: 2,
        slope: 'on' as const,
      };
      const move = (k: number) =>
        db.query(
          `UPDATE facilities SET geom = ST_Translate(geom, $1, 0)
            WHERE id = (SELECT min(id) FROM facilities WHERE category = 'kindergarten' AND district_code = '500103' AND status = 'active')`,
          [k % 2 === 0 ? 0.0005 : -0.0005],
        );
      let t = performance.now();
      const first = (await runCoverageTask(db, { kind: 'coverage', params })) as { body: unknown; after: AnswerToStore };
      await saveAnswer(db, params, first.after.bbox, first.after.stamp, JSON.stringify(first.body));
      console.log(`first (builds the surface) ${(performance.now() - t).toFixed(0)} ms`);
      const stages: Record<string, number[]> = {};
      const lap = (name: string) => {
        const now = performance.now();
        stages[name] ??= [];
        stages[name].push(now - t);
        t = now;
      };
      // `fresh`: every edit a position never seen before (no analysis cached for it)
      for (const fresh of [false, true]) {
        for (let k = 0; k < 9; k++) {
          if (fresh)
            await db.query(
              `UPDATE facilities SET geom = ST_Translate(geom, 0.00001, 0) WHERE id = (SELECT min(id) FROM facilities WHERE category = 'kindergarten' AND district_code = '500103' AND status = 'active')`,
            );
          await move(k);
          const tag = fresh ? 'new position: ' : '';
          t = performance.now();
          const found = await lookupAnswer(db, params, FACILITY_CAP);
          lap(`${tag}lookupAnswer (miss, reads)`);
          const a = await analyse(db, params, { importStamp: found!.read!.importStamp, facilities: found!.read!.rows });
          lap(`${tag}analyse`);
          capacityOf(a);
          lap(`${tag}capacityOf (2SFCA update)`);
          const body = coverageJson(a, normFor('kindergarten').radiusM);
          lap(`${tag}coverageJson (rest)`);
          const json = JSON.stringify(body);
          lap(`${tag}JSON.stringify`);
          await saveAnswer(db, params, found!.read!.bbox, found!.read!.stamp, json);
          lap(`${tag}saveAnswer (after the reply)`);
        }
      }
      await move(1);
      // the lookup's query beside its parts (QUERIES=1)
      if (process.env.QUERIES) {
        const { readAnswerInputs, exactAnswerKeys } = await import('../server/features/coverage/answers');
        const { categoryFacilities } = await import('../server/features/coverage/sql');
        const found = await lookupAnswer(db, params, FACILITY_CAP);
        const bb = found!.read!.bbox;
        const each: [string, () => Promise<unknown>][] = [
          ['lookupAnswer', () => lookupAnswer(db, params, FACILITY_CAP)],
          ['readAnswerInputs', () => readAnswerInputs(db, 'kindergarten', bb, FACILITY_CAP)],
          ['categoryFacilities', () => categoryFacilities(db, 'kindergarten', bb, FACILITY_CAP)],
          ['exactAnswerKeys', () => exactAnswerKeys(db, [params])],
          ['select 1', () => db.query('SELECT 1')],
        ];
        for (const [name, f] of each) {
          const xs: number[] = [];
          for (let k = 0; k < 15; k++) {
            const t0 = performance.now();
            await f();
            xs.push(performance.now() - t0);
          }
          console.log(`${name.padEnd(20)} ${median(xs).toFixed(2)} ms`);
        }
      }
      for (const [k, v] of Object.entries(stages)) console.log(`${k.padEnd(32)} ${median(v).toFixed(2)} ms`);

      // end to end on an in-process server (its worker thread), PostGIS baseline beside it
      const { startServer } = await import('../server/main');
      const running = await startServer({
        schema,
        config: { DATABASE_URL: url, PORT: 0, HOST: '127.0.0.1', LOG_LEVEL: 'silent', SEED_DEMO: 'never', PRECOMPUTE_SURFACES: 'never' },
        clientDir: path.join(ROOT, 'nonexistent'),
      });
      try {
        const base = running.url.replace('localhost', '127.0.0.1');
        const q = `/api/coverage?category=kindergarten&district=${codes.join(',')}&mode=euclidean&cellSizeM=100`;
        const get = async () => {
          const t0 = performance.now();
          const r = await fetch(base + q);
          await r.arrayBuffer();
          if (r.status !== 200) throw new Error(String(r.status));
          return performance.now() - t0;
        };
        await move(0);
        console.log(`e2e first (worker start) ${(await get()).toFixed(0)} ms`);
        const warm: number[] = [];
        for (let k = 0; k < 5; k++) warm.push(await get());
        const edits: number[] = [];
        for (let k = 1; k < 10; k++) {
          await move(k);
          edits.push(await get());
        }
        await move(0);
        const pg: number[] = [];
        for (let k = 0; k < 4; k++) {
          const t0 = performance.now();
          await db.query(POSTGIS_UNCOVERED_SQL, [['kindergarten'], 300, 'quad_segs=8']);
          if (k > 0) pg.push(performance.now() - t0);
        }
        console.log(
          `e2e warm ${median(warm).toFixed(1)} ms; after an edit ${median(edits).toFixed(1)} ms (${edits.map((x) => x.toFixed(0)).join(', ')}); ` +
            `PostGIS ${median(pg).toFixed(1)} ms → ratio ${(median(pg) / median(edits)).toFixed(2)}; load ${os
              .loadavg()
              .map((x) => x.toFixed(2))
              .join(' ')}`,
        );
      } finally {
        await running.close();
      }
    } finally {
      await db.close();
    }
  } finally {
    await dropScratchSchema(url, schema);
  }
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
