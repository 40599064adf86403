/**
 * The bad-input corpus: malformed JSON, huge bodies, wrong content types, invalid
 * coordinates, SQL-injection strings in every text field and query parameter, path
 * traversal in ids, invalid tiles, hostile headers. Every request must get a clear 4xx
 * JSON answer (never a 5xx, never a stack trace), the server must keep serving, and
 * no table may change. Requests go out through node:http so that paths are sent
 * exactly as written (fetch would normalise `../`).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERS, apiTargets, startSecureApi, tablesChecksum, type SecureApi, type Session } from './harness';

/** SQL-injection and quoting strings (OWASP testing guide, sqlmap's basic payloads). */
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE facilities; --",
  '1; DELETE FROM users; --',
  "' UNION SELECT password_hash FROM users --",
  '" OR ""="',
  "1' AND pg_sleep(5) IS NULL --",
  "'||(SELECT version())||'",
  '$1',
  "\\'; --",
  "%' OR 1=1 --",
  'ʼ OR ʼ1ʼ=ʼ1', // U+02BC, a quote look-alike
  "admin'--",
  "'); TRUNCATE feedback; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant to stay literal
  '${7*7}{{7*7}}<%= 7*7 %>',
  '<script>alert(1)</script>',
];

const TRAVERSALS = [
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '..%5c..%5cwindows',
  '%252e%252e%252f',
  '....%2F%2F....%2F%2F',
  '1%00',
  '1%2500',
  '1;DROP%20TABLE%20facilities',
  "1'%20OR%20'1'='1",
  '0x10',
  '1e3',
  '-1',
  '0',
  '%201',
  '99999999999999999999',
  '1.0',
  '%E2%80%AE1',
  '%C0%AE%C0%AE',
  '%',
];

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Expected status; any 4xx when undefined. */
  status?: number | number[];
  /** Send with the editor's (or admin's) session and token, to reach the validation behind the role check. */
  auth?: boolean | 'admin';
}

const JSON_H = { 'content-type': 'application/json' };

/** Routes that take a JSON body, with a body that would be valid (auth = needs the editor). */
const JSON_ROUTES: { method: string; path: string; auth: boolean | 'admin'; valid: Record<string, unknown>; text: string[] }[] = [
  {
    method: 'POST',
    path: '/api/feedback',
    auth: false,
    valid: { category: 'other', text: 'ok', coordinates: [106.55, 29.55] },
    text: ['text'],
  },
  { method: 'POST', path: '/api/auth/login', auth: false, valid: { username: 'editor1', password: 'x' }, text: ['username', 'password'] },
  {
    method: 'POST',
    path: '/api/facilities',
    auth: true,
    valid: { category: 'park', name_zh: '公园', coordinates: [106.55, 29.55] },
    text: ['name_zh', 'name_en', 'address', 'opening_hours', 'phone'],
  },
  { method: 'PATCH', path: '/api/facilities/2', auth: true, valid: { version: 1, name_zh: '公园' }, text: ['name_zh', 'address'] },
  { method: 'PATCH', path: '/api/feedback/1', auth: true, valid: { reply: 'ok' }, text: ['reply'] },
  { method: 'POST', path: '/api/facilities/2/revert', auth: true, valid: { toVersion: 1 }, text: [] },
  {
    method: 'POST',
    path: '/api/users',
    auth: 'admin',
    valid: { username: 'new_user', password: 'password-long-1', role: 'editor' },
    text: ['username', 'display_name'],
  },
  { method: 'PATCH', path: '/api/users/2', auth: 'admin', valid: { display_name: 'x' }, text: ['display_name'] },
];

