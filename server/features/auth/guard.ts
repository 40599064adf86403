/**
 * Route guards. Order on a protected write: the app-level Origin and CSRF checks have
 * already run; then the role (401 without a session, 403 with the wrong role), then the
 * per-user write rate limit.
 *
 * @example
 * api.post('/facilities', ...editorWrite(ctx), handler);
 * api.get('/users', requireRole('admin'), handler);
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../../context';
import { AuthError, ForbiddenError } from '../../errors';
import { rateLimitersFor } from '../../http/rateLimits';
import { requestUser, roleAllows, type Role, type RequestUser } from '../../http/requestUser';

export function requireRole(role: Role): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const u = requestUser(req);
    if (!u) throw new AuthError();
    if (!roleAllows(u.role, role)) throw new ForbiddenError(`this needs the ${role} role`);
    next();
  };
}

/** The user of a request that passed {@link requireRole}. */
export function userOf(req: Request): RequestUser {
  const u = requestUser(req);
  if (!u) throw new AuthError();
  return u;
}

/** Guards for a write by an editor (or admin): role, then the per-user rate limit. */
export function editorWrite(ctx: AppContext): RequestHandler[] {
  return [requireRole('editor'), rateLimitersFor(ctx).writes];
}

/** Guards for a write by an admin. */
export function adminWrite(ctx: AppContext): RequestHandler[] {
  return [requireRole('admin'), rateLimitersFor(ctx).writes];
}
