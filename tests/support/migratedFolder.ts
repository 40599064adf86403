/**
 * A new embedded data folder that starts as the run's migrated template (the dump made once
 * by tests/support/pgliteTemplate.ts), for tests whose subject is not the first migration of
 * a folder (the CLIs, say): their first open then finds nothing to migrate instead of
 * spending ~25 s creating PostGIS and applying every migration. Without the template (a
 * run that skipped the globalSetup) the folder is left empty and the first open migrates it.
 */
import { PGlite } from '@electric-sql/pglite';
import { postgisExtension as postgis } from '../../server/db/postgisBundle';
import { mkdirSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

export async function createMigratedFolder(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const file = inject('pgliteTemplate');
  if (!file) return;
  const pg = await PGlite.create({ dataDir, loadDataDir: new Blob([readFileSync(file)]), extensions: { postgis } });
  await pg.close();
}
