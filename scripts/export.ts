/**
 * `npm run export -- --layer facilities --category kindergarten --format gpkg --crs cgcs2000 --out file`
 *
 * Exports a layer from the configured database (DATABASE_URL, else the PGlite folder
 * PGLITE_DIR) to a file, through the same code as `GET /api/export/:layer`: every flag
 * other than --layer and --out is a query parameter of that route (--format, --crs,
 * --bundle, --geom and the layer's own, e.g. --district 500103). `--list` prints the
 * layers and their parameters. A thin face over server/features/export/service.ts.
 *
 * --out may be a file or an existing folder (the generated name goes inside it); without
 * it the file lands in the current folder. The file is written under a temporary name and
 * renamed when complete, so a failed export leaves no half file behind.
 *
 * The embedded PGlite database is a folder that one process may open at a time: stop
 * `npm start` first, or point DATABASE_URL at a PostgreSQL server.
 */
import { createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig, redactUrl } from '../server/config';
import { openDatabase } from '../server/db/open';
import { AppError } from '../server/errors';
import { APP_VERSION } from '../server/main';
import { EXPORT_LAYERS } from '../server/features/export/layers';
import { prepareExport } from '../server/features/export/service';
import { EXPORT_FORMATS } from '../server/features/export/formats';
import { EXPORT_CRS_IDS } from '../core/export/crs';

const USAGE = `usage: npm run export -- --layer <id> [--format geojson|gpkg|shp|kml|fgb|csv|xlsx] [--crs ${EXPORT_CRS_IDS.join('|')}]
                          [--bundle zip] [--geom auto|wkt|none] [--<layer parameter> <value>…] [--out <file or folder>]
       npm run export -- --list`;

/** `--key value` and `--key=value` pairs; a flag without a value is 'true'. */
function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'\n${USAGE}`);
    const eq = a.indexOf('=');
    if (eq > 0) {
      out[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      out[a.slice(2)] = argv[++i];
    } else {
      out[a.slice(2)] = 'true';
    }
  }
  return out;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  const target = config.DATABASE_URL ? redactUrl(config.DATABASE_URL) : `PGlite at ${config.PGLITE_DIR}`;
  const { db } = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, role: 'export' });
  try {
    if (flags.list) {
      for (const l of EXPORT_LAYERS.all()) {
        const ok = !l.available || (await l.available(db));
        console.log(`${l.id.padEnd(12)} ${l.name.zh} / ${l.name.en}${ok ? '' : ' (not available in this database)'}`);
        console.log(`${''.padEnd(12)} parameters: ${Object.keys(l.params.shape).join(', ') || '(none)'}`);
      }
      console.log(`formats: ${Object.keys(EXPORT_FORMATS).join(', ')}; crs: ${EXPORT_CRS_IDS.join(', ')}`);
      return;
    }
    const { layer, out, ...query } = flags;
    if (!layer) throw new Error(`--layer is required\n${USAGE}`);
    const t0 = performance.now();
    const exp = await prepareExport(db, EXPORT_LAYERS, layer, query, { appVersion: APP_VERSION });
    let file = path.resolve(out ?? exp.fileName);
    try {
      if (statSync(file).isDirectory()) file = path.join(file, exp.fileName);
    } catch {
      // not there yet: a file name
    }
    const partial = `${file}.partial`;
    try {
      await pipeline(Readable.from(exp.body, { objectMode: false }), createWriteStream(partial));
      await rename(partial, file);
    } catch (e) {
      await rm(partial, { force: true });
      throw e;
    }
    const bytes = statSync(file).size;
    console.log(
      `${file}: ${exp.metadata.feature_count} features, ${(bytes / 1024).toFixed(0)} KiB, ${exp.format.name}, ${exp.metadata.crs.id}` +
        ` (${(performance.now() - t0).toFixed(0)} ms, from ${target})`,
    );
    for (const n of exp.metadata.notes) console.log(`note: ${n.en}`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  if (e instanceof AppError) console.error(`export: ${e.message}`);
  else console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
