/**
 * Reads that may be slightly stale go to PostgreSQL hot standbys (issue 15, DATABASE_READ_URL).
 *
 * - **What goes where.** Public reads — nearby, facility list and detail, facility and basemap
 *   tiles, public feedback — ask {@link readDb}; everything else (writes, sessions, rate-limit
 *   counters, analysis, imports) uses the primary, as before.
 * - **Read your own writes.** A signed-in user (a session cookie) always reads from the primary;
 *   so does a visitor for `READ_PRIMARY_AFTER_WRITE_S` after any write request of theirs (the
 *   `atlas_rp` cookie, set on every non-GET API request).
 * - **Lag.** Every `pollMs` the router samples the primary's WAL position and each standby's
 *   replay position. A standby's lag is the age of the oldest primary position it has not
 *   replayed yet (0 when it is caught up). A standby further behind than `maxLagMs`, one that does
 *   not answer, or one that is no longer in recovery (promoted) gets no reads until it is back.
 * - **Failure.** A read whose standby fails with a connection error is asked again on the primary.
 */
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Db, QueryOptions, QueryResult } from './adapter';
import type { HealthResponse } from '../../core/api';
import { DatabaseUnavailableError, StartupError } from '../errors';
import { redactUrl } from '../config';
import { openPostgres } from './postgres';
import { readCookie, SESSION_COOKIE } from '../features/auth/session';

export interface ReadRouterOptions {
  /** A standby further behind than this gets no reads (REPLICA_MAX_LAG_MS). */
  maxLagMs: number;
  /** How often lag is sampled. */
  pollMs: number;
  log?: Logger;
}

export type ReplicaStatus = NonNullable<HealthResponse['replicas']>[number];

interface Replica {
  name: string;
  db: Db;
  lagMs: number | null;
  serving: boolean;
  reads: number;
  reason?: ReplicaStatus['reason'];
}

