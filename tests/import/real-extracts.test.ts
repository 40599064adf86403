/**
 * The real OpenStreetMap extracts of shared/data/osm (SOURCES.md), when present next to
 * the project (a fresh clone without ../shared skips these). All on PGlite, one on
 * PostgreSQL. Counts are pinned with ranges: stable for these files, loose enough to
 * survive a deliberate tag-table refinement (change them with the table, not around it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, type ImportSummary } from '../../server/features/imports/index';
import { hasShared, openTestDb, sharedOsm, type TestDb } from './targets';

interface Expect {
  file: string;
  categories: Record<string, [number, number]>;
  edges: [number, number];
  km: [number, number];
  steps?: [number, number];
  missingRefs?: [number, number];
  extentCheck?: boolean;
}

const EXTRACTS: Expect[] = [
  {
    file: 'monaco.osm.pbf',
    categories: { primary_school: [1, 1], middle_school: [1, 1], playground: [2, 2], library: [1, 1], park: [8, 10] },
    edges: [1600, 1800],
    km: [78, 86],
    steps: [80, 100],
  },
  {
    file: 'andorra.osm.pbf',
    categories: { primary_school: [1, 1], playground: [2, 2], park: [5, 7] },
    edges: [2400, 2800],
    km: [780, 860],
    steps: [10, 16],
  },
  {
    file: 'moscow.osm.gz',
    categories: { kindergarten: [5, 6], primary_school: [5, 7], playground: [2, 2], park: [8, 10], library: [1, 1] },
    edges: [1350, 1550],
    km: [100, 120],
  },
  { file: 'krems.osm.gz', categories: { primary_school: [8, 10], playground: [1, 1], park: [6, 8] }, edges: [1350, 1550], km: [145, 170] },
  {
    file: 'campo-grande.osm.gz',
    categories: { park: [45, 52], playground: [3, 3], primary_school: [2, 2], library: [1, 1] },
    edges: [13_000, 14_500],
    km: [1400, 1560],
    missingRefs: [1300, 1550],
  },
  { file: 'berlin-siegessaeule.osm.gz', categories: {}, edges: [200, 260], km: [15, 20], steps: [8, 14] },
  // the only mainland-China extract: near enough to Chongqing that the extent check is on by default
  {
    file: 'changsha_yuelu_taozihu.osm',
    categories: { middle_school: [1, 1] },
    edges: [100, 125],
    km: [23, 28],
    steps: [5, 10],
    extentCheck: false,
  },
  { file: 'singapore_bayfront.osm.pbf', categories: { park: [2, 2] }, edges: [500, 600], km: [25, 30] },
  { file: 'taipei_zhongshan.osm.gz', categories: { library: [1, 1] }, edges: [150, 185], km: [7, 9.5] },
];

const within = (v: number, [lo, hi]: [number, number]) => {
  expect(v).toBeGreaterThanOrEqual(lo);
  expect(v).toBeLessThanOrEqual(hi);
};

describe.skipIf(!hasShared('monaco.osm.pbf'))('real OSM extracts on PGlite', () => {
  let t: TestDb;
  const results = new Map<string, ImportSummary>();
  beforeAll(async () => {
    t = await openTestDb('pglite');
  });
  afterAll(() => t?.close());

  it.each(EXTRACTS.filter((e) => hasShared(e.file)))('$file: categories and network are plausible and pinned', async (e) => {
    const s = await importFile(t.db, sharedOsm(e.file), { source: e.file, extentCheck: e.extentCheck });
    results.set(e.file, s);
    expect(s.status).toBe('done');
    expect(s.rejected).toBe(0);
    const cats = s.byCategory ?? {};
    expect(Object.keys(cats).sort()).toEqual(Object.keys(e.categories).sort());
    for (const [c, range] of Object.entries(e.categories)) within(cats[c], range);
    within(s.network!.edges.read, e.edges);
    within(s.network!.lengthKm, e.km);
    if (e.steps) within(s.network!.stepsEdges, e.steps);
    within(s.network!.missingNodeRefs, e.missingRefs ?? [0, 0]);
    expect(s.network!.edges.inserted).toBe(s.network!.edges.read);
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM network_edges WHERE source = $1`, [e.file]);
    expect(rows.rows[0].n).toBe(s.network!.edges.read);
  });

  it.skipIf(!hasShared('monaco.osm.gz'))('Monaco PBF and XML give identical facilities and networks (parity pair)', async () => {
    await importFile(t.db, sharedOsm('monaco.osm.gz'), { source: 'monaco-xml' });
    const diff = await t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM (
                 (SELECT source_id, category, name_zh, ST_AsEWKB(geom), ST_AsEWKB(footprint), amenities FROM facilities WHERE source = 'monaco.osm.pbf'
                  EXCEPT SELECT source_id, category, name_zh, ST_AsEWKB(geom), ST_AsEWKB(footprint), amenities FROM facilities WHERE source = 'monaco-xml')
                 UNION ALL
                 (SELECT source_id, category, name_zh, ST_AsEWKB(geom), ST_AsEWKB(footprint), amenities FROM facilities WHERE source = 'monaco-xml'
                  EXCEPT SELECT source_id, category, name_zh, ST_AsEWKB(geom), ST_AsEWKB(footprint), amenities FROM facilities WHERE source = 'monaco.osm.pbf')) x)
            + (SELECT count(*) FROM (
                 (SELECT way_id, seq, from_node, to_node, length_m, highway, tags, ST_AsEWKB(geom) FROM network_edges WHERE source = 'monaco.osm.pbf'
                  EXCEPT SELECT way_id, seq, from_node, to_node, length_m, highway, tags, ST_AsEWKB(geom) FROM network_edges WHERE source = 'monaco-xml')
                 UNION ALL
                 (SELECT way_id, seq, from_node, to_node, length_m, highway, tags, ST_AsEWKB(geom) FROM network_edges WHERE source = 'monaco-xml'
                  EXCEPT SELECT way_id, seq, from_node, to_node, length_m, highway, tags, ST_AsEWKB(geom) FROM network_edges WHERE source = 'monaco.osm.pbf')) y) AS n`,
    );
    expect(Number(diff.rows[0].n)).toBe(0);
  });

  it.skipIf(!hasShared('changsha_yuelu_taozihu.osm'))(
    'Changsha: Chinese names; the university tagged as a school is left out; with the default extent check it is rejected as outside Chongqing',
    async () => {
      const names = await t.db.query<{ name_zh: string; name_en: string | null }>(
        `SELECT name_zh, name_en FROM facilities WHERE source = 'changsha_yuelu_taozihu.osm'`,
      );
      expect(names.rows).toEqual([{ name_zh: '湖南师范大学附属中学', name_en: expect.any(String) }]);
      const checked = await importFile(t.db, sharedOsm('changsha_yuelu_taozihu.osm'), { source: 'changsha-checked', dryRun: true });
      expect(checked.extent.from).toBe('default');
      expect(checked.rejections.map((r) => r.code)).toEqual(['outside_extent']);
      expect(checked.rejections[0].reason).toMatch(/outside the city extent .* by \d+ km/);
    },
  );

  it.skipIf(!hasShared('campo-grande.osm.gz'))('re-importing an extract changes nothing (Monaco PBF, Campo Grande)', async () => {
    for (const file of ['monaco.osm.pbf', 'campo-grande.osm.gz']) {
      if (!hasShared(file)) continue;
      const s = await importFile(t.db, sharedOsm(file), { source: file });
      expect(s).toMatchObject({ inserted: 0, updated: 0, retired: 0 });
      expect(s.unchanged).toBe(s.read);
      expect(s.network!.edges).toMatchObject({ inserted: 0, updated: 0, retired: 0, unchanged: s.network!.edges.read });
      expect(s.network!.nodes).toMatchObject({ inserted: 0, updated: 0, retired: 0 });
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL || !hasShared('campo-grande.osm.gz'))('a real extract on PostgreSQL', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('postgres');
  });
  afterAll(() => t?.close());

  it('Campo Grande (8 % of node refs cut at the bbox) imports, then re-imports unchanged', async () => {
    const s = await importFile(t.db, sharedOsm('campo-grande.osm.gz'));
    expect(s).toMatchObject({ status: 'done', rejected: 0 });
    within(s.network!.edges.inserted, [13_000, 14_500]);
    within(s.network!.missingNodeRefs, [1300, 1550]);
    const again = await importFile(t.db, sharedOsm('campo-grande.osm.gz'));
    expect(again).toMatchObject({ inserted: 0, updated: 0 });
    expect(again.network!.edges).toMatchObject({ inserted: 0, updated: 0, unchanged: s.network!.edges.read });
  });
});
