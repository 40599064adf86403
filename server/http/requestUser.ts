/**
 * Who made a request, once the session middleware (server/features/auth) has checked
 * the cookie. Kept beside the request, not on it, so no global type augmentation is
 * needed and nothing else can set it.
 */
import type { Request } from 'express';

export const ROLES = ['editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface RequestUser {
  id: number;
  username: string;
  role: Role;
  display_name: string | null;
}

export interface RequestSession {
  user: RequestUser;
  /** SHA-256 of the session token (the database key). */
  tokenHash: string;
  csrfToken: string;
  /** Absolute end of the session. */
  expiresAt: Date;
  /** When it ends if no further request comes. */
  idleExpiresAt: Date;
}

const sessions = new WeakMap<Request, RequestSession>();

export function setRequestSession(req: Request, s: RequestSession): void {
  sessions.set(req, s);
}

export function requestSession(req: Request): RequestSession | undefined {
  return sessions.get(req);
}

export function requestUser(req: Request): RequestUser | undefined {
  return sessions.get(req)?.user;
}

/** Admins may do everything editors may. */
export function roleAllows(has: Role, needs: Role): boolean {
  return has === 'admin' || has === needs;
}
