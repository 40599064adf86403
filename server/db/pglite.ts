import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { mkdirSync } from 'node:fs';
import type { Db, Queryable, QueryResult } from './adapter';
import { DatabaseUnavailableError } from '../errors';

function wrap(q: Pick<PGlite, 'query' | 'exec'>, isClosed: () => boolean): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      if (isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      const r = await q.query<T>(sql, params as unknown[]);
      return { rows: r.rows, affectedRows: r.affectedRows };
    },
    async exec(sql: string) {
      if (isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      await q.exec(sql);
    },
  };
}

/**
 * Open (or create) an embedded PGlite database with PostGIS.
 * @param dataDir folder to persist to; `undefined` = in memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create({ dataDir, extensions: { postgis } });
  let closed = false;
  const isClosed = () => closed || pg.closed;
  const base = wrap(pg, isClosed);
  return {
    kind: 'pglite',
    capabilities: { mvt: false },
    ...base,
    transaction: (fn) => {
      if (isClosed()) throw new DatabaseUnavailableError('the embedded database is closed');
      return pg.transaction((tx) => fn(wrap(tx, isClosed)));
    },
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}
