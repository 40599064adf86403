/**
 * Slope-aware walking effort: Tobler's hiking function, per direction, from an edge's
 * sampled elevation profile.
 *
 * Tobler (1993, *Three presentations on geographical analysis and modeling*, NCGIA
 * Technical Report 93-1, "Non-isotropic geographic modeling") gives walking speed on a
 * slope S = dh/dx (rise over horizontal run) as
 *
 *     W(S) = 6 · exp(−3.5 · |S + 0.05|) km/h
 *
 * fastest (6 km/h) on a gentle 5 % descent, 5.04 km/h on the level. The atlas counts effort
 * in *level-walking metres* (core/coverage/norms.ts: a child walks 1.0 m/s on the level),
 * so a metre of slope costs W(0) / W(S) level metres:
 *
 *     factor(S) = exp(3.5 · (|S + 0.05| − 0.05))   (factor(0) = 1)
 *
 * e.g. +10 %: 1.419; −10 %: 1.000; −5 %: 0.839; +20 %: 2.014; −20 %: 1.419. Only the
 * shape of Tobler's curve is used: the speeds are the child's (1.0 m/s on the level), not
 * Tobler's adult hikers'.
 *
 * An edge's profile is its elevations sampled at equal horizontal spacing from its `from`
 * node to its `to` node; the effort of walking it is the sum over the profile's segments, so
 * a street that climbs and falls again costs more than its end points alone say. Walking it
 * backwards reverses every segment's slope. Stairs are not priced here: `highway=steps`
 * keep the stair factor of norms.ts (Weidmann 1993, ×2) *instead of* Tobler — a flight's
 * slope (30–40°) is far outside the range Tobler fitted, and Weidmann's stair speeds
 * already include the climb.
 *
 * @example
 * toblerFactor(0.1); // 1.419…
 * profileEffort([200, 205, 210], 100, 0, 1); // walking a 10 % climb of 100 m: ≈ 141.9
 */

/** Tobler (1993) walking speed, km/h, on slope S (dh/dx). */
export function toblerSpeedKmh(slope: number): number {
  return 6 * Math.exp(-3.5 * Math.abs(slope + 0.05));
}

/** Level-walking metres per horizontal metre on slope S: W(0) / W(S). */
export function toblerFactor(slope: number): number {
  return Math.exp(3.5 * (Math.abs(slope + 0.05) - 0.05));
}

/** The smallest factor (Tobler's fastest walk, a 5 % descent): exp(−0.175) ≈ 0.839; A* bounds use it. */
export const TOBLER_MIN_FACTOR = Math.exp(-3.5 * 0.05);

/**
 * Effort (level-walking metres) of walking an edge of horizontal length `lengthM` whose
 * profile is `ele` (≥ 2 samples, equally spaced from → to), between fractions f0 and f1 of
 * its length (f0 > f1 = walking backwards). Fewer than 2 finite samples → flat.
 * @example profileEffort([10, 20], 100, 1, 0); // walking the 10 % slope downhill: 100
 */
export function profileEffort(ele: ArrayLike<number>, lengthM: number, f0: number, f1: number, from = 0, to = ele.length): number {
  const n = to - from;
  const run = Math.abs(f1 - f0) * lengthM;
  if (n < 2 || !(lengthM > 0)) return run;
  const segLen = lengthM / (n - 1);
  let effort = 0;
  eachOverlap(ele, f0, f1, from, n, (overlap, dh) => {
    effort += overlap * lengthM * toblerFactor(Number.isFinite(dh) ? dh / segLen : 0);
  });
  return effort;
}

/**
 * Each segment of a profile of `n` samples from `from` that the walk from fraction f0 to f1
 * crosses: the fraction of the whole length walked on it, and its height change in the
 * walking direction (NaN where a sample is missing).
 */
function eachOverlap(
  ele: ArrayLike<number>,
  f0: number,
  f1: number,
  from: number,
  n: number,
  visit: (overlap: number, dh: number, segFraction: number) => void,
): void {
  const lo = Math.min(f0, f1),
    hi = Math.max(f0, f1);
  const dir = f1 >= f0 ? 1 : -1;
  const segs = n - 1;
  for (let i = 0; i < segs; i++) {
    const a = i / segs,
      b = (i + 1) / segs;
    const overlap = Math.min(hi, b) - Math.max(lo, a);
    if (overlap <= 0) continue;
    const h0 = ele[from + i],
      h1 = ele[from + i + 1];
    visit(overlap, Number.isFinite(h0) && Number.isFinite(h1) ? dir * (h1 - h0) : Number.NaN, b - a);
  }
}

/**
 * Climb and descent (m) walking the profile from fraction f0 to f1 (f0 > f1 = backwards),
 * segments cut proportionally.
 * @example profileClimb([10, 20, 15], 0, 1); // { riseM: 10, fallM: 5 }
 */
export function profileClimb(ele: ArrayLike<number>, f0: number, f1: number, from = 0, to = ele.length): { riseM: number; fallM: number } {
  const n = to - from;
  let riseM = 0,
    fallM = 0;
  if (n < 2) return { riseM, fallM };
  eachOverlap(ele, f0, f1, from, n, (overlap, segDh, segFraction) => {
    if (!Number.isFinite(segDh)) return;
    const dh = (segDh * overlap) / segFraction;
    if (dh > 0) riseM += dh;
    else fallM -= dh;
  });
  return { riseM, fallM };
}

/** Elevation at fraction f of a profile (linear between samples; NaN when empty). */
export function profileAt(ele: ArrayLike<number>, f: number, from = 0, to = ele.length): number {
  const n = to - from;
  if (n < 1) return NaN;
  if (n === 1) return ele[from];
  const x = Math.min(1, Math.max(0, f)) * (n - 1);
  const i = Math.min(n - 2, Math.floor(x));
  return ele[from + i] + (x - i) * (ele[from + i + 1] - ele[from + i]);
}

/** Where slope came from, as the APIs state it (`slope` in route and coverage answers). */
export interface SlopeInfo {
  used: boolean;
  /** `dataset_meta.dem_source` (e.g. "elevation: unknown-source DEM (test data)"), null when no DEM. */
  source: string | null;
  note: string;
}

/**
 * The note of a slope answer. `off`: flat cost was asked for (slope=off).
 * @example slopeNote(false, null); // "Slope not used: no elevation (DEM) imported …"
 */
export function slopeNote(used: boolean, source: string | null, off = false): string {
  if (!used) {
    if (off) return 'Slope not used: flat walking cost (level-walking metres) was asked for (slope=off).';
    return source
      ? `Slope not used: the network here lies outside the imported DEM (${source}); walking cost is flat (stairs ×2 only).`
      : 'Slope not used: no elevation (DEM) imported for this network; walking cost is flat (stairs ×2 only).';
  }
  return `Slope used: Tobler (1993) hiking function per direction on edge profiles from ${source ?? 'an imported DEM'}; stairs keep the Weidmann (1993) ×2 factor; edges outside the DEM are flat.`;
}
