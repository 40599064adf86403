/**
 * Account management, admins only.
 *
 * | route | body | returns |
 * |---|---|---|
 * | `GET /api/users` | | `{ users: User[] }` |
 * | `POST /api/users` | `{ username, password, role, display_name? }` | 201 User; 409 when the name is taken |
 * | `PATCH /api/users/:id` | `{ role?, disabled?, display_name?, password? }` | User; disabling or a new password ends the user's sessions |
 *
 * An admin cannot disable or demote themself, and the last enabled admin cannot be
 * disabled or demoted (409): the atlas always keeps someone who can manage it.
 */
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { parse } from '../../http/validate';
import { parseBody } from '../../http/body';
import { ROLES } from '../../http/requestUser';
import { IdParam } from '../../http/params';
import { adminWrite, requireRole, userOf } from '../auth/guard';
import { newPasswordSchema, usernameSchema } from '../auth/routes';
import { hashPassword } from '../auth/password';
import { createUser, endSessionsOf, getUser, listUsers, lockActiveAdmins, updateUser } from './sql';

const displayNameSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

const CreateBody = z.strictObject({
  username: usernameSchema,
  password: newPasswordSchema,
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
  display_name: displayNameSchema.nullish(),
});

const PatchBody = z.strictObject({
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).optional(),
  disabled: z.boolean({ message: 'must be true or false' }).optional(),
  display_name: displayNameSchema.nullable().optional(),
  password: newPasswordSchema.optional(),
});

export function userRoutes(api: Router, ctx: AppContext): void {
  api.get('/users', requireRole('admin'), async (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ users: await listUsers(ctx.db) });
  });

  api.post('/users', ...adminWrite(ctx), async (req: Request, res: Response) => {
    const body = parseBody(CreateBody, req.body);
    const u = await createUser(ctx.db, body);
    if (!u) throw new ConflictError(`the user name '${body.username}' is taken`);
    res.status(201).location(`/api/users/${u.id}`).json(u);
  });

  api.patch('/users/:id', ...adminWrite(ctx), async (req: Request, res: Response) => {
    const { id } = parse(IdParam, req.params);
    const body = parseBody(PatchBody, req.body);
    if (Object.keys(body).length === 0) throw new ValidationError('body', 'body: nothing to change');
    const me = userOf(req);
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    const u = await ctx.db.transaction(async (tx) => {
      const target = await getUser(tx, id);
      if (!target) throw new NotFoundError(`no user with id ${id}`);
      const losesAdmin = target.role === 'admin' && !target.disabled && (body.disabled === true || body.role === 'editor');
      if (losesAdmin) {
        if (id === me.id) throw new ConflictError('you cannot disable or demote yourself');
        const admins = await lockActiveAdmins(tx);
        if (admins.filter((a) => a !== id).length === 0) throw new ConflictError('the last enabled admin cannot be disabled or demoted');
      }
      const updated = await updateUser(tx, id, { role: body.role, disabled: body.disabled, display_name: body.display_name, passwordHash });
      if (body.disabled === true || passwordHash) await endSessionsOf(tx, id);
      return updated;
    });
    res.json(u);
  });
}
