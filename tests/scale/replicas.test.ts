/**
 * Read replicas (issue 15): public reads go to a PostgreSQL hot standby, writes and
 * read-your-own-writes to the primary; a standby that lags beyond the bound, or does not
 * answer, gets no reads. Runs against a real streaming standby of TEST_DATABASE_URL at
 * TEST_REPLICA_URL (.ci/run sets one up with scripts/cluster/standby.sh); skipped without one.
 * Reads spread over several standbys are counted per standby: CI has one standby (a second
 * base backup would add ~20 s and its disk to every CI run), so the spread test opens the same
 * standby under two URLs that differ in `application_name`, and the standby's own
 * pg_stat_activity shows both pools.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadRouter, type ReadRouter } from '../../server/db/replicas';
import { USERS, openTestDatabase, prepareSecure, serve, type Served, type TestDatabase } from '../security/harness';

const REPLICA = process.env.TEST_REPLICA_URL;
const PRIMARY = process.env.TEST_DATABASE_URL;
/** The bound in this test: small, so that a paused standby crosses it quickly. */
const MAX_LAG_MS = 300;

/** Polls the router until `ok` holds for the first standby (the router measures every 100 ms here too). */
async function until(router: ReadRouter, ok: (s: ReturnType<ReadRouter['status']>[number]) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await router.poll();
    if (ok(router.status()[0])) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`standby never became ${what}: ${JSON.stringify(router.status())}`);
}