/** GET routes and the query parameters they read. */
const QUERY_ROUTES: [string, string[]][] = [
  ['/api/facilities', ['bbox', 'category', 'q', 'district', 'limit']],
  ['/api/nearby', ['lng', 'lat', 'category', 'limit']],
  ['/api/feedback', ['bbox', 'category', 'status', 'district', 'before', 'limit', 'download']],
  ['/api/districts', ['simplify']],
  ['/api/tiles/facilities/10/838/422.pbf', ['category']],
  ['/api/facilities/1/history', ['limit']],
];

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);

  // 1. Malformed JSON, on every JSON route
  const MALFORMED = [
    '{',
    '{"a":',
    '[1,2',
    'nul',
    '{"a":1}}',
    "{'a':1}",
    '{"a":01}',
    '{"a":NaN}',
    '{"a":Infinity}',
    '\u0000',
    '"just a string"',
    '42',
    'true',
    'null',
    '[]',
    '{"a":"\\u00"}',
    '\uFEFF{"a":1}x',
  ];
  for (const r of JSON_ROUTES) {
    for (const m of MALFORMED)
      add({
        name: `malformed ${JSON.stringify(m)} → ${r.path}`,
        method: r.method,
        path: r.path,
        headers: JSON_H,
        body: m,
        status: 400,
        auth: r.auth,
      });
    // nested too deeply
    add({
      name: `deep nesting → ${r.path}`,
      method: r.method,
      path: r.path,
      headers: JSON_H,
      body: '['.repeat(5000) + ']'.repeat(5000),
      status: 400,
      auth: r.auth,
    });
    add({
      name: `deep object → ${r.path}`,
      method: r.method,
      path: r.path,
      headers: JSON_H,
      body: JSON.stringify({ ...r.valid, x: JSON.parse(`${'{"a":'.repeat(50)}1${'}'.repeat(50)}`) }),
      status: 400,
      auth: r.auth,
    });
    // prototype pollution attempts are unknown fields
    add({
      name: `__proto__ → ${r.path}`,
      method: r.method,
      path: r.path,
      headers: JSON_H,
      body: `{"__proto__":{"role":"admin"},${JSON.stringify(r.valid).slice(1)}`,
      status: 400,
      auth: r.auth,
    });
    add({
      name: `constructor → ${r.path}`,
      method: r.method,
      path: r.path,
      headers: JSON_H,
      body: JSON.stringify({ ...r.valid, constructor: { prototype: { admin: true } } }),
      status: 400,
      auth: r.auth,
    });
    // 2. Huge bodies
    add({
      name: `1 MB body → ${r.path}`,
      method: r.method,
      path: r.path,
      headers: JSON_H,
      body: JSON.stringify({ ...r.valid, pad: 'x'.repeat(1_000_000) }),
      status: 413,
      auth: r.auth,
    });
    // 3. Wrong content types
    for (const ct of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/json; charset=latin1',
    ]) {
      add({
        name: `${ct} → ${r.path}`,
        method: r.method,
        path: r.path,
        headers: { 'content-type': ct },
        body: JSON.stringify(r.valid),
        status: ct.includes('latin1') ? 415 : 415,
        auth: r.auth,
      });
    }
    // NUL and lone surrogates in every text field (and in keys)
    for (const f of r.text) {
      for (const bad of ['a\u0000b', '\ud800', 'x\udfffy']) {
        add({
          name: `${JSON.stringify(bad)} in ${f} → ${r.path}`,
          method: r.method,
          path: r.path,
          headers: JSON_H,
          body: JSON.stringify({ ...r.valid, [f]: bad }),
          status: 400,
          auth: r.auth,
        });
      }
      // wrong types in text fields
      for (const v of [123, true, ['a'], { a: 1 }]) {
        add({
          name: `${JSON.stringify(v)} as ${f} → ${r.path}`,
          method: r.method,
          path: r.path,
          headers: JSON_H,
          body: JSON.stringify({ ...r.valid, [f]: v }),
          status: 400,
          auth: r.auth,
        });
      }
      // oversize text
      add({
        name: `10k chars in ${f} → ${r.path}`,
        method: r.method,
        path: r.path,
        headers: JSON_H,
        body: JSON.stringify({ ...r.valid, [f]: '长'.repeat(10_000) }),
        status: r.path.includes('feedback') || r.path.includes('auth') ? [400, 413] : 400,
        auth: r.auth,
      });
    }
  }
  // chunked body larger than the limit
  add({
    name: 'chunked 200 kB → /api/facilities',
    method: 'POST',
    path: '/api/facilities',
    headers: { ...JSON_H, 'transfer-encoding': 'chunked' },
    body: JSON.stringify({ pad: 'x'.repeat(200_000) }),
    status: 413,
    auth: true,
  });

  // 4. Invalid coordinates
  // biome-ignore lint/correctness/noPrecisionLoss: 1e999 is Infinity on purpose (an out-of-range coordinate)
  const OVERFLOW = 1e999;
  const COORDS: unknown[] = [
    [181, 0],
    [-181, 0],
    [0, 91],
    [0, -91],
    [OVERFLOW, 0],
    ['106.5', '29.5'],
    [106.5],
    [106.5, 29.5, 0],
    [null, null],
    {},
    'POINT(106 29)',
    [[106.5, 29.5]],
    [106.5, true],
  ];
  for (const c of COORDS) {
    const coordsJson = Array.isArray(c) && c[0] === Infinity ? '[1e999,0]' : JSON.stringify(c);
    add({
      name: `coordinates ${coordsJson} → feedback`,
      method: 'POST',
      path: '/api/feedback',
      headers: JSON_H,
      body: `{"category":"other","text":"x","coordinates":${coordsJson}}`,
      status: 400,
    });
    add({
      name: `coordinates ${coordsJson} → facilities`,
      method: 'POST',
      path: '/api/facilities',
      headers: JSON_H,
      body: `{"category":"park","name_zh":"x","coordinates":${coordsJson}}`,
      status: 400,
      auth: true,
    });
  }
  // (`lng=0x10` is read as 16 by the nearby route's number parser: a number, so not in this list.)
  for (const q of [
    'lng=181&lat=0',
    'lng=0&lat=91',
    'lng=NaN&lat=0',
    'lng=Infinity&lat=0',
    'lng=1e999&lat=0',
    'lng=&lat=',
    'lng=1,2&lat=3',
    'lng=106&lng=107&lat=29',
  ]) {
    add({ name: `nearby ${q}`, method: 'GET', path: `/api/nearby?${q}`, status: 400 });
  }
  for (const b of ['1,2,3', '106.6,29.5,106.5,29.6', 'a,b,c,d', '-200,0,0,1', '1,,2,3', ',,,', 'NaN,0,1,1', '0,0,1,1,2']) {
    for (const p of ['/api/facilities', '/api/feedback'])
      add({ name: `bbox ${b} → ${p}`, method: 'GET', path: `${p}?bbox=${encodeURIComponent(b)}`, status: 400 });
  }

  // 5. Injection strings in every query parameter (valid text → 200/empty; invalid → 400; never 5xx)
  for (const [path, params] of QUERY_ROUTES) {
    for (const p of params) {
      for (const inj of [...INJECTIONS, 'a\u0000b']) {
        add({
          name: `${p}=${inj} → ${path}`,
          method: 'GET',
          path: `${path}${path.includes('?') ? '&' : '?'}${p}=${encodeURIComponent(inj)}`,
          status: p === 'q' && !inj.includes('\u0000') ? 200 : 400,
          auth: path.includes('history'),
        });
      }
    }
  }

  // 6. Path traversal and junk in ids, on every route with an id (as the editor: past the role check)
  const ID_ROUTES: [string, string, string?, ('admin' | true)?][] = [
    ['GET', '/api/facilities/{id}'],
    ['GET', '/api/facilities/{id}/history'],
    ['PATCH', '/api/facilities/{id}', '{"version":1,"name_zh":"x"}'],
    ['DELETE', '/api/facilities/{id}'],
    ['POST', '/api/facilities/{id}/revert', '{"toVersion":1}'],
    ['GET', '/api/feedback/{id}'],
    ['PATCH', '/api/feedback/{id}', '{"action":"approve"}'],
    ['PATCH', '/api/users/{id}', '{"display_name":"x"}', 'admin'],
  ];
  for (const [method, tpl, body, who] of ID_ROUTES) {
    for (const t of TRAVERSALS) {
      // The public read route GET /api/facilities/:id (facilities feature) coerces " 1" and "1.0" to 1: harmless, allowed.
      const status = tpl === '/api/facilities/{id}' && method === 'GET' ? [200, 400, 404] : [400, 404];
      add({
        name: `${method} ${tpl} id=${t}`,
        method,
        path: tpl.replace('{id}', t),
        headers: body ? JSON_H : {},
        body,
        status,
        auth: who ?? true,
      });
    }
  }
  for (const p of [
    '/api/../../etc/passwd',
    '/api/facilities/../users',
    '/api/%2e%2e/%2e%2e/etc/passwd',
    '/api/facilities/1/../../users',
    '//api/users',
    '/api/users/',
    '/api/feedback/catalogue/../../users',
  ]) {
    add({ name: `traversal path ${p}`, method: 'PATCH', path: p, headers: JSON_H, body: '{"role":"admin"}', status: [400, 401, 403, 404] });
  }

  // 7. Invalid tiles
  for (const t of [
    '23/0/0',
    '-1/0/0',
    '1.5/0/0',
    '2/4/0',
    '2/0/4',
    'a/b/c',
    '99999999999/0/0',
    '1/0/0.pbf',
    '1/0',
    '0/0/0/0',
    '%00/0/0',
    '1/%2e%2e/0',
    '22/4194304/0',
    "1/0/0'%3BDROP%20TABLE%20facilities%3B--",
  ]) {
    add({ name: `tile ${t}`, method: 'GET', path: `/api/tiles/facilities/${t}.pbf`, status: [400, 404] });
  }
  add({ name: 'tile .mvt', method: 'GET', path: '/api/tiles/facilities/1/0/0.mvt', status: 404 });

  // 8. Hostile headers
  add({
    name: 'cookie with injection',
    method: 'POST',
    path: '/api/facilities',
    headers: { ...JSON_H, cookie: "atlas_session=' OR 1=1 --" },
    body: '{}',
    status: 401,
  });
  add({
    name: 'cookie repeated',
    method: 'POST',
    path: '/api/facilities',
    headers: { ...JSON_H, cookie: 'atlas_session=a; atlas_session=b; atlas_session=c' },
    body: '{}',
    status: 401,
  });
  add({
    name: 'cookie 8 kB',
    method: 'POST',
    path: '/api/facilities',
    headers: { ...JSON_H, cookie: `atlas_session=${'a'.repeat(8000)}` },
    body: '{}',
    status: 401,
  });
  add({ name: 'headers over 16 kB', method: 'GET', path: '/api/facilities', headers: { cookie: 'x'.repeat(20_000) }, status: 431 });
  add({
    name: 'csrf header 8 kB',
    method: 'POST',
    path: '/api/facilities',
    headers: { ...JSON_H, 'x-csrf-token': 'x'.repeat(8000) },
    body: '{}',
    status: 403,
    auth: true,
  });
  add({
    name: 'origin garbage',
    method: 'POST',
    path: '/api/feedback',
    headers: { ...JSON_H, origin: "javascript:alert('x')" },
    body: '{}',
    status: 403,
  });
  add({ name: 'origin file', method: 'POST', path: '/api/feedback', headers: { ...JSON_H, origin: 'file://' }, body: '{}', status: 403 });
  add({
    name: 'x-forwarded-for spoof (not trusted)',
    method: 'POST',
    path: '/api/feedback',
    headers: { ...JSON_H, 'x-forwarded-for': "1.2.3.4', 'x" },
    body: '{"category":"x"}',
    status: 400,
  });
  add({ name: 'duplicate query params', method: 'GET', path: '/api/facilities?limit=1&limit=2', status: 400 });
  add({ name: 'unknown method', method: 'PUT', path: '/api/facilities/1', headers: JSON_H, body: '{}', status: 404 });
  return cases;
}

