/**
 * The demo seed on embedded PGlite, and on real PostgreSQL/PostGIS when
 * TEST_DATABASE_URL is set (in a fresh schema that is dropped afterwards):
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run server/seed
 */
import { readFileSync } from 'node:fs';
import { createScratchSchema, dropScratchSchema } from '../db/scratch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open';
import type { Db } from '../db/adapter';
import { CATEGORY_IDS } from '../../core/catalogue';
import { DEMO_FACILITIES_FILE, DEMO_META_KEY, seedDemo, seedDemoIfEmpty } from './demo';

const fileFacilities = (
  JSON.parse(readFileSync(DEMO_FACILITIES_FILE, 'utf8')) as { facilities: { source_id: string; district_code: string }[] }
).facilities;

interface Opened {
  db: Db;
  cleanup: () => Promise<void>;
}

function seedSuite(label: string, open: () => Promise<Opened>) {
  describe(`demo seed on ${label}`, () => {
    let opened: Opened;
    let db: Db;
    const messages: string[] = [];
    const log = { info: (_o: object, msg?: string) => void messages.push(msg ?? '') };

    beforeAll(async () => {
      opened = await open();
      db = opened.db;
      const t0 = performance.now();
      const seeded = await seedDemoIfEmpty(db, log);
      const ms = performance.now() - t0;
      expect(seeded).toBe(true);
      console.log(`[seed] ${label}: ${fileFacilities.length} facilities + 38 districts seeded in ${ms.toFixed(0)} ms`);
    });
    afterAll(async () => {
      await opened?.cleanup();
    });

    it('loads the 38 districts with the census population', async () => {
      const r = await db.query<{ n: number; pop: number; central: number; c014: number }>(
        `SELECT count(*)::int AS n, sum(population)::int AS pop,
                sum(population) FILTER (WHERE central_urban)::int AS central, sum(children_0_14)::int AS c014
         FROM districts`,
      );
      expect(r.rows[0]).toMatchObject({ n: 38, pop: 32_054_159, central: 10_343_462 });
      expect(r.rows[0].c014).toBeGreaterThan(5_000_000);
      expect(messages).toContain('demo dataset seeded');
    });

    it('stores valid WGS84 MultiPolygons and label points inside them', async () => {
      const r = await db.query<{ bad: number }>(
        `SELECT count(*)::int AS bad FROM districts
         WHERE NOT ST_IsValid(geom) OR GeometryType(geom) <> 'MULTIPOLYGON' OR ST_SRID(geom) <> 4326
            OR NOT ST_Intersects(geom, label_point)`,
      );
      expect(r.rows[0].bad).toBe(0);
    });

    it('gives every facility a district, by point in polygon, agreeing with the file', async () => {
      const r = await db.query<{ source_id: string; district_code: string | null }>(
        "SELECT source_id, district_code FROM facilities WHERE source = 'demo'",
      );
      expect(r.rows).toHaveLength(fileFacilities.length);
      const db2file = new Map(fileFacilities.map((f) => [f.source_id, f.district_code]));
      const disagree = r.rows.filter((row) => row.district_code === null || row.district_code !== db2file.get(row.source_id));
      expect(disagree).toEqual([]);
    });

    it('has every category, in proportion to population', async () => {
      const r = await db.query<{ category: string; n: number }>('SELECT category, count(*)::int AS n FROM facilities GROUP BY category');
      const counts = new Map(r.rows.map((row) => [row.category, row.n]));
      for (const c of CATEGORY_IDS) expect(counts.get(c), c).toBeGreaterThan(0);
      const kg = await db.query<{ code: string; n: number }>(
        "SELECT district_code AS code, count(*)::int AS n FROM facilities WHERE category = 'kindergarten' AND district_code IN ('500112', '500229') GROUP BY 1",
      );
      const byCode = new Map(kg.rows.map((row) => [row.code, row.n]));
      expect(byCode.get('500112')!).toBeGreaterThan(byCode.get('500229')! * 5); // 渝北 2.19 M vs 城口 0.20 M
    });

    it('keeps amenities, attributes and nulls as typed values', async () => {
      const r = await db.query<{
        amenities: Record<string, boolean>;
        attributes: Record<string, string>;
        capacity: number | null;
        inclusive: boolean | null;
      }>("SELECT amenities, attributes, capacity, inclusive FROM facilities WHERE source_id = 'demo-mother_baby_room-1'");
      expect(r.rows[0].amenities.nursing_room).toBe(true);
      expect(['mall', 'station', 'hospital', 'park']).toContain(r.rows[0].attributes.venue);
      expect(r.rows[0].capacity).toBeNull();
      expect(r.rows[0].inclusive).toBeNull();
    });

    it('records itself in dataset_meta', async () => {
      const r = await db.query<{ value: { version: number; facilities: number; seededAt: string } }>(
        'SELECT value FROM dataset_meta WHERE key = $1',
        [DEMO_META_KEY],
      );
      expect(r.rows[0].value.version).toBe(1);
      expect(r.rows[0].value.facilities).toBe(fileFacilities.length);
      expect(Date.parse(r.rows[0].value.seededAt)).not.toBeNaN();
    });

    it('does not duplicate when seeding again', async () => {
      expect(await seedDemoIfEmpty(db, log)).toBe(false);
      const again = await seedDemo(db);
      expect(again).toMatchObject({ districts: 0, facilities: 0 });
      const r = await db.query<{ d: number; f: number }>(
        'SELECT (SELECT count(*)::int FROM districts) AS d, (SELECT count(*)::int FROM facilities) AS f',
      );
      expect(r.rows[0]).toEqual({ d: 38, f: fileFacilities.length });
    });
  });
}

seedSuite('PGlite (in memory)', async () => {
  const { db } = await openDatabase({});
  return { db, cleanup: () => db.close() };
});

const PG_URL = process.env.TEST_DATABASE_URL;
describe.runIf(Boolean(PG_URL))('PostgreSQL (TEST_DATABASE_URL)', () => {
  seedSuite('PostgreSQL', async () => {
    const schema = await createScratchSchema(PG_URL!, 'seed_test');
    try {
      const { db } = await openDatabase({ databaseUrl: PG_URL, postgres: { schema } });
      return {
        db,
        cleanup: async () => {
          await db.close();
          await dropScratchSchema(PG_URL!, schema);
        },
      };
    } catch (e) {
      await dropScratchSchema(PG_URL!, schema);
      throw e;
    }
  });
});
