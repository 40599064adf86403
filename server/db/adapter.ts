/**
 * The one database interface the server uses. Two implementations: embedded PGlite
 * (with the PostGIS extension) and a real PostgreSQL/PostGIS server through `pg`.
 * Same SQL, same migrations; values are always bound parameters ($1..$n).
 */
export interface QueryResult<T> {
  rows: T[];
  /** Rows inserted/updated/deleted, where the driver reports it. */
  affectedRows?: number;
}

export interface QueryOptions {
  /**
   * A statement on a hot path (nearby, tiles): PostgreSQL parses and plans it once per
   * connection and reuses the plan (a named prepared statement), unless prepared statements
   * are off (`DATABASE_PREPARED_STATEMENTS=off`, for PgBouncer < 1.21 in transaction mode).
   * Only for SQL whose plan does not depend on the values (a KNN, a tile's envelope). Ignored by PGlite.
   */
  prepare?: boolean;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<QueryResult<T>>;
  /** Run a script of several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface DbCapabilities {
  /**
   * Whether ST_AsMVT works. PostGIS in PGlite is compiled without protobuf-c, so
   * vector tiles are encoded in TypeScript there (core/mvt) from the same bounded query.
   */
  mvt: boolean;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  readonly capabilities: DbCapabilities;
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Bytes from a bytea column: PGlite gives Uint8Array, pg gives Buffer. */
export function toBuffer(v: unknown): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (v == null) return Buffer.alloc(0);
  throw new TypeError('expected bytes');
}

/**
 * A bbox filter as four bound parameters (west, south, east, north), all null when there is
 * no bbox — for `($1::float8 IS NULL OR geom && ST_MakeEnvelope($1, $2, $3, $4, 4326))`.
 */
export function bboxValues(bbox: readonly number[] | null | undefined): (number | null)[] {
  return [bbox?.[0] ?? null, bbox?.[1] ?? null, bbox?.[2] ?? null, bbox?.[3] ?? null];
}
