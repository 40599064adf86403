/**
 * Cross-site request forgery defences for cookie-authenticated writes (OWASP CSRF
 * Prevention Cheat Sheet):
 *
 * 1. {@link originGuard}: a write (any method but GET/HEAD/OPTIONS) whose `Origin`
 *    header names another host, or `null`, or whose `Sec-Fetch-Site` says
 *    `cross-site`, is refused — with or without a session.
 * 2. {@link csrfGuard}: a write that carries a valid session must also carry the
 *    session's CSRF token in `X-CSRF-Token` (the token comes from `POST /api/auth/login`
 *    and `GET /api/auth/me`; a cross-site page can neither read it nor set the header
 *    without CORS, which is off).
 *
 * The session cookie is also `SameSite=Lax`, a third, browser-side layer.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../errors';
import type { SecurityOptions } from './security';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

function originAllowed(origin: string, req: Request, sec: SecurityOptions): boolean {
  if (sec.allowedOrigins.includes(origin)) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and garbage
  }
  // req.host: the Host header, or X-Forwarded-Host from a trusted proxy (TRUST_PROXY).
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === req.host;
}

export function originGuard(sec: SecurityOptions) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (isSafeMethod(req.method)) return next();
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      throw new ForbiddenError('cross-site requests may not write', 'cross_origin');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req, sec)) {
      throw new ForbiddenError('requests from another origin may not write', 'cross_origin');
    }
    next();
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** @param expected the CSRF token of the request's valid session, or undefined when it has none */
export function csrfGuard(expected: (req: Request) => string | undefined) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (isSafeMethod(req.method)) return next();
    const want = expected(req);
    if (want === undefined) return next(); // no session: the cookie grants nothing to forge
    const got = req.headers[CSRF_HEADER];
    if (typeof got !== 'string' || !sameToken(got, want)) {
      throw new ForbiddenError('missing or wrong X-CSRF-Token header (the token comes from GET /api/auth/me)', 'csrf');
    }
    next();
  };
}
