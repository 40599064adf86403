/**
 * PgBouncer in transaction pooling between the app and PostgreSQL (issue 15): PgBouncer
 * (Debian `pgbouncer`, scripts/cluster/pgbouncer.ts) with two server connections in front of
 * TEST_DATABASE_URL, and an app whose pool of eight connections goes through it. Migrations
 * (an advisory transaction lock), sessions, CSRF, rate-limit counters, edits with versions,
 * feedback, nearby and tiles all work while up to eight clients share two server connections, and
 * PgBouncer counts the transactions it pooled.
 * Needs TEST_DATABASE_URL and /usr/sbin/pgbouncer (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGBOUNCER, startPgbouncer, type Pgbouncer } from '../../scripts/cluster/pgbouncer';
import type { Db } from '../../server/db/adapter';
import { openDatabase } from '../../server/db/open';
import { openPostgres } from '../../server/db/postgres';
import { USERS, openTestDatabase, prepareSecure, serve, type Served, type TestDatabase } from '../security/harness';

const PRIMARY = process.env.TEST_DATABASE_URL;
const hasPgbouncer = existsSync(PGBOUNCER);
const POOL_SIZE = 2;

describe.runIf(process.env.CI && !hasPgbouncer)('pgbouncer', () => {
  it('needs /usr/sbin/pgbouncer (CI installs it)', () => {
    throw new Error(`${PGBOUNCER} is missing: apt-get install pgbouncer`);
  });
});

describe.skipIf(!PRIMARY || !hasPgbouncer)('the app through PgBouncer in transaction pooling', () => {
  let database: TestDatabase;
  let bouncer: Pgbouncer;
  let db: Db;
  let app: Served;

  beforeAll(async () => {
    database = await openTestDatabase({ name: 'postgres' });
    await prepareSecure(database.db);
    const u = new URL(PRIMARY!);
    // the test's schema by connect_query: PgBouncer 1.18 refuses the `options` startup parameter
    bouncer = await startPgbouncer(
      {
        atlas: { port: Number(u.port || 5432), dbname: u.pathname.slice(1), connectQuery: `SET search_path TO ${database.schema}, public` },
      },
      { poolMode: 'transaction', poolSize: POOL_SIZE },
    );
    // opening migrates (nothing left to apply, but under the advisory transaction lock, through PgBouncer)
    ({ db } = await openDatabase({ databaseUrl: bouncer.url('atlas'), postgres: { max: 8, preparedStatements: false } }));
    app = await serve(db);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await bouncer?.stop();
    await database?.close();
  });

  it('sessions, edits, feedback and reads work with more client connections than the 2 server connections', async () => {
    const before = (await bouncer.show<{ database: string; total_xact_count: string }>('STATS')).find((s) => s.database === 'atlas');
    const editor = await app.login(USERS.editor.username, USERS.editor.password);
    expect((await app.request('GET', '/api/auth/me', { session: editor })).body.user.username).toBe(USERS.editor.username);

    const created = await app.request('POST', '/api/facilities', {
      session: editor,
      body: { category: 'park', name_zh: '连接池公园', coordinates: [106.55, 29.55] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    // optimistic versions: one edit wins, the stale one gets 409
    const edited = await app.request('PATCH', `/api/facilities/${id}`, {
      session: editor,
      body: { version: 1, name_zh: '连接池公园（改）' },
    });
    expect(edited.status).toBe(200);
    const stale = await app.request('PATCH', `/api/facilities/${id}`, { session: editor, body: { version: 1, name_zh: '过期' } });
    expect(stale.status).toBe(409);

    // 24 concurrent requests: feedback writes (each a rate-limit upsert and an insert) and reads
    const marker = `pgb-${Date.now()}`;
    const replies = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 3 === 0
          ? app.request('POST', '/api/feedback', { body: { category: 'other', text: `${marker} ${i}`, coordinates: [106.55, 29.55] } })
          : i % 3 === 1
            ? app.request('GET', '/api/nearby?lng=106.55&lat=29.56&limit=5')
            : app.request('GET', `/api/facilities/${id}`),
      ),
    );
    for (const r of replies) expect(r.status, r.text).toBeLessThan(300);
    expect(replies.filter((r) => r.body?.properties?.name_zh === '连接池公园（改）')).toHaveLength(8);
    const stored = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM feedback WHERE text LIKE $1', [`${marker} %`]);
    expect(stored.rows[0].n).toBe(8);
    const tile = await app.request('GET', '/api/tiles/facilities/12/3259/1695.pbf');
    expect(tile.status).toBe(200);

    // PgBouncer pooled it: at most POOL_SIZE server connections, more client connections, and
    // every transaction counted
    const servers = (await bouncer.show<{ database: string }>('SERVERS')).filter((s) => s.database === 'atlas');
    const clients = (await bouncer.show<{ database: string }>('CLIENTS')).filter((c) => c.database === 'atlas');
    expect(servers.length).toBeLessThanOrEqual(POOL_SIZE);
    expect(clients.length).toBeGreaterThan(POOL_SIZE);
    const after = (await bouncer.show<{ database: string; total_xact_count: string }>('STATS')).find((s) => s.database === 'atlas');
    const xacts = Number(after!.total_xact_count) - Number(before?.total_xact_count ?? 0);
    expect(xacts).toBeGreaterThan(30);
    console.log(`PGBOUNCER: ${clients.length} client connections on ${servers.length} server connections, ${xacts} transactions pooled`);
  }, 60_000);

  it('a database PgBouncer cannot reach: 503 with Retry-After (its 08P01 is a connection error), never a 500', async () => {
    const gone = await openPostgres(bouncer.url('gone'), { max: 2 });
    const other = await serve(gone);
    try {
      const r = await other.request('GET', '/api/nearby?lng=106.55&lat=29.56&limit=5');
      expect(r.status, r.text).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await other.close();
      await gone.close();
    }
  }, 30_000);
});
