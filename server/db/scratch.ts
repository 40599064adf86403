/**
 * Scratch schemas on a real PostgreSQL server: tests, benchmarks and the load script each
 * work in a schema of their own (PostGIS stays in `public`), dropped afterwards, so runs
 * on one shared database never see each other's rows.
 */
import pg from 'pg';

let counter = 0;

async function onServer(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Creates a uniquely named schema (`prefix`_pid_time_n) on the server at `url` and returns its name. */
export async function createScratchSchema(url: string, prefix: string): Promise<string> {
  if (!/^[a-z][a-z0-9_]{0,20}$/.test(prefix)) throw new Error(`bad scratch schema prefix: ${prefix}`);
  const schema = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await onServer(url, `CREATE SCHEMA ${schema}`);
  return schema;
}

/** Drops a schema made by {@link createScratchSchema}, with everything in it. */
export async function dropScratchSchema(url: string, schema: string): Promise<void> {
  await onServer(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}
