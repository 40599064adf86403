/**
 * Heavy analysis does not freeze the atlas (issue 12 §2): eight concurrent, distinct heavy
 * coverage requests from one client (an editor, so the cost gate lets them through) → the pool
 * takes the client's share (ANALYSIS_PER_CLIENT set to 2 here; the default is 4) and refuses the rest with 429 + Retry-After
 * and a JSON body saying why; /api/health answers while the accepted ones still run (ordering,
 * not a time threshold); the process's RSS stays under {@link RSS_BOUND_MB}. Anonymous visitors
 * get 403 `editor_required` for the same non-default cell sizes, and the default analysis.
 * Exports of computed layers run in the same pool: health answers while one runs, and identical
 * concurrent exports are one job. After the pool releases its idle threads (as the app does when its
 * background precompute is done, issue 13), the next analysis starts a new thread and answers the same.
 *
 * Data: the demo dataset (38 districts, census-dasymetric population), six central districts
 * at 60–67 m cells: ~350–400 k cells per request, each a second or more of work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { seedDemoIfEmpty } from '../../server/seed/demo';
import { createUser } from '../../server/features/users/sql';
import { analysisPoolFor } from '../../server/analysis/pool';
import { apiTargets, startSecureApi, type SecureApi, type Session } from './harness';
import { seededTemplate, withPgliteTemplate } from '../support/seededTemplate';

/**
 * Bound on the test process's resident memory: it holds the in-memory PGlite database, both
 * targets' apps and their worker threads with their caches (measured 1.2–1.7 GB); the pool keeps
 * it bounded by refusing the excess instead of building eight surfaces at once.
 */
const RSS_BOUND_MB = 2048;
const CENTRAL = '500103,500104,500105,500106,500107,500108';
const heavy = (cellSizeM: number) => `/api/coverage?category=kindergarten&mode=euclidean&district=${CENTRAL}&cellSizeM=${cellSizeM}`;

