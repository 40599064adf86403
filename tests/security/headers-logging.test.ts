/**
 * Security headers (helmet), CORS off, and secrets kept out of logs and responses.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTargets, openTestDatabase, prepareSecure, serve, startSecureApi, type SecureApi, type TestDatabase } from './harness';
import { createLogger } from '../../server/http/logging';
import type { Db } from '../../server/db/adapter';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import { helmetOptions } from '../../server/app';

/** A logger at `trace` whose every line lands in `lines`. */
function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { log: createLogger('trace', sink), lines };
}

const SECRET = 'correct-horse-battery-SECRET-7731';

for (const target of apiTargets()) {
  describe(`security headers on ${target.name}`, () => {
    let api: SecureApi;
    beforeAll(async () => {
      api = await startSecureApi(target);
    });
    afterAll(async () => api?.close());

    it('sends helmet headers on answers, errors included', async () => {
      for (const [method, path] of [
        ['GET', '/api/health'],
        ['GET', '/api/nope'],
        ['POST', '/api/feedback'],
        ['GET', '/api/auth/me'],
      ]) {
        const r = await api.request(method, path, method === 'POST' ? { body: {} } : {});
        const h = r.headers;
        expect(h.get('content-security-policy'), path).toContain("default-src 'self'");
        expect(h.get('content-security-policy')).toContain("frame-ancestors 'self'");
        expect(h.get('content-security-policy')).toContain("object-src 'none'");
        expect(h.get('x-content-type-options')).toBe('nosniff');
        expect(h.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(h.get('referrer-policy')).toBe('no-referrer');
        expect(h.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
        expect(h.get('cross-origin-resource-policy')).toBe('same-origin');
        expect(h.get('x-powered-by')).toBeNull();
        expect(h.get('content-type')).toMatch(/^application\/json/);
      }
    });

    it('sends exactly the headers helmet itself sets per request (worked out once at start)', async () => {
      // helmet as a plain middleware, per request, with the app's options
      const plain = express();
      plain.use(helmet(helmetOptions({})));
      plain.get('/x', (_req, res) => {
        res.json({});
      });
      const srv = plain.listen(0, '127.0.0.1');
      await new Promise((r) => srv.once('listening', r));
      try {
        const want = (await fetch(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/x`)).headers;
        const got = (await api.request('GET', '/api/health')).headers;
        const names = [...want.keys()].filter(
          (k) => !['content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive'].includes(k),
        );
        expect(names.length).toBeGreaterThan(10);
        for (const k of names) expect(got.get(k), k).toBe(want.get(k));
        expect(got.get('x-powered-by')).toBeNull();
      } finally {
        srv.close();
      }
    });

    it('has CORS off: no Access-Control-* header, not even on a preflight', async () => {
      const preflight = await fetch(`${api.url}/api/facilities`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-csrf-token,content-type',
        },
      });
      const get = await fetch(`${api.url}/api/facilities`, { headers: { origin: 'http://evil.example' } });
      for (const r of [preflight, get]) {
        for (const [k] of r.headers) expect(k).not.toMatch(/^access-control-/);
      }
    });
  });

  describe(`secrets stay out of logs on ${target.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await openTestDatabase(target, async (db) => {
        await prepareSecure(db);
        const { createUser } = await import('../../server/features/users/sql');
        await createUser(db, { username: 'secretive', password: SECRET, role: 'editor' });
      });
    });
    afterAll(async () => database?.close());

    it('never writes a password, a session cookie or a CSRF token to the log', async () => {
      const { log, lines } = capturingLogger();
      const app = await serve(database.db, { log });
      try {
        // failed and successful logins, a malformed body with the password in it, a too-long one
        await app.request('POST', '/api/auth/login', { body: { username: 'secretive', password: `${SECRET}x` } });
        const s = await app.login('secretive', SECRET);
        await app.request('POST', '/api/auth/login', { raw: `{"username":"secretive","password":"${SECRET}"` });
        await app.request('POST', '/api/auth/login', { body: { username: 'secretive', password: SECRET.repeat(20) } });
        await app.request('POST', '/api/auth/login', { body: { username: SECRET, password: SECRET, extra: SECRET } });
        await app.request('POST', '/api/auth/password', { session: s, body: { currentPassword: SECRET, newPassword: 'short' } });
        await app.request('POST', '/api/users', { session: s, body: { username: 'x_user', password: SECRET, role: 'editor' } });
        await app.request('POST', '/api/facilities', { session: s, csrf: false, body: {} });
        await app.request('GET', '/api/auth/me', { session: s });
        await app.request('POST', '/api/auth/logout', { session: s });
        log.flush?.();
        const text = lines.join('');
        expect(lines.length).toBeGreaterThan(5); // the requests were logged…
        expect(text).toContain('/api/auth/login');
        expect(text).not.toContain(SECRET); // …without the password
        expect(text).not.toContain(s.cookie.split('=')[1]); // the session token
        expect(text).not.toContain(s.csrfToken);
        expect(text).not.toMatch(/\$argon2/);
      } finally {
        await app.close();
      }
    });

    it('redacts secrets even when code logs them by mistake', () => {
      const { log, lines } = capturingLogger();
      log.info(
        {
          body: { username: 'a', password: SECRET },
          req: { headers: { cookie: `atlas_session=${SECRET}`, authorization: `Bearer ${SECRET}` } },
        },
        'oops',
      );
      log.info({ password: SECRET, user: { password_hash: SECRET, csrfToken: SECRET } }, 'oops again');
      log.error({ err: { message: 'db', params: [SECRET], query: `SELECT '${SECRET}'` } }, 'driver error');
      expect(lines.join('')).not.toContain(SECRET);
      expect(lines.join('')).toContain('[redacted]');
    });

    it('answers an unexpected error with a bare 500 and logs no bound values', async () => {
      // A database whose queries fail like a driver error that carries its parameters.
      const failing: Db = {
        ...database.db,
        kind: database.db.kind,
        capabilities: database.db.capabilities,
        query: async (sql: string, params?: readonly unknown[]) => {
          if (sql.includes('FROM facilities f'))
            throw Object.assign(new Error('something broke'), { params: [SECRET, ...(params ?? [])], query: sql });
          return database.db.query(sql, params);
        },
        exec: (sql: string) => database.db.exec(sql),
        transaction: (fn) => database.db.transaction(fn),
        close: async () => {},
      } as Db;
      const { log, lines } = capturingLogger();
      const app = await serve(failing, { log });
      try {
        const r = await app.request('GET', `/api/facilities?q=${encodeURIComponent(SECRET)}`);
        expect(r.status).toBe(500);
        expect(r.body).toEqual({ error: { code: 'internal', message: 'internal server error' } });
        expect(r.text).not.toContain('something broke');
        const text = lines.join('');
        expect(text).toContain('something broke'); // the operator sees what happened…
        expect(text).not.toContain(SECRET); // …but not the values
      } finally {
        await app.close();
      }
    });
  });
}
