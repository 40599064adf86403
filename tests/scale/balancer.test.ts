/**
 * A balancer in front of two app servers (issue 15): HAProxy (Debian `haproxy`, configured by
 * scripts/cluster/balancer.ts) round-robins two app processes on one PostgreSQL schema. A session
 * made through one server works through the other; killing one server with SIGKILL in the middle
 * of a write load loses no acknowledged write (every 2xx is in the database) and, once HAProxy's
 * health check has taken it out, every request succeeds on the other. HAProxy's cache answers a
 * second anonymous GET of a tile or a facility itself, never a signed-in editor's, and after an edit
 * serves only entries younger than its max-age until the new data reach the public.
 * Needs TEST_DATABASE_URL and /usr/sbin/haproxy (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAPROXY, startBalancer, type Balancer } from '../../scripts/cluster/balancer';
import {
  USERS,
  client,
  openTestDatabase,
  prepareSecure,
  startAppProcess,
  stopAppProcess,
  type Client,
  type TestDatabase,
} from '../security/harness';

const hasHaproxy = existsSync(HAPROXY);
/** The cache's bound in this test: short, so that the test sees entries expire. */
const CACHE_MAX_AGE_S = 3;
const LIMITS = { FEEDBACK_RATE_LIMIT: 1_000_000, WRITE_RATE_LIMIT: 1_000_000, LOGIN_RATE_LIMIT: 1000 };

