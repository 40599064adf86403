import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createHttpServer } from '../../server/http/server';
import { apiTargets, startTestApi, type TestApi } from './harness';
import { loadFixture } from './fixture';
import { createApp } from '../../server/app';
import { openPostgres } from '../../server/db/postgres';

const BAD: [path: string, field: string][] = [
  ['/api/facilities?bbox=106.6,29.5,106.5,29.6', 'bbox'], // west > east
  ['/api/facilities?bbox=106.5,29.6,106.6,29.5', 'bbox'], // south > north
  ['/api/facilities?bbox=106.5,29.5,186,29.6', 'bbox'], // out of range
  ['/api/facilities?bbox=1,2,3', 'bbox'],
  ['/api/facilities?bbox=a,b,c,d', 'bbox'],
  ['/api/facilities?category=zoo', 'category'],
  ['/api/facilities?category=park,zoo', 'category'],
  ['/api/facilities?limit=100000', 'limit'],
  ['/api/facilities?limit=0', 'limit'],
  ['/api/facilities?limit=2.5', 'limit'],
  ['/api/facilities?district=abc', 'district'],
  [`/api/facilities?q=${'x'.repeat(101)}`, 'q'],
  ['/api/facilities/abc', 'id'],
  ['/api/facilities/-1', 'id'],
  ['/api/nearby?lat=29.5', 'lng'],
  ['/api/nearby?lng=&lat=29.5', 'lng'],
  ['/api/nearby?lng=200&lat=29.5', 'lng'],
  ['/api/nearby?lng=106.5&lat=-91', 'lat'],
  ['/api/nearby?lng=106.5&lat=29.5&limit=101', 'limit'],
  [`/api/nearby?lng=106.5&lat=29.5&category=${encodeURIComponent("park'; DROP TABLE facilities; --")}`, 'category'],
  ['/api/tiles/facilities/23/0/0.pbf', 'z'],
  ['/api/tiles/facilities/2/4/0.pbf', 'x'],
  ['/api/tiles/facilities/2/0/4.pbf', 'y'],
  ['/api/tiles/facilities/1.5/0/0.pbf', 'z'],
  ['/api/tiles/facilities/-1/0/0.pbf', 'z'],
  ['/api/districts?simplify=-1', 'simplify'],
];

for (const target of apiTargets()) {
  describe(`bad input on ${target.name}`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(target, loadFixture);
    });
    afterAll(async () => api?.close());

    it.each(BAD)('%s → 400 naming %s', async (path, field) => {
      const res = await api.get(path);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const body = await res.json();
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.field).toBe(field);
      expect(body.error.message).toContain(field);
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack traces
    });

    it('injection strings in text are data, not SQL, and nothing changes', async () => {
      const before = (await api.json('/api/health')).body.facilities;
      const res = await api.json(`/api/facilities?q=${encodeURIComponent("'; DELETE FROM facilities; --")}`);
      expect(res.status).toBe(200);
      expect(res.body.features).toEqual([]);
      expect((await api.json('/api/health')).body.facilities).toBe(before);
    });

    it('unknown routes are JSON 404s', async () => {
      for (const path of ['/api/nope', '/api/facilities/1/extra', '/nothing-here']) {
        const res = await api.get(path);
        expect(res.status).toBe(404);
        expect((await res.json()).error.code).toBe('not_found');
      }
    });

    it('sends security headers', async () => {
      const res = await api.get('/api/health');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
}

describe('database down', () => {
  it('answers 503 JSON, not a stack trace, and health says degraded', async () => {
    // Nothing listens on port 1: every query fails to connect.
    const db = await openPostgres('postgres://nobody@127.0.0.1:1/none');
    const app = createApp({ db, postgisVersion: '3', appVersion: 'test', tileFeatureCap: 10, log: pino({ level: 'silent' }) });
    const server = createHttpServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/api/facilities', '/api/nearby?lng=106.5&lat=29.5', '/api/tiles/facilities/1/1/0.pbf', '/api/districts']) {
        const res = await fetch(url + path);
        expect(res.status, path).toBe(503);
        expect((await res.json()).error.code).toBe('database_unavailable');
      }
      const health = await fetch(`${url}/api/health`);
      expect(health.status).toBe(503);
      expect((await health.json()).status).toBe('degraded');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
    }
  });
});
