/**
 * The roundings of numbers the API and exports report (one definition, so the server, the
 * exports and the planner's worker write the same digits): people to 0.1, shares and km² to
 * 1e-4, coordinates to 1e-6 or 1e-7 degrees. Plain `Math.round(x · 10ⁿ) / 10ⁿ` (-0 stays -0).
 *
 * @example
 * r1(12.345); // 12.3
 */

/** To 0.1 (people, children, metres in answers). */
export const r1 = (x: number): number => Math.round(x * 10) / 10;
/** To 0.01. */
export const r2 = (x: number): number => Math.round(x * 100) / 100;
/** To 1e-4 (shares, km²). */
export const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
/** To 1e-6 (degrees, ~0.1 m). */
export const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
/** To 1e-7 (degrees, ~1 cm). */
export const r7 = (x: number): number => Math.round(x * 1e7) / 1e7;