/** `X/Y` (a pg_lsn as text) → a number of bytes. */
export function lsnToBigInt(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** How long ago the oldest primary position the standby has not replayed was seen; 0 when caught up. */
export function lagFromSamples(samples: readonly { t: number; lsn: bigint }[], replay: bigint, now: number): number {
  for (const s of samples) if (s.lsn > replay) return Math.max(0, now - s.t);
  return 0;
}

const SAMPLE_KEEP_MS = 120_000;

export class ReadRouter {
  private readonly replicas: Replica[];
  private readonly samples: { t: number; lsn: bigint }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private next = 0;
  /** Stale-tolerant reads sent to the primary (no standby serving, or read-your-writes). */
  primaryReads = 0;

  constructor(
    readonly primary: Db,
    replicas: { name: string; db: Db }[],
    readonly options: ReadRouterOptions,
  ) {
    // no reads before the first measurement says a standby is caught up
    this.replicas = replicas.map((r) => ({ ...r, lagMs: null, serving: false, reads: 0, reason: 'unknown' }));
  }

  /** Measures once, then every `pollMs` (the timer does not keep the process alive). */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  /** One lag measurement of every standby (concurrent calls share one). */
  poll(): Promise<void> {
    this.polling ??= this.measure().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async measure(): Promise<void> {
    const now = Date.now();
    try {
      const p = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      const lsn = lsnToBigInt(p.rows[0].lsn);
      const last = this.samples[this.samples.length - 1];
      if (!last || last.lsn !== lsn) this.samples.push({ t: now, lsn });
      while (this.samples.length > 1 && now - this.samples[0].t > SAMPLE_KEEP_MS) this.samples.shift();
    } catch {
      // the primary is away: keep the standbys' last state (reads of stale data beat no reads)
      return;
    }
    await Promise.all(
      this.replicas.map(async (r) => {
        const before = r.serving;
        try {
          const q = await r.db.query<{ replay: string | null; recovery: boolean }>(
            'SELECT pg_last_wal_replay_lsn()::text AS replay, pg_is_in_recovery() AS recovery',
          );
          const { replay, recovery } = q.rows[0];
          if (!recovery || replay === null) {
            Object.assign(r, { lagMs: null, serving: false, reason: 'not_in_recovery' });
          } else {
            const lagMs = lagFromSamples(this.samples, lsnToBigInt(replay), Date.now());
            const serving = lagMs <= this.options.maxLagMs;
            Object.assign(r, { lagMs, serving, reason: serving ? undefined : 'lagging' });
          }
        } catch {
          Object.assign(r, { lagMs: null, serving: false, reason: 'unreachable' });
        }
        if (before !== r.serving) {
          this.options.log?.info({ replica: r.name, serving: r.serving, lagMs: r.lagMs, reason: r.reason }, 'read replica changed state');
        }
      }),
    );
  }

  /** The database for one stale-tolerant read: the next serving standby, else the primary. */
  pick(): { db: Db; replica?: Replica } {
    const n = this.replicas.length;
    for (let i = 0; i < n; i++) {
      const r = this.replicas[(this.next + i) % n];
      if (r.serving) {
        this.next = (this.next + i + 1) % n;
        r.reads++;
        return { db: r.db, replica: r };
      }
    }
    this.primaryReads++;
    return { db: this.primary };
  }

  status(): ReplicaStatus[] {
    return this.replicas.map(({ name, lagMs, serving, reads, reason }) => ({
      name,
      lagMs,
      serving,
      reads,
      ...(reason ? { reason } : {}),
    }));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.polling?.catch(() => undefined);
    await Promise.all(this.replicas.map((r) => r.db.close().catch(() => undefined)));
  }
}

/** The cookie that sends a visitor's reads to the primary for a while after a write. */
export const READ_PRIMARY_COOKIE = 'atlas_rp';

function wantsPrimary(req: Request): boolean {
  // signed in, or wrote something a moment ago
  return readCookie(req, SESSION_COOKIE) !== undefined || readCookie(req, READ_PRIMARY_COOKIE) !== undefined;
}

/**
 * The database a stale-tolerant public read uses: a serving standby, unless the request's
 * client must see its own writes. A standby that fails with a connection error is replaced by
 * the primary for this query.
 */
export function readDb(ctx: { db: Db; reads?: ReadRouter }, req: Request): Db {
  const router = ctx.reads;
  if (!router) return ctx.db;
  if (wantsPrimary(req)) {
    router.primaryReads++;
    return ctx.db;
  }
  const { db, replica } = router.pick();
  if (!replica) return db;
  return {
    ...db,
    kind: db.kind,
    capabilities: db.capabilities,
    async query<T>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<T>> {
      try {
        return await db.query<T>(sql, params, opts);
      } catch (e) {
        if (!(e instanceof DatabaseUnavailableError)) throw e;
        replica.serving = false;
        replica.reason = 'unreachable';
        return ctx.db.query<T>(sql, params, opts);
      }
    },
  };
}

/**
 * A router over `urls` (DATABASE_READ_URL), measuring lag before it starts. A standby that is
 * down at start is opened anyway and takes reads once it answers and has caught up.
 */
export async function openReadRouter(
  primary: Db,
  urls: readonly string[],
  o: { schema?: string; maxLagMs: number; pollMs?: number; log?: Logger; preparedStatements?: boolean },
): Promise<ReadRouter> {
  if (primary.kind !== 'postgres') {
    throw new StartupError('DATABASE_READ_URL needs DATABASE_URL: read replicas are PostgreSQL hot standbys of that primary');
  }
  const replicas = await Promise.all(
    urls.map(async (url) => ({
      name: redactUrl(url),
      db: await openPostgres(url, { schema: o.schema, max: 10, preparedStatements: o.preparedStatements }),
    })),
  );
  const router = new ReadRouter(primary, replicas, { maxLagMs: o.maxLagMs, pollMs: o.pollMs ?? 500, log: o.log });
  await router.start();
  return router;
}
