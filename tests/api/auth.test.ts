import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, apiTargets, serve, startSecureApi, type SecureApi } from '../security/harness';
import { ensureInitialAdmin } from '../../server/features/auth/bootstrap';

const NEW_FACILITY = { category: 'playground', name_zh: '测试游乐场', coordinates: [106.55, 29.55] };

for (const target of apiTargets()) {
  describe(`auth on ${target.name}`, () => {
    let api: SecureApi;
    beforeAll(async () => {
      api = await startSecureApi(target);
    });
    afterAll(async () => api?.close());

    it('tells the public it is not logged in, uncached', async () => {
      const r = await api.request('GET', '/api/auth/me');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ user: null });
      expect(r.headers.get('cache-control')).toBe('no-store');
    });

    it('logs in with a secure cookie and returns a CSRF token, never the hash', async () => {
      const res = await fetch(`${api.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: USERS.editor.username, password: USERS.editor.password }),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.user).toEqual({ id: expect.any(Number), username: 'editor1', role: 'editor', display_name: null });
      expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(11 * 3600_000);
      expect(Date.parse(body.idleExpiresAt)).toBeLessThanOrEqual(Date.parse(body.expiresAt));
      expect(JSON.stringify(body)).not.toMatch(/argon2|password/);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('atlas_session='))!;
      expect(cookie).toMatch(/^atlas_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\/api/);
      expect(cookie).not.toMatch(/; Secure/i); // plain http on loopback, COOKIE_SECURE=auto
      // the session row holds the token's hash, not the token
      const token = cookie.split(';')[0].split('=')[1];
      const rows = (await api.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions')).rows;
      expect(rows.some((r) => r.token_hash === token)).toBe(false);

      const me = await api.request('GET', '/api/auth/me', { session: { cookie: cookie.split(';')[0], csrfToken: '', user: body.user } });
      expect(me.body.user.username).toBe('editor1');
      expect(me.body.csrfToken).toBe(body.csrfToken);
    });

    it('refuses wrong passwords and unknown names alike, and disabled accounts', async () => {
      const wrong = await api.request('POST', '/api/auth/login', { body: { username: 'editor1', password: 'not-the-password' } });
      const unknown = await api.request('POST', '/api/auth/login', { body: { username: 'nobody', password: 'not-the-password' } });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      expect(wrong.headers.getSetCookie()).toEqual([]);
      const disabledWrong = await api.request('POST', '/api/auth/login', {
        body: { username: USERS.disabled.username, password: 'nope-nope-nope' },
      });
      expect(disabledWrong.status).toBe(401);
      const disabled = await api.request('POST', '/api/auth/login', {
        body: { username: USERS.disabled.username, password: USERS.disabled.password },
      });
      expect(disabled.status).toBe(403);
      expect(disabled.body.error.code).toBe('account_disabled');
    });

    it('validates the login body', async () => {
      for (const [body, field] of [
        [{ username: 'editor1' }, 'password'],
        [{ password: 'x' }, 'username'],
        [{ username: 'editor1', password: 'x'.repeat(201) }, 'password'],
        [{ username: ['editor1'], password: 'x' }, 'username'],
        [{ username: 'editor1', password: 'x', admin: true }, 'admin'],
      ] as const) {
        const r = await api.request('POST', '/api/auth/login', { body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.field).toBe(field);
      }
    });

    it('logs out: the session ends on the server, the cookie is cleared', async () => {
      const s = await api.login(USERS.editor.username, USERS.editor.password);
      expect((await api.request('POST', '/api/facilities', { session: s, body: NEW_FACILITY })).status).toBe(201);
      const out = await api.request('POST', '/api/auth/logout', { session: s });
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie()[0]).toMatch(/^atlas_session=;.*Expires=Thu, 01 Jan 1970/);
      // the old cookie, replayed, is worth nothing
      const replay = await api.request('POST', '/api/facilities', { session: s, body: NEW_FACILITY });
      expect(replay.status).toBe(401);
      expect(replay.headers.getSetCookie()[0]).toMatch(/^atlas_session=;/);
      expect((await api.request('GET', '/api/auth/me', { session: s })).body.user).toBeNull();
      // logging out again is harmless
      expect((await api.request('POST', '/api/auth/logout', { session: s })).status).toBe(204);
    });

    it('a new login replaces the old session (no fixation)', async () => {
      const s1 = await api.login(USERS.editor.username, USERS.editor.password);
      const res = await api.request('POST', '/api/auth/login', {
        session: s1,
        body: { username: USERS.editor.username, password: USERS.editor.password },
      });
      expect(res.status).toBe(200);
      expect(res.body.csrfToken).not.toBe(s1.csrfToken);
      expect((await api.request('GET', '/api/auth/me', { session: s1 })).body.user).toBeNull();
    });

    it('ends sessions after the idle time and at the absolute limit', async () => {
      const idle = await api.login(USERS.editor.username, USERS.editor.password);
      const absolute = await api.login(USERS.editor.username, USERS.editor.password);
      const fresh = await api.login(USERS.editor.username, USERS.editor.password);
      await api.db.query("UPDATE sessions SET last_seen_at = now() - interval '61 minutes' WHERE csrf_token = $1", [idle.csrfToken]);
      await api.db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE csrf_token = $1", [absolute.csrfToken]);
      for (const s of [idle, absolute]) {
        const me = await api.request('GET', '/api/auth/me', { session: s });
        expect(me.body.user).toBeNull();
        expect(me.headers.getSetCookie()[0]).toMatch(/^atlas_session=;/);
        expect((await api.request('POST', '/api/facilities', { session: s, body: NEW_FACILITY })).status).toBe(401);
      }
      expect((await api.request('GET', '/api/auth/me', { session: fresh })).body.user.username).toBe('editor1');
    });

    it('keeps a session alive while it is used, and ends it when idle', async () => {
      // Idle limit 3 s; three requests 1.5 s apart span 4.5 s and keep it alive; then 3.5 s of silence end it.
      // Time is the database's now(): "1.5 s pass" = the session's timestamps move 1.5 s into the past.
      const short = await serve(api.db, { security: { sessionIdleMs: 3000, rateLimits: { writes: 1000 } } });
      const pass = (s: { csrfToken: string }, ms: number) =>
        api.db.query(
          `UPDATE sessions SET created_at = created_at - make_interval(secs => $1::float8 / 1000),
                  last_seen_at = last_seen_at - make_interval(secs => $1::float8 / 1000),
                  expires_at = expires_at - make_interval(secs => $1::float8 / 1000)
            WHERE csrf_token = $2`,
          [ms, s.csrfToken],
        );
      try {
        const s = await short.login(USERS.editor.username, USERS.editor.password);
        for (let i = 0; i < 3; i++) {
          await pass(s, 1500);
          expect((await short.request('GET', '/api/auth/me', { session: s })).body.user?.username, `step ${i}`).toBe('editor1');
        }
        await pass(s, 3500);
        expect((await short.request('GET', '/api/auth/me', { session: s })).body.user).toBeNull();
      } finally {
        await short.close();
      }
    });

    it('sets Secure when configured, and when a trusted proxy says https', async () => {
      const forced = await serve(api.db, { security: { cookieSecure: true } });
      const proxied = await serve(api.db, { security: { trustProxy: 'loopback' } });
      try {
        const body = JSON.stringify({ username: USERS.editor.username, password: USERS.editor.password });
        const a = await fetch(`${forced.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(a.headers.getSetCookie()[0]).toMatch(/; Secure/);
        const b = await fetch(`${proxied.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
          body,
        });
        expect(b.headers.getSetCookie()[0]).toMatch(/; Secure/);
        // without trust, the same header is ignored
        const c = await fetch(`${api.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
          body,
        });
        expect(c.headers.getSetCookie()[0]).not.toMatch(/; Secure/);
      } finally {
        await forced.close();
        await proxied.close();
      }
    });

    it('rejects writes without the CSRF token, with a wrong one, and from other origins', async () => {
      const s = await api.login(USERS.editor.username, USERS.editor.password);
      const host = new URL(api.url).host;
      const cases: [string, Parameters<typeof api.request>[2], number, string | null][] = [
        ['no token', { session: s, csrf: false, body: NEW_FACILITY }, 403, 'csrf'],
        ['wrong token', { session: s, csrf: 'x'.repeat(43), body: NEW_FACILITY }, 403, 'csrf'],
        ['empty token', { session: s, csrf: '', body: NEW_FACILITY }, 403, 'csrf'],
        ['another origin', { session: s, body: NEW_FACILITY, headers: { origin: 'http://evil.example' } }, 403, 'cross_origin'],
        ['origin null', { session: s, body: NEW_FACILITY, headers: { origin: 'null' } }, 403, 'cross_origin'],
        ['same host, other port', { session: s, body: NEW_FACILITY, headers: { origin: 'http://127.0.0.1:1' } }, 403, 'cross_origin'],
        ['cross-site fetch', { session: s, body: NEW_FACILITY, headers: { 'sec-fetch-site': 'cross-site' } }, 403, 'cross_origin'],
        [
          'anonymous from another origin',
          { body: { category: 'other', text: 'x', coordinates: [106.5, 29.5] }, headers: { origin: 'http://evil.example' } },
          403,
          'cross_origin',
        ],
        [
          'same origin',
          { session: s, body: NEW_FACILITY, headers: { origin: `http://${host}`, 'sec-fetch-site': 'same-origin' } },
          201,
          null,
        ],
      ];
      for (const [name, opts, status, code] of cases) {
        const path = name.startsWith('anonymous') ? '/api/feedback' : '/api/facilities';
        const r = await api.request('POST', path, opts);
        expect(r.status, name).toBe(status);
        if (code) expect(r.body.error.code, name).toBe(code);
      }
      // a form post (not JSON) is refused before anything else
      const form = await api.request('POST', '/api/feedback', {
        raw: 'category=other',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      // reads need no token
      expect((await api.request('GET', '/api/facilities/1/history', { session: s, csrf: false })).status).toBe(200);
    });

    it('allows configured extra origins', async () => {
      const other = await serve(api.db, { security: { allowedOrigins: ['https://atlas.example.org'] } });
      try {
        const s = await other.login(USERS.editor.username, USERS.editor.password);
        const r = await other.request('POST', '/api/facilities', {
          session: s,
          body: NEW_FACILITY,
          headers: { origin: 'https://atlas.example.org' },
        });
        expect(r.status).toBe(201);
      } finally {
        await other.close();
      }
    });

    it('limits failed logins per client and name, with Retry-After; successes do not count', async () => {
      const limited = await serve(api.db, { security: { rateLimits: { login: 3 } } });
      try {
        await api.db.query('DELETE FROM rate_limits');
        for (let i = 0; i < 5; i++) await limited.login(USERS.editor2.username, USERS.editor2.password);
        for (let i = 0; i < 3; i++) {
          expect(
            (await limited.request('POST', '/api/auth/login', { body: { username: 'editor2', password: 'wrong-password' } })).status,
          ).toBe(401);
        }
        const blocked = await limited.request('POST', '/api/auth/login', {
          body: { username: 'editor2', password: USERS.editor2.password },
        });
        expect(blocked.status).toBe(429);
        expect(blocked.body.error.code).toBe('rate_limited');
        const retryAfter = Number(blocked.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(14 * 60);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
        expect(blocked.body.error.details.retryAfterS).toBe(retryAfter);
        // another name from the same client is still let through (up to the per-client cap)
        expect(
          (await limited.request('POST', '/api/auth/login', { body: { username: 'editor1', password: USERS.editor.password } })).status,
        ).toBe(200);
        // the counters hold no client address in clear
        const keys = (await api.db.query<{ key: string }>('SELECT key FROM rate_limits')).rows.map((r) => r.key);
        expect(keys.length).toBeGreaterThan(0);
        for (const k of keys) expect(k).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        await limited.close();
        await api.db.query('DELETE FROM rate_limits');
      }
    });

    it('changes a password: the other sessions end, this one stays', async () => {
      const a = await api.login(USERS.editor2.username, USERS.editor2.password);
      const b = await api.login(USERS.editor2.username, USERS.editor2.password);
      const wrong = await api.request('POST', '/api/auth/password', {
        session: a,
        body: { currentPassword: 'nope-nope-nope', newPassword: 'a-new-password-22' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.field).toBe('currentPassword');
      const short = await api.request('POST', '/api/auth/password', {
        session: a,
        body: { currentPassword: USERS.editor2.password, newPassword: 'short' },
      });
      expect(short.body.error.field).toBe('newPassword');
      const ok = await api.request('POST', '/api/auth/password', {
        session: a,
        body: { currentPassword: USERS.editor2.password, newPassword: 'a-new-password-22' },
      });
      expect(ok.status).toBe(204);
      expect((await api.request('GET', '/api/auth/me', { session: a })).body.user.username).toBe('editor2');
      expect((await api.request('GET', '/api/auth/me', { session: b })).body.user).toBeNull();
      await expect(api.login('editor2', USERS.editor2.password)).rejects.toThrow(/401/);
      await api.login('editor2', 'a-new-password-22');
      // put it back for the other tests
      const c = await api.login('editor2', 'a-new-password-22');
      await api.request('POST', '/api/auth/password', {
        session: c,
        body: { currentPassword: 'a-new-password-22', newPassword: USERS.editor2.password },
      });
    });

    it('lets admins manage users, and nobody else', async () => {
      const admin = await api.login(USERS.admin.username, USERS.admin.password);
      const editor = await api.login(USERS.editor.username, USERS.editor.password);
      expect((await api.request('GET', '/api/users')).status).toBe(401);
      expect((await api.request('GET', '/api/users', { session: editor })).status).toBe(403);
      const list = await api.request('GET', '/api/users', { session: admin });
      expect(list.status).toBe(200);
      expect(list.body.users.map((u: { username: string }) => u.username)).toEqual(['admin1', 'editor1', 'editor2', 'gone1']);
      expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/);

      const created = await api.request('POST', '/api/users', {
        session: admin,
        body: { username: 'Planner.Li ', password: 'planner-password-1', role: 'editor', display_name: '李规划' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ username: 'planner.li', role: 'editor', disabled: false, display_name: '李规划' });
      expect(created.headers.get('location')).toBe(`/api/users/${created.body.id}`);
      expect(
        (
          await api.request('POST', '/api/users', {
            session: admin,
            body: { username: 'planner.li', password: 'planner-password-1', role: 'editor' },
          })
        ).status,
      ).toBe(409);
      for (const [body, field] of [
        [{ username: 'x', password: 'planner-password-1', role: 'editor' }, 'username'],
        [{ username: 'ok_name', password: 'short', role: 'editor' }, 'password'],
        [{ username: 'ok_name', password: 'planner-password-1', role: 'root' }, 'role'],
        [{ username: 'ok_name', password: 'planner-password-1', role: 'editor', is_admin: true }, 'is_admin'],
      ] as const) {
        const r = await api.request('POST', '/api/users', { session: admin, body });
        expect(r.status).toBe(400);
        expect(r.body.error.field).toBe(field);
      }

      const li = await api.login('planner.li', 'planner-password-1');
      expect((await api.request('GET', '/api/users', { session: li })).status).toBe(403);
      const promoted = await api.request('PATCH', `/api/users/${created.body.id}`, { session: admin, body: { role: 'admin' } });
      expect(promoted.body.role).toBe('admin');
      // the role is read at every request: no new login needed
      expect((await api.request('GET', '/api/users', { session: li })).status).toBe(200);

      const disabled = await api.request('PATCH', `/api/users/${created.body.id}`, { session: admin, body: { disabled: true } });
      expect(disabled.status).toBe(200);
      expect(disabled.body.disabled).toBe(true);
      expect((await api.request('GET', '/api/users', { session: li })).status).toBe(401);
      await expect(api.login('planner.li', 'planner-password-1')).rejects.toThrow(/403/);

      const self = await api.request('PATCH', `/api/users/${admin.user.id}`, { session: admin, body: { role: 'editor' } });
      expect(self.status).toBe(409);
      expect((await api.request('PATCH', `/api/users/${admin.user.id}`, { session: admin, body: { disabled: true } })).status).toBe(409);
      expect((await api.request('PATCH', '/api/users/99999', { session: admin, body: { disabled: true } })).status).toBe(404);
      expect((await api.request('PATCH', `/api/users/${created.body.id}`, { session: admin, body: {} })).status).toBe(400);
      expect((await api.request('PATCH', `/api/users/${created.body.id}`, { session: editor, body: { disabled: false } })).status).toBe(
        403,
      );
    });

    it('creates the initial admin from the environment once, and leaves it alone after', async () => {
      const log = { info: () => {}, warn: () => {} };
      expect(await ensureInitialAdmin(api.db, 'root.admin', 'initial-admin-password', log)).toBe('created');
      expect(await ensureInitialAdmin(api.db, 'root.admin', 'another-password-here', log)).toBe('exists');
      const s = await api.login('root.admin', 'initial-admin-password');
      expect(s.user.role).toBe('admin');
      const warned: string[] = [];
      expect(
        await ensureInitialAdmin(api.db, undefined, undefined, {
          info: () => {},
          warn: (m: unknown) => void warned.push(String(m)),
        } as never),
      ).toBe('not-configured');
      expect(warned).toEqual([]); // there are admins, nothing to warn about
    });
  });
}
