/**
 * Snapshots and trends, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: append-only,
 * never overwritten, and a new snapshot after an import shows the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiTargets, startTestApi, type TestApi } from '../api/harness';
import { client, type Session } from '../security/harness';
import { createUser } from '../../server/features/users/sql';
import type { Db } from '../../server/db/adapter';
import { loadIndicatorFixture } from './fixture';
import { CITY_CODE, INDICATOR_IDS, type SnapshotsResponse } from '../../core/indicators';
import { ensureBaselineSnapshot, snapshotIndicators } from '../../server/features/indicators';
import { importFile } from '../../server/features/imports';

const ROWS_PER_SNAPSHOT = 4 * INDICATOR_IDS.length; // 3 districts + the city

const EDITOR = { username: 'planner1', password: 'planner-password-01', role: 'editor' } as const;

/** The indicator fixture plus an editor account: saving a snapshot is an editor's write. */
async function prepare(db: Db) {
  await loadIndicatorFixture(db);
  await createUser(db, EDITOR);
}

const sessions = new WeakMap<TestApi, Session>();

async function post(api: TestApi, body: unknown) {
  let session = sessions.get(api);
  if (!session) {
    session = await client(api.url).login(EDITOR.username, EDITOR.password);
    sessions.set(api, session);
  }
  return fetch(`${api.url}/api/indicators/snapshots`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(body),
  });
}

const nurseryTrend = (t: SnapshotsResponse) => t.snapshots.map((s) => s.indicators.nursery_places_per_1000?.value);

