/**
 * Stateless app servers: two instances on one PostgreSQL database — one in this
 * process, one in a child process started the way production starts it
 * (`startServer`) — share sessions, rate-limit counters and edit versions.
 * Needs a real PostgreSQL (TEST_DATABASE_URL); PGlite is one process's database.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  USERS,
  openTestDatabase,
  startAppProcess,
  stopAppProcess,
  prepareSecure,
  serve,
  type Client,
  type Served,
  type TestDatabase,
} from './harness';

const FEEDBACK_LIMIT = 4;

/** The second instance: its own process, its own pool, the same schema. */
function startChild(schema: string): Promise<{ child: ChildProcess; app: Client }> {
  return startAppProcess(schema, { FEEDBACK_RATE_LIMIT: FEEDBACK_LIMIT, WRITE_RATE_LIMIT: 100000, LOGIN_RATE_LIMIT: 1000 });
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('two app instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: Served;
  let b: Client;
  let child: ChildProcess;

  beforeAll(async () => {
    database = await openTestDatabase({ name: 'postgres' });
    await prepareSecure(database.db);
    a = await serve(database.db, { security: { rateLimits: { feedback: FEEDBACK_LIMIT, writes: 100_000, login: 1000 } } });
    ({ child, app: b } = await startChild(database.schema!));
  });
  afterAll(async () => {
    await a?.close();
    await stopAppProcess(child);
    await database?.close();
  });

  it('serves the same data from both', async () => {
    const [x, y] = await Promise.all([a.request('GET', '/api/health'), b.request('GET', '/api/health')]);
    expect(x.body.facilities).toBe(y.body.facilities);
  });

  it('accepts a session made on one instance at the other, and a logout on either ends it on both', async () => {
    const s = await a.login(USERS.editor.username, USERS.editor.password);
    const me = await b.request('GET', '/api/auth/me', { session: s });
    expect(me.body.user.username).toBe('editor1');
    expect(me.body.csrfToken).toBe(s.csrfToken);
    const created = await b.request('POST', '/api/facilities', {
      session: s,
      body: { category: 'park', name_zh: '两实例公园', coordinates: [106.55, 29.55] },
    });
    expect(created.status).toBe(201);
    expect((await a.request('GET', `/api/facilities/${created.body.id}`)).body.properties.name_zh).toBe('两实例公园');
    expect((await b.request('POST', '/api/auth/logout', { session: s })).status).toBe(204);
    expect((await a.request('GET', '/api/auth/me', { session: s })).body.user).toBeNull();
    expect((await a.request('POST', '/api/facilities', { session: s, body: {} })).status).toBe(401);
  });

  it('counts one rate limit across both instances, exactly, under concurrency', async () => {
    await database.db.query('DELETE FROM rate_limits');
    const body = { category: 'other', text: 'two instances', coordinates: [106.55, 29.55] };
    // 12 submissions at once, half to each instance: exactly the limit get through
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).request('POST', '/api/feedback', { body })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(FEEDBACK_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - FEEDBACK_LIMIT);
    for (const r of results.filter((x) => x.status === 429)) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    // and both keep refusing
    expect((await a.request('POST', '/api/feedback', { body })).status).toBe(429);
    expect((await b.request('POST', '/api/feedback', { body })).status).toBe(429);
    await database.db.query('DELETE FROM rate_limits');
  });

  it('lets only one of two editors on different instances win an edit', async () => {
    const s1 = await a.login(USERS.editor.username, USERS.editor.password);
    const s2 = await b.login(USERS.editor2.username, USERS.editor2.password);
    const v = (await a.request('GET', '/api/facilities/3')).body.properties.version;
    const [x, y] = await Promise.all([
      a.request('PATCH', '/api/facilities/3', { session: s1, body: { version: v, name_zh: '甲的修改' } }),
      b.request('PATCH', '/api/facilities/3', { session: s2, body: { version: v, name_zh: '乙的修改' } }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const loser = x.status === 409 ? x : y;
    expect(loser.body.error.details.current.properties.version).toBe(v + 1);
  });
});
