/**
 * Behind a reverse proxy (issue 12 §3): with TRUST_PROXY as a hop count, the client address is
 * the one the proxy appended to X-Forwarded-For, so a forged chain neither escapes the
 * per-address feedback limit nor exhausts another address's budget. `true` is refused at
 * start-up with a message naming TRUST_PROXY; with trust off, X-Forwarded-For is noted once.
 *
 * The test client plays both the attacker and the one nginx in front (TRUST_PROXY=1): nginx's
 * `proxy_add_x_forwarded_for` appends the real peer address as the last entry; everything to its
 * left is what the client wrote.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { parseTrustProxy } from '../../server/http/security';
import { apiTargets, serve, startSecureApi, type SecureApi } from './harness';

const PIN = { category: 'other', text: 'trust proxy test', coordinates: [106.57, 29.555] };
const ATTACKER = '203.0.113.7';
const VICTIM = '198.51.100.9';
/** What nginx sends for a client at `real` that wrote `forged` itself. */
const via = (real: string, forged?: string) => ({ 'x-forwarded-for': forged ? `${forged}, ${real}` : real });

describe('TRUST_PROXY parsing', () => {
  it('takes a hop count or proxy addresses, and refuses true with a message naming TRUST_PROXY', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy(' 127.0.0.1 , 10.0.0.0/8,loopback ')).toBe('127.0.0.1,10.0.0.0/8,loopback');
    expect(parseTrustProxy('::1,fd00::/8')).toBe('::1,fd00::/8');
    expect(() => parseTrustProxy('true')).toThrow(/TRUST_PROXY=true is refused.*TRUST_PROXY=1/);
    expect(() => parseTrustProxy('nginx.local')).toThrow(/TRUST_PROXY: "nginx.local" is not an address/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/invalid configuration: TRUST_PROXY: true is refused/);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe('2');
  });
});

for (const target of apiTargets()) {
  describe(`behind one proxy (TRUST_PROXY=1) on ${target.name}`, () => {
    let api: SecureApi;
    beforeAll(async () => {
      api = await startSecureApi(target, { security: { trustProxy: parseTrustProxy('1'), rateLimits: { feedback: 3 } } });
    });
    afterAll(async () => api?.close());

    it('a forged X-Forwarded-For chain neither bypasses the per-address limit nor locks out another address', async () => {
      await api.db.query('DELETE FROM rate_limits');
      const post = (headers: Record<string, string>) => api.request('POST', '/api/feedback', { body: PIN, headers });
      // the attacker writes a new address (the victim's among them) in front of each request
      const forged = [VICTIM, `${VICTIM}, 10.0.0.1`, '192.0.2.55', `${VICTIM}, ${VICTIM}`, '1.1.1.1'];
      const statuses: number[] = [];
      for (const f of forged) statuses.push((await post(via(ATTACKER, f))).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const limited = await post(via(ATTACKER, '8.8.8.8'));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // the victim, whose address the attacker wrote five times, still has its whole budget
      for (let i = 0; i < 3; i++) expect((await post(via(VICTIM))).status).toBe(201);
      expect((await post(via(VICTIM))).status).toBe(429);
    });
  });

  describe(`TRUST_PROXY off with X-Forwarded-For on ${target.name}`, () => {
    it('warns once that every client shares one address', async () => {
      const lines: { level: number; msg: string }[] = [];
      const sink = new Writable({
        write(chunk, _enc, cb) {
          for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
          cb();
        },
      });
      const api = await startSecureApi(target, {});
      const second = await serve(api.db, { log: pino({ level: 'warn' }, sink) });
      try {
        expect((await second.request('GET', '/api/health')).status).toBe(200);
        for (let i = 0; i < 3; i++) expect((await second.request('GET', '/api/health', { headers: via('192.0.2.1') })).status).toBe(200);
        const warns = lines.filter((l) => l.level === 40 && /X-Forwarded-For but TRUST_PROXY is off/.test(l.msg));
        expect(warns).toHaveLength(1);
        expect(warns[0].msg).toContain('share one address');
      } finally {
        await second.close();
        await api.close();
      }
    });
  });
}
