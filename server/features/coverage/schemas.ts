/**
 * Validation of the coverage API's parameters (zod). The first problem becomes a 400 naming
 * the field (server/http/validate.ts); the inner code trusts the parsed types.
 */
import { z } from 'zod';
import { CATEGORY_IDS, isCategoryId, type CategoryId } from '../../../core/catalogue';
import { bboxSchema, numberParam } from '../../http/schemas';
import type { Area } from './population';

export const MIN_CELL_SIZE_M = 50;
export const MAX_CELL_SIZE_M = 1000;
export const DEFAULT_CELL_SIZE_M = 100;

const categorySchema = z
  .string({ message: `required: one of ${CATEGORY_IDS.join(', ')}` })
  .refine(isCategoryId, { message: `unknown category; known: ${CATEGORY_IDS.join(', ')}` })
  .transform((s) => s as CategoryId);

/** `code[,code]`: up to 38 six-digit GB/T 2260 codes. */
const districtListSchema = z.string().transform((s, ctx) => {
  const codes = [
    ...new Set(
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  if (codes.length === 0 || codes.some((c) => !/^\d{6}$/.test(c))) {
    ctx.addIssue({ code: 'custom', message: 'must be one or more 6-digit GB/T 2260 codes, comma-separated' });
    return z.NEVER;
  }
  if (codes.length > 38) {
    ctx.addIssue({ code: 'custom', message: 'at most 38 districts' });
    return z.NEVER;
  }
  return codes.sort();
});

const fields = {
  category: categorySchema,
  mode: z.enum(['euclidean', 'network', 'both'], { message: 'must be euclidean, network or both' }).default('both'),
  radiusM: numberParam(z.number({ message: 'must be a number of metres' }).min(50, 'must be ≥ 50').max(5000, 'must be ≤ 5000')).optional(),
  district: districtListSchema.optional(),
  bbox: bboxSchema.optional(),
  cellSizeM: numberParam(
    z
      .number({ message: 'must be a number of metres' })
      .int('must be a whole number of metres')
      .min(MIN_CELL_SIZE_M, `must be ≥ ${MIN_CELL_SIZE_M}`)
      .max(MAX_CELL_SIZE_M, `must be ≤ ${MAX_CELL_SIZE_M}`),
  ).default(DEFAULT_CELL_SIZE_M),
  walkSpeedMps: numberParam(z.number({ message: 'must be a number' }).min(0.3, 'must be ≥ 0.3').max(3, 'must be ≤ 3')).default(1),
  stepPenalty: numberParam(z.number({ message: 'must be a number' }).min(1, 'must be ≥ 1').max(20, 'must be ≤ 20')).default(2),
  /** Walking effort with slope where a DEM is imported (on), flat (off), or both (compare: `slopeComparison`). */
  slope: z.enum(['on', 'off', 'compare'], { message: 'must be on, off or compare' }).default('on'),
};

/** Exactly one of district and bbox. */
function oneArea<T extends { district?: string[]; bbox?: [number, number, number, number] }>(v: T, ctx: z.RefinementCtx) {
  if (v.district && v.bbox) ctx.addIssue({ code: 'custom', path: ['bbox'], message: 'give either district or bbox, not both' });
  else if (!v.district && !v.bbox)
    ctx.addIssue({ code: 'custom', path: ['district'], message: 'required: district=code[,code] or bbox=west,south,east,north' });
}

export const CoverageQuery = z.object(fields).superRefine(oneArea);

export const GapsQuery = z
  .object({
    ...fields,
    limit: numberParam(
      z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1').max(20_000, 'must be ≤ 20000'),
    ).default(5000),
    include: z.enum(['populated', 'all'], { message: 'must be populated or all' }).default('populated'),
  })
  .superRefine(oneArea);

export const CellsQuery = z
  .object({ ...fields, format: z.enum(['json'], { message: 'must be json' }).default('json') })
  .superRefine(oneArea);

export const InputsQuery = z.object(fields).superRefine(oneArea);

export const SuggestBody = z
  .object({
    category: categorySchema,
    district: districtListSchema.optional(),
    bbox: bboxSchema.optional(),
    k: numberParam(
      z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1').max(10, 'must be ≤ 10'),
    ).default(1),
    mode: z.enum(['euclidean', 'network'], { message: 'must be euclidean or network' }).default('euclidean'),
    radiusM: fields.radiusM,
    cellSizeM: fields.cellSizeM,
    stepPenalty: fields.stepPenalty,
  })
  .superRefine(oneArea);

export function areaOf(q: { district?: string[]; bbox?: [number, number, number, number] }): Area {
  return q.district ? { kind: 'districts', codes: q.district } : { kind: 'bbox', bbox: q.bbox! };
}