for (const target of apiTargets()) {
  describe(`indicator snapshots on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, prepare);
    });
    afterAll(async () => api?.close());

    it('saves the current set with a chosen date, and refuses a second one at the same moment', async () => {
      const res = await post(api, { date: '2025-06-30', reason: 'mid-year report' });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ taken_at: '2025-06-29T16:00:00.000Z', reason: 'mid-year report', rows: ROWS_PER_SNAPSHOT });
      const again = await post(api, { date: '2025-06-30' });
      expect(again.status).toBe(409);
      expect((await again.json()).error.code).toBe('conflict');
      const n = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_snapshots');
      expect(n.rows[0].n).toBe(ROWS_PER_SNAPSHOT);
    });

    it('refuses anonymous snapshots', async () => {
      const res = await fetch(`${api.url}/api/indicators/snapshots`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(401);
    });

    it('validates the body and names the wrong field', async () => {
      for (const [body, field] of [
        [{ date: 'tomorrow' }, 'date'],
        [{ date: '2999-01-01' }, 'date'],
        // impossible days (issue 12 §4): Date would roll 2023-02-30 over to 2023-03-02
        [{ date: '2023-02-30' }, 'date'],
        [{ date: '2023-02-29' }, 'date'],
        [{ date: '2023-04-31' }, 'date'],
        [{ date: '2023-13-01' }, 'date'],
        [{ date: '2023-02-30T10:00:00+08:00' }, 'date'],
        [{ reason: '' }, 'reason'],
        [{ colour: 'red' }, 'request'],
      ] as const) {
        const res = await post(api, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect((await res.json()).error.field).toBe(field);
      }
    });

    it('never collides when snapshots are taken at the same time', async () => {
      const res = await Promise.all([post(api, {}), post(api, {}), post(api, {})]);
      expect(res.map((r) => r.status)).toEqual([201, 201, 201]);
      const times = await Promise.all(res.map(async (r) => (await r.json()).taken_at as string));
      expect(new Set(times).size).toBe(3);
    });

    it('is append-only: the database refuses updates and deletes', async () => {
      await expect(api.db.query("UPDATE indicator_snapshots SET value = 99 WHERE indicator = 'nursery_places_per_1000'")).rejects.toThrow(
        /append-only/,
      );
      await expect(api.db.query('DELETE FROM indicator_snapshots')).rejects.toThrow(/append-only/);
      const n = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_snapshots');
      expect(n.rows[0].n).toBe(4 * ROWS_PER_SNAPSHOT);
    });

    it('serves the trend of a district, oldest first, and of the city by default', async () => {
      const { status, body } = await api.json<SnapshotsResponse>(
        '/api/indicators/snapshots?district=500102&indicator=nursery_places_per_1000',
      );
      expect(status).toBe(200);
      expect(body.district).toBe('500102');
      expect(body.snapshots).toHaveLength(4);
      expect(body.snapshots[0]).toEqual({
        taken_at: '2025-06-29T16:00:00.000Z',
        reason: 'mid-year report',
        indicators: { nursery_places_per_1000: { value: 1.6667, target: 4.5, status: 'not_met', numerator: 500, denominator: 300_000 } },
      });
      const times = body.snapshots.map((s) => s.taken_at);
      expect([...times].sort()).toEqual(times);
      const city = await api.json<SnapshotsResponse>('/api/indicators/snapshots?limit=2');
      expect(city.body.district).toBe(CITY_CODE);
      expect(city.body.snapshots).toHaveLength(2);
      expect(Object.keys(city.body.snapshots[0].indicators)).toEqual([...INDICATOR_IDS]);
      expect((await api.json('/api/indicators/snapshots?indicator=nope')).status).toBe(400);
    });
  });

  describe(`a snapshot after new nursery data on ${target.name}`, () => {
    let api: TestApi;
    let dir: string;
    beforeAll(async () => {
      api = await startTestApi(target, prepare);
      dir = mkdtempSync(path.join(tmpdir(), 'indicators-'));
    });
    afterAll(async () => {
      await api?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows two points with the increase: insert rows → snapshot → trend', async () => {
      expect((await ensureBaselineSnapshot(api.db))?.reason).toBe('baseline');
      expect(await ensureBaselineSnapshot(api.db)).toBeNull(); // only once
      // 400 more places in 乙区: (500 + 400) / 300,000 × 1,000 = 3.0
      await api.db.query(
        `INSERT INTO facilities (category, name_zh, capacity, source, source_id, geom, district_code)
         VALUES ('nursery', '乙区新托育园', 400, 'test', 'new-1', ST_SetSRID(ST_MakePoint(106.111, 29.011), 4326), '500102')`,
      );
      const s = await snapshotIndicators(api.db, 'import');
      expect(s.rows).toBe(ROWS_PER_SNAPSHOT);
      const { body } = await api.json<SnapshotsResponse>('/api/indicators/snapshots?district=500102');
      expect(body.snapshots.map((p) => p.reason)).toEqual(['baseline', 'import']);
      expect(nurseryTrend(body)).toEqual([1.6667, 3]);
      const city = await api.json<SnapshotsResponse>('/api/indicators/snapshots');
      // (450 + 500) / 400,000 → (450 + 900) / 400,000
      expect(nurseryTrend(city.body)).toEqual([2.375, 3.375]);
    });

    it('after a real import of a nursery register, the importer hook records the run', async () => {
      const file = path.join(dir, 'nurseries.csv');
      writeFileSync(file, '编号,机构名称,经度,纬度,托位数\nN-1,乙区登记托育园,106.121,29.021,450\n');
      const summary = await importFile(api.db, file, {
        kind: 'facilities',
        category: 'nursery',
        source: 'nursery-register',
        extentCheck: false,
      });
      expect(summary.status).toBe('done');
      expect(summary.inserted).toBe(1);
      await snapshotIndicators(api.db, 'import', { importRunId: summary.runId! });
      const { body } = await api.json<SnapshotsResponse>('/api/indicators/snapshots?district=500102');
      // (900 + 450) / 300,000 × 1,000 = 4.5: exactly on target now
      expect(nurseryTrend(body)).toEqual([1.6667, 3, 4.5]);
      expect(body.snapshots[2].indicators.nursery_places_per_1000?.status).toBe('met');
      const run = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM indicator_snapshots WHERE import_run_id = $1', [
        summary.runId,
      ]);
      expect(run.rows[0].n).toBe(ROWS_PER_SNAPSHOT);
    });
  });
}
