/**
 * `npm run cluster` — on one machine, from Debian packages, as root (issue 15):
 *
 *   npm run cluster -- up     a primary (5434) with a synchronous hot standby (5435)
 *                             (scripts/cluster/pair.sh), HAProxy in TCP mode in front of them
 *                             (connections go to whichever is the primary), PgBouncer in
 *                             transaction pooling in front of that and of the standby, two app
 *                             servers on PgBouncer (writes: the primary; public reads:
 *                             DATABASE_READ_URL, the standby) with the demo data, and HAProxy in
 *                             HTTP mode with its cache in front of those; prints the URL and stays
 *                             in the foreground — Ctrl-C tears it all down
 *   npm run cluster -- load   the same cluster plus one app server straight on the primary, and
 *                             `npm run load` against each (same run, same database): req/s and
 *                             p99 per scenario side by side; then tears it all down.
 *                             `--duration N` (s per scenario, default 10)
 *   npm run cluster -- test   the cluster tests (tests/scale/*.test.ts: read replicas, PgBouncer,
 *                             balancer and cache, failover by hand and automatic), printing the
 *                             failover times and the write counts
 *   npm run cluster -- down   removes the database pairs (after a crash of `up`)
 *
 *   `--auto` (with up and load): the database pair is pg_auto_failover's instead
 *                             (scripts/cluster/autofailover.sh: a monitor on 5440, node1 5441
 *                             primary, node2 5442 synchronous standby): when the primary's node
 *                             is lost, the monitor promotes the standby by itself and HAProxy's
 *                             check sends the connections there; no promote command
 *
 * docs/scaling.md shows the topology and the figures.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort, startBalancer, stopProcess, type Balancer } from './balancer';
import { startPgbouncer, type Pgbouncer } from './pgbouncer';
import type { ScenarioResult } from '../load';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

/** A primary with a synchronous hot standby, made and removed by `script up|drop`. */
interface PairKind {
  script: string;
  /** HAProxy's servers (name → port); the first is the primary after `up`. */
  servers: Record<string, number>;
  primary: number;
  standby: number;
  /** How to provoke a failover, for `up`'s banner. */
  failover: string;
}
const PAIRS: Record<'manual' | 'auto', PairKind> = {
  manual: {
    script: path.join(HERE, 'pair.sh'),
    servers: { primary: 5434, standby: 5435 },
    primary: 5434,
    standby: 5435,
    failover: 'failover by hand: pg_ctlcluster 15 fo_p stop -m immediate && bash scripts/cluster/pair.sh promote',
  },
  auto: {
    script: path.join(HERE, 'autofailover.sh'),
    servers: { node1: 5441, node2: 5442 },
    primary: 5441,
    standby: 5442,
    failover:
      'automatic failover (pg_auto_failover): lose the primary with `bash scripts/cluster/autofailover.sh crash 5441`; ' +
      'the monitor promotes node2 by itself (`autofailover.sh state` shows it)',
  },
};
/** How long the balancer's cache may serve an answer: the public sees an edit or an import within this (plus the replica lag bound). */
export const CLUSTER_CACHE_MAX_AGE_S = 10;

/** One app server as `npm start` runs it, on `port`, with `env` on top; resolves once it listens. */
function startApp(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Child-Friendly City Atlas on ')) resolve(child);
    });
    child.on('exit', (c) => reject(new Error(`app server on ${port} exited with ${c}`)));
  });
}

interface Cluster {
  url: string;
  /** The app servers' ports. */
  apps: number[];
  bouncer: Pgbouncer;
  down(): Promise<void>;
  /** An extra app server straight on the primary (no PgBouncer, no HAProxy, no replica, no cache): the single-server baseline. */
  single(env: Record<string, string>): Promise<string>;
}

async function bringUp(pair: PairKind, extraEnv: Record<string, string> = {}): Promise<Cluster> {
  execFileSync('bash', [pair.script, 'up'], { stdio: 'inherit' });
  const pgLb = await startBalancer(pair.servers, { postgres: true });
  const lbPort = Number(new URL(pgLb.url).port);
  const children: ChildProcess[] = [];
  let bouncer: Pgbouncer | undefined;
  let web: Balancer | undefined;
  const down = async () => {
    await web?.stop();
    for (const a of children) await stopProcess(a);
    await bouncer?.stop();
    await pgLb.stop();
    execFileSync('bash', [pair.script, 'drop'], { stdio: 'inherit' });
  };
  try {
    // writes through HAProxy (whichever server is the primary), public reads on the standby itself
    bouncer = await startPgbouncer({
      atlas: { port: lbPort, dbname: 'postgres' },
      atlas_ro: { port: pair.standby, dbname: 'postgres' },
    });
    console.log(
      `cluster: PgBouncer (transaction pooling) at 127.0.0.1:${bouncer.port} → HAProxy ${pgLb.url} and the standby ${pair.standby}`,
    );
    const env = {
      DATABASE_URL: bouncer.url('atlas'),
      DATABASE_READ_URL: bouncer.url('atlas_ro'),
      // PgBouncer 1.18 (Debian 12) in transaction mode keeps no named prepared statements
      DATABASE_PREPARED_STATEMENTS: 'off',
      ...extraEnv,
    };
    const ports = [await freePort(), await freePort()];
    // the first server migrates and seeds; the second starts on the ready database
    children.push(await startApp(ports[0], { ...env, SEED_DEMO: 'auto', SEED_OSM: 'auto' }));
    children.push(await startApp(ports[1], { ...env, SEED_DEMO: 'never', SEED_OSM: 'never' }));
    web = await startBalancer({ a1: ports[0], a2: ports[1] }, { cache: { maxAgeS: CLUSTER_CACHE_MAX_AGE_S } });
    return {
      url: web.url,
      apps: ports,
      bouncer,
      down,
      async single(env2) {
        const port = await freePort();
        children.push(
          await startApp(port, {
            DATABASE_URL: `postgres://postgres@127.0.0.1:${pair.primary}/postgres`,
            SEED_DEMO: 'never',
            SEED_OSM: 'never',
            ...env2,
          }),
        );
        return `http://127.0.0.1:${port}`;
      },
    };
  } catch (e) {
    await down();
    throw e;
  }
}

