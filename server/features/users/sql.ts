/**
 * SQL for editor and admin accounts. Password hashes never leave this module except
 * to the login check ({@link findLogin}).
 */
import type { Queryable } from '../../db/adapter';
import type { Role } from '../../http/requestUser';
import { hashPassword } from '../auth/password';

export interface UserRow {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const USER_COLUMNS = `id, username, display_name, role, disabled,
  ${ISO('created_at')} AS created_at, ${ISO('updated_at')} AS updated_at, ${ISO('last_login_at')} AS last_login_at`;

/** Most accounts one list returns; a city programme has tens of editors, not thousands. */
export const MAX_USERS = 1000;

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  display_name?: string | null;
}

/** Creates the account; undefined when the user name is taken. */
export async function createUser(db: Queryable, u: NewUser): Promise<UserRow | undefined> {
  const passwordHash = await hashPassword(u.password);
  const r = await db.query<UserRow>(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO NOTHING
     RETURNING ${USER_COLUMNS}`,
    [u.username, u.display_name ?? null, passwordHash, u.role],
  );
  return r.rows[0];
}

export async function listUsers(db: Queryable): Promise<UserRow[]> {
  return (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username LIMIT ${MAX_USERS}`)).rows;
}

export async function getUser(db: Queryable, id: number): Promise<UserRow | undefined> {
  return (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id])).rows[0];
}

export interface LoginRow {
  id: number;
  username: string;
  display_name: string | null;
  role: Role;
  disabled: boolean;
  password_hash: string;
}

export async function findLogin(db: Queryable, username: string): Promise<LoginRow | undefined> {
  const r = await db.query<LoginRow>('SELECT id, username, display_name, role, disabled, password_hash FROM users WHERE username = $1', [
    username,
  ]);
  return r.rows[0];
}

export async function setPassword(db: Queryable, id: number, password: string): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, await hashPassword(password)]);
}

export interface UserChange {
  role?: Role;
  disabled?: boolean;
  display_name?: string | null;
  /** Already hashed. */
  passwordHash?: string;
}

/**
 * Applies a change to one account and returns it; undefined when there is no such user.
 * Static SQL: each column keeps its value when its parameter is null.
 */
export async function updateUser(tx: Queryable, id: number, c: UserChange): Promise<UserRow | undefined> {
  const r = await tx.query<UserRow>(
    `UPDATE users SET
       role = COALESCE($2, role),
       disabled = COALESCE($3, disabled),
       display_name = CASE WHEN $4::boolean THEN $5 ELSE display_name END,
       password_hash = COALESCE($6, password_hash),
       updated_at = now()
     WHERE id = $1
     RETURNING ${USER_COLUMNS}`,
    [id, c.role ?? null, c.disabled ?? null, c.display_name !== undefined, c.display_name ?? null, c.passwordHash ?? null],
  );
  return r.rows[0];
}

/**
 * Ids of the enabled admins, locked until the transaction ends, so that two admins
 * demoting each other at once cannot leave the atlas with none.
 */
export async function lockActiveAdmins(tx: Queryable): Promise<number[]> {
  const r = await tx.query<{ id: number }>("SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE");
  return r.rows.map((x) => x.id);
}

/** Ends every session of a user (disabled, password changed), except `keepTokenHash`. */
export async function endSessionsOf(db: Queryable, userId: number, keepTokenHash?: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [userId, keepTokenHash ?? null]);
}
