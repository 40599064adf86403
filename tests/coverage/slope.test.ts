/**
 * `slope` on /api/coverage (on | off | compare) on the coverage fixture: without elevation the
 * answer says slope was not used; with elevation written on every edge (a steep 30 % climb
 * from → to, so both directions cost more than the level) the slope-aware pass covers fewer
 * children than the flat one (the fixture's far bank drops out of a 4 km reach), and `slope=compare` gives both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { A, loadCoverageFixture } from './fixture';
import { invalidateCoverageCache } from '../../server/features/coverage/cache';
import { writeElevation } from '../../server/features/imports/elevation';
import type { CoverageResponse } from '../../core/api';

const q = (params: Record<string, string | number>) =>
  new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
const KG = { category: 'kindergarten', district: A.code, mode: 'network' };

describe.each(apiTargets())('coverage slope on $name', (target) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(target, loadCoverageFixture);
  });
  afterAll(() => api?.close());

  it('without elevation: slope not used, and said so', async () => {
    const { status, body } = await api.json<CoverageResponse>(`/api/coverage?${q(KG)}`);
    expect(status).toBe(200);
    expect(body.slope).toMatchObject({ used: false, source: null });
    expect(body.slope!.note).toMatch(/no elevation/);
    expect(body.slopeComparison).toBeNull();
  });

  it('a bad slope value is a 400 naming the field', async () => {
    const { status, body } = await api.json(`/api/coverage?${q({ ...KG, slope: 'steep' })}`);
    expect(status).toBe(400);
    expect(body.error.field).toBe('slope');
  });

  it('with elevation: slope=compare gives flat and slope-aware figures, slope covers fewer children', async () => {
    const edges = await api.db.query<{ id: number; length_m: number }>(`SELECT id, length_m FROM network_edges ORDER BY id LIMIT 100000`);
    const profile = (l: number) => [0, 0.15 * l, 0.3 * l];
    await api.db.transaction(async (tx) => {
      await writeElevation(tx, {
        ids: edges.rows.map((r) => r.id),
        from: edges.rows.map(() => 0),
        to: edges.rows.map((r) => 0.3 * r.length_m),
        rise: edges.rows.map((r) => 0.3 * r.length_m),
        fall: edges.rows.map(() => 0),
        profiles: edges.rows.map((r) => `{${profile(r.length_m).join(',')}}`),
      });
      await tx.query(
        `INSERT INTO dataset_meta (key, value) VALUES ('dem_source', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [JSON.stringify({ label: 'elevation: test profile' })],
      );
    });
    invalidateCoverageCache(api.db);
    // 4 km: on the level every child of the district is within reach (140); at ×2.4–2.9 per
    // metre (±30 %) the ~3 km walks round by the bridge are not, and P1 (50, next to K) stays
    const far = { ...KG, radiusM: 4000 };
    const { status, body } = await api.json<CoverageResponse>(`/api/coverage?${q({ ...far, slope: 'compare' })}`);
    expect(status).toBe(200);
    expect(body.slope).toMatchObject({ used: true, source: 'elevation: test profile' });
    const flat = body.slopeComparison!.flat.total,
      slope = body.slopeComparison!.slope.total;
    expect(slope.coveredChildren).toBe(body.network!.total.coveredChildren);
    expect(flat.coveredChildren).toBeCloseTo(140, 6);
    expect(slope.coveredChildren!).toBeLessThan(140);
    expect(slope.coveredChildren!).toBeGreaterThanOrEqual(50);
    const off = await api.json<CoverageResponse>(`/api/coverage?${q({ ...far, slope: 'off' })}`);
    expect(off.body.slope).toMatchObject({ used: false });
    expect(off.body.slope!.note).toMatch(/slope=off/);
    expect(off.body.network!.total.coveredChildren).toBe(flat.coveredChildren);
  });
});
