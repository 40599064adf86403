/**
 * Backups of the embedded database (PGlite). A backup is PGlite's own `dumpDataDir()`
 * tarball (gzip) of the data folder, taken after a `CHECKPOINT` from inside the process
 * that owns the folder, between two statements — so it is consistent, and restoring it
 * is opening that tarball into an empty folder.
 *
 * When: before every migration of an existing folder, before every import (CLI, hand-off
 * or admin upload) and every BACKUP_INTERVAL_HOURS while the app runs; `npm run backup`
 * on demand. Only the newest BACKUP_KEEP files are kept. Files:
 * `BACKUP_DIR/pglite-<UTC time>-<reason>.tar.gz`, mode 0600.
 *
 * PostgreSQL (DATABASE_URL) is not backed up by the atlas: use the server's own tools
 * (`pg_dump`, base backups); see README "Backups".
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';

export interface BackupSettings {
  /** Folder of the tarballs. */
  dir: string;
  /** How many to keep (the newest). */
  keep: number;
  /** Hours between scheduled backups while the app runs; 0 = none. */
  intervalHours: number;
}

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

/** Something that can dump its data folder: the embedded Db (server/db/pglite.ts). */
export interface Dumpable {
  dumpDataDir?: () => Promise<Blob>;
}

/** Backup settings from the configuration; BACKUP_DIR defaults to `backups` beside PGLITE_DIR. */
export function backupSettings(
  config: Pick<Config, 'PGLITE_DIR' | 'BACKUP_DIR' | 'BACKUP_KEEP' | 'BACKUP_INTERVAL_HOURS'>,
): BackupSettings {
  return {
    dir: path.resolve(config.BACKUP_DIR ?? path.join(path.dirname(path.resolve(config.PGLITE_DIR)), 'backups')),
    keep: config.BACKUP_KEEP,
    intervalHours: config.BACKUP_INTERVAL_HOURS,
  };
}

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace('.', ''); // 20261205T083205123Z: sorts by time

/** The backups in `dir`, newest first. */
export function listBackups(dir: string): { file: string; bytes: number; mtimeMs: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^pglite-.*\.tar\.gz$/.test(f))
    .map((f) => {
      const st = statSync(path.join(dir, f));
      return { file: path.join(dir, f), bytes: st.size, mtimeMs: st.mtimeMs };
    })
    .sort((a, b) => b.file.localeCompare(a.file));
}

/** Removes all but the newest `keep` backups. */
export function pruneBackups(dir: string, keep: number): string[] {
  const removed: string[] = [];
  for (const b of listBackups(dir).slice(Math.max(1, keep))) {
    rmSync(b.file, { force: true });
    removed.push(b.file);
  }
  return removed;
}

/**
 * Writes a backup of `db` (embedded only; returns null for PostgreSQL) and prunes old ones.
 * @param reason a short word in the file name: `pre-migration`, `pre-import`, `scheduled`, `manual`
 */
export async function backupDatabase(db: Dumpable, settings: BackupSettings, reason: string): Promise<BackupResult | null> {
  if (!db.dumpDataDir) return null;
  const t0 = performance.now();
  const blob = await db.dumpDataDir();
  const bytes = Buffer.from(await blob.arrayBuffer());
  mkdirSync(settings.dir, { recursive: true });
  let file = path.join(settings.dir, `pglite-${stamp()}-${reason.replace(/[^\w-]/g, '_')}.tar.gz`);
  for (let i = 1; existsSync(file); i++) file = file.replace(/(-\d+)?\.tar\.gz$/, `-${i}.tar.gz`);
  const tmp = `${file}.partial`;
  writeFileSync(tmp, bytes, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file); // a backup file is whole or absent
  pruneBackups(settings.dir, settings.keep);
  return { file, bytes: bytes.length, ms: performance.now() - t0 };
}

/** Where a folder being replaced by a restore is moved: `<folder>.broken-<time>`. */
export function asideName(dataDir: string): string {
  return `${path.resolve(dataDir)}.broken-${stamp()}`;
}

/**
 * Moves `dataDir` aside (never deletes it) and unpacks `file` into a fresh folder there.
 * The caller holds the folder's lock. Returns where the old folder went (null if none).
 */
export async function restoreBackup(file: string, dataDir: string): Promise<{ movedTo: string | null }> {
  const data = readFileSync(file);
  let movedTo: string | null = null;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    movedTo = asideName(dataDir);
    renameSync(dataDir, movedTo);
  }
  mkdirSync(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgisExtension } = await import('./postgisBundle');
  const pg = await PGlite.create({ dataDir, loadDataDir: new Blob([data]), extensions: { postgis: postgisExtension() } });
  try {
    await pg.query('SELECT 1');
  } finally {
    await pg.close();
  }
  return { movedTo };
}
