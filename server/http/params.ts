/** Path parameters shared by the write routes. */
import { z } from 'zod';

/** A positive int4 id written in plain digits ("1e3", " 1", "../1" are 400s, not coerced). */
export const idSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'must be a positive integer')
  .transform(Number)
  .refine((n) => n <= 2_147_483_647, 'out of range');

export const IdParam = z.object({ id: idSchema });
