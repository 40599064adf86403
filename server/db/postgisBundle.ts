/**
 * PostGIS for PGlite, with only what the atlas uses.
 *
 * `@electric-sql/pglite-postgis` 0.2.8 ships one bundle (postgis.tar.gz, 20 MB, 95 MB
 * unpacked) that every PGlite open unpacks into its in-memory file system and whose three
 * WebAssembly libraries it compiles: postgis-3.so (17 MB), postgis_raster-3.so (16 MB) and
 * postgis_topology-3.so (15 MB), with the SQL of raster, topology and the TIGER geocoder.
 * The atlas creates the `postgis` extension only (server/db/migrate.ts). Measured on this
 * 2-core machine (load ~5): an open of an existing folder took 5.4 s and left the process at
 * 894–984 MB; with the bundle cut to what `CREATE EXTENSION postgis` and `ST_Transform` read,
 * 2.8–3.1 s and 583 MB. The same postgis-3.so runs; answers do not change.
 *
 * The cut bundle keeps: lib/postgresql/postgis-3.so; share/postgresql/extension/postgis.control
 * and postgis--*.sql (the install script and the small version-to-version upgrade scripts, not
 * the 8 MB --ANY-- and --unpackaged-- scripts); share/proj (proj.db for ST_Transform). It is made
 * once from the package's own bundle (a streamed filter, ~1–2 s) and kept beside it in
 * node_modules/.cache (or the temp folder if that is not writable), under a name that carries the
 * package version and the source's size, so an upgrade makes a new one. If it cannot be
 * written anywhere, PGlite gets the package's whole bundle.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import tar from 'tar-stream';

const KEEP = [
  /^lib\/postgresql\/postgis-3\.so$/,
  /^share\/postgresql\/extension\/postgis\.control$/,
  /^share\/postgresql\/extension\/postgis--(?!.*(?:ANY|unpackaged)).*\.sql$/,
  /^share\/proj\//,
];

/** Whether a path of the package's bundle is kept in the cut one. */
export function keptInBundle(name: string): boolean {
  return KEEP.some((re) => re.test(name));
}

function sourceBundle(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('@electric-sql/pglite-postgis'));
  const file = path.join(dist, 'postgis.tar.gz');
  // the version from the package folder's own package.json (its exports do not expose it)
  const pkg = path.resolve(dist, '..', 'package.json');
  const version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  return { file, version };
}

function cacheDirs(source: string): string[] {
  const root = path.resolve(path.dirname(source), '..', '..', '..');
  return [path.join(root, '.cache', 'atlas-postgis'), path.join(os.tmpdir(), 'atlas-postgis')];
}

async function writeCut(source: string, target: string): Promise<void> {
  const partial = `${target}.${process.pid}.${Date.now()}.partial`;
  const extract = tar.extract();
  const pack = tar.pack();
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    if (header.type === 'file' && keptInBundle(name)) {
      stream.pipe(pack.entry({ ...header, name }, next));
    } else {
      stream.on('end', next);
      stream.resume();
    }
  });
  extract.on('finish', () => pack.finalize());
  try {
    await Promise.all([
      pipeline(createReadStream(source), createGunzip(), extract),
      pipeline(pack, createGzip({ level: 6 }), createWriteStream(partial, { mode: 0o644 })),
    ]);
    renameSync(partial, target); // whole, then renamed: a parallel opener never reads half a file
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

let made: Promise<string> | null = null;

/** The path of the cut bundle, made now if no process has made it yet. */
export function postgisBundlePath(): Promise<string> {
  made ??= (async () => {
    const { file, version } = sourceBundle();
    const name = `postgis-${version}-${statSync(file).size}-cut.tar.gz`;
    let lastError: unknown;
    for (const dir of cacheDirs(file)) {
      const target = path.join(dir, name);
      if (existsSync(target)) return target;
      try {
        mkdirSync(dir, { recursive: true });
        await writeCut(file, target);
        return target;
      } catch (e) {
        lastError = e; // not writable: the next place
      }
    }
    throw new Error(`could not write the PostGIS bundle for PGlite: ${(lastError as Error)?.message}`);
  })().catch((e) => {
    made = null;
    throw e;
  });
  return made;
}

/**
 * The `postgis` extension for `PGlite.create({ extensions: { postgis: postgisExtension } })`:
 * the package's own setup (its environment: PROJ_DATA…), with the cut bundle.
 */
export const postgisExtension: Extension = {
  name: 'postgis',
  async setup(pg, emscriptenOpts) {
    const own = await postgis.setup(pg, emscriptenOpts);
    try {
      return { ...own, bundlePath: pathToFileURL(await postgisBundlePath()) };
    } catch {
      return own; // the cut bundle could not be written anywhere: the package's whole bundle, as before
    }
  },
};
