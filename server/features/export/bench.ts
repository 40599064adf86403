/**
 * Export benchmark: every format of the ~8,000 demo facilities (and the 38 district
 * polygons), with file size, time, and the ratio to the baseline measured in the same
 * run — reading the same rows from the database without writing anything.
 *
 *   npx tsx server/features/export/bench.ts            # in-memory PGlite, demo seeded
 *   DATABASE_URL=postgres://… npx tsx server/features/export/bench.ts   # a seeded server
 */
import { openDatabase } from '../../db/open';
import { seedDemoIfEmpty } from '../../seed/demo';
import { EXPORT_LAYERS } from './layers';
import { prepareExport } from './service';
import { FORMAT_IDS } from './job';

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

async function main(): Promise<void> {
  const { db } = await openDatabase({ databaseUrl: process.env.DATABASE_URL });
  try {
    await seedDemoIfEmpty(db, { info: () => {} });
    for (const layerId of ['facilities', 'districts']) {
      const layer = EXPORT_LAYERS.get(layerId)!;
      const params = layer.params.parse({});
      // warm up, then the baseline: the rows alone
      for await (const _ of layer.rows(db, params));
      const [count, baseMs] = await time(async () => {
        let n = 0;
        for await (const _ of layer.rows(db, params)) n++;
        return n;
      });
      console.log(`\n${layerId}: ${count} features; reading the rows alone: ${baseMs.toFixed(0)} ms (${db.kind})`);
      console.log('format    crs          size KiB    ms   × rows   peak RSS MiB');
      for (const format of FORMAT_IDS) {
        for (const crs of format === 'kml' ? ['wgs84'] : ['wgs84', 'webmercator']) {
          const query: Record<string, string> = { format, crs };
          if (format === 'xlsx' && layer.geometryType !== 'Point') query.geom = 'wkt';
          global.gc?.();
          const rss0 = process.memoryUsage().rss;
          let peak = rss0;
          const [bytes, ms] = await time(async () => {
            const out = await prepareExport(db, EXPORT_LAYERS, layerId, query, { appVersion: 'bench' });
            let n = 0;
            for await (const c of out.body) {
              n += c.length;
              peak = Math.max(peak, process.memoryUsage().rss);
            }
            return n;
          });
          console.log(
            `${format.padEnd(9)} ${crs.padEnd(12)} ${(bytes / 1024).toFixed(0).padStart(8)} ${ms.toFixed(0).padStart(5)} ${(ms / baseMs).toFixed(1).padStart(8)} ${((peak - rss0) / 2 ** 20).toFixed(0).padStart(10)}`,
          );
        }
      }
    }
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
