/**
 * The walking-coverage indicators on real coverage results (server/features/indicators/
 * coverageSource.ts), on the indicator fixture plus a few hand-placed population cells, a
 * primary school and one footway — on PGlite always and PostgreSQL when TEST_DATABASE_URL is set.
 *
 * Population cells are 40 m squares (source `testpop`), so at the 200 m indicator grid each
 * one lands in at most four grid squares whose centres lie within 100·√2 + 20·√2 ≈ 170 m of
 * the square's centre. A square 50 m from a facility is therefore covered at 300 m (≤ 220 m),
 * one 250 m away is covered at 500 m (≤ 420 m), and the far squares are kilometres from any.
 *
 * | cell | district | where | 0–2 | 3–5 | 6–11 | 12–14 |
 * |---|---|---|---:|---:|---:|---:|
 * | N | 甲区 | 50 m N of the nursery 甲区婴幼儿照护服务指导中心 (106.01, 29.01) | 200 | 0 | 0 | 0 |
 * | A | 甲区 | 50 m N of the kindergarten 甲区第一幼儿园 (106.03, 29.01); ~970 m from the nearest nursery | 100 | 600 | 0 | 0 |
 * | P | 甲区 | 250 m N of the added primary school (106.07, 29.03) | 0 | 0 | 500 | 0 |
 * | B | 甲区 | (106.08, 29.08): far from everything | 700 | 1,400 | 1,500 | 400 |
 * | Y | 乙区 | (106.15, 29.08): far from everything | 9,000 | 6,000 | 2,000 | 1,000 |
 *
 * Expected (甲区 straight-line: no edge in its window; 乙区 along the network: one footway at
 * 106.19 lies in its window, and Y has no access to it, so 0 % either way):
 * - nursery 300 m: 甲区 200 / 1,000 = 20 %; 乙区 0 / 9,000 = 0 %; city 200 / 10,000 = 2 %
 * - kindergarten 300 m: 甲区 600 / 2,000 = 30 %; 乙区 0 / 6,000; city 600 / 8,000 = 7.5 %
 * - primary 500 m: 甲区 500 / 2,000 = 25 %; 乙区 0 / 2,000; city 500 / 4,000 = 12.5 %
 * - middle school, playground: none in the city → no_data
 * - 丙区: no residents → no_data (no children)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { loadIndicatorFixture } from './fixture';
import type { Db } from '../../server/db/adapter';
import { createCoverageSource, INDICATOR_CELL_SIZE_M } from '../../server/features/indicators/coverageSource';
import { computeIndicatorSet, readSnapshots, snapshotIndicators } from '../../server/features/indicators';
import type { DistrictIndicatorsView, IndicatorResultView, IndicatorsResponse } from '../../core/indicators';

const dLat = (m: number) => m / 111_320;

const CELLS = [
  { id: 'N', district: '500101', lng: 106.01, lat: 29.01 + dLat(50), c: [200, 0, 0, 0] },
  { id: 'A', district: '500101', lng: 106.03, lat: 29.01 + dLat(50), c: [100, 600, 0, 0] },
  { id: 'P', district: '500101', lng: 106.07, lat: 29.03 + dLat(250), c: [0, 0, 500, 0] },
  { id: 'B', district: '500101', lng: 106.08, lat: 29.08, c: [700, 1_400, 1_500, 400] },
  { id: 'Y', district: '500102', lng: 106.15, lat: 29.08, c: [9_000, 6_000, 2_000, 1_000] },
];

async function prepare(db: Db): Promise<void> {
  await loadIndicatorFixture(db);
  const half = 20;
  for (const c of CELLS) {
    const dx = half / (111_320 * Math.cos((c.lat * Math.PI) / 180));
    const dy = dLat(half);
    await db.query(
      `INSERT INTO population_cells (source, cell_id, district_code, population, children_0_2, children_3_5, children_6_11, children_12_14, method, geom, centroid)
       VALUES ('testpop', $1, $2, $3, $4, $5, $6, $7, 'hand-placed test cells', ST_MakeEnvelope($8, $9, $10, $11, 4326), ST_SetSRID(ST_MakePoint($12, $13), 4326))`,
      [c.id, c.district, c.c.reduce((s, x) => s + x, 0) * 3, ...c.c, c.lng - dx, c.lat - dy, c.lng + dx, c.lat + dy, c.lng, c.lat],
    );
  }
  await db.query(
    `INSERT INTO facilities (category, name_zh, status, source, source_id, geom, district_code)
     VALUES ('primary_school', '甲区实验小学', 'active', 'test', 'p1', ST_SetSRID(ST_MakePoint(106.07, 29.03), 4326), '500101')`,
  );
  // one footway in 乙区's east: inside 乙区's (and 丙区's) network window, outside 甲区's
  await db.query(
    `INSERT INTO network_edges (source, way_id, seq, from_node, to_node, length_m, highway, geom)
     VALUES ('test', 1, 0, 1, 2, 111.32, 'footway',
             ST_SetSRID(ST_MakeLine(ST_MakePoint(106.19, 29.05), ST_MakePoint(106.19, 29.051)), 4326))`,
  );
}

const find = (d: DistrictIndicatorsView, id: string): IndicatorResultView => d.indicators.find((r) => r.id === id)!;

/** Status as the definition's target says: no target → not_applicable, else met/not_met. */
function statusFor(body: IndicatorsResponse, id: string, value: number): string {
  const t = body.definitions.find((d) => d.id === id)!.target;
  return t === null ? 'not_applicable' : value >= t ? 'met' : 'not_met';
}

