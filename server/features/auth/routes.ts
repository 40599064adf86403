/**
 * Log in, log out, who am I, change my password.
 *
 * | route | who | returns |
 * |---|---|---|
 * | `POST /api/auth/login` `{username, password}` | anyone (failed attempts rate-limited) | `{ user, csrfToken, expiresAt, idleExpiresAt }` + session cookie |
 * | `POST /api/auth/logout` | anyone | 204, cookie cleared |
 * | `GET /api/auth/me` | anyone | `{ user: null }` or the same as login |
 * | `POST /api/auth/password` `{currentPassword, newPassword}` | logged in | 204; other sessions end |
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { AuthError, ForbiddenError, ValidationError } from '../../errors';
import { parseBody } from '../../http/body';
import { rateLimitersFor } from '../../http/rateLimits';
import { requestSession, type RequestSession } from '../../http/requestUser';
import { resolveSecurity } from '../../http/security';
import { endSessionsOf, findLogin, setPassword } from '../users/sql';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, dummyHash, verifyPassword } from './password';
import { requireRole, userOf } from './guard';
import { clearSessionCookie, createSession, deleteSession, setSessionCookie, sweepSessions } from './session';

export const usernameSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,40}$/, 'must be 3 to 40 lower-case letters, digits, _ . or -');

export const newPasswordSchema = z
  .string({ message: 'must be a string' })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

const LoginBody = z.strictObject({
  // Any string up to the limits: a malformed name is a failed login, not a hint about the rules.
  username: z
    .string({ message: 'must be a string' })
    .trim()
    .toLowerCase()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters'),
  password: z
    .string({ message: 'must be a string' })
    .min(1, 'must not be empty')
    .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
});

const PasswordBody = z.strictObject({
  currentPassword: z.string({ message: 'must be a string' }).min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH, 'too long'),
  newPassword: newPasswordSchema,
});

/** What login and `/me` return for a session. */
export function sessionBody(s: RequestSession) {
  return {
    user: s.user,
    csrfToken: s.csrfToken,
    expiresAt: s.expiresAt.toISOString(),
    idleExpiresAt: s.idleExpiresAt.toISOString(),
  };
}

function noStore(res: Response) {
  res.setHeader('Cache-Control', 'no-store');
}

export function authRoutes(api: Router, ctx: AppContext): void {
  const sec = resolveSecurity(ctx.security);

  api.post('/auth/login', ...rateLimitersFor(ctx).login, async (req: Request, res: Response) => {
    const body = parseBody(LoginBody, req.body);
    const u = await findLogin(ctx.db, body.username);
    // Verify against a dummy hash for unknown names: the same work, the same time.
    const ok = await verifyPassword(u?.password_hash ?? (await dummyHash()), body.password);
    if (!u || !ok) throw new AuthError('wrong user name or password', 'invalid_credentials');
    if (u.disabled) throw new ForbiddenError('this account is disabled', 'account_disabled');
    // A fresh token at every login (no session fixation); the old session, if any, ends.
    const previous = requestSession(req);
    if (previous) await deleteSession(ctx.db, previous.tokenHash);
    await sweepSessions(ctx.db, sec);
    const { token, session } = await createSession(
      ctx.db,
      { id: u.id, username: u.username, display_name: u.display_name, role: u.role },
      sec,
    );
    await ctx.db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [u.id]);
    setSessionCookie(req, res, sec, token);
    noStore(res);
    res.json(sessionBody(session));
  });

  api.post('/auth/logout', async (req: Request, res: Response) => {
    const s = requestSession(req);
    if (s) await deleteSession(ctx.db, s.tokenHash);
    clearSessionCookie(req, res, sec);
    res.status(204).end();
  });

  api.get('/auth/me', (req: Request, res: Response) => {
    const s = requestSession(req);
    noStore(res);
    res.json(s ? sessionBody(s) : { user: null });
  });

  api.post('/auth/password', requireRole('editor'), rateLimitersFor(ctx).writes, async (req: Request, res: Response) => {
    const body = parseBody(PasswordBody, req.body);
    const user = userOf(req);
    const login = await findLogin(ctx.db, user.username);
    if (!login || !(await verifyPassword(login.password_hash, body.currentPassword))) {
      throw new ValidationError('currentPassword', 'currentPassword: wrong password');
    }
    await setPassword(ctx.db, user.id, body.newPassword);
    await endSessionsOf(ctx.db, user.id, requestSession(req)?.tokenHash);
    res.status(204).end();
  });
}
