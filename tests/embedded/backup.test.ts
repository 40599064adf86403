/**
 * One process per embedded folder (the lock), backups and restore, the speaking recovery
 * of a folder that will not open, and interrupted imports marked failed at start.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { openPglite, DataFolderError } from '../../server/db/pglite';
import { acquireDataLock, lockFileOf, processStartTicks } from '../../server/db/lock';
import { backupDatabase, listBackups, restoreBackup, type BackupSettings } from '../../server/db/backup';
import { startServer } from '../../server/main';
import { appEnv, runScript, startApp, tempDataDir } from './harness';
import { createMigratedFolder } from '../support/migratedFolder';

function folderDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const rowsOf = async (db: { query: PGlite['query'] } | Awaited<ReturnType<typeof openPglite>>) =>
  (await db.query<{ id: number; v: string }>('SELECT id, v FROM t ORDER BY id')).rows.map((r) => `${r.id}:${r.v}`);

describe('the lock of an embedded folder', () => {
  it('refuses a second opener with a message naming the holder; replaces a stale lock', async () => {
    const dir = tempDataDir();
    const a = acquireDataLock(dir, 'app');
    expect(statSync(lockFileOf(dir)).mode & 0o777).toBe(0o600);
    expect(a.info.token).toMatch(/^[\w-]{40,}$/);
    a.update({ url: 'http://127.0.0.1:1234' });
    expect(() => acquireDataLock(dir, 'import')).toThrow(/in use by the atlas app \(npm start, pid \d+, http:\/\/127\.0\.0\.1:1234/);
    a.release();
    expect(existsSync(lockFileOf(dir))).toBe(false);

    // a lock left by a process that is gone (kill -9, a crash)
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    writeFileSync(
      lockFileOf(dir),
      JSON.stringify({ pid: Number(dead), procStart: null, startedAt: 'x', hostname: os.hostname(), role: 'app' }),
    );
    const b = acquireDataLock(dir, 'seed');
    b.release();
    // a live pid that belongs to another start (pid reused after a reboot)
    writeFileSync(
      lockFileOf(dir),
      JSON.stringify({
        pid: process.pid,
        procStart: (processStartTicks(process.pid) ?? 0) + 1,
        startedAt: 'x',
        hostname: os.hostname(),
        role: 'app',
      }),
    );
    acquireDataLock(dir, 'seed').release();
    // another host's lock is never taken over
    writeFileSync(lockFileOf(dir), JSON.stringify({ pid: 1, procStart: null, startedAt: 'x', hostname: 'elsewhere', role: 'app' }));
    expect(() => acquireDataLock(dir, 'seed')).toThrow(/on elsewhere.*delete /s);
  });

  it('root cause of case 1: two PGlite instances on one folder (no lock) lose the second one’s writes', async () => {
    const dir = tempDataDir();
    const app = await PGlite.create({ dataDir: dir });
    await app.exec("CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('app')");
    const cli = await PGlite.create({ dataDir: dir }); // what `npm run import` did while the app ran
    await cli.query("INSERT INTO t (v) SELECT 'import' FROM generate_series(1, 500)");
    expect((await cli.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(501);
    await cli.close(); // the import reports success
    await app.close(); // the app stops: its shutdown checkpoint writes its own, older state
    let after: number | string;
    try {
      const again = await PGlite.create({ dataDir: dir });
      after = (await again.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0].n;
      await again.close();
    } catch (e) {
      after = (e as Error).message; // or the folder no longer opens at all
    }
    console.log(`two processes on one folder: 501 rows acknowledged, after reopening: ${after}`);
    expect(after).not.toBe(501);
    // with the lock, the second opener is refused instead
    const locked = await openPglite(tempDataDir(), {});
    await expect(
      openPglite(path.resolve((locked.lock as { file: string }).file.replace(/\.lock$/, '')), { role: 'import' }),
    ).rejects.toThrow(/in use by the atlas app/);
    await locked.close();
  }, 300_000);
});

describe('backups and restore', () => {
  it('backs up, restores into a fresh folder, and finds the same rows; moves the old folder aside', async () => {
    const dir = tempDataDir();
    const settings: BackupSettings = { dir: path.join(path.dirname(dir), 'backups'), keep: 2, intervalHours: 0 };
    const db = await openPglite(dir, { role: 'test' });
    await db.exec("CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) SELECT 'row ' || g FROM generate_series(1, 1000) g");
    const want = await rowsOf(db);
    const b = (await backupDatabase(db, settings, 'manual'))!;
    console.log(`backup: ${(b.bytes / 1e6).toFixed(2)} MB in ${(b.ms / 1000).toFixed(2)} s`);
    expect(statSync(b.file).mode & 0o777).toBe(0o600);
    await db.exec("INSERT INTO t (v) VALUES ('after the first backup')");
    const want2 = await rowsOf(db);
    await backupDatabase(db, settings, 'manual');
    const b3 = (await backupDatabase(db, settings, 'manual'))!;
    await db.exec("INSERT INTO t (v) VALUES ('after the last backup')");
    expect(listBackups(settings.dir).map((x) => x.file)).toEqual([b3.file, expect.any(String)]); // BACKUP_KEEP = 2, newest first
    expect(existsSync(b.file)).toBe(false);
    expect(want2.length).toBe(want.length + 1);
    await db.close();

    const { movedTo } = await restoreBackup(b3.file, dir);
    expect(movedTo).toMatch(/pglite\.broken-/);
    expect(existsSync(path.join(movedTo!, 'PG_VERSION'))).toBe(true);
    const again = await openPglite(dir, { role: 'test' });
    expect(await rowsOf(again)).toEqual(want2);
    await again.close();
  }, 300_000);

  it('a folder that will not open: a clear message, untouched, and `npm run restore` brings it back', async () => {
    const dir = tempDataDir();
    const backupDir = path.join(path.dirname(dir), 'backups');
    const db = await openPglite(dir, { role: 'test' });
    await db.exec("CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) SELECT 'row ' || g FROM generate_series(1, 300) g");
    const want = await rowsOf(db);
    await backupDatabase(db, { dir: backupDir, keep: 3, intervalHours: 0 }, 'pre-import');
    await db.close();
    truncateSync(path.join(dir, 'global', 'pg_control'), 0); // a garbled control file: PGlite aborts
    const before = folderDigest(dir);

    const err = await openPglite(dir, { backupDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataFolderError);
    const msg = (err as Error).message;
    expect(msg).toContain(dir);
    expect(msg).toMatch(/could not be opened/);
    expect(msg).toContain(`npm run restore -- ${listBackups(backupDir)[0].file}`);
    expect(folderDigest(dir)).toBe(before);
    expect(existsSync(lockFileOf(dir))).toBe(false);

    // what `npm start` prints: the sentence, no WASM trace
    await expect(startApp(dir)).rejects.toThrow(
      /Cannot start: The embedded database folder .* could not be opened[\s\S]*npm run restore -- /,
    );
    expect(folderDigest(dir)).toBe(before);

    const r = await runScript('restore', ['--latest'], appEnv(dir));
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/moved aside, not deleted: .*pglite\.broken-/);
    const again = await openPglite(dir, { role: 'test' });
    expect(await rowsOf(again)).toEqual(want);
    await again.close();
  }, 600_000);
});

describe('start-up housekeeping', () => {
  it('marks imports left running by a killed process as failed, with when and why', async () => {
    const dir = tempDataDir();
    await createMigratedFolder(dir);
    const running = await startServer({
      config: { PGLITE_DIR: dir, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'silent', BACKUP_INTERVAL_HOURS: 0 },
    });
    await running.db.query(`INSERT INTO import_runs (kind, source, file_name) VALUES ('osm', 'osm', 'killed.osm.pbf')`);
    await running.close();
    await running.close(); // idempotent
    expect(existsSync(lockFileOf(dir))).toBe(false);
    const again = await startServer({
      config: { PGLITE_DIR: dir, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'silent', BACKUP_INTERVAL_HOURS: 0 },
    });
    try {
      const r = await again.db.query<{
        status: string;
        finished_at: string | null;
        summary: { message: string; interruptedFoundAt: string };
      }>(`SELECT status, finished_at, summary FROM import_runs WHERE file_name = 'killed.osm.pbf'`);
      expect(r.rows[0].status).toBe('failed');
      expect(r.rows[0].finished_at).not.toBeNull();
      expect(r.rows[0].summary.message).toMatch(/interrupted/);
      expect(r.rows[0].summary.interruptedFoundAt).toBeTruthy();
    } finally {
      await again.close();
    }
  }, 300_000);
});
