/**
 * `npm run seed`: open the configured database (DATABASE_URL, else the PGlite folder
 * PGLITE_DIR), bring its schema up to date, and load the demo dataset if it has no
 * districts yet, then the real 渝中 OpenStreetMap data once (unless SEED_OSM=never). Prints what it did. A thin face over server/seed/demo.ts.
 */
import { loadConfig, redactUrl } from '../server/config';
import { openDatabase } from '../server/db/open';
import { backupSettings } from '../server/db/backup';
import { seedDemoIfEmpty } from '../server/seed/demo';
import { seedOsmIfAbsent } from '../server/seed/osm';

async function main(): Promise<void> {
  const config = loadConfig();
  const target = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `PGlite at ${config.PGLITE_DIR}`;
  const t0 = performance.now();
  const { db, postgis, migrationsApplied } = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: config.PGLITE_DIR,
    role: 'seed',
    backup: config.DATABASE_URL ? undefined : backupSettings(config),
  });
  try {
    console.log(
      `database: ${target} (PostGIS ${postgis})${migrationsApplied.length ? `; migrations applied: ${migrationsApplied.join(', ')}` : ''}`,
    );
    let seededMsg = '';
    const seeded = await seedDemoIfEmpty(db, {
      info: (o, msg) => {
        seededMsg = `${msg ?? ''} ${JSON.stringify(o)}`;
      },
    });
    console.log(seeded ? seededMsg.trim() : 'districts already present: demo not seeded again');
    if (config.SEED_OSM === 'auto') {
      let osmMsg = '';
      const osm = await seedOsmIfAbsent(db, {
        info: (o, msg) => {
          osmMsg = `${msg ?? ''} ${JSON.stringify(o)}`;
        },
      });
      console.log(osm ? osmMsg.trim() : osmMsg.trim() || '渝中 OpenStreetMap data already present: nothing seeded');
    }
    const counts = await db.query<{ category: string; n: number }>(
      'SELECT category, count(*)::int AS n FROM facilities GROUP BY category ORDER BY category',
    );
    const d = await db.query<{ n: number; pop: number | null }>('SELECT count(*)::int AS n, sum(population)::int AS pop FROM districts');
    console.log(`districts: ${d.rows[0].n} (population ${(d.rows[0].pop ?? 0).toLocaleString('en')})`);
    let total = 0;
    for (const r of counts.rows) {
      console.log(`  ${r.category.padEnd(20)} ${r.n}`);
      total += r.n;
    }
    console.log(`facilities: ${total}; done in ${(performance.now() - t0).toFixed(0)} ms`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
