/**
 * Vitest globalSetup: one migrated PGlite database for the whole run. Creating PostgreSQL
 * in WebAssembly, enabling PostGIS and applying every migration costs ~25 s of CPU on a
 * 2-core machine; loading the dump of the result costs ~6 s (about what an empty PGlite
 * costs to create). So it is done once here, dumped (PGlite's `dumpDataDir`) to a file,
 * and its path provided to the test files (`inject('pgliteTemplate')`);
 * tests/support/loadTemplate.ts (a setupFile) makes every in-memory open in the worker
 * load it (server/db/pglite.ts, ATLAS_TEST_PGLITE_TEMPLATE).
 *
 * The file is kept in the temp folder under a key of everything it is made from (the
 * migration files, the PGlite and PostGIS package versions), so later runs on the same
 * machine reuse it; a changed migration makes a new one. Migrations from scratch stay
 * tested in server/db/migrate.test.ts (`fresh: true`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT } from '../../server/config';
import { openPglite } from '../../server/db/pglite';
import { ensurePostgis, listMigrations, migrate } from '../../server/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite dump (gzip tarball). */
    pgliteTemplate: string;
    /** This run's folder for the seeded dumps made by tests/support/seededTemplate.ts (removed at the end of the run). */
    pgliteSeededDir: string;
  }
}

function templateKey(): string {
  const h = createHash('sha256');
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-postgis'])
    h.update(`${pkg}@${JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version}\n`);
  for (const m of listMigrations()) h.update(`${m.version}\n${m.sql}\n`);
  return h.digest('hex').slice(0, 16);
}

export default async function setup(project: TestProject): Promise<() => void> {
  const file = path.join(os.tmpdir(), `atlas-pglite-template-${templateKey()}.tar.gz`);
  if (!existsSync(file)) {
    const db = await openPglite(undefined, { fresh: true });
    try {
      await ensurePostgis(db);
      await migrate(db);
      const dump = new Uint8Array(await (await db.dumpDataDir()).arrayBuffer());
      // written whole, then renamed: a parallel run never reads half a file
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, dump);
      renameSync(partial, file);
    } finally {
      await db.close();
    }
  }
  project.provide('pgliteTemplate', file);
  // seeded dumps (demo, demo + 渝中 OSM) are made at most once per run, by the first test file
  // that needs one (tests/support/seededTemplate.ts); a fresh folder per run, so they hold
  // this run's code and data
  const seededDir = mkdtempSync(path.join(os.tmpdir(), 'atlas-pglite-seeded-'));
  project.provide('pgliteSeededDir', seededDir);
  return () => rmSync(seededDir, { recursive: true, force: true });
}
