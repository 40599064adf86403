/**
 * PgBouncer (Debian `pgbouncer`, /usr/sbin/pgbouncer) between app servers and PostgreSQL, on
 * loopback, as a user process with its own ini in a temporary folder (the Debian service is not
 * used). Transaction pooling: a server connection belongs to a client only for one transaction,
 * which is safe for this app because it keeps no session state on a connection —
 * - statements with parameters go as the extended protocol's *unnamed* statement (node-pg never
 *   names one unless asked; the app never does), parsed and run in one round trip;
 * - the only lock is `pg_advisory_xact_lock` (migrations), released at the transaction's end;
 * - no LISTEN/NOTIFY, no `SET` (a schema, used by the tests, comes from the `options` startup
 *   parameter, which PgBouncer 1.18 refuses: give such a database `connectQuery` instead), no
 *   temporary tables, no cursors across transactions.
 * Used by `npm run cluster` and tests/scale/pgbouncer.test.ts; docs/scaling.md "PgBouncer".
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, stopProcess } from './balancer';

export const PGBOUNCER = '/usr/sbin/pgbouncer';

export interface PoolTarget {
  port: number;
  dbname: string;
  /** Run on every new server connection (e.g. `SET search_path TO s1, public`). */
  connectQuery?: string;
}

export interface PgbouncerOptions {
  /** `pool_mode`: `transaction` unless a reason says otherwise. */
  poolMode?: 'transaction' | 'session';
  /** Server connections per database (`default_pool_size`). */
  poolSize?: number;
}

/** The ini for `port` with `databases` (alias → target); every connection logs in as `postgres` (trust on loopback). */
export function pgbouncerIni(port: number, dir: string, databases: Record<string, PoolTarget>, o: PgbouncerOptions = {}): string {
  const db = (t: PoolTarget) =>
    `host=127.0.0.1 port=${t.port} dbname=${t.dbname} user=postgres` +
    (t.connectQuery ? ` connect_query='${t.connectQuery.replace(/'/g, "''")}'` : '');
  return [
    '[databases]',
    ...Object.entries(databases).map(([alias, t]) => `${alias} = ${db(t)}`),
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    // no Unix socket: only the loopback port
    'unix_socket_dir =',
    // the databases above name their user: the client's name and password are not asked
    'auth_type = any',
    'admin_users = postgres',
    `pool_mode = ${o.poolMode ?? 'transaction'}`,
    `default_pool_size = ${o.poolSize ?? 20}`,
    'max_client_conn = 1000',
    // after a failover (HAProxy cuts the connections to the old primary) try again at once, not after 15 s
    'server_login_retry = 1',
    'server_connect_timeout = 3',
    // a query waits this long for a server connection (a failover), then the client gets 08P01 → the app answers 503
    'query_wait_timeout = 10',
    `logfile = ${path.join(dir, 'pgbouncer.log')}`,
    `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
    '',
  ].join('\n');
}

export interface Pgbouncer {
  port: number;
  /** The URL of one database alias. */
  url(alias: string): string;
  /** `SHOW <what>` on the admin console (POOLS, STATS, CLIENTS, SERVERS …). */
  show<T = Record<string, unknown>>(what: string): Promise<T[]>;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts PgBouncer in the foreground on a free port; as root it runs as `postgres` (it refuses root). */
export async function startPgbouncer(databases: Record<string, PoolTarget>, o: PgbouncerOptions = {}): Promise<Pgbouncer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-pgbouncer-'));
  const ini = path.join(dir, 'pgbouncer.ini');
  writeFileSync(ini, pgbouncerIni(port, dir, databases, o));
  const root = process.getuid?.() === 0;
  if (root) {
    const uid = Number(pgUser('-u'));
    const gid = Number(pgUser('-g'));
    chownSync(dir, uid, gid);
    chownSync(ini, uid, gid);
  }
  const child = spawn(PGBOUNCER, [...(root ? ['-u', 'postgres'] : []), ini], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = (alias: string) => `postgres://postgres@127.0.0.1:${port}/${alias}`;
  const show = async <T>(what: string): Promise<T[]> => {
    const c = new pg.Client({ connectionString: url('pgbouncer') });
    await c.connect();
    try {
      // the admin console speaks only the simple protocol
      return (await c.query({ text: `SHOW ${what}`, queryMode: 'simple' } as pg.QueryConfig)).rows as T[];
    } finally {
      await c.end();
    }
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited: ${err}`);
    try {
      await show('VERSION');
      break;
    } catch (e) {
      if (i > 100) throw new Error(`pgbouncer did not listen: ${(e as Error).message} ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    url,
    show,
    process: child,
    stop: () => stopProcess(child, dir),
  };
}

/** `id -u postgres` / `id -g postgres`. */
function pgUser(flag: '-u' | '-g'): string {
  return execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim();
}
