/**
 * PostGIS for the embedded database without what the atlas never loads (issue 13).
 *
 * `@electric-sql/pglite-postgis` 0.2.8 hands PGlite one bundle (dist/postgis.tar.gz, 20 MB;
 * 91 MB unpacked) that PGlite unpacks into its in-memory file system at every open, and whose
 * every `.so` it compiles ahead (PGlite 0.5.8 dist/index.js: each `.so` of an extension bundle
 * goes through `FS.createPreloadedFile`): `postgis-3.so` and also `postgis_raster-3.so` and
 * `postgis_topology-3.so` (16 MB of WebAssembly each), with the raster, topology and TIGER
 * geocoder scripts. The atlas uses the `postgis` extension only (no migration creates another).
 * Measured on this machine, a bare open of a seeded folder: 883 MB RSS and 10.4 s with the
 * whole bundle, 587 MB and 8.4 s with this one.
 *
 * So the bundle PGlite gets is the same tarball with only `postgis-3.so`, the `postgis`
 * extension's control file and scripts (install and upgrades) and PROJ's data (`share/proj`,
 * for ST_Transform): its entries are copied byte for byte, nothing is rebuilt. It is written
 * once per package version to `node_modules/.cache/atlas-postgis/` (or the temp folder when
 * that cannot be written), atomically (a rename), so concurrent opens never read half a file.
 * If it cannot be made, PGlite gets the package's whole bundle, as before.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';

/** Whether a bundle entry (its path inside the tarball) is kept. */
export function keepPostgisEntry(name: string): boolean {
  if (name === 'lib/postgresql/postgis-3.so') return true;
  if (name === 'share/proj' || name.startsWith('share/proj/')) return true;
  const ext = 'share/postgresql/extension/';
  if (!name.startsWith(ext)) return false;
  const file = name.slice(ext.length);
  // the `postgis` extension's control file, install script and upgrade paths; not the
  // `unpackaged` scripts (PostGIS 2.x installs that predate extensions) nor raster/topology/tiger
  return file === 'postgis.control' || (file.startsWith('postgis--') && !file.includes('unpackaged'));
}

const BLOCK = 512;

function field(h: Uint8Array, offset: number, length: number): string {
  const end = h.indexOf(0, offset);
  return Buffer.from(h.subarray(offset, end >= 0 && end < offset + length ? end : offset + length)).toString('utf8');
}

/**
 * The entries of a tar archive (ustar or GNU) that `keep` accepts, with their headers, byte for
 * byte, then the end-of-archive blocks. A GNU long name (`L`) or a pax header (`x`) goes with the
 * entry it describes.
 */
export function filterTar(tar: Uint8Array, keep: (name: string) => boolean): Uint8Array {
  const out: Uint8Array[] = [];
  let pending: Uint8Array[] = [];
  let longName: string | null = null;
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = Number.parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 0x30);
    const end = off + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const entry = tar.subarray(off, end);
    off = end;
    if (type === 'L' || type === 'x') {
      const data = Buffer.from(entry.subarray(BLOCK, BLOCK + size)).toString('utf8');
      if (type === 'L') longName = data.replace(/\0+$/, '');
      else longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data)?.[1] ?? longName;
      pending.push(entry);
      continue;
    }
    // POSIX ustar keeps a path prefix at 345; GNU tar ("ustar  ") uses those bytes otherwise
    const posix = field(h, 257, 6) === 'ustar';
    const prefix = posix ? field(h, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    if (keep(name.replace(/\/$/, ''))) out.push(...pending, entry);
    pending = [];
    longName = null;
  }
  out.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(out);
}

/** The package's own bundle (dist/postgis.tar.gz beside its entry) and version. */
function packageBundle(): { file: string; version: string } {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis');
  const dist = path.dirname(entry);
  const { version } = JSON.parse(readFileSync(path.join(dist, '..', 'package.json'), 'utf8')) as { version: string };
  return { file: path.join(dist, 'postgis.tar.gz'), version };
}

/** Path of the trimmed bundle, made now if missing. */
export function slimPostgisBundle(): string {
  const source = packageBundle();
  const name = `postgis-${source.version}-${statSync(source.file).size}.tar.gz`;
  const root = path.resolve(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')), '..', '..', '..');
  const dirs = [path.join(root, '.cache', 'atlas-postgis'), path.join(os.tmpdir(), 'atlas-postgis')];
  for (const dir of dirs) if (existsSync(path.join(dir, name))) return path.join(dir, name);
  // level 1: written once, read (gunzipped) at every open, where the level barely matters
  const bytes = gzipSync(filterTar(gunzipSync(readFileSync(source.file)), keepPostgisEntry), { level: 1 });
  let lastError: unknown;
  for (const dir of dirs) {
    try {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name);
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, file);
      return file;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/**
 * The `postgis` extension for PGlite.create with the trimmed bundle; the package's own
 * extension (the whole bundle) when the trimmed one cannot be made.
 */
export function postgisExtension(): Extension {
  let bundle: string;
  try {
    bundle = slimPostgisBundle();
  } catch {
    return postgis;
  }
  return {
    name: postgis.name,
    setup: async (pg, emscriptenOpts) => ({
      ...(await postgis.setup(pg, emscriptenOpts)),
      bundlePath: pathToFileURL(bundle),
    }),
  };
}
