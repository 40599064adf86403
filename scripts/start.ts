/**
 * `npm start`: build the client when it is missing or older than its sources, then
 * start the server (API + client on one origin) and print the URL.
 * `npm start -- --skip-client-build` starts without checking the client (tests).
 *
 * Stopping: SIGINT (Ctrl-C) or SIGTERM — to the process or its whole group, once or
 * several times — runs the server's one close path (server/main.ts) to its end, then
 * exits. A second signal while closing says so and waits; it never exits mid-write.
 * `npm start` runs this file with `node --import tsx` (package.json): the `tsx` command
 * would put a parent process in between that, when this process is busy for more than
 * ~60 ms at the moment of a group signal, SIGKILLs it (issue 16, case 2).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from '../server/config';
import { startServer } from '../server/main';
import { StartupError } from '../server/errors';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function clientIsStale(): boolean {
  const built = path.join(PROJECT_ROOT, 'dist', 'client', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    newestMtime(path.join(PROJECT_ROOT, 'client')),
    newestMtime(path.join(PROJECT_ROOT, 'core')),
    statSync(path.join(PROJECT_ROOT, 'vite.config.ts')).mtimeMs,
    statSync(path.join(PROJECT_ROOT, 'package-lock.json')).mtimeMs,
  );
  return statSync(built).mtimeMs < sources;
}

async function main() {
  if (!process.argv.includes('--skip-client-build') && clientIsStale()) {
    console.log('Building the client (vite build)…');
    const r = spawnSync(
      process.execPath,
      [path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: PROJECT_ROOT,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new StartupError('the client build failed (see above)');
  }
  const running = await startServer();
  const { openMs, seedMs, totalMs, seeded } = running.timings;
  console.log(
    `Child-Friendly City Atlas on ${running.url}  (database: ${running.db.kind}; ` +
      `open+migrate ${(openMs / 1000).toFixed(1)} s${seeded ? `, demo seed ${(seedMs / 1000).toFixed(1)} s` : ''}; ready in ${(totalMs / 1000).toFixed(1)} s)`,
  );
  const shutdown = (signal: string) => {
    if (running.closing) {
      console.log(`${signal}: still closing (finishing requests, then closing the database) — please wait.`);
      return;
    }
    console.log(`${signal}: closing — no new requests, finishing those under way, then closing the database…`);
    const t0 = performance.now();
    running.close().then(
      () => {
        console.log(`Closed cleanly in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
        process.exit(0);
      },
      (e: unknown) => {
        console.error(`Close failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
}

main().catch((e) => {
  if (e instanceof StartupError || (e instanceof Error && e.message.startsWith('invalid configuration'))) {
    console.error(`Cannot start: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
