/**
 * Request validation at the boundary: a zod schema per route; the first problem becomes
 * a 400 naming the field. Inner code trusts the parsed types.
 */
import type { z } from 'zod';
import { ValidationError } from '../errors';

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.length ? issue.path.map(String).join('.') : 'request';
  throw new ValidationError(field, `${field}: ${issue.message}`);
}
