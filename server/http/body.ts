/**
 * Validation of JSON request bodies: like `parse` (server/http/validate.ts), and an
 * unknown field is named too (schemas are strict, so a typo such as `nmae_zh` is a 400
 * rather than a silently ignored change).
 */
import type { z } from 'zod';
import { ValidationError } from '../errors';
import { parse } from './validate';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ValidationError('body', 'body: must be a JSON object (Content-Type: application/json)');
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path.map(String), issue.keys[0]].join('.');
    throw new ValidationError(field, `${field}: unknown field`);
  }
  return parse(schema, body);
}
