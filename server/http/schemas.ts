/** Schemas for query parameters shared by several routes. */
import { z } from 'zod';
import { CATEGORY_IDS, isCategoryId, type CategoryId } from '../../core/catalogue';

/** A number from a query string: '' and absent are both "missing", never 0. */
export function numberParam<T extends z.ZodNumber>(inner: T) {
  return z.preprocess((v) => (v === '' || v === undefined ? undefined : typeof v === 'string' ? Number(v) : v), inner);
}

export const lngSchema = numberParam(z.number({ message: 'must be a number' }).min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180'));
export const latSchema = numberParam(z.number({ message: 'must be a number' }).min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90'));

/** `w,s,e,n` in degrees, west < east and south < north. */
export const bboxSchema = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'must be four numbers: west,south,east,north' });
    return z.NEVER;
  }
  const [w, s2, e, n] = nums;
  if (w < -180 || e > 180 || s2 < -90 || n > 90) {
    ctx.addIssue({ code: 'custom', message: 'out of range: longitudes within ±180, latitudes within ±90' });
    return z.NEVER;
  }
  if (!(w < e) || !(s2 < n)) {
    ctx.addIssue({ code: 'custom', message: 'out of order: west must be < east and south < north' });
    return z.NEVER;
  }
  return [w, s2, e, n] as [number, number, number, number];
});

/** `lng,lat` in degrees (WGS84). */
export const lngLatSchema = z.string().transform((s, ctx) => {
  const parts = s.split(',').map((p) => p.trim());
  const nums = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'must be two numbers: longitude,latitude' });
    return z.NEVER;
  }
  const [lng, lat] = nums as [number, number];
  if (Math.abs(lng) > 180 || Math.abs(lat) > 90) {
    ctx.addIssue({ code: 'custom', message: 'out of range: longitude within ±180, latitude within ±90' });
    return z.NEVER;
  }
  return [lng, lat] as [number, number];
});

/** Comma-separated category ids; every one must be in the catalogue. */
export const categoriesSchema = z.string().transform((s, ctx) => {
  const ids = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !isCategoryId(id));
  if (bad.length) {
    ctx.addIssue({ code: 'custom', message: `unknown category ${bad.map((b) => `'${b}'`).join(', ')}; known: ${CATEGORY_IDS.join(', ')}` });
    return z.NEVER;
  }
  return [...new Set(ids)] as CategoryId[];
});

export function limitSchema(max: number, dflt: number) {
  return numberParam(
    z.number({ message: 'must be an integer' }).int('must be an integer').min(1, 'must be ≥ 1').max(max, `must be ≤ ${max}`),
  ).default(dflt);
}

export const districtCodeSchema = z.string().regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 code');
