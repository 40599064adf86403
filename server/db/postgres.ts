import pg from 'pg';
import type { Db, Queryable, QueryResult } from './adapter';
import { DatabaseUnavailableError } from '../errors';

// int8 (counts, sums) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric as numbers, as PGlite returns them
pg.types.setTypeParser(1700, (v) => Number(v));

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003']);

function mapError(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (code && CONNECTION_ERRORS.has(code)) throw new DatabaseUnavailableError();
  const msg = (err as Error)?.message ?? '';
  // pg's own words for a pool that was ended or a connection that could not be made
  if (/pool after calling end|Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(msg)) {
    throw new DatabaseUnavailableError();
  }
  throw err;
}

function wrap(c: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      try {
        const r = await c.query(sql, params as unknown[]);
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

export interface PostgresOptions {
  /** Schema to work in (tests isolate themselves in one schema per file); PostGIS stays in public. */
  schema?: string;
  max?: number;
}

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: 5000,
    options: opts.schema ? `-c search_path=${opts.schema},public` : undefined,
  });
  // An idle client's error (server restart) must not crash the process.
  pool.on('error', () => {});
  const base = wrap(pool);
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
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
