/**
 * What the failover tests share (tests/scale/failover.test.ts: promotion by hand;
 * tests/scale/autofailover.test.ts: pg_auto_failover promotes): the path of `npm run cluster`
 * in front of two PostgreSQL servers — HAProxy in TCP mode sending connections only to the one
 * that is a primary (scripts/cluster/is-primary.sh), PgBouncer in transaction pooling in front
 * of it, an app server on PgBouncer without prepared statements — and a bounded write load
 * (feedback POSTs) through a failover, with the checks that every acknowledged write is present
 * afterwards and that the clients got only 201 or 503 with Retry-After.
 */
import pino from 'pino';
import { expect } from 'vitest';
import { startBalancer, type Balancer } from '../../scripts/cluster/balancer';
import { startPgbouncer, type Pgbouncer } from '../../scripts/cluster/pgbouncer';
import type { Db } from '../../server/db/adapter';
import { openDatabase } from '../../server/db/open';
import { prepareSecure, serve, type Served } from '../security/harness';

export interface AppOnPair {
  db: Db;
  app: Served;
  close(): Promise<void>;
}

/** HAProxy (primary check) → PgBouncer → an app server with the test fixture, in front of `servers` (name → port). */
export async function appOnPair(servers: Record<string, number>): Promise<AppOnPair> {
  let balancer: Balancer | undefined;
  let bouncer: Pgbouncer | undefined;
  let db: Db | undefined;
  let app: Served | undefined;
  const close = async () => {
    await app?.close();
    await db?.close().catch(() => undefined);
    await bouncer?.stop();
    await balancer?.stop();
  };
  try {
    balancer = await startBalancer(servers, { postgres: true });
    bouncer = await startPgbouncer({ atlas: { port: Number(new URL(balancer.url).port), dbname: 'postgres' } });
    ({ db } = await openDatabase({ databaseUrl: bouncer.url('atlas'), postgres: { max: 6, preparedStatements: false } }));
    await prepareSecure(db);
    app = await serve(db, {
      log: pino({ level: 'silent' }),
      security: { rateLimits: { feedback: 1_000_000, writes: 1_000_000, login: 1000 } },
    });
    return { db, app, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export interface FailoverReport {
  /** Writes answered 201. */
  acked: number;
  /** Of those, found on the new primary afterwards. */
  present: number;
  /** Answers by status. */
  statuses: Record<number, number>;
  /** From the end of `crash()` (the primary is gone) to the first 201 of a request sent after it, ms. */
  downToAckMs: number;
  /** From the first failed write (not 201) to the first 201 of a request sent after it, ms; null when no write failed. */
  failToAckMs: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Four clients POST feedback in a loop (a 503 is retried after 100 ms); once 30 writes are
 * acknowledged, `crash()` runs while the load goes on (it resolves once the primary is gone); then the load goes on until 30 more
 * writes are acknowledged (at most `afterMs`). Checks: 30 writes acknowledged after the crash,
 * the answering server is a primary, every acknowledged write is there, only 201 and 503 were
 * answered and every 503 had a Retry-After. Prints `label` with the failover time and the counts.
 */
export async function writeThroughFailover(
  pair: AppOnPair,
  crash: () => Promise<void>,
  o: { label: string; afterMs?: number },
): Promise<FailoverReport> {
  const { app, db } = pair;
  const marker = `fo-${Date.now()}`;
  const acked: number[] = [];
  const statuses = new Map<number, number>();
  let retryAfterMissing = 0;
  let stop = false;
  let crashAt = 0;
  let downAt = 0;
  let firstFailAt = 0;
  let firstAckAfterDown = 0;
  let firstAckAfterFail = 0;
  const worker = async () => {
    let n = 0;
    while (!stop) {
      const sentAt = Date.now();
      const r = await app.request('POST', '/api/feedback', {
        body: { category: 'other', text: `${marker} ${n++}`, coordinates: [106.55, 29.55] },
      });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 201) {
        acked.push(r.body.id);
        const now = Date.now();
        if (downAt && sentAt >= downAt && !firstAckAfterDown) firstAckAfterDown = now;
        if (firstFailAt && sentAt >= firstFailAt && !firstAckAfterFail) firstAckAfterFail = now;
      } else {
        if (crashAt && !firstFailAt) firstFailAt = Date.now();
        if (r.status === 503) {
          if (!(Number(r.headers.get('retry-after')) > 0)) retryAfterMissing++;
          await sleep(100);
        }
      }
    }
  };
  const load = Promise.all(Array.from({ length: 4 }, worker));
  while (acked.length < 30) await sleep(20);
  const ackedBefore = acked.length;
  crashAt = Date.now();
  await crash();
  downAt = Date.now();
  const deadline = Date.now() + (o.afterMs ?? 60_000);
  while (acked.length < ackedBefore + 30 && Date.now() < deadline) await sleep(20);
  stop = true;
  await load;

  expect(acked.length, 'writes acknowledged after the failover').toBeGreaterThanOrEqual(ackedBefore + 30);
  const stored = await db.query<{ id: number; recovery: boolean }>(
    'SELECT id, pg_is_in_recovery() AS recovery FROM feedback WHERE text LIKE $1',
    [`${marker} %`],
  );
  expect(stored.rows[0]?.recovery, 'answered by a primary').toBe(false);
  const ids = new Set(stored.rows.map((r) => r.id));
  const missing = acked.filter((id) => !ids.has(id));
  const report: FailoverReport = {
    acked: acked.length,
    present: acked.length - missing.length,
    statuses: Object.fromEntries(statuses),
    downToAckMs: firstAckAfterDown - downAt,
    failToAckMs: firstFailAt && firstAckAfterFail ? firstAckAfterFail - firstFailAt : null,
  };
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `${o.label}: ` +
      (report.failToAckMs === null
        ? 'no write failed; '
        : `${s(report.failToAckMs)} from the first failed write to the next acknowledged one; `) +
      `${s(report.downToAckMs)} from the end of the crash command to the first acknowledged write sent after it; ` +
      `writes acknowledged ${report.acked}, present ${report.present}; answers ${JSON.stringify(report.statuses)}`,
  );
  expect(missing, 'acknowledged writes missing after the failover').toEqual([]);
  expect(
    [...statuses.keys()].filter((st) => st !== 201 && st !== 503),
    'answers other than 201 and 503',
  ).toEqual([]);
  expect(retryAfterMissing, '503s without Retry-After').toBe(0);
  return report;
}
