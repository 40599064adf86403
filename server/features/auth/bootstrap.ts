/**
 * The initial admin: `ADMIN_USERNAME` / `ADMIN_PASSWORD` at start-up create the account
 * when no user of that name exists. An existing account is left exactly as it is (its
 * password is not reset from the environment), so the variables can stay set.
 */
import type { Logger } from 'pino';
import type { Queryable } from '../../db/adapter';
import { createUser } from '../users/sql';

export async function ensureInitialAdmin(
  db: Queryable,
  username: string | undefined,
  password: string | undefined,
  log: Pick<Logger, 'info' | 'warn'>,
): Promise<'created' | 'exists' | 'not-configured'> {
  if (!username || !password) {
    const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled");
    if (r.rows[0].n === 0) log.warn('no admin account: set ADMIN_USERNAME and ADMIN_PASSWORD to create one (docs/security.md)');
    return 'not-configured';
  }
  const created = await createUser(db, { username, password, role: 'admin', display_name: 'Administrator' });
  if (created) log.info({ username }, 'initial admin created');
  return created ? 'created' : 'exists';
}
