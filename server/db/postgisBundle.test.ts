import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { keptInBundle, postgisExtension } from './postgisBundle';

describe('the cut PostGIS bundle for PGlite', () => {
  it('keeps postgis and PROJ, leaves out raster, topology, the geocoder and the 8 MB upgrade scripts', () => {
    for (const kept of [
      'lib/postgresql/postgis-3.so',
      'share/postgresql/extension/postgis.control',
      'share/postgresql/extension/postgis--3.6.2.sql',
      'share/postgresql/extension/postgis--3.5.0--3.6.2.sql',
      'share/proj/proj.db',
    ])
      expect(keptInBundle(kept), kept).toBe(true);
    for (const left of [
      'lib/postgresql/postgis_raster-3.so',
      'lib/postgresql/postgis_topology-3.so',
      'share/postgresql/extension/postgis_raster--3.6.2.sql',
      'share/postgresql/extension/postgis_topology.control',
      'share/postgresql/extension/postgis_tiger_geocoder--3.6.2.sql',
      'share/postgresql/extension/postgis--ANY--3.6.2.sql',
      'share/postgresql/extension/postgis--unpackaged--3.6.2.sql',
      'share/postgresql/contrib/postgis-3.6/spatial_ref_sys.sql',
    ])
      expect(keptInBundle(left), left).toBe(false);
  });

  it('answers as the package’s whole bundle does: version, reference systems, transforms, geography', async () => {
    const sql = `SELECT postgis_full_version() AS v,
        (SELECT count(*)::int FROM spatial_ref_sys) AS srs,
        ST_AsText(ST_Transform(ST_SetSRID(ST_Point(106.55, 29.56), 4326), 4547)) AS cgcs2000_gk,
        ST_AsText(ST_Transform(ST_SetSRID(ST_Point(106.55, 29.56), 4326), 3857)) AS mercator,
        ST_Area(ST_Buffer(ST_Point(106.55, 29.56)::geography, 300)) AS area,
        ST_Distance(ST_Point(106.55, 29.56)::geography, ST_Point(106.56, 29.57)::geography) AS dist`;
    // the run's migrated template (PostGIS created in it) when there is one: no initdb, no CREATE EXTENSION
    const template = process.env.ATLAS_TEST_PGLITE_TEMPLATE;
    const answer = async (ext: Extension) => {
      const db = await PGlite.create({
        extensions: { postgis: ext },
        ...(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {}),
      });
      try {
        await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
        return (await db.query(sql)).rows[0];
      } finally {
        await db.close();
      }
    };
    const cut = await answer(postgisExtension);
    const whole = await answer(postgis);
    expect(cut).toEqual(whole);
    expect((cut as { srs: number }).srs).toBeGreaterThan(8000);
  }, 240_000);
});