async function up(pair: PairKind): Promise<void> {
  const c = await bringUp(pair);
  console.log(
    `cluster: up — open ${c.url} (HAProxy + cache → app servers ${c.apps.join(', ')} → PgBouncer ${c.bouncer.port} → HAProxy → PostgreSQL ${pair.primary}/${pair.standby})`,
  );
  console.log(`cluster: ${pair.failover}`);
  console.log('cluster: Ctrl-C tears it all down');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await c.down();
}

/** `npm run load -- --url <url>`; its JSON report's results. */
function runLoad(url: string, duration: number, out: string): ScenarioResult[] {
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'scripts/load.ts'), '--url', url, '--duration', String(duration), '--out', out],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  return (JSON.parse(readFileSync(out, 'utf8')) as { results: ScenarioResult[] }).results;
}

async function load(pair: PairKind, duration: number): Promise<void> {
  // the load's feedback scenario measures writes, not the limiter's refusals
  const limits = { FEEDBACK_RATE_LIMIT: '10000000', WRITE_RATE_LIMIT: '10000000' };
  const load1 = loadavg()[0];
  const c = await bringUp(pair, limits);
  const dir = mkdtempSync(path.join(tmpdir(), 'atlas-cluster-load-'));
  try {
    const singleUrl = await c.single(limits);
    console.log(`\ncluster load: one app server straight on the primary (${singleUrl}) …`);
    const single = runLoad(singleUrl, duration, path.join(dir, 'single.json'));
    console.log(`\ncluster load: the cluster (${c.url}) …`);
    const cluster = runLoad(c.url, duration, path.join(dir, 'cluster.json'));
    const pools = (await c.bouncer.show<{ database: string; total_xact_count: string }>('STATS')).filter((s) =>
      s.database.startsWith('atlas'),
    );
    const rows = single.map((s) => {
      const k = cluster.find((x) => x.scenario === s.scenario);
      const ratio = k && s.reqPerS > 0 ? (k.reqPerS / s.reqPerS).toFixed(2) : '–';
      const errs = (r?: ScenarioResult) => (r ? r.errors + r.timeouts + r.unexpected : 0);
      return `| ${s.scenario} | ${s.reqPerS} | ${s.latencyMs.p99} | ${k?.reqPerS ?? '–'} | ${k?.latencyMs.p99 ?? '–'} | ${ratio} | ${errs(s)} / ${errs(k)} |`;
    });
    console.log(
      [
        '',
        `npm run cluster -- load: ${duration} s per scenario, 16 connections; load average ${load1.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`,
        '| scenario | single req/s | single p99 ms | cluster req/s | cluster p99 ms | cluster/single | errors single / cluster |',
        '|---|---|---|---|---|---|---|',
        ...rows,
        `PgBouncer transactions: ${pools.map((p) => `${p.database} ${p.total_xact_count}`).join(', ')}`,
      ].join('\n'),
    );
    if ([...single, ...cluster].some((r) => r.errors + r.timeouts + r.unexpected > 0)) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await c.down();
  }
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { duration: { type: 'string', default: '10' }, auto: { type: 'boolean', default: false } },
});
const cmd = positionals[0];
const pair = values.auto ? PAIRS.auto : PAIRS.manual;
if (cmd === 'up') await up(pair);
else if (cmd === 'load') await load(pair, Math.min(60, Math.max(1, Number(values.duration))));
else if (cmd === 'down') for (const p of Object.values(PAIRS)) execFileSync('bash', [p.script, 'drop'], { stdio: 'inherit' });
else if (cmd === 'test') {
  execFileSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', 'tests/scale/'], { cwd: ROOT, stdio: 'inherit' });
} else {
  console.error('usage: npm run cluster -- up|load|test|down [--auto] [--duration N]');
  process.exit(2);
}
