/**
 * HAProxy (Debian `haproxy`) in front of several app servers, on loopback: round robin, health
 * checks on /api/health every 500 ms, a request whose connection cannot be made is sent to another
 * server (`retry-on conn-failure` + `option redispatch`: nothing was sent, so a write cannot be
 * applied twice), and each answer names its server in `X-Atlas-Server` (`<CACHE>` when the cache
 * answered). With `cache`, anonymous GETs of tiles and facilities are kept in HAProxy's cache
 * (see {@link haproxyConfig}). Used by tests/scale/balancer.test.ts; the configuration is the one
 * documented in docs/scaling.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const HAPROXY = '/usr/sbin/haproxy';

export interface CacheOptions {
  /** The longest an answer is served from the cache, whatever its Cache-Control says (HAProxy `max-age`). */
  maxAgeS: number;
}

/** Paths whose anonymous GETs the cache may keep: facility and basemap tiles, facility lists and details. */
export const CACHED_PATHS = ['/api/tiles/', '/api/facilities'];

/**
 * The configuration for `port` in front of `backends` (name → port). With `cache`: GETs of
 * {@link CACHED_PATHS} without a session or read-your-writes cookie (`atlas_session`, `atlas_rp`:
 * those must read the primary, server/db/replicas.ts) are answered from HAProxy's cache when it
 * holds them; HAProxy keeps only 200s whose Cache-Control allows a shared cache (not `no-cache`,
 * `no-store`, `private`), at most `maxAgeS` (edits and imports are therefore public at the
 * balancer within `maxAgeS`), one copy per Accept-Encoding (`process-vary`), and answers a
 * matching If-None-Match with 304. `X-Cache` says HIT or MISS.
 */
export function haproxyConfig(port: number, backends: Record<string, number>, cache?: CacheOptions): string {
  return [
    'global',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 3',
    '  option redispatch',
    '  retry-on conn-failure',
    ...(cache
      ? ['cache atlas', '  total-max-size 64', '  max-object-size 2000000', `  max-age ${cache.maxAgeS}`, '  process-vary on']
      : []),
    'frontend atlas',
    `  bind 127.0.0.1:${port}`,
    '  default_backend apps',
    'backend apps',
    '  balance roundrobin',
    '  option httpchk GET /api/health',
    '  http-check expect status 200',
    '  default-server inter 500ms fall 2 rise 2',
    ...(cache
      ? [
          `  acl cached_path path_beg ${CACHED_PATHS.join(' ')}`,
          '  acl own_reads req.cook(atlas_session) -m found',
          '  acl own_reads req.cook(atlas_rp) -m found',
          '  http-request set-var(txn.cacheable) bool(true) if METH_GET cached_path !own_reads',
          '  http-request cache-use atlas if { var(txn.cacheable) -m bool }',
          '  http-response cache-store atlas if { var(txn.cacheable) -m bool }',
          '  http-response set-header X-Cache HIT if { res.cache_hit }',
          '  http-response set-header X-Cache MISS if !{ res.cache_hit }',
        ]
      : []),
    '  http-response set-header X-Atlas-Server %s',
    ...Object.entries(backends).map(([name, p]) => `  server ${name} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
}

/** Resolves when a TCP connection to the loopback `port` opens. */
function canConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve();
    });
    s.once('error', reject);
  });
}

/** Whether a new connection to `url` lands on a primary (not in recovery). */
async function reachesPrimary(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  c.on('error', () => undefined); // HAProxy closing the connection must not be an uncaught error
  try {
    await c.connect();
    const r = await c.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery');
    return r.rows[0].recovery === false;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Stops a process started here (SIGTERM, waits for its exit) and removes its temporary folder. */
export async function stopProcess(child: ChildProcess, dir?: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Balancer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * HAProxy in TCP mode in front of PostgreSQL servers: only the one that is a primary (not in
 * recovery, asked by scripts/cluster/is-primary.sh every 1–2 s) takes connections, and the
 * connections of a server marked down are cut, so the app's pool reconnects to the new primary
 * after a failover without a restart.
 */
export function pgHaproxyConfig(port: number, servers: Record<string, number>): string {
  return [
    'global',
    '  insecure-fork-wanted',
    '  external-check',
    'defaults',
    '  mode tcp',
    '  timeout connect 1s',
    '  timeout client 1h',
    '  timeout server 1h',
    'listen postgres',
    `  bind 127.0.0.1:${port}`,
    '  option external-check',
    '  external-check path "/usr/bin:/bin"',
    `  external-check command ${path.join(path.dirname(fileURLToPath(import.meta.url)), 'is-primary.sh')}`,
    // HAProxy gives an external check `inter` to finish (psql starts slowly on a busy machine);
    // three failed checks mark a server down and its connections are then cut
    '  default-server inter 2s fastinter 1s downinter 1s fall 3 rise 1 on-marked-down shutdown-sessions',
    ...Object.entries(servers).map(([name, p]) => `  server ${name} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
}

/** Starts HAProxy in the foreground on a free port; resolves once it accepts connections. */
export async function startBalancer(
  backends: Record<string, number>,
  o: { postgres?: boolean; cache?: CacheOptions } = {},
): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-haproxy-'));
  const cfg = path.join(dir, 'haproxy.cfg');
  writeFileSync(cfg, o.postgres ? pgHaproxyConfig(port, backends) : haproxyConfig(port, backends, o.cache));
  const child = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = o.postgres ? `postgres://postgres@127.0.0.1:${port}/postgres` : `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${err}`);
    try {
      if (o.postgres) {
        await canConnect(port);
        // HAProxy counts a server up until its first check says otherwise: wait until several
        // connections in a row reach a primary
        let primaries = 0;
        while (primaries < 5) {
          primaries = (await reachesPrimary(url)) ? primaries + 1 : 0;
          if (i++ > 100) throw new Error('haproxy never settled on a primary');
          if (primaries < 5) await new Promise((r) => setTimeout(r, 100));
        }
      } else await fetch(`${url}/api/health`);
      break;
    } catch {
      if (i > 100) throw new Error(`haproxy did not listen: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    process: child,
    stop: () => stopProcess(child, dir),
  };
}