const EXPECTED: Record<
  string,
  { id: string; value: number | null; numerator?: number; denominator?: number; mode?: 'network' | 'euclidean' }[]
> = {
  '500101': [
    { id: 'coverage_nursery_300m', value: 20, numerator: 200, denominator: 1_000, mode: 'euclidean' },
    { id: 'coverage_kindergarten_300m', value: 30, numerator: 600, denominator: 2_000, mode: 'euclidean' },
    { id: 'coverage_primary_500m', value: 25, numerator: 500, denominator: 2_000, mode: 'euclidean' },
    { id: 'coverage_middle_1000m', value: null },
    { id: 'coverage_playground_300m', value: null },
  ],
  '500102': [
    { id: 'coverage_nursery_300m', value: 0, numerator: 0, denominator: 9_000, mode: 'network' },
    { id: 'coverage_kindergarten_300m', value: 0, numerator: 0, denominator: 6_000, mode: 'network' },
    { id: 'coverage_primary_500m', value: 0, numerator: 0, denominator: 2_000, mode: 'network' },
    { id: 'coverage_middle_1000m', value: null },
  ],
  '500103': [{ id: 'coverage_kindergarten_300m', value: null }],
  '500000': [
    { id: 'coverage_nursery_300m', value: 2, numerator: 200, denominator: 10_000 },
    { id: 'coverage_kindergarten_300m', value: 7.5, numerator: 600, denominator: 8_000 },
    { id: 'coverage_primary_500m', value: 12.5, numerator: 500, denominator: 4_000 },
    { id: 'coverage_playground_300m', value: null },
  ],
};

function checkExpected(body: IndicatorsResponse): void {
  for (const [code, rows] of Object.entries(EXPECTED)) {
    const d = code === '500000' ? body.city! : body.districts.find((x) => x.code === code)!;
    for (const e of rows) {
      const r = find(d, e.id);
      const label = `${code} ${e.id}`;
      if (e.value === null) {
        expect(r.status, label).toBe('no_data');
        expect(r.value, label).toBeNull();
        expect(r.coverage, label).toEqual({ state: 'ready', measure: null });
        continue;
      }
      // the measure, as a field the UI words itself: 甲区 straight line, 乙区 walking, the city both
      const measure = code === '500000' ? 'mixed' : e.mode === 'network' ? 'network' : 'straight_line';
      expect(r.coverage, label).toEqual({ state: 'ready', measure });
      expect(r.value, label).toBeCloseTo(e.value, 3);
      expect(r.status, label).toBe(statusFor(body, e.id, r.value!));
      expect(r.numerator, label).toBe(e.numerator);
      expect(r.denominator, label).toBe(e.denominator);
      if (e.mode === 'euclidean')
        expect(r.note, label).toMatchObject({
          zh: expect.stringContaining('直线距离（未导入路网）'),
          en: expect.stringContaining('straight-line (no street network imported)'),
        });
      if (e.mode === 'network')
        expect(r.note, label).toMatchObject({
          zh: expect.stringContaining('沿步行路网'),
          en: expect.stringContaining('along the walking network'),
        });
      expect(r.note?.en, label).toContain(`${INDICATOR_CELL_SIZE_M} m grid`);
    }
  }
}