for (const target of apiTargets()) {
  describe(`heavy analysis on ${target.name}`, () => {
    let api: SecureApi;
    let editor: Session;
    beforeAll(async () => {
      // on PGlite the database is loaded from the run's demo-seeded dump (seeded once per run), so the seed below finds it there
      const template = target.name === 'pglite' ? await seededTemplate('demo') : undefined;
      api = await withPgliteTemplate(template, () =>
        startSecureApi(target, {
          analysis: { perClient: 2 },
          prepare: async (db) => {
            await seedDemoIfEmpty(db, pino({ level: 'silent' }));
            await createUser(db, { username: 'heavy-editor', password: 'heavy-editor-pass-1', role: 'editor' });
          },
        }),
      );
      editor = await api.login('heavy-editor', 'heavy-editor-pass-1');
    });
    afterAll(async () => api?.close());

    it('8 concurrent distinct heavy requests from one client: the excess get 429 with Retry-After; health answers meanwhile', async () => {
      const order: string[] = [];
      let peakRssMb = 0;
      const sample = setInterval(() => (peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 1e6)), 50);
      try {
        const jobs = [60, 61, 62, 63, 64, 65, 66, 67].map((cs) =>
          api.request('GET', heavy(cs), { session: editor }).then((r) => {
            order.push(`heavy:${r.status}`);
            return r;
          }),
        );
        // asked after all eight were sent: it must not wait for them
        const health = api.request('GET', '/api/health').then((r) => {
          order.push(`health:${r.status}`);
          return r;
        });
        const results = await Promise.all(jobs);
        expect((await health).status).toBe(200);

        const ok = results.filter((r) => r.status === 200);
        const refused = results.filter((r) => r.status === 429 || r.status === 503);
        expect(ok).toHaveLength(2);
        expect(refused).toHaveLength(6);
        for (const r of refused) {
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
          expect(r.body.error.code).toBe('too_many_analyses');
          expect(r.body.error.message).toMatch(/you already have 2 analyses running or queued/);
          expect(r.body.error.details.retryAfterS).toBe(Number(r.headers.get('retry-after')));
        }
        for (const r of ok) expect(r.body.area.cellCount).toBeGreaterThan(300_000);
        // health came back while accepted heavy requests were still running
        const h = order.indexOf('health:200');
        const lastOk = order.lastIndexOf('heavy:200');
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(lastOk);
      } finally {
        clearInterval(sample);
      }
      expect(peakRssMb).toBeLessThan(RSS_BOUND_MB);
    });

    it('a computed-layer export runs in the pool: health answers before it ends; identical concurrent exports share one job', async () => {
      const pool = analysisPoolFor(api.db);
      const sharedBefore = pool.shared;
      const order: string[] = [];
      const url = `/api/export/cells?category=kindergarten&mode=euclidean&district=${CENTRAL}&cellSizeM=100&format=fgb`;
      // three identical exports from one client whose share is 2: without sharing, the third would be a 429
      const exports = [0, 1, 2].map(() =>
        api.request('GET', url, { session: editor }).then((r) => {
          order.push(`export:${r.status}`);
          return r;
        }),
      );
      const health = api.request('GET', '/api/health').then((r) => {
        order.push(`health:${r.status}`);
        return r;
      });
      const results = await Promise.all(exports);
      expect((await health).status).toBe(200);
      for (const r of results) {
        expect(r.status).toBe(200);
        expect(r.headers.get('content-type')).toBe('application/flatgeobuf');
        expect(r.headers.get('content-disposition')).toMatch(/cells_kindergarten_6-districts_wgs84_.*\.fgb/);
        expect(r.text.startsWith('fgb')).toBe(true); // FlatGeobuf magic bytes
        expect(r.text).toBe(results[0].text);
      }
      expect(pool.shared - sharedBefore).toBe(2);
      // health came back before the export (sent first) finished
      expect(order.indexOf('health:200')).toBeLessThan(order.indexOf('export:200'));
    });

    it('releaseIdle ends the idle worker thread; the next analysis starts a new one and gives the same answer', async () => {
      const pool = analysisPoolFor(api.db);
      // not a default analysis (150 m): no stored answer, it runs in the pool
      const url = '/api/coverage?category=kindergarten&mode=euclidean&district=500103,500104&cellSizeM=150';
      const first = await api.request('GET', url, { session: editor });
      expect(first.status).toBe(200);
      expect(pool.threads).toBeGreaterThan(0);
      // the app's release after its background precompute keeps a thread a request has used
      expect(await pool.releaseIdle({ unlessRequested: true })).toBe(false);
      expect(pool.threads).toBeGreaterThan(0);
      expect(await pool.releaseIdle()).toBe(true);
      expect(pool.threads).toBe(0);
      expect(await pool.releaseIdle()).toBe(false); // nothing left to end
      const started = pool.workersStarted;
      const again = await api.request('GET', url, { session: editor });
      expect(again.status).toBe(200);
      expect(pool.workersStarted).toBe(started + 1);
      // (released again, since a request used this thread, only without `unlessRequested`)
      expect(await pool.releaseIdle({ unlessRequested: true })).toBe(false);
      expect(again.body.area).toEqual(first.body.area);
      expect(again.body.euclidean).toEqual(first.body.euclidean);
      expect(again.body.capacity).toEqual(first.body.capacity);
    });

    it('a computed-layer export keeps its error codes: a bad cellSizeM is a 400 naming it, an unknown parameter too', async () => {
      const r = await api.request('GET', `/api/export/cells?category=kindergarten&district=${CENTRAL}&cellSizeM=20&format=fgb`, {
        session: editor,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.field).toBe('cellSizeM');
      expect(r.body.error.message).toMatch(/^cellSizeM: must be ≥/);
      const u = await api.request('GET', `/api/export/gaps?category=kindergarten&district=500103&colour=red`, { session: editor });
      expect(u.status).toBe(400);
      expect(u.body.error.field).toBe('colour');
      expect(u.body.error.message).toMatch(/unknown parameter for layer gaps/);
    });

    it('anonymous: a non-default heavy analysis needs an editor (403 editor_required); the default one is open', async () => {
      const r = await api.request('GET', heavy(61));
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('editor_required');
      expect(r.body.error.message).toMatch(/log in as an editor/);
      expect(r.body.error.details.cost).toBeGreaterThan(r.body.error.details.threshold);
      const small = await api.request('GET', '/api/coverage?category=kindergarten&mode=euclidean&district=500103&cellSizeM=150');
      expect(small.status).toBe(200);
      const def = await api.request('GET', '/api/coverage?category=kindergarten&mode=euclidean&district=500103');
      expect(def.status).toBe(200);
      expect(def.body.area.cellSizeM).toBe(100);
    });
  });
}
