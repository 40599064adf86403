import pg from 'pg';
import { createHash } from 'node:crypto';
import type { Db, Queryable, QueryOptions, QueryResult } from './adapter';
import { DatabaseUnavailableError } from '../errors';

// int8 (counts, sums) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as numbers, as PGlite returns them
pg.types.setTypeParser(1700, (v) => Number(v));

// connection failures, and the states of a server going away or not yet writable: shutting down
// (57P01–57P03), too many connections (53300), read-only during a failover (25006)
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '25006',
]);

/**
 * A database error that means "not reachable now, try again": a code above, or any connection
 * exception (SQLSTATE class 08) — PgBouncer answers 08P01 when its server connection crashed
 * under a query or its query_wait_timeout passed (a failover behind it).
 */
export function isUnavailable(code: string | undefined): boolean {
  return !!code && (CONNECTION_ERRORS.has(code) || code.startsWith('08'));
}

function mapError(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (isUnavailable(code)) throw new DatabaseUnavailableError();
  const msg = (err as Error)?.message ?? '';
  // pg's own words for a pool that was ended or a connection that could not be made
  if (/pool after calling end|Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(msg)) {
    throw new DatabaseUnavailableError();
  }
  throw err;
}

/** The name of a prepared statement: from its text, so that every connection and app server agrees. */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `atlas_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function wrap(c: pg.Pool | pg.PoolClient, prepared: boolean): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = [], opts?: QueryOptions): Promise<QueryResult<T>> {
      try {
        const values = params as unknown[];
        const r = await (prepared && opts?.prepare ? c.query({ name: statementName(sql), text: sql, values }) : c.query(sql, values));
        return { rows: r.rows as T[], affectedRows: r.rowCount ?? undefined };
      } catch (e) {
        mapError(e);
      }
    },
    async exec(sql: string) {
      try {
        await c.query(sql);
      } catch (e) {
        mapError(e);
      }
    },
  };
}

/** Connections of a pool unless {@link PostgresOptions.max} says otherwise (the bench's bare server opens as many). */
export const DEFAULT_POOL_MAX = 10;

export interface PostgresOptions {
  /** Schema to work in (tests isolate themselves in one schema per file); PostGIS stays in public. */
  schema?: string;
  max?: number;
  /** Named prepared statements for queries that ask for them ({@link QueryOptions.prepare}); default true. */
  preparedStatements?: boolean;
}

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? DEFAULT_POOL_MAX,
    connectionTimeoutMillis: 5000,
    options: opts.schema ? `-c search_path=${opts.schema},public` : undefined,
  });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => {});
  const prepared = opts.preparedStatements ?? true;
  const base = wrap(pool, prepared);
  return {
    kind: 'postgres',
    capabilities: { mvt: true },
    ...base,
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        mapError(e);
      }
      // a connection that breaks while checked out (a failover) reports here, not as an uncaught error
      let broken: Error | undefined;
      const onError = (e: Error) => {
        broken = e;
      };
      client.on('error', onError);
      const tx = wrap(client, prepared);
      try {
        await tx.exec('BEGIN');
        const out = await fn(tx);
        // a COMMIT that fails on a lost connection is not acknowledged: 503, the client may retry
        await tx.exec('COMMIT');
        return out;
      } catch (e) {
        if (!broken) await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.off('error', onError);
        // a broken connection is destroyed rather than returned to the pool
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