describe.runIf(process.env.CI && !hasHaproxy)('balancer', () => {
  it('needs /usr/sbin/haproxy (CI installs it)', () => {
    throw new Error(`${HAPROXY} is missing: apt-get install haproxy`);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL || !hasHaproxy)('HAProxy in front of two app servers', () => {
  let database: TestDatabase;
  const children: ChildProcess[] = [];
  let balancer: Balancer;
  let lb: Client;

  beforeAll(async () => {
    database = await openTestDatabase({ name: 'postgres' });
    await prepareSecure(database.db);
    const [a1, a2] = await Promise.all([startAppProcess(database.schema!, LIMITS), startAppProcess(database.schema!, LIMITS)]);
    children.push(a1.child, a2.child);
    const port = (c: Client) => Number(new URL(c.url).port);
    balancer = await startBalancer({ a1: port(a1.app), a2: port(a2.app) }, { cache: { maxAgeS: CACHE_MAX_AGE_S } });
    lb = client(balancer.url);
    // both servers up in HAProxy's eyes
    for (let i = 0; i < 100; i++) {
      const seen = new Set<string>();
      for (let k = 0; k < 4; k++) seen.add((await lb.request('GET', '/api/health')).headers.get('x-atlas-server') ?? '');
      if (seen.has('a1') && seen.has('a2')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);
  afterAll(async () => {
    await balancer?.stop();
    for (const c of children) await stopAppProcess(c);
    await database?.close();
  });

  it('a session made through one server works through the other', async () => {
    const s = await lb.login(USERS.editor.username, USERS.editor.password);
    const servers = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const me = await lb.request('GET', '/api/auth/me', { session: s });
      expect(me.body.user?.username).toBe(USERS.editor.username);
      const name = me.headers.get('x-atlas-server') ?? '?';
      servers.set(name, (servers.get(name) ?? 0) + 1);
    }
    expect([...servers.keys()].sort()).toEqual(['a1', 'a2']);
    // a write with the session's CSRF token through either server
    const created = await lb.request('POST', '/api/facilities', {
      session: s,
      body: { category: 'park', name_zh: '负载均衡公园', coordinates: [106.55, 29.55] },
    });
    expect(created.status).toBe(201);
  });

  it('the cache answers repeated anonymous tile and facility GETs; after an edit, the public gets the new data within max-age', async () => {
    const editor = await lb.login(USERS.editor.username, USERS.editor.password);
    // a tile of an empty corner of the fixture area, where the editor will add a facility
    const [lng, lat] = [106.4411, 29.4411];
    const z = 15;
    const n = 2 ** z;
    const x = Math.floor(((lng + 180) / 360) * n);
    const r = (lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    const tile = `/api/tiles/facilities/${z}/${x}/${y}.pbf`;
    const bytes = async (p: string, o = {}) => {
      const res = await lb.request('GET', p, o);
      expect(res.status, p).toBe(200);
      return {
        text: res.text,
        cache: res.headers.get('x-cache'),
        server: res.headers.get('x-atlas-server'),
        age: Number(res.headers.get('age') ?? 0),
      };
    };
    // wait out any entry of an earlier test, then: a miss served by an app server, a hit served by HAProxy
    await new Promise((res) => setTimeout(res, CACHE_MAX_AGE_S * 1000 + 100));
    const first = await bytes(tile);
    const second = await bytes(tile);
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(first.server).toMatch(/^a[12]$/);
    expect(second.server).toBe('<CACHE>');
    expect(second.text).toBe(first.text);
    // a signed-in editor is never served from the cache (read your own writes)
    expect((await bytes(tile, { session: editor })).cache).toBe('MISS');
    // a facility's detail too (Express's ETag travels with it; a browser revalidates it at the app)
    const details = [await lb.request('GET', '/api/facilities/1'), await lb.request('GET', '/api/facilities/1')];
    expect(details.map((d) => d.headers.get('x-cache'))).toEqual(['MISS', 'HIT']);
    expect(details[1].text).toBe(details[0].text);

    const created = await lb.request('POST', '/api/facilities', {
      session: editor,
      body: { category: 'park', name_zh: '缓存公园', coordinates: [lng, lat] },
    });
    expect(created.status).toBe(201);
    const edited = Date.now();
    // the editor sees it at once, in the tile too
    expect((await bytes(tile, { session: editor })).text).not.toBe(first.text);
    // the public: the old tile only from the cache and younger than max-age, until the new one
    let stale = 0;
    for (;;) {
      const t = await bytes(tile);
      if (t.text !== first.text) break;
      stale++;
      expect(t.cache).toBe('HIT');
      expect(t.age).toBeLessThanOrEqual(CACHE_MAX_AGE_S);
      expect(Date.now() - edited, 'the old tile outlived the cache bound').toBeLessThan(CACHE_MAX_AGE_S * 1000 + 30_000);
      await new Promise((res) => setTimeout(res, 200));
    }
    console.log(
      `CACHE: hit served by ${second.server}; the new facility reached the public tile ${((Date.now() - edited) / 1000).toFixed(1)} s after the edit (${stale} stale answers from the cache, max-age ${CACHE_MAX_AGE_S} s)`,
    );
  }, 60_000);

  it('killing one server mid-load loses no acknowledged write; the other takes all requests', async () => {
    const marker = `lb-${Date.now()}`;
    const acked: number[] = [];
    const failed: number[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const r = await lb
          .request('POST', '/api/feedback', {
            body: { category: 'other', text: `${marker} ${acked.length + failed.length}`, coordinates: [106.55, 29.55] },
          })
          .catch(() => ({ status: 0, body: null })); // the connection closed under a request in flight
        if (r.status === 201) acked.push(r.body.id);
        else failed.push(r.status);
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, worker));
    // let the load run on both servers, then kill one without warning
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 20));
    children[0].kill('SIGKILL');
    const ackedAtKill = acked.length;
    // until HAProxy has seen the server down and the load has gone on without it
    while (acked.length < ackedAtKill + 80) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await load;

    const stored = await database.db.query<{ id: number }>('SELECT id FROM feedback WHERE text LIKE $1', [`${marker} %`]);
    const ids = new Set(stored.rows.map((r) => r.id));
    for (const id of acked) expect(ids.has(id), `acknowledged feedback ${id} is stored`).toBe(true);
    // at most the requests in flight on the killed server failed (4 workers): a 502/503 or a closed connection
    expect(failed.length, `failed: ${failed.join(', ')}`).toBeLessThanOrEqual(4);
    for (const s of failed) expect([0, 502, 503]).toContain(s);
    console.log(
      `BALANCER: ${acked.length} writes acknowledged, ${ids.size} stored (incl. any in flight at the kill), ${failed.length} failed (${failed.join(', ') || 'none'})`,
    );
    // afterwards, every request succeeds, on a2
    for (let i = 0; i < 6; i++) {
      const h = await lb.request('GET', '/api/health');
      expect(h.status).toBe(200);
      expect(h.headers.get('x-atlas-server')).toBe('a2');
    }
  }, 60_000);
});
