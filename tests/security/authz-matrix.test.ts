/**
 * The authorisation matrix: every write route × every kind of caller × with and
 * without the CSRF token, against a table of expected status codes. Every cell gets
 * fresh sessions and fresh targets; a refused request must leave every table as it was.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, apiTargets, startSecureApi, tablesChecksum, type SecureApi, type Session } from './harness';
import { createSession } from '../../server/features/auth/session';
import { resolveSecurity } from '../../server/http/security';
import { insertFacility, writeFacility, type FacilityState } from '../../server/features/editing/sql';
import { insertFeedback } from '../../server/features/feedback/sql';
import type { Db } from '../../server/db/adapter';

/** Callers. "disabled" has a session made before the account was disabled. */
const CALLERS = ['none', 'forged', 'garbage', 'expired', 'disabled', 'editor', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

/**
 * Expected status for each route: per caller, [without CSRF token, with token].
 * A cookie that names no live session (forged, garbage, expired, disabled user) grants
 * nothing and is treated like no cookie; a live session must send its token on every
 * write, public routes included.
 */
// prettier-ignore
const TABLE = `
route                          | none    | forged  | garbage | expired | disabled | editor  | admin
POST /api/auth/login           | 200 200 | 200 200 | 200 200 | 200 200 | 200 200  | 403 200 | 403 200
POST /api/auth/logout          | 204 204 | 204 204 | 204 204 | 204 204 | 204 204  | 403 204 | 403 204
POST /api/auth/password        | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 204 | 403 204
POST /api/feedback             | 201 201 | 201 201 | 201 201 | 201 201 | 201 201  | 403 201 | 403 201
PATCH /api/feedback/:id        | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 200 | 403 200
POST /api/facilities           | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 201 | 403 201
PATCH /api/facilities/:id      | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 200 | 403 200
DELETE /api/facilities/:id     | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 200 | 403 200
POST /api/facilities/:id/revert| 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 200 | 403 200
POST /api/users                | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 403 | 403 201
PATCH /api/users/:id           | 401 401 | 401 401 | 401 401 | 401 401 | 401 401  | 403 403 | 403 200
`;

/** Protected reads (no CSRF dimension): one status per caller. */
// prettier-ignore
const READS = `
route                          | none | forged | garbage | expired | disabled | editor | admin
GET /api/users                 | 401  | 401    | 401     | 401     | 401      | 403    | 200
GET /api/facilities/:id/history| 401  | 401    | 401     | 401     | 401      | 200    | 200
GET /api/feedback?status=pending| 401 | 401    | 401     | 401     | 401      | 200    | 200
GET /api/auth/me               | 200  | 200    | 200     | 200     | 200      | 200    | 200
`;

function parseTable(t: string, perCaller: number): Map<string, number[][]> {
  const rows = t.trim().split('\n').slice(1);
  const out = new Map<string, number[][]>();
  for (const row of rows) {
    const [route, ...cells] = row.split('|').map((c) => c.trim());
    out.set(
      route,
      cells.map((c) => c.split(/\s+/).map(Number)).map((c) => (c.length === perCaller ? c : [])),
    );
  }
  return out;
}

const EXPECTED = parseTable(TABLE, 2);
const EXPECTED_READS = parseTable(READS, 1);

const STATE: FacilityState = {
  category: 'park',
  name_zh: '矩阵公园',
  name_en: null,
  address: null,
  opening_hours: null,
  capacity: null,
  age_min_years: null,
  age_max_years: null,
  ownership: 'unknown',
  inclusive: null,
  amenities: {},
  attributes: {},
  phone: null,
  status: 'active',
  lng: 106.55,
  lat: 29.55,
};

interface Cell {
  path: string;
  body?: unknown;
}

/** A fresh target for one request of each route. */
async function setup(db: Db, route: string, caller: Caller, n: number): Promise<Cell> {
  const [, path] = route.split(' ');
  switch (route) {
    case 'POST /api/auth/login':
      return { path, body: { username: USERS.editor2.username, password: USERS.editor2.password } };
    case 'POST /api/auth/logout':
      return { path };
    case 'POST /api/auth/password': {
      const who = caller === 'admin' ? USERS.admin : USERS.editor;
      return { path, body: { currentPassword: who.password, newPassword: who.password } };
    }
    case 'POST /api/feedback':
      return { path, body: { category: 'other', text: `matrix ${n}`, coordinates: [106.55, 29.55] } };
    case 'PATCH /api/feedback/:id': {
      const f = await insertFeedback(db, { category: 'other', text: `matrix ${n}`, coordinates: [106.55, 29.55] });
      return { path: `/api/feedback/${f.id}`, body: { action: 'approve' } };
    }
    case 'POST /api/facilities':
      return { path, body: { category: 'park', name_zh: `矩阵 ${n}`, coordinates: [106.55, 29.55] } };
    case 'PATCH /api/facilities/:id': {
      const id = await db.transaction((tx) => insertFacility(tx, STATE, `m-${n}`, 'setup'));
      return { path: `/api/facilities/${id}`, body: { version: 1, name_zh: 'changed' } };
    }
    case 'DELETE /api/facilities/:id': {
      const id = await db.transaction((tx) => insertFacility(tx, STATE, `m-${n}`, 'setup'));
      return { path: `/api/facilities/${id}?version=1` };
    }
    case 'POST /api/facilities/:id/revert': {
      const id = await db.transaction(async (tx) => {
        const i = await insertFacility(tx, STATE, `m-${n}`, 'setup');
        await writeFacility(tx, i, 1, { ...STATE, name_zh: 'v2' }, 'setup', 'update');
        return i;
      });
      return { path: `/api/facilities/${id}/revert`, body: { toVersion: 1, version: 2 } };
    }
    case 'POST /api/users':
      return { path, body: { username: `matrix_${n}`, password: 'matrix-password-1', role: 'editor' } };
    case 'PATCH /api/users/:id': {
      const id = (await db.query<{ id: number }>('SELECT id FROM users WHERE username = $1', [USERS.editor2.username])).rows[0].id;
      return { path: `/api/users/${id}`, body: { display_name: `name ${n}` } };
    }
    default:
      throw new Error(`no setup for ${route}`);
  }
}

for (const target of apiTargets()) {
  describe(`authorisation matrix on ${target.name}`, () => {
    let api: SecureApi;
    const sec = resolveSecurity({});

    async function sessionFor(username: string): Promise<Session> {
      const u = (
        await api.db.query<{ id: number; username: string; role: 'editor' | 'admin'; display_name: string | null }>(
          'SELECT id, username, role, display_name FROM users WHERE username = $1',
          [username],
        )
      ).rows[0];
      const { token, session } = await createSession(api.db, u, sec);
      return { cookie: `atlas_session=${token}`, csrfToken: session.csrfToken, user: u };
    }

    /** The cookie (and token) a caller sends; undefined for no cookie. */
    async function as(caller: Caller): Promise<Session | undefined> {
      switch (caller) {
        case 'none':
          return undefined;
        case 'forged':
          return {
            cookie: `atlas_session=${randomBytes(32).toString('base64url')}`,
            csrfToken: randomBytes(32).toString('base64url'),
            user: null as never,
          };
        case 'garbage':
          return { cookie: "atlas_session=../../etc/passwd'; DROP TABLE sessions;--", csrfToken: 'x', user: null as never };
        case 'expired': {
          const s = await sessionFor(USERS.editor.username);
          await api.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1", [s.csrfToken]);
          return s;
        }
        case 'disabled': {
          // A session made while the account was enabled, then the account disabled behind its back.
          await api.db.query('UPDATE users SET disabled = false WHERE username = $1', [USERS.disabled.username]);
          const s = await sessionFor(USERS.disabled.username);
          await api.db.query('UPDATE users SET disabled = true WHERE username = $1', [USERS.disabled.username]);
          return s;
        }
        case 'editor':
          return sessionFor(USERS.editor.username);
        case 'admin':
          return sessionFor(USERS.admin.username);
      }
    }

    beforeAll(async () => {
      api = await startSecureApi(target);
    });
    afterAll(async () => api?.close());

    /** Every non-GET route the app registers, as "METHOD /api/path". */
    async function writeRoutes(): Promise<string[]> {
      const { registerFeatures } = await import('../../server/features');
      const express = (await import('express')).default;
      const router = express.Router();
      const log = { warn() {}, error() {}, info() {}, debug() {}, trace() {}, fatal() {}, child: () => log } as never;
      registerFeatures(router, { db: api.db, postgisVersion: '3', appVersion: 't', tileFeatureCap: 1, log });
      const writes = new Set<string>();
      for (const layer of (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack) {
        if (!layer.route) continue;
        for (const m of Object.keys(layer.route.methods)) {
          if (m !== 'get' && m !== 'head') writes.add(`${m.toUpperCase()} /api${layer.route.path}`);
        }
      }
      return [...writes].sort();
    }

    it('the table covers every write route of this feature set', async () => {
      const all = await writeRoutes();
      for (const route of EXPECTED.keys()) expect(all).toContain(route);
    });

    /**
     * Routes of other features that use POST only to carry a query body: public reads,
     * computed without writing. Everything else that is not GET must refuse the public.
     */
    const PUBLIC_COMPUTATIONS = new Set(['POST /api/coverage/suggest']);

    it('every other write route (other features) needs the CSRF token from a session', async () => {
      const others = (await writeRoutes()).filter((r) => !EXPECTED.has(r));
      const editor = await as('editor');
      const failures: string[] = [];
      for (const route of others) {
        const [method, rawPath] = route.split(' ');
        const r = await api.request(method, rawPath.replace(/:[A-Za-z_]+/g, '1'), { session: editor, csrf: false, body: {} });
        if (r.status !== 403 || r.body.error?.code !== 'csrf') failures.push(`${route}: session without CSRF token got ${r.status}`);
      }
      expect(failures).toEqual([]);
    });

    it('every other data-changing route (other features) refuses the public', async () => {
      // Routes added by other features are not in the table; the ones that change data
      // must at least be closed to callers without a session (401/403), before validation.
      const others = (await writeRoutes()).filter((r) => !EXPECTED.has(r) && !PUBLIC_COMPUTATIONS.has(r));
      const failures: string[] = [];
      for (const route of others) {
        const [method, rawPath] = route.split(' ');
        const r = await api.request(method, rawPath.replace(/:[A-Za-z_]+/g, '1'), { body: {} });
        if (r.status !== 401 && r.status !== 403) failures.push(`${route}: anonymous got ${r.status}`);
      }
      expect(failures).toEqual([]);
    });

    let n = 0;
    for (const [route, cells] of EXPECTED) {
      it(`${route}`, async () => {
        const [method] = route.split(' ');
        const got: string[] = [];
        const want: string[] = [];
        for (const [ci, caller] of CALLERS.entries()) {
          for (const withCsrf of [false, true]) {
            const cell = await setup(api.db, route, caller, n++);
            const session = await as(caller);
            const before = await tablesChecksum(api.db);
            const r = await api.request(method, cell.path, { session, csrf: withCsrf, body: cell.body });
            const expected = cells[ci][withCsrf ? 1 : 0];
            got.push(`${caller}${withCsrf ? '+csrf' : ''}=${r.status}`);
            want.push(`${caller}${withCsrf ? '+csrf' : ''}=${expected}`);
            if (r.status >= 400) {
              expect(r.body.error.code, `${caller} ${withCsrf}`).toMatch(/^(unauthenticated|forbidden|csrf)$/);
              // refused: nothing changed
              expect(await tablesChecksum(api.db), `${route} ${caller} ${withCsrf}`).toEqual(before);
            }
          }
        }
        expect(got).toEqual(want);
      });
    }

    for (const [route, cells] of EXPECTED_READS) {
      it(`${route}`, async () => {
        const path = route.split(' ')[1].replace(':id', '1');
        const got: string[] = [];
        const want: string[] = [];
        for (const [ci, caller] of CALLERS.entries()) {
          const r = await api.request('GET', path, { session: await as(caller), csrf: false });
          got.push(`${caller}=${r.status}`);
          want.push(`${caller}=${cells[ci][0]}`);
        }
        expect(got).toEqual(want);
      });
    }
  });
}
