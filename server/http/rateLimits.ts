/**
 * The rate limits, all counted in the database ({@link DbRateLimitStore}) so they hold
 * across every app server. Reads are not limited here: they are cheap, bounded queries
 * and belong to the reverse proxy's connection limits (docs/security.md).
 *
 * Over the limit: 429 `{ error: { code: "rate_limited", details: { retryAfterS } } }`
 * with a `Retry-After` header (seconds) and the draft-7 `RateLimit` header.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { AppContext } from '../context';
import { RateLimitError } from '../errors';
import { DbRateLimitStore } from './rateLimitStore';
import { requestUser } from './requestUser';
import { FEEDBACK_WINDOW_MS, LOGIN_WINDOW_MS, WRITE_WINDOW_MS, resolveSecurity } from './security';

interface LimiterSpec {
  name: string;
  windowMs: number;
  limit: number;
  key: (req: Request) => string;
  /** Count only requests that fail (status ≥ 400): failed logins, not successful ones. */
  onlyFailures?: boolean;
}

/** The client's address as express-rate-limit wants it (IPv6 grouped by /56). */
export function clientKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

function limiter(ctx: AppContext, spec: LimiterSpec): RequestHandler {
  return rateLimit({
    windowMs: spec.windowMs,
    limit: spec.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new DbRateLimitStore(ctx.db, spec.name),
    keyGenerator: spec.key,
    skipSuccessfulRequests: spec.onlyFailures ?? false,
    logger: ctx.log,
    handler: (req, res, next) => {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const resetMs = info?.resetTime ? info.resetTime.getTime() - Date.now() : spec.windowMs;
      const retryAfterS = Math.max(1, Math.ceil(resetMs / 1000));
      res.setHeader('Retry-After', String(retryAfterS));
      next(new RateLimitError(retryAfterS));
    },
  });
}

export interface RateLimiters {
  /** Feedback pins per client address. */
  feedback: RequestHandler;
  /** Failed logins per client address + user name, and per client address (10× that). */
  login: RequestHandler[];
  /** Writes per logged-in user (per client address when none); use after the role check. */
  writes: RequestHandler;
}

const byContext = new WeakMap<AppContext, RateLimiters>();

/** The limiters of one app (created once per context: one store and counter set each). */
export function rateLimitersFor(ctx: AppContext): RateLimiters {
  let l = byContext.get(ctx);
  if (!l) {
    l = createRateLimiters(ctx);
    byContext.set(ctx, l);
  }
  return l;
}

function createRateLimiters(ctx: AppContext): RateLimiters {
  const sec = resolveSecurity(ctx.security);
  const loginName = (req: Request) => {
    const u = (req.body as { username?: unknown } | undefined)?.username;
    return typeof u === 'string' ? u.trim().toLowerCase().slice(0, 64) : '';
  };
  return {
    feedback: limiter(ctx, { name: 'feedback', windowMs: FEEDBACK_WINDOW_MS, limit: sec.rateLimits.feedback, key: clientKey }),
    login: [
      limiter(ctx, { name: 'login-ip', windowMs: LOGIN_WINDOW_MS, limit: sec.rateLimits.login * 10, key: clientKey, onlyFailures: true }),
      limiter(ctx, {
        name: 'login',
        windowMs: LOGIN_WINDOW_MS,
        limit: sec.rateLimits.login,
        key: (req) => `${clientKey(req)}|${loginName(req)}`,
        onlyFailures: true,
      }),
    ],
    writes: limiter(ctx, {
      name: 'writes',
      windowMs: WRITE_WINDOW_MS,
      limit: sec.rateLimits.writes,
      key: (req) => {
        const u = requestUser(req);
        return u ? `user:${u.id}` : `ip:${clientKey(req)}`;
      },
    }),
  };
}
