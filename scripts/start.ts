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
 *
 * Warm start (issue 13): opening the embedded folder (PGlite + PostGIS, in its own thread) is
 * most of a start, so it begins first — the folder's lock is taken at once, and a second
 * `npm start` is refused before anything else — and the app's modules (server/main.ts and
 * everything it imports) load on this thread meanwhile; startServer then uses that open.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, PROJECT_ROOT } from '../server/config';
import { backupSettings } from '../server/db/backup';
import { openPglite, type PgliteDb } from '../server/db/pglite';
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

/** The embedded folder's open, begun before the app's modules load (absent with DATABASE_URL). */
let pgliteOpening: Promise<PgliteDb> | undefined;

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) {
    pgliteOpening = openPglite(config.PGLITE_DIR, { role: 'app', backupDir: backupSettings(config).dir });
    // the lock is taken in that call: a folder another process holds is refused now (the promise has
    // already failed), before a client build or the app's modules; a failure to open is reported
    // where startServer awaits it
    const refused = await Promise.race([
      pgliteOpening.then(
        () => undefined,
        (e: unknown) => e ?? new Error('the embedded database did not open'),
      ),
      new Promise<undefined>((r) => setImmediate(() => r(undefined))),
    ]);
    if (refused) throw refused;
  }
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
  const { startServer } = await import('../server/main');
  const running = await startServer({ pgliteOpening });
  const { openMs, seedMs, seeded } = running.timings;
  // performance.now(): since this process started (module loading included)
  console.log(
    `Child-Friendly City Atlas on ${running.url}  (database: ${running.db.kind}; ` +
      `open+migrate ${(openMs / 1000).toFixed(1)} s${seeded ? `, demo seed ${(seedMs / 1000).toFixed(1)} s` : ''}; ready in ${(performance.now() / 1000).toFixed(1)} s)`,
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

main().catch(async (e) => {
  // a start that failed before startServer took the open: close it, so the folder's lock goes
  await pgliteOpening?.then((db) => db.close()).catch(() => undefined);
  if (e instanceof StartupError || (e instanceof Error && e.message.startsWith('invalid configuration'))) {
    console.error(`Cannot start: ${e.message}`);
  } else {
    console.error(e);
  }
  process.exit(1);
});
