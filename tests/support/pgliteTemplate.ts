/**
 * Vitest globalSetup: one migrated PGlite database for the whole run. Creating PostgreSQL
 * in WebAssembly, enabling PostGIS and applying every migration costs ~25 s of CPU on a
 * 2-core machine; loading the dump of the result costs ~6 s. So it is done once here,
 * dumped (PGlite's `dumpDataDir`) to a temp file, and its path provided to the test files
 * (`inject('pgliteTemplate')`); tests/support/loadTemplate.ts (a setupFile) makes every
 * in-memory open in the worker load it (server/db/pglite.ts setInMemoryTemplate).
 * Migrations from scratch stay tested in server/db/migrate.test.ts (`fresh: true`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../server/db/pglite';
import { ensurePostgis, migrate } from '../../server/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated PGlite dump (gzip tarball). */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'atlas-pglite-template-'));
  const file = path.join(dir, 'migrated.tar.gz');
  const db = await openPglite(undefined, { fresh: true });
  try {
    await ensurePostgis(db);
    await migrate(db);
    writeFileSync(file, new Uint8Array(await (await db.dumpDataDir()).arrayBuffer()));
  } finally {
    await db.close();
  }
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
