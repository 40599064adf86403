import { describe, expect, it } from 'vitest';
import { createScratchSchema, dropScratchSchema } from './scratch';
import { openPostgres } from './postgres';
import { openPglite } from './pglite';
import { ensurePostgis, listMigrations, migrate } from './migrate';

describe('migrations', () => {
  it('apply once, in order, and a second run applies nothing (PGlite)', async () => {
    const db = await openPglite(undefined, { fresh: true }); // not the tests' migrated template
    try {
      await ensurePostgis(db);
      const all = listMigrations().map((m) => m.version);
      expect(all).toEqual([...all].sort());
      expect(await migrate(db)).toEqual(all);
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 300_000); // a fresh PGlite with PostGIS and every migration: ~90 s on a loaded 2-core machine

  it.skipIf(!process.env.TEST_DATABASE_URL)('two instances migrating the same database at once do not race (PostgreSQL)', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const schema = await createScratchSchema(url, 't_mig');
    const a = await openPostgres(url, { schema });
    const b = await openPostgres(url, { schema });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      // One of them applied everything, the other found nothing to do.
      expect([ra.length, rb.length].sort()).toEqual([0, listMigrations().length]);
    } finally {
      await a.close();
      await b.close();
      await dropScratchSchema(url, schema);
    }
  });
});
