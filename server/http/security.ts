/**
 * The security settings the HTTP layer needs (sessions, cookies, CSRF origins, rate
 * limits), resolved once from the configuration. Tests pass a partial object; every
 * field has a production default (docs/security.md explains each).
 */
import type { Config } from '../config';

export interface SecurityOptions {
  /** Session cookie `Secure` flag: 'auto' = when the request came over https (`req.secure`). */
  cookieSecure: 'auto' | boolean;
  /** Express "trust proxy" value (client address and protocol from X-Forwarded-* of trusted proxies). */
  trustProxy: boolean | number | string;
  /** Origins other than the request's own host that may send writes (exact `scheme://host[:port]`). */
  allowedOrigins: string[];
  /** A session ends after this long without a request… */
  sessionIdleMs: number;
  /** …and at the latest this long after login. */
  sessionMaxMs: number;
  rateLimits: {
    /** Feedback pins per client address per {@link FEEDBACK_WINDOW_MS}. */
    feedback: number;
    /** Failed logins per client address + user name per {@link LOGIN_WINDOW_MS}. */
    login: number;
    /** Writes per logged-in user per {@link WRITE_WINDOW_MS}. */
    writes: number;
  };
}

export const FEEDBACK_WINDOW_MS = 10 * 60_000;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const WRITE_WINDOW_MS = 60_000;

export const DEFAULT_SECURITY: SecurityOptions = {
  cookieSecure: 'auto',
  trustProxy: false,
  allowedOrigins: [],
  sessionIdleMs: 60 * 60_000,
  sessionMaxMs: 12 * 3_600_000,
  rateLimits: { feedback: 30, login: 10, writes: 120 },
};

export type SecurityOverrides = Partial<Omit<SecurityOptions, 'rateLimits'>> & { rateLimits?: Partial<SecurityOptions['rateLimits']> };

export function resolveSecurity(o: SecurityOverrides = {}): SecurityOptions {
  return { ...DEFAULT_SECURITY, ...o, rateLimits: { ...DEFAULT_SECURITY.rateLimits, ...o.rateLimits } };
}

/** `TRUST_PROXY` as Express reads it: booleans and hop counts typed, anything else passed as a list. */
export function parseTrustProxy(v: string): boolean | number | string {
  const t = v.trim();
  if (t === '' || t === 'false') return false;
  if (t === 'true') return true;
  if (/^\d+$/.test(t)) return Number(t);
  return t;
}

export function securityFromConfig(c: Config): SecurityOptions {
  return resolveSecurity({
    cookieSecure: c.COOKIE_SECURE === 'auto' ? 'auto' : c.COOKIE_SECURE === 'true',
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    allowedOrigins: c.ALLOWED_ORIGINS.split(',').map((s) => s.trim().replace(/\/$/, '')).filter(Boolean),
    sessionIdleMs: c.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: c.SESSION_MAX_HOURS * 3_600_000,
    rateLimits: { feedback: c.FEEDBACK_RATE_LIMIT, login: c.LOGIN_RATE_LIMIT, writes: c.WRITE_RATE_LIMIT },
  });
}
