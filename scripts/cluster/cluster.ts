/**
 * `npm run cluster` — on one machine, from Debian packages, as root (issue 15):
 *
 *   npm run cluster -- up     a primary (5434) with a synchronous hot standby (5435)
 *                             (scripts/cluster/pair.sh), HAProxy in TCP mode in front of them
 *                             (connections go to whichever is the primary), two app servers on
 *                             it with the demo data, and HAProxy in HTTP mode in front of those;
 *                             prints the URL and stays in the foreground — Ctrl-C tears it all down
 *   npm run cluster -- test   the cluster tests (tests/scale/*.test.ts: read replicas, balancer,
 *                             failover), printing the failover time and the write counts
 *   npm run cluster -- down   removes the database pair (after a crash of `up`)
 *
 * docs/scaling.md shows the topology and the figures.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBalancer, type Balancer } from './balancer';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const PAIR = path.join(HERE, 'pair.sh');

/** One app server as `npm start` runs it, on `port`, with `databaseUrl`; resolves once it listens. */
function startApp(port: number, databaseUrl: string, seed: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: seed ? 'auto' : 'never',
      SEED_OSM: seed ? 'auto' : 'never',
    },
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

async function up(): Promise<void> {
  execFileSync('bash', [PAIR, 'up'], { stdio: 'inherit' });
  const pgLb = await startBalancer({ primary: 5434, standby: 5435 }, { postgres: true });
  console.log(`cluster: PostgreSQL through HAProxy at ${pgLb.url}`);
  const apps: ChildProcess[] = [];
  let web: Balancer | undefined;
  const down = async () => {
    await web?.stop();
    for (const a of apps) if (a.exitCode === null) a.kill('SIGTERM');
    await pgLb.stop();
    execFileSync('bash', [PAIR, 'drop'], { stdio: 'inherit' });
  };
  try {
    // the first server migrates and seeds; the second starts on the ready database
    apps.push(await startApp(8081, pgLb.url, true));
    apps.push(await startApp(8082, pgLb.url, false));
    web = await startBalancer({ a1: 8081, a2: 8082 });
    console.log(`cluster: up — open ${web.url} (HAProxy → app servers 8081, 8082 → HAProxy → PostgreSQL 5434/5435)`);
    console.log('cluster: failover by hand: pg_ctlcluster 15 fo_p stop -m immediate && bash scripts/cluster/pair.sh promote');
    console.log('cluster: Ctrl-C tears it all down');
  } catch (e) {
    await down();
    throw e;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await down();
}

const cmd = process.argv[2];
if (cmd === 'up') await up();
else if (cmd === 'down') execFileSync('bash', [PAIR, 'drop'], { stdio: 'inherit' });
else if (cmd === 'test') {
  execFileSync(path.join(ROOT, 'node_modules/.bin/vitest'), ['run', 'tests/scale/'], { cwd: ROOT, stdio: 'inherit' });
} else {
  console.error('usage: npm run cluster -- up|test|down');
  process.exit(2);
}
