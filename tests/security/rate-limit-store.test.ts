/** The express-rate-limit Store on our database: fixed windows, atomic counts, cleanup. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Options } from 'express-rate-limit';
import { apiTargets, openTestDatabase, type TestDatabase } from './harness';
import { DbRateLimitStore } from '../../server/http/rateLimitStore';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const target of apiTargets()) {
  describe(`rate-limit store on ${target.name}`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await openTestDatabase(target);
    });
    afterAll(async () => database?.close());

    it('counts within a window, starts a new one after it, and shares keys between stores', async () => {
      const a = new DbRateLimitStore(database.db, 'test', () => 1);
      const b = new DbRateLimitStore(database.db, 'test', () => 1); // a second app server
      a.init({ windowMs: 2000 } as Options);
      b.init({ windowMs: 2000 } as Options);
      const t0 = Date.now();
      const first = await a.increment('client-1');
      expect(first.totalHits).toBe(1);
      expect(first.resetTime!.getTime() - t0).toBeGreaterThan(1000);
      expect(first.resetTime!.getTime() - t0).toBeLessThan(4000);
      expect((await b.increment('client-1')).totalHits).toBe(2);
      expect((await a.increment('client-2')).totalHits).toBe(1);
      expect((await b.get('client-1'))?.totalHits).toBe(2);
      await a.decrement('client-1');
      expect((await a.get('client-1'))?.totalHits).toBe(1);
      // time is the database's now(): the window ends when its reset_at is in the past
      await database.db.query("UPDATE rate_limits SET reset_at = now() - interval '1 millisecond' WHERE reset_at > now()");
      expect(await a.get('client-1')).toBeUndefined();
      const fresh = await b.increment('client-1');
      expect(fresh.totalHits).toBe(1);
      expect(fresh.resetTime!.getTime()).toBeGreaterThan(first.resetTime!.getTime());
      await a.resetKey('client-1');
      expect(await a.get('client-1')).toBeUndefined();
    });

    it('keeps prefixes apart and stores only hashes', async () => {
      const x = new DbRateLimitStore(database.db, 'x', () => 1);
      const y = new DbRateLimitStore(database.db, 'y', () => 1);
      x.init({ windowMs: 60_000 } as Options);
      y.init({ windowMs: 60_000 } as Options);
      await x.increment('203.0.113.9');
      expect((await y.increment('203.0.113.9')).totalHits).toBe(1);
      const keys = (await database.db.query<{ key: string }>('SELECT key FROM rate_limits')).rows.map((r) => r.key);
      expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
      expect(keys.join()).not.toContain('203.0.113.9');
    });

    it('loses no count under concurrency', async () => {
      const s = new DbRateLimitStore(database.db, 'race', () => 1);
      s.init({ windowMs: 60_000 } as Options);
      const hits = await Promise.all(Array.from({ length: 50 }, () => s.increment('same')));
      expect(hits.map((h) => h.totalHits).sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('sweeps ended windows', async () => {
      const s = new DbRateLimitStore(database.db, 'sweep', () => 1);
      s.init({ windowMs: 50 } as Options);
      for (let i = 0; i < 5; i++) await s.increment(`k${i}`);
      await sleep(100);
      expect(await s.sweep()).toBeGreaterThanOrEqual(5);
      const sweeping = new DbRateLimitStore(database.db, 'sweep', () => 0); // random() = 0: sweeps on increment
      sweeping.init({ windowMs: 60_000 } as Options);
      await sweeping.increment('k-live');
      expect((await sweeping.get('k-live'))?.totalHits).toBe(1); // live windows survive a sweep
    });
  });
}
