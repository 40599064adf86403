/**
 * `npm run backup`: a consistent backup of the embedded database folder (PGLITE_DIR) into
 * BACKUP_DIR, keeping the newest BACKUP_KEEP. Refused while the app (or another command)
 * owns the folder: the running app backs itself up before every import and every
 * BACKUP_INTERVAL_HOURS. With DATABASE_URL, use `pg_dump` (README "Backups").
 */
import { loadConfig } from '../server/config';
import { openPglite } from '../server/db/pglite';
import { backupDatabase, backupSettings, listBackups } from '../server/db/backup';
import { StartupError } from '../server/errors';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL) {
    throw new StartupError(
      'DATABASE_URL is set: back PostgreSQL up with its own tools, e.g. `pg_dump -Fc -f atlas.dump "$DATABASE_URL"` (README "Backups").',
    );
  }
  const settings = backupSettings(config);
  const db = await openPglite(config.PGLITE_DIR, { role: 'backup', backupDir: settings.dir });
  try {
    const b = (await backupDatabase(db, settings, 'manual'))!;
    console.log(`Backup of ${config.PGLITE_DIR}: ${b.file} (${(b.bytes / 1e6).toFixed(1)} MB in ${(b.ms / 1000).toFixed(1)} s)`);
    console.log(`${listBackups(settings.dir).length} backup(s) in ${settings.dir} (keeping the newest ${settings.keep}).`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(`backup: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
