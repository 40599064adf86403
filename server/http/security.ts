/**
 * The security settings the HTTP layer needs (sessions, cookies, CSRF origins, rate
 * limits), resolved once from the configuration. Tests pass a partial object; every
 * field has a production default (docs/security.md explains each).
 */
import type { Config } from '../config';

export interface SecurityOptions {
  /** Session cookie `Secure` flag: 'auto' = when the request came over https (`req.secure`). */
  cookieSecure: 'auto' | boolean;
  /**
   * Express "trust proxy" value (client address and protocol from X-Forwarded-* of trusted proxies):
   * false, a hop count or a list of proxy addresses — never `true` ({@link parseTrustProxy}).
   */
  trustProxy: false | number | string;
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

/** Names Express (proxy-addr) accepts for address ranges in a trust list. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [addr, bits, extra] = entry.split('/');
  if (extra !== undefined || !addr) return false;
  const v4 = IPV4.test(addr);
  const v6 = !v4 && /^[0-9a-f:.]+$/i.test(addr) && addr.includes(':');
  if (!v4 && !v6) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (v4 ? 32 : 128);
}

/**
 * `TRUST_PROXY` as Express reads it (issue 12 §3): `false` (default: the socket's address is
 * the client), a hop count (`1` = one reverse proxy in front: the client is the address that
 * proxy appended to X-Forwarded-For), or a comma list of the proxies' addresses / CIDRs /
 * `loopback`, `linklocal`, `uniquelocal`.
 *
 * `true` is refused: Express would then take the *leftmost* X-Forwarded-For entry — whatever
 * the client wrote — so any client could pick its address, evade every per-address limit and
 * lock another address out.
 * @throws Error naming TRUST_PROXY and what to write instead
 * @example parseTrustProxy('1') // 1
 * @example parseTrustProxy('127.0.0.1, 10.0.0.0/8') // '127.0.0.1,10.0.0.0/8'
 */
export function parseTrustProxy(v: string): false | number | string {
  const t = v.trim();
  if (t === '' || t === 'false' || t === '0') return false;
  if (t.toLowerCase() === 'true') {
    throw new Error(
      'TRUST_PROXY=true is refused: it trusts every X-Forwarded-For entry, so any client could forge its address and bypass the ' +
        'per-address limits. Write the number of proxies in front of the app (TRUST_PROXY=1 for one nginx) or their addresses ' +
        '(TRUST_PROXY=127.0.0.1 or TRUST_PROXY=10.0.0.0/8,loopback); see docs/security.md "Behind a reverse proxy".',
    );
  }
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n > 10) throw new Error(`TRUST_PROXY=${t}: at most 10 proxy hops; write the hop count (e.g. 1) or the proxies' addresses`);
    return n;
  }
  const entries = t
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (!entries.length || bad.length) {
    throw new Error(
      `TRUST_PROXY: ${bad.length ? `"${bad.join('", "')}" is not` : 'empty list is not'} an address, a CIDR or loopback/linklocal/uniquelocal; ` +
        "write a hop count (TRUST_PROXY=1) or the proxies' addresses (TRUST_PROXY=127.0.0.1,10.0.0.0/8)",
    );
  }
  return entries.join(',');
}

export function securityFromConfig(c: Config): SecurityOptions {
  return resolveSecurity({
    cookieSecure: c.COOKIE_SECURE === 'auto' ? 'auto' : c.COOKIE_SECURE === 'true',
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    allowedOrigins: c.ALLOWED_ORIGINS.split(',')
      .map((s) => s.trim().replace(/\/$/, ''))
      .filter(Boolean),
    sessionIdleMs: c.SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: c.SESSION_MAX_HOURS * 3_600_000,
    rateLimits: { feedback: c.FEEDBACK_RATE_LIMIT, login: c.LOGIN_RATE_LIMIT, writes: c.WRITE_RATE_LIMIT },
  });
}
