/**
 * Small arithmetic shared by the formulas: a rate against a target, decided without
 * floating-point surprises at the boundary (4.5 places per 1,000 exactly is met), and the
 * whole units still missing.
 */

/** Relative tolerance for comparisons: sums of integers times targets like 0.9 or 4.5. */
const EPS = 1e-9;

/** Values are served rounded to this many decimals (the status is decided before rounding). */
export const VALUE_DECIMALS = 4;

export function roundValue(x: number): number {
  const f = 10 ** VALUE_DECIMALS;
  return Math.round(x * f) / f;
}

/**
 * Whether `numerator / denominator × scale ≥ target`, decided as
 * `numerator × scale ≥ target × denominator` so that a rate exactly on target is met.
 *
 * @example
 * meetsRate(450, 100_000, 1000, 4.5); // true: 4.5 per 1,000 exactly
 */
export function meetsRate(numerator: number, denominator: number, scale: number, target: number): boolean {
  const lhs = numerator * scale;
  const rhs = target * denominator;
  return lhs >= rhs - EPS * Math.max(1, Math.abs(rhs));
}

/**
 * Whole units to add to the numerator (denominator fixed) to reach the target, ≥ 0.
 *
 * @example
 * unitsShort(400, 100_000, 1000, 4.5); // 50: 450 places are needed for 100,000 residents
 */
export function unitsShort(numerator: number, denominator: number, scale: number, target: number): number {
  if (meetsRate(numerator, denominator, scale, target)) return 0;
  const needed = (target * denominator) / scale - numerator;
  return Math.max(0, Math.ceil(needed - EPS * Math.max(1, Math.abs(needed))));
}

/** A rate rounded for display, or null for a zero denominator. */
export function rate(numerator: number, denominator: number, scale: number): number | null {
  return denominator > 0 ? roundValue((numerator * scale) / denominator) : null;
}

/** Thousands separators, the same in both languages: 1,240. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