/** Runs one statement on the standby itself (pause/resume WAL replay). */
async function onStandby(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: REPLICA });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe.skipIf(!REPLICA || !PRIMARY)('read replicas (a real PostgreSQL hot standby)', () => {
  let database: TestDatabase;
  let router: ReadRouter;
  let app: Served;

  beforeAll(async () => {
    database = await openTestDatabase({ name: 'postgres' });
    await prepareSecure(database.db);
    router = await openReadRouter(database.db, [REPLICA!], { schema: database.schema, maxLagMs: MAX_LAG_MS, pollMs: 100 });
    app = await serve(database.db, { reads: router });
    await until(router, (s) => s.serving && s.lagMs === 0, 'caught up');
  });
  afterAll(async () => {
    await onStandby('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await app?.close();
    await router?.close();
    await database?.close();
  });

  it('sends anonymous reads to the standby and answers as the primary would', async () => {
    const before = router.status()[0].reads;
    const primaryBefore = router.primaryReads;
    const paths = [
      '/api/nearby?lng=106.55&lat=29.56&limit=5',
      '/api/facilities?bbox=106.4,29.4,106.7,29.7&limit=20',
      '/api/feedback?bbox=106.4,29.4,106.7,29.7&status=approved,resolved',
      '/api/tiles/facilities/12/3259/1695.pbf',
    ];
    const editor = await app.login(USERS.editor.username, USERS.editor.password);
    for (const p of paths) {
      const pub = await app.request('GET', p);
      expect(pub.status, p).toBe(200);
      // a signed-in user reads from the primary: the same answer
      const own = await app.request('GET', p, { session: editor });
      expect(own.status, p).toBe(200);
      if (!p.includes('/tiles/')) expect(pub.body.features, p).toEqual(own.body.features);
      else expect(pub.text, p).toBe(own.text);
    }
    expect(router.status()[0].reads - before).toBe(paths.length);
    expect(router.primaryReads - primaryBefore).toBe(paths.length);
    const health = await app.request('GET', '/api/health');
    expect(health.body.replicas).toEqual([expect.objectContaining({ serving: true, reads: expect.any(Number) })]);
  });

  it('an editor sees a new facility at once; a lagging standby is skipped, so the public sees it too', async () => {
    const editor = await app.login(USERS.editor.username, USERS.editor.password);
    await onStandby('SELECT pg_wal_replay_pause()');
    try {
      const created = await app.request('POST', '/api/facilities', {
        session: editor,
        body: { category: 'park', name_zh: '副本延迟公园', coordinates: [106.55, 29.55] },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as number;
      // the editor reads the primary: visible at once
      expect((await app.request('GET', `/api/facilities/${id}`, { session: editor })).status).toBe(200);
      // the paused standby has not replayed it; once its lag is beyond the bound it gets no reads,
      // and the public is sent to the primary
      await until(router, (s) => !s.serving && s.reason === 'lagging', 'lagging');
      const primaryBefore = router.primaryReads;
      const pub = await app.request('GET', `/api/facilities/${id}`);
      expect(pub.status).toBe(200);
      expect(pub.body.properties.name_zh).toBe('副本延迟公园');
      expect(router.primaryReads).toBe(primaryBefore + 1);
      expect((await app.request('GET', '/api/health')).body.replicas[0]).toMatchObject({ serving: false, reason: 'lagging' });
    } finally {
      await onStandby('SELECT pg_wal_replay_resume()');
    }
    await until(router, (s) => s.serving && s.lagMs === 0, 'caught up again');
  });

  it('a visitor who wrote reads from the primary for a while (atlas_rp cookie)', async () => {
    const posted = await app.request('POST', '/api/feedback', {
      body: { category: 'other', text: 'read your writes', coordinates: [106.55, 29.55] },
    });
    expect(posted.status).toBe(201);
    const cookie = posted.headers.getSetCookie().find((c) => c.startsWith('atlas_rp='));
    expect(cookie).toMatch(/Max-Age=10/);
    const primaryBefore = router.primaryReads;
    const replicaBefore = router.status()[0].reads;
    const r = await app.request('GET', '/api/nearby?lng=106.55&lat=29.56&limit=5', { headers: { cookie: cookie!.split(';')[0] } });
    expect(r.status).toBe(200);
    expect(router.primaryReads).toBe(primaryBefore + 1);
    expect(router.status()[0].reads).toBe(replicaBefore);
  });

  it('spreads reads over several standbys in turn (one standby under two URLs), counted per standby', async () => {
    const sep = REPLICA!.includes('?') ? '&' : '?';
    const urls = ['atlas-read-a', 'atlas-read-b'].map((n) => `${REPLICA}${sep}application_name=${n}`);
    const two = await openReadRouter(database.db, urls, { schema: database.schema, maxLagMs: MAX_LAG_MS, pollMs: 100 });
    const other = await serve(database.db, { reads: two });
    try {
      for (let i = 0; i < 50 && !two.status().every((s) => s.serving); i++) {
        await two.poll();
        await new Promise((r) => setTimeout(r, 50));
      }
      const before = two.status().map((s) => s.reads);
      for (let i = 0; i < 20; i++) {
        const p = i % 2 ? '/api/nearby?lng=106.55&lat=29.56&limit=5' : '/api/facilities?bbox=106.4,29.4,106.7,29.7&limit=20';
        expect((await other.request('GET', p)).status).toBe(200);
      }
      const counts = two.status().map((s, i) => s.reads - before[i]);
      expect(counts).toEqual([10, 10]);
      expect(two.primaryReads).toBe(0);
      // both pools are connected to the standby, each under its own name
      const c = new pg.Client({ connectionString: REPLICA });
      await c.connect();
      try {
        const seen = await c.query<{ name: string }>(
          "SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'atlas-read-%' ORDER BY 1",
        );
        expect(seen.rows.map((r) => r.name)).toEqual(['atlas-read-a', 'atlas-read-b']);
      } finally {
        await c.end();
      }
      console.log(`REPLICAS: 20 public reads → ${counts.join(' + ')} (per standby URL), 0 on the primary`);
    } finally {
      await other.close();
      await two.close();
    }
  });

  it('a standby that does not answer gets no reads; the public is served from the primary, never a 5xx', async () => {
    const down = await openReadRouter(database.db, ['postgres://postgres@127.0.0.1:1/test'], {
      schema: database.schema,
      maxLagMs: MAX_LAG_MS,
      pollMs: 60_000,
    });
    const other = await serve(database.db, { reads: down });
    try {
      expect(down.status()[0]).toMatchObject({ serving: false, reason: 'unreachable', lagMs: null });
      const r = await other.request('GET', '/api/nearby?lng=106.55&lat=29.56&limit=5');
      expect(r.status).toBe(200);
      expect(down.primaryReads).toBe(1);
    } finally {
      await other.close();
      await down.close();
    }
  });
});
