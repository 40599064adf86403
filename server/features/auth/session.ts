/**
 * Sessions: a random 256-bit token in an HttpOnly, SameSite=Lax cookie (Secure over
 * https), looked up by its SHA-256 in the `sessions` table — in the database, so any
 * app server can serve any request. A session ends after `sessionIdleMs` without a
 * request or `sessionMaxMs` after login, whichever comes first, at logout, and when its
 * user is disabled or changes password.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { CookieOptions, NextFunction, Request, Response } from 'express';
import type { Queryable } from '../../db/adapter';
import type { AppContext } from '../../context';
import { resolveSecurity, type SecurityOptions } from '../../http/security';
import { setRequestSession, type RequestSession, type Role } from '../../http/requestUser';

export const SESSION_COOKIE = 'atlas_session';
/** The cookie is sent to the API only, never with static files. */
const COOKIE_PATH = '/api';
/** 32 random bytes, base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** `last_seen_at` is written at most this often per session (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The value of one cookie from the Cookie header, or undefined. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}

function cookieOptions(req: Request, sec: SecurityOptions): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: sec.cookieSecure === 'auto' ? req.secure : sec.cookieSecure,
    path: COOKIE_PATH,
  };
}

export function setSessionCookie(req: Request, res: Response, sec: SecurityOptions, token: string): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(req, sec), maxAge: sec.sessionMaxMs });
}

export function clearSessionCookie(req: Request, res: Response, sec: SecurityOptions): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req, sec));
}

interface SessionRow {
  csrf_token: string;
  expires_ms: number;
  last_seen_ms: number;
  now_ms: number;
  user_id: number;
  username: string;
  display_name: string | null;
  role: Role;
}

const MS = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;

export interface NewSession {
  token: string;
  session: RequestSession;
}

export async function createSession(db: Queryable, user: RequestSession['user'], sec: SecurityOptions): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  const r = await db.query<{ expires_ms: number; last_seen_ms: number }>(
    `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8 / 1000))
     RETURNING ${MS('expires_at')} AS expires_ms, ${MS('last_seen_at')} AS last_seen_ms`,
    [tokenHash, user.id, csrfToken, sec.sessionMaxMs],
  );
  const row = r.rows[0];
  return {
    token,
    session: {
      user,
      tokenHash,
      csrfToken,
      expiresAt: new Date(row.expires_ms),
      idleExpiresAt: new Date(Math.min(row.expires_ms, row.last_seen_ms + sec.sessionIdleMs)),
    },
  };
}

/** The live session of a token hash (not expired, user enabled), or undefined. */
export async function findSession(db: Queryable, tokenHash: string, sec: SecurityOptions): Promise<RequestSession | undefined> {
  const r = await db.query<SessionRow>(
    `SELECT s.csrf_token, ${MS('s.expires_at')} AS expires_ms, ${MS('s.last_seen_at')} AS last_seen_ms, ${MS('now()')} AS now_ms,
            u.id AS user_id, u.username, u.display_name, u.role
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1
        AND s.expires_at > now()
        AND s.last_seen_at > now() - make_interval(secs => $2::float8 / 1000)
        AND NOT u.disabled`,
    [tokenHash, sec.sessionIdleMs],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  let lastSeen = row.last_seen_ms;
  if (row.now_ms - lastSeen > Math.min(TOUCH_EVERY_MS, sec.sessionIdleMs / 10)) {
    await db.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
    lastSeen = row.now_ms;
  }
  return {
    user: { id: row.user_id, username: row.username, display_name: row.display_name, role: row.role },
    tokenHash,
    csrfToken: row.csrf_token,
    expiresAt: new Date(row.expires_ms),
    idleExpiresAt: new Date(Math.min(row.expires_ms, lastSeen + sec.sessionIdleMs)),
  };
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** Deletes a bounded batch of ended sessions (run at login; nothing else needs a timer). */
export async function sweepSessions(db: Queryable, sec: SecurityOptions): Promise<void> {
  await db.query(
    `DELETE FROM sessions WHERE token_hash IN (
       SELECT token_hash FROM sessions
        WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => $1::float8 / 1000)
        LIMIT 1000)`,
    [sec.sessionIdleMs],
  );
}

/**
 * Reads the session cookie and, when it names a live session, records the session for
 * the request ({@link requestSession}). A cookie that names none — forged, expired,
 * logged out — is cleared and the request goes on as the public's.
 */
export function loadSession(ctx: AppContext) {
  const sec = resolveSecurity(ctx.security);
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token === undefined) return next();
    const session = TOKEN_SHAPE.test(token) ? await findSession(ctx.db, hashToken(token), sec) : undefined;
    if (session) setRequestSession(req, session);
    else clearSessionCookie(req, res, sec);
    next();
  };
}