for (const target of apiTargets()) {
  describe(`walking-coverage indicators on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, prepare);
    });
    afterAll(async () => api?.close());

    it('the API answers at once while computing, then serves exact shares with the mode used', async () => {
      const t0 = performance.now();
      const first = await api.json<IndicatorsResponse>('/api/indicators');
      // a coarse bound (the app's first request is cold, and test files run in parallel);
      // that the request does not wait is proven with a held computation below
      expect(performance.now() - t0).toBeLessThan(5_000);
      expect(first.status).toBe(200);
      const k = find(first.body.districts[0], 'coverage_kindergarten_300m');
      // computing (no_data "computing"), unless it already finished
      if (k.status === 'no_data') expect(k.note?.en).toContain('computing');

      let body = first.body;
      for (let i = 0; i < 300 && find(body.districts[0], 'coverage_kindergarten_300m').status === 'no_data'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        body = (await api.json<IndicatorsResponse>('/api/indicators')).body;
      }
      checkExpected(body);
      // the coverage rows carry the time they were computed, not the request's
      const cov = find(body.districts[0], 'coverage_kindergarten_300m');
      expect(Date.parse(cov.computed_at)).toBeLessThanOrEqual(Date.parse(body.computed_at));
      expect(body.city!.indicators.find((r) => r.id === 'coverage_kindergarten_300m')!.note?.en).toContain(
        'along the walking network in 2 of 3 districts',
      );
      // the other districts' no_data rows say why
      expect(find(body.districts[0], 'coverage_middle_1000m').note?.en).toContain('no facility of this category');
      expect(find(body.districts[2], 'coverage_kindergarten_300m').note?.en).toContain('no children');
    });

    it('never makes a request wait; serves the last results while recomputing after an edit; snapshots use them', async () => {
      let release!: () => void;
      let gate = new Promise<void>((r) => (release = r));
      const source = createCoverageSource(api.db, { beforeDistrict: () => gate });

      // a computation is held at its first district: the request still answers
      const t0 = performance.now();
      const during = (await computeIndicatorSet(api.db, { coverage: source }))!;
      // the computation cannot finish before release(): answering at all proves no wait
      expect(performance.now() - t0).toBeLessThan(2_000);
      expect(source.busy()).toBe(true);
      const k = find(during.districts[0], 'coverage_kindergarten_300m');
      expect(k).toMatchObject({ status: 'no_data', value: null, coverage: { state: 'computing', measure: null } });
      expect(k.note?.en).toContain('computing');
      // the other indicators carry no coverage field
      expect(find(during.districts[0], 'nursery_places_per_1000').coverage).toBeUndefined();

      release();
      const run = await source.refresh();
      expect(run.failures).toEqual([]);
      const ready = (await computeIndicatorSet(api.db, { coverage: source }))!;
      checkExpected(ready);
      expect(find(ready.districts[0], 'coverage_kindergarten_300m').computed_at).toBe(run.computedAt);

      // an edit: 甲区第一幼儿园 closes; A's 600 children now have no kindergarten within 300 m
      gate = new Promise<void>((r) => (release = r));
      await api.db.query(
        `UPDATE facilities SET status = 'retired', updated_at = now() + interval '1 second' WHERE name_zh = '甲区第一幼儿园'`,
      );
      const stale = (await computeIndicatorSet(api.db, { coverage: source }))!;
      const s = find(stale.districts[0], 'coverage_kindergarten_300m');
      expect(s).toMatchObject({ value: 30, computed_at: run.computedAt, coverage: { state: 'stale', measure: 'straight_line' } });
      expect(s.note?.en).toContain('being recomputed');
      release();
      await source.refresh();
      const after = (await computeIndicatorSet(api.db, { coverage: source }))!;
      expect(find(after.districts[0], 'coverage_kindergarten_300m')).toMatchObject({ value: 0, numerator: 0, denominator: 2_000 });

      // a snapshot (the import CLI's way: waiting) records the finished results
      const snap = await snapshotIndicators(api.db, 'test', { coverage: source.wait });
      expect(snap.rows).toBeGreaterThan(0);
      const trend = await readSnapshots(api.db, '500000', { limit: 5, indicator: 'coverage_primary_500m' });
      expect(trend.snapshots.at(-1)!.indicators.coverage_primary_500m).toMatchObject({ value: 12.5, numerator: 500, denominator: 4_000 });
    });
  });
}
