import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { filterTar, keepPostgisEntry, slimPostgisBundle } from './postgisBundle';

/** Name and bytes (header and data) of every entry of a plain ustar/GNU tar without long names. */
function entries(tar: Uint8Array): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off + 512 <= tar.length && tar[off] !== 0) {
    const h = Buffer.from(tar.subarray(off, off + 512));
    const size = Number.parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
    const end = off + 512 + Math.ceil(size / 512) * 512;
    out.set(h.toString('utf8', 0, 100).replace(/\0.*$/, ''), Buffer.from(tar.subarray(off, end)));
    off = end;
  }
  return out;
}

const packageBundle = () =>
  gunzipSync(
    readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz')),
  );

describe('the trimmed PostGIS bundle', () => {
  it('keeps postgis and its scripts and PROJ data; drops raster, topology, TIGER and the unpackaged scripts', () => {
    for (const kept of [
      'lib/postgresql/postgis-3.so',
      'share/proj',
      'share/proj/proj.db',
      'share/postgresql/extension/postgis.control',
      'share/postgresql/extension/postgis--3.6.2.sql',
      'share/postgresql/extension/postgis--3.5.0--ANY.sql',
    ])
      expect(keepPostgisEntry(kept), kept).toBe(true);
    for (const dropped of [
      'lib/postgresql/postgis_raster-3.so',
      'lib/postgresql/postgis_topology-3.so',
      'share/postgresql/extension/postgis_raster.control',
      'share/postgresql/extension/postgis_topology--3.6.2.sql',
      'share/postgresql/extension/postgis_tiger_geocoder--3.6.2.sql',
      'share/postgresql/extension/postgis--unpackaged--3.6.2.sql',
      'share/postgresql/contrib/postgis-3.6/spatial_ref_sys.sql',
    ])
      expect(keepPostgisEntry(dropped), dropped).toBe(false);
  });

  it("is the package's tarball with the kept entries only, each byte for byte", () => {
    const full = entries(packageBundle());
    const slim = entries(gunzipSync(readFileSync(slimPostgisBundle())));
    expect([...slim.keys()].sort()).toEqual([...full.keys()].filter(keepPostgisEntry).sort());
    expect(slim.has('lib/postgresql/postgis-3.so')).toBe(true);
    for (const [name, bytes] of slim) expect(bytes.equals(full.get(name)!), name).toBe(true);
  });

  it('filterTar ends the archive with two zero blocks, and keeps nothing when asked to', () => {
    const none = filterTar(packageBundle(), () => false);
    expect(none.length).toBe(1024);
    expect(none.every((b) => b === 0)).toBe(true);
  });
});
