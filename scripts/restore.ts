/**
 * `npm run restore -- FILE` (or `-- --latest`): replace the embedded database folder
 * (PGLITE_DIR) with a backup made by the app or `npm run backup`. Refused while the app
 * runs. The current folder is moved aside to `<folder>.broken-<time>`, never deleted.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config';
import { acquireDataLock } from '../server/db/lock';
import { backupSettings, listBackups, restoreBackup } from '../server/db/backup';
import { openPglite } from '../server/db/pglite';
import { StartupError } from '../server/errors';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL)
    throw new StartupError(
      'DATABASE_URL is set: restore PostgreSQL with its own tools (pg_restore); this restores the embedded folder only.',
    );
  const settings = backupSettings(config);
  const arg = process.argv.slice(2).find((a) => a !== '--');
  if (!arg) {
    const list = listBackups(settings.dir);
    throw new StartupError(
      `give the backup to restore: npm run restore -- FILE (or --latest).\n` +
        (list.length
          ? `Backups in ${settings.dir}, newest first:\n${list
              .slice(0, 10)
              .map((b) => `  ${b.file}  (${(b.bytes / 1e6).toFixed(1)} MB)`)
              .join('\n')}`
          : `No backups in ${settings.dir}.`),
    );
  }
  const file = arg === '--latest' ? listBackups(settings.dir)[0]?.file : path.resolve(arg);
  if (!file || !existsSync(file)) throw new StartupError(arg === '--latest' ? `no backups in ${settings.dir}` : `no such file: ${file}`);
  const dir = path.resolve(config.PGLITE_DIR);
  const lock = acquireDataLock(dir, 'restore'); // refuses while the app or another command owns the folder
  const t0 = performance.now();
  let movedTo: string | null;
  try {
    ({ movedTo } = await restoreBackup(file, dir));
  } finally {
    lock.release();
  }
  // prove it opens, with its tables
  const db = await openPglite(dir, { role: 'restore' });
  try {
    const n = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'");
    console.log(
      `Restored ${path.basename(file)} into ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s (${n.rows[0].n} tables; it opens).`,
    );
  } finally {
    await db.close();
  }
  if (movedTo) console.log(`The previous folder was moved aside, not deleted: ${movedTo}`);
  console.log('Start the app again with: npm start');
}

main().catch((e: unknown) => {
  console.error(`restore: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
