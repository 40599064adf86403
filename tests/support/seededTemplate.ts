/**
 * Seeded PGlite dumps, made at most once per run: the run's migrated template (see
 * pgliteTemplate.ts) with the demo dataset, or with the demo dataset and the real 渝中 OSM
 * data, seeded by the very functions `startServer` seeds an empty database with
 * (`seedDemoIfEmpty`, then `seedOsmIfAbsent`). A server that starts on one finds the seed
 * there and seeds nothing; every test file still gets its own in-memory database (a copy
 * loaded from the dump), so nothing one file writes is seen by another.
 *
 * Seeding costs far more than loading (in memory, on 2 cores: ~10 s for the demo dataset,
 * ~9 s more for the OSM import, against ~0 s extra to load a bigger dump), and the browser
 * suites each used to seed their own. The seed itself stays tested where it is the
 * subject (server/seed/demo.test.ts, tests/api/yuzhong.test.ts).
 *
 * The test files run in parallel workers: the first one to need a dump makes it under a
 * lock file in this run's folder (pgliteSeededDir), the others wait for it.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase } from '../../server/db/open';
import type { PgliteDb } from '../../server/db/pglite';
import { seedDemoIfEmpty } from '../../server/seed/demo';
import { seedOsmIfAbsent } from '../../server/seed/osm';
import { withFileLock } from './fileLock';

/** `demo`: the demo dataset (SEED_OSM=never); `demo-osm`: and the 渝中 OSM data (the default start). */
export type SeedKind = 'demo' | 'demo-osm';

const TEMPLATE_ENV = 'ATLAS_TEST_PGLITE_TEMPLATE';
const silent = { info: () => {} };

/**
 * The path of the seeded dump of `kind`, made now if no worker has made it yet in this run;
 * undefined when the run has no template (a run without the globalSetup), in which case the
 * server seeds at its start as it always does.
 */
export async function seededTemplate(kind: SeedKind): Promise<string | undefined> {
  const dir = inject('pgliteSeededDir');
  if (!dir || !inject('pgliteTemplate') || !process.env[TEMPLATE_ENV]) return undefined;
  const file = path.join(dir, `${kind}.tar.gz`);
  if (existsSync(file)) return file;
  await withFileLock(path.join(dir, `${kind}.lock`), async () => {
    if (existsSync(file)) return; // another worker made it while we waited
    const { db } = await openDatabase({}); // in memory, from the migrated template
    try {
      await seedDemoIfEmpty(db, silent);
      if (kind === 'demo-osm') await seedOsmIfAbsent(db, silent);
      const dump = new Uint8Array(await (await (db as PgliteDb).dumpDataDir()).arrayBuffer());
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, dump);
      renameSync(partial, file); // whole, then renamed: a waiting worker never reads half a file
    } finally {
      await db.close();
    }
  });
  return file;
}

/** Runs `fn` with in-memory PGlite databases opened from `file` (when given) instead of the migrated template. */
export async function withPgliteTemplate<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const before = process.env[TEMPLATE_ENV];
  process.env[TEMPLATE_ENV] = file;
  try {
    return await fn();
  } finally {
    process.env[TEMPLATE_ENV] = before;
  }
}
