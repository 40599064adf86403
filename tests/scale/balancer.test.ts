/**
 * A balancer in front of two app servers (issue 15): HAProxy (Debian `haproxy`, configured by
 * scripts/cluster/balancer.ts) round-robins two app processes on one PostgreSQL schema. A session
 * made through one server works through the other; killing one server with SIGKILL in the middle
 * of a write load loses no acknowledged write (every 2xx is in the database) and, once HAProxy's
 * health check has taken it out, every request succeeds on the other.
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
    balancer = await startBalancer({ a1: port(a1.app), a2: port(a2.app) });
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
    expect(failed.length).toBeLessThanOrEqual(4);
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