for (const target of apiTargets()) {
  describe(`bad-input corpus on ${target.name}`, () => {
    let api: SecureApi;
    let editor: Session;
    let admin: Session;
    const CORPUS = corpus();

    beforeAll(async () => {
      api = await startSecureApi(target);
      editor = await api.login(USERS.editor.username, USERS.editor.password);
      admin = await api.login(USERS.admin.username, USERS.admin.password);
      // One pending pin for the moderation routes to aim at.
      await api.request('POST', '/api/feedback', { body: { category: 'other', text: 'target', coordinates: [106.55, 29.55] } });
    });
    afterAll(async () => api?.close());

    it(`answers all ${CORPUS.length} bad requests with a clear 4xx, changes nothing and stays up`, async () => {
      const before = await tablesChecksum(api.db);
      const failures: string[] = [];
      const byStatus: Record<number, number> = {};
      for (const c of CORPUS) {
        const headers: Record<string, string> = { ...c.headers };
        if (c.auth) {
          const s = c.auth === 'admin' ? admin : editor;
          headers.cookie = s.cookie;
          headers['x-csrf-token'] ??= s.csrfToken;
        }
        if (c.body !== undefined && !headers['transfer-encoding']) headers['content-length'] = String(Buffer.byteLength(c.body));
        let r: Raw;
        try {
          r = await raw(api.url, c.method, c.path, headers, c.body);
        } catch (e) {
          failures.push(`${c.name}: connection error ${(e as Error).message}`);
          continue;
        }
        byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        const ok = c.status === undefined ? r.status >= 400 && r.status < 500 : ([] as number[]).concat(c.status).includes(r.status);
        if (!ok) failures.push(`${c.name}: got ${r.status} ${r.body.slice(0, 160)}`);
        if (r.status >= 500) failures.push(`${c.name}: server error ${r.status}`);
        if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/.test(r.body)) failures.push(`${c.name}: stack trace in response`);
        if (r.status >= 400 && r.status !== 431) {
          if (!String(r.headers['content-type']).startsWith('application/json')) failures.push(`${c.name}: ${r.status} is not JSON`);
          else if (!JSON.parse(r.body).error?.code) failures.push(`${c.name}: no error code`);
        }
      }
      console.info(`bad-input corpus on ${target.name}: ${CORPUS.length} requests, by status ${JSON.stringify(byStatus)}`);
      expect(failures).toEqual([]);
      expect(await tablesChecksum(api.db)).toEqual(before);
      const health = await api.request('GET', '/api/health');
      expect(health.status).toBe(200);
      // the editor's session still works: nothing was corrupted
      expect((await api.request('GET', '/api/auth/me', { session: editor })).body.user.username).toBe('editor1');
    });

    it('stores injection strings in every text field as plain data, byte for byte', async () => {
      const before = (await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n;
      for (const inj of INJECTIONS) {
        const fb = await api.request('POST', '/api/feedback', { body: { category: 'other', text: inj, coordinates: [106.55, 29.55] } });
        expect(fb.status, inj).toBe(201);
        expect(fb.body.properties.text).toBe(inj);
        const f = await api.request('POST', '/api/facilities', {
          session: editor,
          body: { category: 'park', name_zh: inj, name_en: inj, address: inj, opening_hours: inj, coordinates: [106.55, 29.55] },
        });
        expect(f.status, inj).toBe(201);
        expect(f.body.properties).toMatchObject({
          name_zh: inj.trim(),
          name_en: inj.trim(),
          address: inj.trim(),
          opening_hours: inj.trim(),
        });
        const moderated = await api.request('PATCH', `/api/feedback/${fb.body.id}`, { session: editor, body: { reply: inj } });
        expect(moderated.body.properties.reply).toBe(inj);
        const login = await api.request('POST', '/api/auth/login', { body: { username: inj, password: inj } });
        expect(login.status, inj).toBe(401);
        // searching for it finds the facility named by it, and nothing else
        const found = await api.request('GET', `/api/facilities?q=${encodeURIComponent(inj.trim())}&limit=1000`);
        expect(found.status).toBe(200);
        expect(
          found.body.features.every(
            (x: { properties: { name_zh: string; address: string } }) =>
              x.properties.name_zh.includes(inj.trim()) || x.properties.address?.includes(inj.trim()),
          ),
        ).toBe(true);
      }
      expect((await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(before);
      expect(
        (await api.db.query<{ n: number }>("SELECT count(*)::int AS n FROM facilities WHERE status = 'active'")).rows[0].n,
      ).toBeGreaterThan(5);
    });
  });
}
