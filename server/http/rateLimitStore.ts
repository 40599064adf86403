/**
 * A Store for express-rate-limit that keeps its counters in our database (table
 * `rate_limits`, migration 003), so every app server behind a load balancer counts the
 * same hits and none keeps state of its own.
 *
 * Fixed windows: the first hit of a key opens a window of `windowMs`; hits inside it
 * add one; the first hit after it starts a new window at 1. Each increment is a single
 * atomic `INSERT … ON CONFLICT DO UPDATE`, so concurrent hits on two servers never lose
 * a count. Time is the database's `now()`, one clock for every server.
 *
 * Keys are stored as SHA-256 of `prefix:key` (a client address is personal data;
 * the table never holds it in clear).
 */
import { createHash } from 'node:crypto';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Queryable } from '../db/adapter';

/** About one increment in this many also deletes a batch of long-expired counters. */
const SWEEP_EVERY = 200;
const SWEEP_BATCH = 1000;

interface CounterRow {
  hits: number;
  reset_ms: number;
}

export class DbRateLimitStore implements Store {
  /** Counters are shared by every server on the database. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly db: Queryable,
    readonly prefix: string,
    private readonly random: () => number = Math.random,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private keyOf(key: string): string {
    return createHash('sha256').update(`${this.prefix}:${key}`).digest('hex');
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const r = await this.db.query<CounterRow>(
      `SELECT hits, (extract(epoch FROM reset_at) * 1000)::float8 AS reset_ms
         FROM rate_limits WHERE key = $1 AND reset_at > now()`,
      [this.keyOf(key)],
    );
    const row = r.rows[0];
    return row ? { totalHits: row.hits, resetTime: new Date(row.reset_ms) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const r = await this.db.query<CounterRow>(
      `INSERT INTO rate_limits AS c (key, hits, reset_at)
       VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits     = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.hits + 1 END,
         reset_at = CASE WHEN c.reset_at <= now() THEN EXCLUDED.reset_at ELSE c.reset_at END
       RETURNING hits, (extract(epoch FROM reset_at) * 1000)::float8 AS reset_ms`,
      [this.keyOf(key), this.windowMs],
    );
    if (this.random() * SWEEP_EVERY < 1) await this.sweep();
    const row = r.rows[0];
    return { totalHits: row.hits, resetTime: new Date(row.reset_ms) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.query(`UPDATE rate_limits SET hits = greatest(hits - 1, 0) WHERE key = $1 AND reset_at > now()`, [this.keyOf(key)]);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limits WHERE key = $1', [this.keyOf(key)]);
  }

  /** Delete counters whose window ended (bounded, so one request never pays for a backlog). */
  async sweep(): Promise<number> {
    const r = await this.db.query(
      `DELETE FROM rate_limits WHERE key IN (SELECT key FROM rate_limits WHERE reset_at < now() LIMIT ${SWEEP_BATCH})`,
    );
    return r.affectedRows ?? 0;
  }
}
