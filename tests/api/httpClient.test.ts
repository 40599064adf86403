/**
 * The client's one HTTP module (client/src/http.ts) against real servers: the atlas app
 * (error bodies as the server writes them, on PGlite and PostgreSQL) and a small raw
 * node:http server for what the app cannot be made to do on cue (a body cut by an
 * abort, echoing the CSRF header). No fetch is mocked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, getJson, onUnauthorized, request, setApiBase, setCsrfToken } from '../../client/src/http';
import { apiTargets, startTestApi, type TestApi } from './harness';
import { loadFixture } from './fixture';

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

for (const target of apiTargets()) {
  describe(`http client error mapping on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, loadFixture);
      setApiBase(api.url);
    });
    afterAll(async () => {
      setApiBase('');
      await api?.close();
    });

    it('a 400 carries status, code, field and the server message', async () => {
      const e = await caught(getJson('/api/facilities', { bbox: '106.6,29.5,106.5,29.6' }));
      expect(e).toBeInstanceOf(ApiError);
      const err = e as ApiError;
      expect(err.status).toBe(400);
      expect(err.code).toBe('invalid_request');
      expect(err.field).toBe('bbox');
      expect(err.message.length).toBeGreaterThan(0);
    });

    it('undefined parameters are left out of the query', async () => {
      const fc = await getJson<{ features: unknown[] }>('/api/facilities', { limit: 3, q: undefined, category: null });
      expect(fc.features.length).toBeLessThanOrEqual(3);
    });

    it('an unknown route is a 404 ApiError with the server code', async () => {
      const err = (await caught(getJson('/api/no-such-thing'))) as ApiError;
      expect(err).toBeInstanceOf(ApiError);
      expect(err.status).toBe(404);
      expect(err.code).not.toBe('http_404');
    });

    it('a write without a session is a 401 and calls the unauthorized handler', async () => {
      let calls = 0;
      onUnauthorized(() => calls++);
      const err = (await caught(request('POST', '/api/facilities', { body: { name_zh: 'x' } }))) as ApiError;
      onUnauthorized(null);
      expect(err).toBeInstanceOf(ApiError);
      expect(err.status).toBe(401);
      expect(calls).toBe(1);
    });

    it('an abort before the answer rethrows the AbortError', async () => {
      const ac = new AbortController();
      ac.abort();
      const e = await caught(getJson('/api/health', {}, ac.signal));
      expect(e).toBeInstanceOf(DOMException);
      expect((e as DOMException).name).toBe('AbortError');
    });
  });
}

describe('http client on a raw server', () => {
  let server: Server;
  let origin = '';
  let release: (() => void) | null = null;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"part":');
        // the rest never comes until the test releases it (after its abort)
        release = () => res.end('1}');
        return;
      }
      if (req.url === '/echo') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ csrf: req.headers['x-csrf-token'] ?? null, type: req.headers['content-type'] ?? null }));
        return;
      }
      if (req.url === '/busy') {
        res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '7' });
        res.end(JSON.stringify({ error: { code: 'busy', message: 'try later' } }));
        return;
      }
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<h1>bad gateway</h1>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    setApiBase(origin);
  });
  afterAll(async () => {
    setApiBase('');
    setCsrfToken(null);
    release?.();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('an abort while the body arrives rethrows the AbortError (not an empty answer)', async () => {
    const ac = new AbortController();
    const p = caught(getJson('/slow-body', {}, ac.signal));
    // let the headers arrive, so the abort falls in the body (were it earlier, the answer is the same AbortError)
    await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    const e = await p;
    expect((e as DOMException).name).toBe('AbortError');
  });

  it('writes carry the CSRF token, reads do not', async () => {
    setCsrfToken('tok-123');
    expect(await request('POST', '/echo', { body: { a: 1 } })).toEqual({ csrf: 'tok-123', type: 'application/json' });
    expect(await getJson('/echo')).toEqual({ csrf: null, type: null });
    setCsrfToken(null);
    expect(await request('POST', '/echo', { body: { a: 1 } })).toEqual({ csrf: null, type: 'application/json' });
  });

  it('Retry-After and the JSON error body are kept', async () => {
    const err = (await caught(getJson('/busy'))) as ApiError;
    expect(err).toMatchObject({ status: 503, code: 'busy', message: 'try later', retryAfterS: 7 });
  });

  it('a non-JSON error body keeps the status', async () => {
    const err = (await caught(getJson('/other'))) as ApiError;
    expect(err).toMatchObject({ status: 502, code: 'http_502' });
  });

  it('a refused connection is status 0, code network', async () => {
    setApiBase('http://127.0.0.1:1');
    const err = (await caught(getJson('/x'))) as ApiError;
    setApiBase(origin);
    expect(err).toMatchObject({ status: 0, code: 'network' });
  });
});
